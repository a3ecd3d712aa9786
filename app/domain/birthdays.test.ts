import { describe, expect, it } from "vitest";
import { birthdayKey, birthdaysOn, isBirthday, nextBirthdayBonus } from "./birthdays";

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

describe("nextBirthdayBonus", () => {
  const may17 = { month: 5, day: 17 };
  const today = { year: 2026, month: 4, day: 1 };
  it("is this year's birthday when it is 30 days or more after the date was given", () => {
    const setOn = { year: 2026, month: 1, day: 10 };
    expect(nextBirthdayBonus({ birthday: may17, setOn, today, paidThisYear: false })).toEqual({
      year: 2026,
      ...may17,
    });
    // Paid already this year: next year's.
    expect(nextBirthdayBonus({ birthday: may17, setOn, today, paidThisYear: true }).year).toBe(
      2027,
    );
  });

  it("waits a year when the date was given within 30 days of the birthday", () => {
    const setOn = { year: 2026, month: 5, day: 1 };
    expect(
      nextBirthdayBonus({ birthday: may17, setOn, today: setOn, paidThisYear: false }),
    ).toEqual({ year: 2027, ...may17 });
  });

  it("names 28 February for a 29 February birthday in a year without it", () => {
    const setOn = { year: 2026, month: 1, day: 1 };
    expect(
      nextBirthdayBonus({
        birthday: { month: 2, day: 29 },
        setOn,
        today: setOn,
        paidThisYear: false,
      }),
    ).toEqual({ year: 2026, month: 2, day: 28 });
  });
});
