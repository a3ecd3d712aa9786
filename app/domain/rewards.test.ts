import { describe, expect, it } from "vitest";
import { discountInput, generateRewardCode, redemptionBlocker, rewardTermErrors } from "./rewards";
import type { RewardTerms } from "./rewards";

const terms: RewardTerms = {
  name: "$5 off",
  type: "FIXED_AMOUNT",
  pointsCost: 500,
  amount: "5.00",
  percentage: null,
  minimumSubtotal: "20.00",
  codeLifetimeDays: 30,
  combinesWithOrder: false,
  combinesWithProduct: true,
  combinesWithShipping: true,
};

describe("reward codes", () => {
  it("are random, well formed and distinct", () => {
    const codes = new Set(Array.from({ length: 2000 }, () => generateRewardCode()));
    expect(codes.size).toBe(2000);
    for (const code of codes)
      expect(code).toMatch(/^LOYAL-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
  });

  it("use every symbol of the alphabet evenly (rejection sampling, no modulo bias)", () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 3000; i++) {
      for (const ch of generateRewardCode("X").slice(2).replace(/-/g, ""))
        counts.set(ch, (counts.get(ch) ?? 0) + 1);
    }
    expect(counts.size).toBe(31);
    const values = [...counts.values()];
    expect(Math.max(...values) / Math.min(...values)).toBeLessThan(1.3);
  });
});

describe("discount input", () => {
  it("restricts the code to one customer and one use", () => {
    const startsAt = new Date("2026-11-22T00:00:00Z");
    const { kind, input } = discountInput({
      terms,
      code: "LOYAL-AAAA-BBBB-CCCC",
      customerGid: "gid://shopify/Customer/42",
      startsAt,
      endsAt: new Date("2026-12-22T00:00:00Z"),
    });
    expect(kind).toBe("AMOUNT");
    expect(input).toMatchObject({
      code: "LOYAL-AAAA-BBBB-CCCC",
      context: { customers: { add: ["gid://shopify/Customer/42"] } },
      usageLimit: 1,
      appliesOncePerCustomer: true,
      startsAt: "2026-11-22T00:00:00.000Z",
      endsAt: "2026-12-22T00:00:00.000Z",
      minimumRequirement: { subtotal: { greaterThanOrEqualToSubtotal: "20.00" } },
      combinesWith: { orderDiscounts: false, productDiscounts: true, shippingDiscounts: true },
      customerGets: {
        value: { discountAmount: { amount: "5.00", appliesOnEachItem: false } },
        items: { all: true },
      },
    });
  });
});

describe("eligibility", () => {
  const base = {
    enabled: true,
    pointsCost: 500,
    balance: 500,
    requiredTierThreshold: null,
    memberTierThreshold: null,
    recentRedemptions: 0,
    redemptionsPerHour: 5,
  };
  it("explains why a member cannot redeem", () => {
    expect(redemptionBlocker(base)).toBeNull();
    expect(redemptionBlocker({ ...base, balance: 499 })).toBe("INSUFFICIENT_POINTS");
    expect(redemptionBlocker({ ...base, enabled: false })).toBe("REWARD_DISABLED");
    expect(redemptionBlocker({ ...base, requiredTierThreshold: 100 })).toBe("TIER_REQUIRED");
    expect(
      redemptionBlocker({ ...base, requiredTierThreshold: 100, memberTierThreshold: 500 }),
    ).toBeNull();
    expect(redemptionBlocker({ ...base, recentRedemptions: 5 })).toBe("RATE_LIMITED");
  });

  it("validates reward terms field by field", () => {
    expect(rewardTermErrors(terms, "USD")).toEqual({});
    expect(rewardTermErrors({ ...terms, amount: "5.001" }, "USD")).toHaveProperty("amount");
    expect(rewardTermErrors({ ...terms, amount: "500" }, "JPY")).toEqual({});
    expect(
      rewardTermErrors({ ...terms, type: "PERCENTAGE", percentage: 120 }, "USD"),
    ).toHaveProperty("percentage");
    expect(rewardTermErrors({ ...terms, pointsCost: 0, name: " " }, "USD")).toMatchObject({
      pointsCost: expect.any(String),
      name: expect.any(String),
    });
  });
});
