import { describe, expect, it } from "vitest";
import { birthdayKey, birthdaysOn, isBirthday } from "./birthdays";

describe("isBirthday", () => {
  it("accepts the days of the calendar, 29 February included, and nothing else", () => {
    expect(isBirthday({ month: 2, day: 29 })).toBe(true);
    expect(isBirthday({ month: 12, day: 31 })).toBe(true);
    expect(isBirthday({ month: 2, day: 30 })).toBe(false);
    expect(isBirthday({ month: 4, day: 31 })).toBe(false);
    expect(isBirthday({ month: 0, day: 1 })).toBe(false);
    expect(isBirthday({ month: 1, day: 0 })).toBe(false);
    expect(isBirthday({ month: 1.5, day: 1 })).toBe(false);
    expect(isBirthday({ month: "1", day: 1 })).toBe(false);
  });
});

describe("birthdaysOn", () => {
  it("adds 29 February to the 28th of a year without it", () => {
    expect(birthdaysOn({ year: 2027, month: 2, day: 28 })).toEqual([
      { month: 2, day: 28 },
      { month: 2, day: 29 },
    ]);
    expect(birthdaysOn({ year: 2028, month: 2, day: 28 })).toEqual([{ month: 2, day: 28 }]);
    expect(birthdaysOn({ year: 2100, month: 2, day: 28 })).toHaveLength(2); // not a leap year
    expect(birthdaysOn({ year: 2000, month: 2, day: 28 })).toHaveLength(1); // a leap year
  });
});

describe("birthdayKey", () => {
  it("keys one bonus per member and year", () => {
    expect(birthdayKey("m1", 2026)).toBe("birthday:m1:2026");
  });
});
