import { describe, expect, it } from "vitest";
import {
  bucketsFor,
  formatPermille,
  liabilityMinor,
  parseDateRange,
  pointsFlow,
  pointValue,
  redemptionRatePermille,
  sumByBucket,
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

  it("sums each value into the bucket that holds it", () => {
    const buckets = bucketsFor(range("range=7d"));
    const totals = sumByBucket(buckets, [
      { at: new Date("2026-11-16T00:00:00Z"), value: 1 },
      { at: new Date("2026-11-22T23:59:59Z"), value: 2 },
      { at: new Date("2026-11-23T00:00:00Z"), value: 100 },
      { at: new Date("2026-11-18T12:00:00Z"), value: 4 },
    ]);
    expect(totals).toEqual([1, 0, 4, 0, 0, 0, 2]);
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
});
