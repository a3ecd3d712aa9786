import { describe, expect, it } from "vitest";
import { availableAt, balanceExpiresAt, isPending } from "./schedule";
import { addMonths, nextTier, periodStart, qualifyingTier } from "./tiers";

const tiers = [
  { id: "gold", name: "Gold", threshold: 1000, multiplierPercent: 150 },
  { id: "bronze", name: "Bronze", threshold: 0, multiplierPercent: 100 },
  { id: "silver", name: "Silver", threshold: 500, multiplierPercent: 125 },
];

describe("tiers", () => {
  it("picks the highest tier reached", () => {
    expect(qualifyingTier(tiers, 0)?.id).toBe("bronze");
    expect(qualifyingTier(tiers, 499)?.id).toBe("bronze");
    expect(qualifyingTier(tiers, 500)?.id).toBe("silver");
    expect(qualifyingTier(tiers, 5000)?.id).toBe("gold");
    expect(qualifyingTier(tiers.slice(0, 1), 10)).toBeNull();
  });

  it("tells how far the next tier is", () => {
    expect(nextTier(tiers, 620)).toEqual({ tier: tiers[0], remaining: 380 });
    expect(nextTier(tiers, 1000)).toBeNull();
    // The nearest tier above, wherever it sits in the list; reaching a threshold is being in it.
    expect(nextTier(tiers, 100)).toEqual({ tier: tiers[2], remaining: 400 });
    expect(nextTier([...tiers].reverse(), 100)).toEqual({ tier: tiers[2], remaining: 400 });
    expect(nextTier(tiers, 500)).toEqual({ tier: tiers[0], remaining: 500 });
  });

  it("computes qualification windows", () => {
    const now = new Date("2026-11-22T10:00:00Z");
    expect(periodStart("LIFETIME", now)).toBeNull();
    expect(periodStart("CALENDAR_YEAR", now)?.toISOString()).toBe("2026-01-01T00:00:00.000Z");
    expect(periodStart("ROLLING_12_MONTHS", now)?.toISOString()).toBe("2025-11-22T10:00:00.000Z");
  });

  it("adds months without spilling into the next month", () => {
    expect(addMonths(new Date("2026-01-31T00:00:00Z"), 1).toISOString()).toBe(
      "2026-02-28T00:00:00.000Z",
    );
    expect(addMonths(new Date("2024-03-31T00:00:00Z"), -1).toISOString()).toBe(
      "2024-02-29T00:00:00.000Z",
    );
  });
});

describe("pending and expiry", () => {
  it("holds points for the pending period", () => {
    const paid = new Date("2026-11-01T00:00:00Z");
    const available = availableAt(paid, 14);
    expect(available.toISOString()).toBe("2026-11-15T00:00:00.000Z");
    expect(isPending(available, new Date("2026-11-10T00:00:00Z"))).toBe(true);
    expect(isPending(available, new Date("2026-11-15T00:00:00Z"))).toBe(false);
  });

  it("expires balances after months of inactivity, or never", () => {
    const active = new Date("2026-05-31T12:00:00Z");
    expect(balanceExpiresAt(active, 6)?.toISOString()).toBe("2026-11-30T12:00:00.000Z");
    expect(balanceExpiresAt(active, null)).toBeNull();
    expect(balanceExpiresAt(null, 6)).toBeNull();
    expect(balanceExpiresAt(active, 0)).toBeNull();
    expect(balanceExpiresAt(active, -6)).toBeNull();
    // A policy switched on later starts then for members idle longer than it allows.
    const policyFrom = new Date("2027-01-15T09:00:00Z");
    expect(balanceExpiresAt(active, 6, policyFrom)).toEqual(policyFrom);
    expect(balanceExpiresAt(active, 6, new Date("2026-11-30T11:59:59Z"))?.toISOString()).toBe(
      "2026-11-30T12:00:00.000Z",
    );
    expect(balanceExpiresAt(active, 6, new Date("2026-11-30T12:00:00Z"))?.toISOString()).toBe(
      "2026-11-30T12:00:00.000Z",
    );
    expect(isPending(null, new Date("2026-11-10T00:00:00Z"))).toBe(false);
  });
});
