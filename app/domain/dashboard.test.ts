import { describe, expect, it } from "vitest";
import {
  bucketsFor,
  formatPermille,
  liabilityMinor,
  parseDateRange,
  pointsFlow,
  pointValue,
  redemptionRatePermille,
} from "./dashboard";

const now = new Date("2026-11-22T15:30:00Z");
const range = (query: string) => parseDateRange(new URLSearchParams(query), now);

describe("date ranges", () => {
  it("covers whole UTC days, today included", () => {
    expect(range("range=7d")).toMatchObject({ startDay: "2026-11-16", endDay: "2026-11-22" });
    expect(range("range=7d").end.toISOString()).toBe("2026-11-23T00:00:00.000Z");
    expect(range("").preset).toBe("30d");
    expect(range("range=ytd").startDay).toBe("2026-01-01");
  });

  it("accepts a custom range, clipping it to today, and falls back with a reason", () => {
    expect(range("range=custom&start=2026-11-01&end=2026-12-31")).toMatchObject({
      preset: "custom",
      endDay: "2026-11-22",
      error: null,
    });
    expect(range("range=custom&start=2026-02-30&end=2026-03-01").error).toBe(
      "Enter both dates as YYYY-MM-DD",
    );
    expect(range("range=custom&start=2020-01-01&end=2026-01-01").error).toBe(
      "Choose a range of two years or less",
    );
  });
});

describe("custom date ranges", () => {
  const fallback = { preset: "30d", startDay: "2026-10-24", endDay: "2026-11-22" };

  it("gives each preset its own length", () => {
    expect(range("range=30d")).toMatchObject({ startDay: "2026-10-24", endDay: "2026-11-22" });
    expect(range("range=90d")).toMatchObject({ startDay: "2026-08-25", endDay: "2026-11-22" });
    expect(range("range=12m")).toMatchObject({ startDay: "2025-11-23", endDay: "2026-11-22" });
  });

  it("falls back to the last 30 days, saying why", () => {
    expect(range("range=custom&start=2026-11-10&end=2026-11-09")).toEqual({
      ...fallback,
      start: new Date("2026-10-24T00:00:00Z"),
      end: new Date("2026-11-23T00:00:00Z"),
      error: "The end date is before the start date",
      timeZone: "UTC",
    });
    expect(range("range=custom&start=2026-11-23&end=2026-11-30")).toMatchObject({
      ...fallback,
      error: "The range starts in the future",
    });
    // An expanded-year date is a valid ISO string, but not the YYYY-MM-DD the form sends.
    expect(range("range=custom&start=2026-11-01&end=%2B010000-01")).toMatchObject({
      ...fallback,
      error: "Enter both dates as YYYY-MM-DD",
    });
    expect(range("range=custom&start=2026-11-01")).toMatchObject({
      ...fallback,
      error: "Enter both dates as YYYY-MM-DD",
    });
  });

  it("accepts one day, a range starting today, and exactly two years (731 days)", () => {
    expect(range("range=custom&start=2026-11-09&end=2026-11-09")).toMatchObject({
      preset: "custom",
      startDay: "2026-11-09",
      endDay: "2026-11-09",
      error: null,
    });
    expect(range("range=custom&start=2026-11-22&end=2026-11-22")).toMatchObject({
      preset: "custom",
      startDay: "2026-11-22",
      error: null,
    });
    expect(range("range=custom&start=2024-11-22&end=2026-11-22")).toMatchObject({
      preset: "custom",
      startDay: "2024-11-22",
      error: null,
    });
    expect(range("range=custom&start=2024-11-21&end=2026-11-22").error).toBe(
      "Choose a range of two years or less",
    );
  });

  it("keeps a custom end date in the past as given", () => {
    const past = range("range=custom&start=2026-03-01&end=2026-03-31");
    expect(past).toMatchObject({ preset: "custom", startDay: "2026-03-01", endDay: "2026-03-31" });
    expect(past.end.toISOString()).toBe("2026-04-01T00:00:00.000Z");
  });
});

describe("buckets", () => {
  it("uses days, then weeks, then months", () => {
    expect(bucketsFor(range("range=7d")).map((b) => b.label)).toEqual([
      "Nov 16",
      "Nov 17",
      "Nov 18",
      "Nov 19",
      "Nov 20",
      "Nov 21",
      "Nov 22",
    ]);
    const weeks = bucketsFor(range("range=12m"));
    expect(weeks).toHaveLength(53);
    expect(weeks.at(-1)!.end.toISOString()).toBe("2026-11-23T00:00:00.000Z");
    const months = bucketsFor(range("range=custom&start=2025-01-15&end=2026-11-22"));
    expect(months[0]!.label).toBe("Jan 2025");
    expect(months[1]!.start.toISOString()).toBe("2025-02-01T00:00:00.000Z");
  });

  it("switches to weeks after 92 days and to months after 400", () => {
    const days = (start: string, end: string) =>
      bucketsFor({ start: new Date(`${start}T00:00:00Z`), end: new Date(`${end}T00:00:00Z`) });
    // 92 days: still one bar a day.
    expect(days("2026-01-01", "2026-04-03")).toHaveLength(92);
    // 400 days: weeks, the last one cut short at the range's end.
    const weeks = days("2025-01-01", "2026-02-05");
    expect(weeks).toHaveLength(58);
    expect(weeks[0]!.label).toBe("Week of Jan 1");
    expect(weeks.at(-1)!.start.toISOString()).toBe("2026-02-04T00:00:00.000Z");
    expect(weeks.at(-1)!.end.toISOString()).toBe("2026-02-05T00:00:00.000Z");
    // A whole number of weeks has no empty week after the last day.
    expect(days("2025-01-01", "2025-12-31")).toHaveLength(52);
    // 401 days: months, the first and last partial.
    const months = days("2025-01-15", "2026-02-20");
    expect(months.map((b) => b.label)).toHaveLength(14);
    expect(months.at(-1)).toEqual({
      start: new Date("2026-02-01T00:00:00Z"),
      end: new Date("2026-02-20T00:00:00Z"),
      label: "Feb 2026",
    });
  });
});

describe("figures", () => {
  it("classifies ledger kinds", () => {
    expect(pointsFlow({ kind: "EARN", points: 0, pendingPoints: 30 }).issued).toBe(30);
    expect(pointsFlow({ kind: "IMPORT", points: -20, pendingPoints: 0 }).takenBack).toBe(20);
    expect(pointsFlow({ kind: "REDEEM_RETURN", points: 50, pendingPoints: 0 }).redeemed).toBe(-50);
    expect(pointsFlow({ kind: "RELEASE", points: 30, pendingPoints: -30 })).toEqual({
      issued: 0,
      redeemed: 0,
      expired: 0,
      takenBack: 0,
    });
  });

  it("gives every ledger kind its figure", () => {
    const flow = (kind: string, points: number) => pointsFlow({ kind, points, pendingPoints: 0 });
    const none = { issued: 0, redeemed: 0, expired: 0, takenBack: 0 };
    expect(flow("SIGNUP_BONUS", 100)).toEqual({ ...none, issued: 100 });
    expect(flow("MANUAL", 40)).toEqual({ ...none, issued: 40 });
    expect(flow("MANUAL", -40)).toEqual({ ...none, takenBack: 40 });
    expect(flow("IMPORT", 1200)).toEqual({ ...none, issued: 1200 });
    // A zero adjustment is nothing at all, not a "-0" taken back.
    expect(flow("MANUAL", 0)).toEqual(none);
    expect(flow("REFUND_CLAWBACK", -30)).toEqual({ ...none, takenBack: 30 });
    expect(flow("CANCEL_REVERSAL", -25)).toEqual({ ...none, takenBack: 25 });
    expect(flow("REDEEM", -500)).toEqual({ ...none, redeemed: 500 });
    expect(flow("EXPIRE", -70)).toEqual({ ...none, expired: 70 });
  });

  it("computes the redemption rate in tenths of a percent", () => {
    expect(redemptionRatePermille(40, 150)).toBe(267);
    expect(formatPermille(267)).toBe("26.7%");
    expect(redemptionRatePermille(5, 0)).toBeNull();
    expect(formatPermille(null)).toBe("—");
  });

  it("values points at the most generous enabled amount-off reward, in integers", () => {
    const rewards = [
      { name: "A", type: "FIXED_AMOUNT", amount: "5.00", pointsCost: 500, enabled: true },
      { name: "B", type: "FIXED_AMOUNT", amount: "12", pointsCost: 1000, enabled: true },
      { name: "C", type: "FIXED_AMOUNT", amount: "100", pointsCost: 1, enabled: false },
      { name: "D", type: "PERCENTAGE", amount: null, pointsCost: 1, enabled: true },
    ];
    const value = pointValue(rewards, "USD");
    expect(value).toEqual({ rewardName: "B", amountMinor: 1200, pointsCost: 1000 });
    expect(liabilityMinor(12345, value)).toBe(14814);
    expect(liabilityMinor(10, null)).toBeNull();
    expect(pointValue([{ ...rewards[0]!, amount: "500" }], "JPY")).toMatchObject({
      amountMinor: 500,
    });
  });
  it("keeps the first of the most generous rewards and skips rewards it cannot price", () => {
    const reward = { type: "FIXED_AMOUNT", enabled: true };
    expect(
      pointValue(
        [
          { ...reward, name: "Free", amount: "5", pointsCost: 0 },
          { ...reward, name: "Typo", amount: "5.5.5", pointsCost: 1 },
          { ...reward, name: "Percent", type: "PERCENTAGE", amount: "50", pointsCost: 1 },
          { ...reward, name: "Best", amount: "12", pointsCost: 1000 },
          { ...reward, name: "Worse", amount: "5", pointsCost: 500 },
          { ...reward, name: "Same rate", amount: "24", pointsCost: 2000 },
        ],
        "USD",
      ),
    ).toEqual({ rewardName: "Best", amountMinor: 1200, pointsCost: 1000 });
  });
  it("prices points by store credit too: it is money the shopper can spend", () => {
    const rewards = [
      { name: "$5 off", type: "FIXED_AMOUNT", amount: "5", pointsCost: 500, enabled: true },
      { name: "$15 credit", type: "STORE_CREDIT", amount: "15", pointsCost: 1000, enabled: true },
    ];
    expect(pointValue(rewards, "USD")).toEqual({
      rewardName: "$15 credit",
      amountMinor: 1500,
      pointsCost: 1000,
    });
  });
});

describe("the shop's days", () => {
  const LA = "America/Los_Angeles";

  it("ends today where the shop is, not in Greenwich", () => {
    // 7pm on December 1st in Los Angeles is already December 2nd in UTC.
    const now = new Date("2026-12-02T03:00:00Z");
    const range = parseDateRange(new URLSearchParams("range=7d"), now, LA);
    expect(range).toMatchObject({ startDay: "2026-11-25", endDay: "2026-12-01" });
    expect(range.start.toISOString()).toBe("2026-11-25T08:00:00.000Z");
    expect(range.end.toISOString()).toBe("2026-12-02T08:00:00.000Z");
    expect(parseDateRange(new URLSearchParams("range=7d"), now).endDay).toBe("2026-12-02");

    const buckets = bucketsFor(range);
    expect(buckets.map((b) => b.label)).toEqual([
      "Nov 25",
      "Nov 26",
      "Nov 27",
      "Nov 28",
      "Nov 29",
      "Nov 30",
      "Dec 1",
    ]);
    // An evening order counts on the shop's day.
    const today = buckets.at(-1)!;
    expect(today.start.getTime()).toBeLessThanOrEqual(now.getTime());
    expect(now.getTime()).toBeLessThan(today.end.getTime());
  });

  it("gives a day the clocks change its 23 or 25 hours", () => {
    const range = parseDateRange(
      new URLSearchParams("range=custom&start=2026-03-07&end=2026-03-09"),
      new Date("2026-06-01T00:00:00Z"),
      LA,
    );
    const hours = bucketsFor(range).map((b) => (b.end.getTime() - b.start.getTime()) / 3.6e6);
    expect(hours).toEqual([24, 23, 24]);
    const autumn = parseDateRange(
      new URLSearchParams("range=custom&start=2026-11-01&end=2026-11-01"),
      new Date("2026-12-01T00:00:00Z"),
      LA,
    );
    expect(bucketsFor(autumn).map((b) => [b.start.toISOString(), b.end.toISOString()])).toEqual([
      ["2026-11-01T07:00:00.000Z", "2026-11-02T08:00:00.000Z"],
    ]);
    // Months in a zone east of Greenwich start before UTC midnight.
    const year = parseDateRange(
      new URLSearchParams("range=custom&start=2025-01-01&end=2026-02-28"),
      new Date("2026-06-01T00:00:00Z"),
      "Asia/Tokyo",
    );
    const months = bucketsFor(year);
    expect(months[0]).toMatchObject({ label: "Jan 2025" });
    expect(months[0]!.start.toISOString()).toBe("2024-12-31T15:00:00.000Z");
    expect(months.at(-1)!.end.toISOString()).toBe("2026-02-28T15:00:00.000Z");
  });
});
