import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Rounding } from "./earning";
import { pointsForSpend } from "./earning";
import type { EarningRule } from "./earning-rules";
import {
  contributionsFor,
  fixedBonusOf,
  scopedContributionsOf,
  totalPoints,
} from "./earning-rules";

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

  const ends = new Date("2026-12-07T00:00:00Z");
  const double = (multiplierPercent = 200, campaign = "Double"): EarningRule => ({
    kind: "CAMPAIGN_MULTIPLIER",
    campaignId: campaign.toLowerCase(),
    campaign,
    multiplierPercent,
    endsAt: ends,
  });
  const bonus = (points: number, minimumMinor = 1, campaign = "Bonus"): EarningRule => ({
    kind: "CAMPAIGN_BONUS",
    campaignId: campaign.toLowerCase(),
    campaign,
    points,
    minimumMinor,
    endsAt: ends,
  });

  it("a campaign multiplies on top of the tier, its share rounded once on the whole", () => {
    // 10.01 × 1.5 × 2 = 30.03 → 30; the tier's share of 15.015 → 15 is 5, the campaign's 15.
    expect(contributionsFor([rate(), gold, double()], paid(1001))).toEqual([
      { rule: "ORDER_SPEND", points: 10 },
      { rule: "TIER_MULTIPLIER", points: 5, tier: "Gold", multiplierPercent: 150 },
      {
        rule: "CAMPAIGN_MULTIPLIER",
        points: 15,
        campaignId: "double",
        campaign: "Double",
        multiplierPercent: 200,
      },
    ]);
  });

  it("campaigns do not stack: the highest multiplier, the largest bonus the order reaches", () => {
    const rules = [
      rate(),
      double(150, "A"),
      double(300, "B"),
      bonus(50, 1, "C"),
      bonus(200, 10_000, "D"),
    ];
    expect(contributionsFor(rules, paid(6000)).map((c) => [c.rule, c.campaign, c.points])).toEqual([
      ["ORDER_SPEND", undefined, 60],
      ["CAMPAIGN_MULTIPLIER", "B", 120],
      ["CAMPAIGN_BONUS", "C", 50],
    ]);
    expect(totalPoints(contributionsFor(rules, paid(10_000)))).toBe(100 + 200 + 200);
    // Equal offers: the first listed (campaignRules lists the earliest start first).
    expect(
      contributionsFor([rate(), bonus(50, 1, "E"), bonus(50, 1, "F")], paid(100))[1],
    ).toMatchObject({
      campaign: "E",
    });
  });

  describe("on some products", () => {
    const tote = "gid://shopify/Product/1";
    const mug = "gid://shopify/Product/2";
    // $40 tote, $25 mug, $10 custom line with no product.
    const order = {
      ...paid(7500),
      lines: [
        { lineId: "l1", productId: tote, basisMinor: 4000 },
        { lineId: "l2", productId: mug, basisMinor: 2500 },
        { lineId: "l3", productId: null, basisMinor: 1000 },
      ],
    };
    const on = (rule: EarningRule, ...products: string[]) =>
      ({ ...rule, products: new Set(products) }) as EarningRule;

    it("multiplies only the spend of their lines, and names the lines", () => {
      // 75 from the rate; the tote's $40 doubled adds 40 (× 1.5 tier: 60 → 120 adds 60).
      expect(contributionsFor([rate(), on(double(), tote)], order)).toEqual([
        { rule: "ORDER_SPEND", points: 75 },
        {
          rule: "CAMPAIGN_MULTIPLIER",
          points: 40,
          campaignId: "double",
          campaign: "Double",
          multiplierPercent: 200,
          lineIds: ["l1"],
          eligibleMinor: 4000,
        },
      ]);
      expect(contributionsFor([rate(), gold, on(double(), tote)], order).at(-1)).toMatchObject({
        points: 60,
      });
    });

    it("measure a bonus's minimum on their lines alone", () => {
      const rule = on(bonus(100, 5000), tote, mug);
      expect(contributionsFor([rate(), rule], order).at(-1)).toMatchObject({
        rule: "CAMPAIGN_BONUS",
        points: 100,
        minimumMinor: 5000,
        lineIds: ["l1", "l2"],
        eligibleMinor: 6500,
      });
      // $75 order, but only $40 of it on the products.
      expect(contributionsFor([rate(), on(bonus(100, 5000), tote)], order)).toHaveLength(1);
    });

    it("are left out of an order without their products, or without lines", () => {
      const hat = "gid://shopify/Product/9";
      expect(contributionsFor([rate(), on(double(), hat), on(bonus(10), hat)], order)).toEqual([
        { rule: "ORDER_SPEND", points: 75 },
      ]);
      expect(contributionsFor([rate(), on(double(), tote)], paid(7500))).toHaveLength(1);
    });

    it("compete with whole-order campaigns on the points they add", () => {
      // Triple on the tote ($40: +80) beats 1.5× on the whole order ($75: +37).
      const rules = [rate(), double(150, "Whole"), on(double(300, "Tote"), tote)];
      expect(contributionsFor(rules, order).at(-1)).toMatchObject({ campaign: "Tote", points: 80 });
      // 2× on the whole order (+75) beats triple on the mug ($25: +50).
      const other = [rate(), double(200, "Whole"), on(double(300, "Mug"), mug)];
      expect(contributionsFor(other, order).at(-1)).toMatchObject({
        campaign: "Whole",
        points: 75,
      });
    });

    it("is not a whole-order bonus for the refund rules", () => {
      const contributions = contributionsFor([rate(), on(bonus(100), tote)], order);
      expect(fixedBonusOf(contributions)).toBeNull();
      expect(scopedContributionsOf(contributions)).toEqual([contributions[1]]);
    });
  });

  it("a bonus needs spend: an order that earns on nothing gets none", () => {
    expect(contributionsFor([rate(), bonus(100)], paid(0))).toEqual([
      { rule: "ORDER_SPEND", points: 0 },
    ]);
    expect(contributionsFor([rate(), bonus(100, 5000)], paid(4999))).toHaveLength(1);
    expect(contributionsFor([rate(), bonus(100, 5000)], paid(5000))).toHaveLength(2);
  });

  it("with a campaign, adds up to the single rounding of rate × tier × campaign, plus the bonus", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 50 }),
        fc.constantFrom("0.01", "1", "2.50", "10"),
        fc.constantFrom<Rounding>("DOWN", "NEAREST", "UP"),
        fc.integer({ min: 100, max: 500 }),
        fc.integer({ min: 101, max: 1000 }),
        fc.integer({ min: 0, max: 1000 }),
        (basis, earnPoints, perAmount, rounding, tierPercent, campaignPercent, bonusPoints) => {
          const rule = rate(earnPoints, perAmount, rounding);
          const tier: EarningRule = {
            kind: "TIER_MULTIPLIER",
            tier: "T",
            multiplierPercent: tierPercent,
          };
          const rules = [
            rule,
            tier,
            double(campaignPercent),
            ...(bonusPoints ? [bonus(bonusPoints)] : []),
          ];
          const contributions = contributionsFor(rules, paid(basis));
          const spend = pointsForSpend(
            basis,
            "USD",
            { earnPoints, perAmount, rounding },
            tierPercent,
            campaignPercent,
          );
          expect(totalPoints(contributions)).toBe(spend + (basis > 0 ? bonusPoints : 0));
          expect(fixedBonusOf(contributions)?.points ?? 0).toBe(basis > 0 ? bonusPoints : 0);
        },
      ),
    );
  });

  it("a bonus action gives what the automation asks, up to the most one order may earn", () => {
    const rules: EarningRule[] = [rate(), gold, { kind: "BONUS_ACTION", maxPoints: 500 }];
    expect(contributionsFor(rules, { type: "BONUS_ACTION", points: 50 })).toEqual([
      { rule: "BONUS_ACTION", points: 50 },
    ]);
    expect(contributionsFor(rules, { type: "BONUS_ACTION", points: 500 })).toHaveLength(1);
    // Not capped: an automation asking for more than allowed is misconfigured and told so.
    expect(contributionsFor(rules, { type: "BONUS_ACTION", points: 501 })).toEqual([]);
    expect(contributionsFor(rules, { type: "BONUS_ACTION", points: 0 })).toEqual([]);
    expect(contributionsFor([rate()], { type: "BONUS_ACTION", points: 50 })).toEqual([]);
    // Nor does it give anything to an order or a signup.
    expect(totalPoints(contributionsFor(rules, paid(1000)))).toBe(15);
  });
});
