import { describe, expect, it } from "vitest";
import {
  applyUrl,
  customerGid,
  discountInput,
  generateRewardCode,
  redemptionBlocker,
  rewardTermErrors,
} from "./rewards";
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

  it("skip random bytes past the last whole multiple of the alphabet", () => {
    // 248..255 would map onto the first 8 symbols a second time: they must be drawn again (248,
    // the first of them, is the boundary).
    const draws = [new Uint8Array(16).fill(248), Uint8Array.from({ length: 16 }, (_, i) => i)];
    const random = (bytes: Uint8Array) => {
      bytes.set(draws.shift() ?? []);
      return bytes;
    };
    expect(generateRewardCode("LOYAL", random)).toBe("LOYAL-2345-6789-ABCD");
  });
});

describe("discount input", () => {
  const window = {
    code: "LOYAL-AAAA-BBBB-CCCC",
    customerGid: customerGid("42"),
    startsAt: new Date("2026-11-22T00:00:00Z"),
    endsAt: new Date("2026-12-22T00:00:00Z"),
  };

  it("gives free shipping everywhere, or a percentage as a fraction", () => {
    const shipping = discountInput({
      ...window,
      terms: { ...terms, type: "FREE_SHIPPING", amount: null, minimumSubtotal: null },
    });
    expect(shipping.kind).toBe("FREE_SHIPPING");
    expect(shipping.input).toMatchObject({ destination: { all: true }, usageLimit: 1 });
    expect(shipping.input).not.toHaveProperty("minimumRequirement");
    expect(shipping.input).not.toHaveProperty("customerGets");

    const percent = discountInput({
      ...window,
      terms: { ...terms, type: "PERCENTAGE", amount: null, percentage: 15 },
    });
    expect(percent.kind).toBe("AMOUNT");
    expect(percent.input).toMatchObject({
      title: "$5 off (loyalty reward LOYAL-AAAA-BBBB-CCCC)",
      customerGets: { value: { percentage: 0.15 }, items: { all: true } },
    });
  });

  it("takes its discount off the picked collections only, when there are some", () => {
    const outdoor = { id: "gid://shopify/Collection/9900000000001", title: "Outdoor" };
    const limited = discountInput({ ...window, terms: { ...terms, collections: [outdoor] } });
    expect(limited.input).toMatchObject({
      customerGets: {
        value: { discountAmount: { amount: "5.00", appliesOnEachItem: false } },
        items: { collections: { add: ["gid://shopify/Collection/9900000000001"] } },
      },
    });
    expect(discountInput({ ...window, terms: { ...terms, collections: [] } }).input).toMatchObject({
      customerGets: { items: { all: true } },
    });
    // Free shipping is off the whole order: collections there are a stored mistake, refused.
    expect(
      rewardTermErrors(
        { ...terms, type: "FREE_SHIPPING", amount: null, collections: [outdoor] },
        "USD",
      ),
    ).toEqual({ collections: "Free shipping applies to the whole order; remove the collections" });
    expect(
      rewardTermErrors({ ...terms, collections: [{ id: "(unreadable)", title: "?" }] }, "USD"),
    ).toEqual({ collections: "Choose the collections again" });
  });

  it("names the customer by GID and links the code into the cart", () => {
    expect(customerGid("42")).toBe("gid://shopify/Customer/42");
    expect(applyUrl("shop.myshopify.com", "A B")).toBe(
      "https://shop.myshopify.com/discount/A%20B?redirect=/cart",
    );
  });

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
    // Exactly the required tier is enough; one step below is not.
    expect(
      redemptionBlocker({ ...base, requiredTierThreshold: 500, memberTierThreshold: 500 }),
    ).toBeNull();
    expect(
      redemptionBlocker({ ...base, requiredTierThreshold: 500, memberTierThreshold: 499 }),
    ).toBe("TIER_REQUIRED");
    expect(redemptionBlocker({ ...base, recentRedemptions: 4 })).toBeNull();
    // A reward for the first tier (threshold 0) still needs a tier.
    expect(redemptionBlocker({ ...base, requiredTierThreshold: 0 })).toBe("TIER_REQUIRED");
  });

  it("validates reward terms field by field", () => {
    expect(rewardTermErrors(terms, "USD")).toEqual({});
    expect(rewardTermErrors({ ...terms, amount: "5.001" }, "USD")).toHaveProperty("amount");
    expect(rewardTermErrors({ ...terms, amount: "500" }, "JPY")).toEqual({});
    expect(rewardTermErrors({ ...terms, pointsCost: 1 }, "USD")).toEqual({});
    expect(rewardTermErrors({ ...terms, pointsCost: 2.5 }, "USD")).toHaveProperty("pointsCost");
    expect(rewardTermErrors({ ...terms, pointsCost: 0 }, "USD")).toEqual({
      pointsCost: "Cost must be a whole number of points, at least 1",
    });
    expect(rewardTermErrors({ ...terms, type: "PERCENTAGE", percentage: 0 }, "USD")).toEqual({
      percentage: "Enter a whole percentage from 1 to 100",
    });
    for (const codeLifetimeDays of [1, 365]) {
      expect(rewardTermErrors({ ...terms, codeLifetimeDays }, "USD")).toEqual({});
    }
    for (const codeLifetimeDays of [0, 366, 1.5]) {
      expect(rewardTermErrors({ ...terms, codeLifetimeDays }, "USD")).toEqual({
        codeLifetimeDays: "Codes must last between 1 and 365 days",
      });
    }
    for (const amount of ["0", "0.00", "-5", "abc", "", null, "1e3"]) {
      expect(rewardTermErrors({ ...terms, amount }, "USD")).toEqual({
        amount: "Enter an amount in USD, greater than zero",
      });
    }
    expect(rewardTermErrors({ ...terms, amount: "0.01" }, "USD")).toEqual({});
    for (const minimumSubtotal of [null, ""]) {
      expect(rewardTermErrors({ ...terms, minimumSubtotal }, "USD")).toEqual({});
    }
    for (const minimumSubtotal of ["0", "abc", "1.001"]) {
      expect(rewardTermErrors({ ...terms, minimumSubtotal }, "USD")).toEqual({
        minimumSubtotal: "Enter a minimum in USD, or leave it empty",
      });
    }
    expect(rewardTermErrors({ ...terms, name: " " }, "USD")).toEqual({
      name: "Give the reward a name shoppers will recognise",
    });
    expect(
      rewardTermErrors({ ...terms, type: "PERCENTAGE", percentage: 120 }, "USD"),
    ).toHaveProperty("percentage");
    for (const percentage of [1, 100]) {
      expect(rewardTermErrors({ ...terms, type: "PERCENTAGE", percentage }, "USD")).toEqual({});
    }
    for (const percentage of [0, 101, 12.5, null]) {
      expect(rewardTermErrors({ ...terms, type: "PERCENTAGE", percentage }, "USD")).toHaveProperty(
        "percentage",
      );
    }
    expect(rewardTermErrors({ ...terms, pointsCost: 0, name: " " }, "USD")).toMatchObject({
      pointsCost: expect.any(String),
      name: expect.any(String),
    });
  });
});
