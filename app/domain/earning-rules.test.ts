import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Rounding } from "./earning";
import { pointsForSpend } from "./earning";
import type { EarningRule } from "./earning-rules";
import { contributionsFor, totalPoints } from "./earning-rules";

const rate = (earnPoints = 1, perAmount = "1", rounding: Rounding = "DOWN"): EarningRule => ({
  kind: "ORDER_SPEND",
  earnPoints,
  perAmount,
  rounding,
});
const gold: EarningRule = { kind: "TIER_MULTIPLIER", tier: "Gold", multiplierPercent: 150 };
const paid = (basisMinor: number, currency = "USD") =>
  ({ type: "ORDER_PAID", basisMinor, currency }) as const;

describe("earning rules", () => {
  it("an order without a tier earns at the rate alone", () => {
    expect(contributionsFor([rate()], paid(4599))).toEqual([{ rule: "ORDER_SPEND", points: 45 }]);
  });

  it("a tier's multiplier contributes what it adds to the rate, rounded once on the whole", () => {
    const contributions = contributionsFor([rate(), gold], paid(4599));
    // 45.99 × 1.5 = 68.985 → 68: 45 from the rate, 23 from Gold (not 45 + floor(22.995) = 67).
    expect(contributions).toEqual([
      { rule: "ORDER_SPEND", points: 45 },
      { rule: "TIER_MULTIPLIER", points: 23, tier: "Gold", multiplierPercent: 150 },
    ]);
    expect(totalPoints(contributions)).toBe(68);
  });

  it("lists a multiplier that adds nothing after rounding, and leaves out a 1× tier", () => {
    expect(contributionsFor([rate(), gold], paid(150))).toEqual([
      { rule: "ORDER_SPEND", points: 1 },
      { rule: "TIER_MULTIPLIER", points: 1, tier: "Gold", multiplierPercent: 150 },
    ]);
    expect(contributionsFor([rate(), gold], paid(100))).toEqual([
      { rule: "ORDER_SPEND", points: 1 },
      { rule: "TIER_MULTIPLIER", points: 0, tier: "Gold", multiplierPercent: 150 },
    ]);
    const bronze: EarningRule = { kind: "TIER_MULTIPLIER", tier: "Bronze", multiplierPercent: 100 };
    expect(contributionsFor([rate(), bronze], paid(4599))).toEqual([
      { rule: "ORDER_SPEND", points: 45 },
    ]);
  });

  it("adds up to the single rounding of rate × multiplier, in every rounding mode", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -100, max: 10_000_000 }),
        fc.integer({ min: 0, max: 50 }),
        fc.constantFrom("0.01", "1", "2.50", "10"),
        fc.constantFrom<Rounding>("DOWN", "NEAREST", "UP"),
        fc.integer({ min: 50, max: 500 }),
        (basis, earnPoints, perAmount, rounding, multiplierPercent) => {
          const rule = rate(earnPoints, perAmount, rounding);
          const tier: EarningRule = { kind: "TIER_MULTIPLIER", tier: "T", multiplierPercent };
          const contributions = contributionsFor([rule, tier], paid(basis));
          expect(totalPoints(contributions)).toBe(
            pointsForSpend(basis, "USD", { earnPoints, perAmount, rounding }, multiplierPercent),
          );
        },
      ),
    );
  });

  it("the signup bonus contributes to a signup, not to an order, and nothing when zero", () => {
    const rules: EarningRule[] = [rate(), gold, { kind: "SIGNUP_BONUS", points: 200 }];
    expect(contributionsFor(rules, { type: "SIGNUP" })).toEqual([
      { rule: "SIGNUP_BONUS", points: 200 },
    ]);
    expect(totalPoints(contributionsFor(rules, paid(1000)))).toBe(15);
    expect(contributionsFor([{ kind: "SIGNUP_BONUS", points: 0 }], { type: "SIGNUP" })).toEqual([]);
  });
});
