import { describe, expect, it } from "vitest";
import {
  NEVER,
  STORE_CREDIT_PREFIX,
  applyUrl,
  customerGid,
  discountInput,
  freeProductOffer,
  generateRewardCode,
  isStoreCreditReference,
  ownTransaction,
  redemptionBlocker,
  rewardEndsAt,
  rewardTermErrors,
  storeCreditInput,
} from "./rewards";
import type { CreditTransaction, RewardTerms } from "./rewards";

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

  it("makes a free product one unit of its variant, priced as when redeemed", () => {
    const mug = { id: "gid://shopify/ProductVariant/4400000000030", title: "Trail Mug" };
    const free = {
      ...terms,
      type: "FREE_PRODUCT" as const,
      amount: "18.00",
      minimumSubtotal: null,
      variant: mug,
    };
    const { kind, input } = discountInput({ ...window, terms: free });
    expect(kind).toBe("AMOUNT");
    expect(input).toMatchObject({
      usageLimit: 1,
      context: { customers: { add: ["gid://shopify/Customer/42"] } },
      customerGets: {
        // Once across the variant's lines: one unit, however many the cart holds.
        value: { discountAmount: { amount: "18.00", appliesOnEachItem: false } },
        items: { products: { productVariantsToAdd: [mug.id] } },
      },
      minimumRequirement: { quantity: { greaterThanOrEqualToQuantity: "1" } },
    });
    expect(JSON.stringify(input)).not.toContain("percentage");
    // The reward itself has no price: only a redemption's terms do.
    expect(() => discountInput({ ...window, terms: { ...free, amount: null } })).toThrow(/price/);
    expect(applyUrl("shop.myshopify.com", "LOYAL-X", free)).toBe(
      "https://shop.myshopify.com/discount/LOYAL-X?redirect=/cart/add%3Fid%3D4400000000030%26quantity%3D1",
    );
    expect(applyUrl("shop.myshopify.com", "LOYAL-X", { ...terms })).toBe(
      "https://shop.myshopify.com/discount/LOYAL-X?redirect=/cart",
    );

    expect(rewardTermErrors({ ...free, amount: null }, "USD")).toEqual({});
    expect(
      rewardTermErrors(
        {
          ...free,
          variant: { id: "gid://shopify/Product/1", title: "Mug" },
          minimumSubtotal: "20.00",
          collections: [{ id: "gid://shopify/Collection/1", title: "Outdoor" }],
        },
        "USD",
      ),
    ).toEqual({
      variant: "Choose the product shoppers get",
      minimumSubtotal: "A free product needs only itself in the cart; leave the minimum empty",
      collections: "A free product is that product alone; remove the collections",
    });
    const { variant: _, ...none } = free;
    expect(rewardTermErrors(none, "USD")).toEqual({ variant: "Choose the product shoppers get" });
  });

  it("gives a free product only when the shop sells it, at its price in the currency's digits", () => {
    const mug = { price: "18.0", availableForSale: true, productStatus: "ACTIVE" };
    expect(freeProductOffer(mug, "USD")).toEqual({ kind: "price", amount: "18.00" });
    expect(freeProductOffer({ ...mug, price: "1800.0" }, "JPY")).toEqual({
      kind: "price",
      amount: "1800",
    });
    expect(freeProductOffer(null, "USD")).toEqual({ kind: "gone" });
    expect(freeProductOffer({ ...mug, productStatus: "DRAFT" }, "USD")).toEqual({
      kind: "unavailable",
      why: "the product is draft",
    });
    expect(freeProductOffer({ ...mug, availableForSale: false }, "USD")).toEqual({
      kind: "unavailable",
      why: "it is sold out",
    });
    expect(freeProductOffer({ ...mug, price: "0.00" }, "USD")).toEqual({
      kind: "unavailable",
      why: "it costs nothing",
    });
    expect(freeProductOffer({ ...mug, price: "18.005" }, "USD")).toMatchObject({
      kind: "unavailable",
    });
  });

  it("never makes a code of store credit", () => {
    expect(() =>
      discountInput({
        ...window,
        terms: { ...terms, type: "STORE_CREDIT", minimumSubtotal: null },
      }),
    ).toThrow(/never made a code/);
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

describe("store credit rewards", () => {
  const credit: RewardTerms = {
    ...terms,
    name: "$5 store credit",
    type: "STORE_CREDIT",
    minimumSubtotal: null,
    codeLifetimeDays: 90,
  };
  const now = new Date("2026-12-04T10:00:00.750Z");

  it("need an amount, no minimum or collections, and last 0 (never) to 365 days", () => {
    expect(rewardTermErrors(credit, "USD")).toEqual({});
    expect(rewardTermErrors({ ...credit, codeLifetimeDays: 0 }, "USD")).toEqual({});
    expect(rewardTermErrors({ ...terms, codeLifetimeDays: 0 }, "USD")).toHaveProperty(
      "codeLifetimeDays",
    );
    expect(
      rewardTermErrors(
        {
          ...credit,
          amount: null,
          minimumSubtotal: "10.00",
          codeLifetimeDays: 366,
          collections: [{ id: "gid://shopify/Collection/1", title: "Outdoor" }],
        },
        "USD",
      ),
    ).toEqual({
      amount: "Enter an amount in USD, greater than zero",
      minimumSubtotal: "Store credit has no minimum purchase; leave it empty",
      codeLifetimeDays:
        "Credit must last between 1 and 365 days, or 0 for credit that never expires",
      collections: "Store credit pays for anything in the shop; remove the collections",
    });
  });

  it("expire on a whole second, or never", () => {
    expect(rewardEndsAt(credit, now).toISOString()).toBe("2027-03-04T10:00:00.000Z");
    expect(rewardEndsAt({ ...credit, codeLifetimeDays: 0 }, now)).toEqual(NEVER);
    expect(
      storeCreditInput({ terms: credit, currency: "EUR", endsAt: rewardEndsAt(credit, now) }),
    ).toEqual({
      creditAmount: { amount: "5.00", currencyCode: "EUR" },
      expiresAt: "2027-03-04T10:00:00.000Z",
      notify: true,
    });
    expect(storeCreditInput({ terms: credit, currency: "EUR", endsAt: NEVER })).not.toHaveProperty(
      "expiresAt",
    );
  });

  it("carry a reference no checkout would take for a code", () => {
    const code = generateRewardCode(STORE_CREDIT_PREFIX);
    expect(isStoreCreditReference(code)).toBe(true);
    expect(isStoreCreditReference(generateRewardCode())).toBe(false);
  });
});

describe("finding the transaction a lost call made", () => {
  const since = new Date("2026-12-04T10:00:00Z");
  const expiresAt = new Date("2027-03-04T10:00:00Z");
  const tx = (over: Partial<CreditTransaction>): CreditTransaction => ({
    id: "gid://shopify/StoreCreditAccountCreditTransaction/1",
    kind: "credit",
    event: "ADJUSTMENT",
    amount: "5.0",
    createdAt: "2026-12-04T10:00:01Z",
    expiresAt: "2027-03-04T10:00:00Z",
    remaining: "5.0",
    ...over,
  });
  const wanted = {
    kind: "credit" as const,
    amountMinor: 500,
    currency: "USD",
    since,
    expiresAt,
    claimed: new Set<string>(),
  };

  it("takes the oldest credit of the amount and expiry made since the call", () => {
    const ours = tx({ id: "c2", createdAt: "2026-12-04T10:00:02Z" });
    const later = tx({ id: "c3", createdAt: "2026-12-04T10:00:05Z" });
    expect(ownTransaction([later, ours], wanted)?.id).toBe("c2");
  });

  it("skips other amounts, expiries, kinds, earlier credits and claimed ones", () => {
    const others = [
      tx({ id: "amount", amount: "5.01" }),
      tx({ id: "expiry", expiresAt: "2027-06-04T10:00:00Z" }),
      // A refund paid as store credit, and a checkout payment: never ours.
      tx({ id: "refund", event: "ORDER_REFUND" }),
      tx({ id: "payment", kind: "debit", event: "ORDER_PAYMENT", expiresAt: null }),
      tx({ id: "none", expiresAt: null }),
      tx({ id: "debit", kind: "debit", expiresAt: null }),
      tx({ id: "before", createdAt: "2026-12-04T09:50:00Z" }),
      tx({ id: "claimed" }),
    ];
    expect(ownTransaction(others, { ...wanted, claimed: new Set(["claimed"]) })).toBeNull();
    // A credit that never expires matches only one asked without an expiry.
    expect(ownTransaction(others, { ...wanted, expiresAt: null })?.id).toBe("none");
  });

  it("allows for a Shopify clock a little behind ours, and reads debits without their sign", () => {
    expect(ownTransaction([tx({ createdAt: "2026-12-04T09:59:00Z" })], wanted)).not.toBeNull();
    // An expiry Shopify kept less precisely than we sent it still matches.
    expect(ownTransaction([tx({ expiresAt: "2027-03-04T00:00:00Z" })], wanted)).not.toBeNull();
    expect(ownTransaction([tx({ amount: "not money" })], wanted)).toBeNull();
    const payment = tx({ kind: "debit", event: "ORDER_PAYMENT", expiresAt: null });
    expect(ownTransaction([payment], { ...wanted, kind: "debit" })).toBeNull();
    const debit = tx({ id: "d1", kind: "debit", amount: "-5.00", expiresAt: null });
    expect(ownTransaction([debit], { ...wanted, kind: "debit" })?.id).toBe("d1");
  });
});
