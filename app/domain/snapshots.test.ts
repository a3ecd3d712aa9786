import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import type { RuleSnapshot } from "./earning";
import type { RewardTerms } from "./rewards";
import { refundLinesSchema, rewardTerms, ruleSnapshot, stringListSchema } from "./snapshots";

// As app/loyalty/orders.server.ts writes it for a Gold member on a tax-inclusive EUR order.
const storedRule: RuleSnapshot = {
  earnPoints: 1,
  perAmount: "1",
  rounding: "DOWN",
  multiplierPercent: 150,
  tier: "Gold",
  basisMinor: 4599,
  currency: "EUR",
  taxesIncluded: true,
  pendingDays: 14,
  giftCardsMinor: 2500,
  taxRemovedMinor: 767,
  contributions: [
    { rule: "ORDER_SPEND", points: 29 },
    { rule: "TIER_MULTIPLIER", points: 14, tier: "Gold", multiplierPercent: 150 },
  ],
};

const storedTerms: RewardTerms = {
  name: "€5 off",
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

function issuePaths(read: () => unknown): string[] {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(ZodError);
    return (error as ZodError).issues.map((issue) => issue.path.join("."));
  }
  throw new Error("expected the stored value to be rejected");
}

describe("reading a stored rule snapshot", () => {
  it("gives back the rule as it was written", () => {
    expect(ruleSnapshot(structuredClone(storedRule))).toEqual(storedRule);
  });

  it("reads every rounding mode the earning rule offers", () => {
    for (const rounding of ["DOWN", "NEAREST", "UP"] as const) {
      expect(ruleSnapshot({ ...storedRule, rounding })?.rounding).toBe(rounding);
    }
  });

  it("accepts a snapshot written before the line-by-line basis", () => {
    const { giftCardsMinor: _g, taxRemovedMinor: _t, contributions: _c, ...older } = storedRule;
    expect(ruleSnapshot(older)).toEqual(older);
  });

  // Contributions only explain the points; the rest of the snapshot is what refunds need.
  it("leaves out each contribution it cannot read, and keeps the rest and the rule", () => {
    const later = {
      ...storedRule,
      contributions: [{ rule: "A_LATER_KIND", points: 100 }, ...storedRule.contributions!, "junk"],
    };
    expect(ruleSnapshot(later)).toEqual(storedRule);
    const { contributions: _c, ...rest } = storedRule;
    expect(ruleSnapshot({ ...storedRule, contributions: "not a list" })).toEqual(rest);
  });

  // Orders that never earned (skipped, awaiting payment) have no rule: the column is NULL, and a
  // JSON column read through some drivers comes back undefined instead.
  it("reads a missing rule as no rule", () => {
    expect(ruleSnapshot(null)).toBeNull();
    expect(ruleSnapshot(undefined)).toBeNull();
  });

  it("names the field a hand-edited or outdated row gets wrong", () => {
    expect(issuePaths(() => ruleSnapshot({ ...storedRule, rounding: "HALF_UP" }))).toEqual([
      "rounding",
    ]);
    expect(issuePaths(() => ruleSnapshot({ ...storedRule, perAmount: 1 }))).toEqual(["perAmount"]);
    expect(issuePaths(() => ruleSnapshot({ ...storedRule, multiplierPercent: 1.5 }))).toEqual([
      "multiplierPercent",
    ]);
    const { pendingDays: _p, ...withoutPendingDays } = storedRule;
    expect(issuePaths(() => ruleSnapshot(withoutPendingDays))).toEqual(["pendingDays"]);
  });

  it("rejects something that is not a rule at all", () => {
    expect(issuePaths(() => ruleSnapshot("DOWN"))).toEqual([""]);
    expect(issuePaths(() => ruleSnapshot({}))).toHaveLength(9);
  });
});

describe("reading stored reward terms", () => {
  it("gives back the terms as they were when the code was issued", () => {
    expect(rewardTerms(structuredClone(storedTerms))).toEqual(storedTerms);
    const freeShipping: RewardTerms = {
      ...storedTerms,
      name: "Free shipping",
      type: "FREE_SHIPPING",
      amount: null,
      minimumSubtotal: null,
    };
    expect(rewardTerms(freeShipping)).toEqual(freeShipping);
    const tenPercent: RewardTerms = {
      ...storedTerms,
      name: "10% off",
      type: "PERCENTAGE",
      amount: null,
      percentage: 10,
    };
    expect(rewardTerms(tenPercent)).toEqual(tenPercent);
  });

  it("names the field that is wrong", () => {
    expect(issuePaths(() => rewardTerms({ ...storedTerms, type: "BUY_X_GET_Y" }))).toEqual([
      "type",
    ]);
    expect(issuePaths(() => rewardTerms({ ...storedTerms, pointsCost: "500" }))).toEqual([
      "pointsCost",
    ]);
    // A missing reward is an error here, not a null: every redemption stored its terms.
    expect(issuePaths(() => rewardTerms(null))).toEqual([""]);
  });
});

describe("reading stored lists", () => {
  it("reads refund lines and gift-card line ids", () => {
    const lines = [
      { lineId: "14312345678901", quantity: 1, subtotalMinor: 2500, taxMinor: 0, giftCard: true },
      { lineId: "14312345678902", quantity: 2, subtotalMinor: 4000, taxMinor: 667, giftCard: null },
    ];
    expect(refundLinesSchema.parse(lines)).toEqual(lines);
    expect(stringListSchema.parse(["14312345678901"])).toEqual(["14312345678901"]);
  });

  it("rejects a refund line with a fractional amount", () => {
    expect(
      issuePaths(() =>
        refundLinesSchema.parse([
          {
            lineId: "14312345678901",
            quantity: 1,
            subtotalMinor: 25.5,
            taxMinor: 0,
            giftCard: false,
          },
        ]),
      ),
    ).toEqual(["0.subtotalMinor"]);
  });
});
