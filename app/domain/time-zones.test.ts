import { describe, expect, it } from "vitest";
import { knownTimeZone, localDateTime, parseLocalDateTime, zonedInstant } from "./time-zones";

describe("shop-local time", () => {
  it("falls back to UTC for a zone it does not know", () => {
    expect(knownTimeZone("Europe/Berlin")).toBe("Europe/Berlin");
    expect(knownTimeZone("Mars/Olympus_Mons")).toBe("UTC");
    expect(knownTimeZone(null)).toBe("UTC");
    expect(knownTimeZone("")).toBe("UTC");
  });

  it("reads a datetime-local value in the shop's zone, summer and winter", () => {
    expect(parseLocalDateTime("2026-12-05T00:00", "Europe/Berlin")?.toISOString()).toBe(
      "2026-12-04T23:00:00.000Z",
    );
    expect(parseLocalDateTime("2026-07-04T09:30", "America/New_York")?.toISOString()).toBe(
      "2026-07-04T13:30:00.000Z",
    );
    expect(parseLocalDateTime("2026-07-04T09:30", "UTC")?.toISOString()).toBe(
      "2026-07-04T09:30:00.000Z",
    );
  });

  it("refuses what is not a minute of the calendar", () => {
    for (const value of ["", "2026-02-30T10:00", "2026-12-05", "2026-12-05T24:00", "tomorrow"]) {
      expect(parseLocalDateTime(value, "UTC")).toBeNull();
    }
  });

  it("reads a time the clocks skip as just after the change, and a repeated one as its first", () => {
    // Berlin skips 02:00–03:00 on 2026-03-29 and repeats 02:00–03:00 on 2026-10-25.
    const at = (wall: string, zone: string) => zonedInstant(new Date(wall), zone).toISOString();
    expect(at("2026-03-29T02:30:00Z", "Europe/Berlin")).toBe("2026-03-29T01:30:00.000Z"); // 03:30 CEST
    expect(at("2026-10-25T02:30:00Z", "Europe/Berlin")).toBe("2026-10-25T00:30:00.000Z"); // 02:30 CEST
    // Santiago skips midnight on 2026-09-06: the day starts at 01:00, not on the evening before.
    expect(at("2026-09-06T00:00:00Z", "America/Santiago")).toBe("2026-09-06T04:00:00.000Z");
    expect(at("2026-03-08T02:30:00Z", "America/New_York")).toBe("2026-03-08T07:30:00.000Z");
    // Around the changes, ordinary times are exact.
    expect(at("2026-03-29T01:59:00Z", "Europe/Berlin")).toBe("2026-03-29T00:59:00.000Z");
    expect(at("2026-03-29T03:00:00Z", "Europe/Berlin")).toBe("2026-03-29T01:00:00.000Z");
  });

  it("writes an instant back as the form shows it", () => {
    const instant = new Date("2026-12-04T23:00:00Z");
    expect(localDateTime(instant, "Europe/Berlin")).toBe("2026-12-05T00:00");
    expect(parseLocalDateTime(localDateTime(instant, "Asia/Tokyo"), "Asia/Tokyo")).toEqual(instant);
  });
});
