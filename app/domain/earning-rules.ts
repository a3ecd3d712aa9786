import type { EarnRule } from "./earning";
import { BASE_MULTIPLIER_PERCENT, pointsForSpend } from "./earning";

/**
 * Every way a member earns points, one variant per rule. An event (an order paid, a signup) goes
 * through the shop's rules and each rule says what it adds: its contribution. An order stores
 * its contributions in its rule snapshot, so "explain this order" names each one and a later
 * refund or cancellation takes back exactly what was given, whatever the rules say by then.
 *
 * New ways to earn (birthday, referral, campaigns, merchant-defined actions; issue #12) are new
 * variants here, each with its own contribution.
 */
export type EarningRule =
  /** The program's earn rate on an order's spend. */
  | ({ kind: "ORDER_SPEND" } & EarnRule)
  /** The member's tier multiplies what spend earns. */
  | { kind: "TIER_MULTIPLIER"; tier: string; multiplierPercent: number }
  /** Points for joining, once. */
  | { kind: "SIGNUP_BONUS"; points: number };

/** Every kind, for code that reads stored contributions back (app/domain/snapshots.ts). */
export const EARNING_RULE_KINDS = ["ORDER_SPEND", "TIER_MULTIPLIER", "SIGNUP_BONUS"] as const;
export type EarningRuleKind = (typeof EARNING_RULE_KINDS)[number];
// A variant added to the union without its kind in the list fails to compile here, and the
// other way round.
const everyKindListed: [EarningRule["kind"], EarningRuleKind] extends [
  EarningRuleKind,
  EarningRule["kind"],
]
  ? true
  : never = true;
void everyKindListed;

export type EarningEvent =
  { type: "ORDER_PAID"; basisMinor: number; currency: string } | { type: "SIGNUP" };

/**
 * What one rule gave for one event. Every contribution to an order so far follows its spend, so
 * taking back the refunded share of the order's total (clawbackForRefund) takes back that share
 * of what the rules gave together; refunds work on the total and do not read contributions.
 * A type, not an interface: snapshots keep contributions in a Json column.
 */
export type Contribution = {
  rule: EarningRuleKind;
  points: number;
  /** The tier a TIER_MULTIPLIER belongs to. */
  tier?: string;
  multiplierPercent?: number;
};

/**
 * The contributions of `rules` to `event`: the earn rate first, then the tier's multiplier.
 *
 * Spend is rounded once, on rate × multiplier, as it always was: the multiplier's contribution is
 * the rounded total with it minus the rounded total without it, so the contributions add up to
 * exactly that one rounding. A multiplier that adds nothing after rounding is still listed: it
 * tells the merchant why Gold earned no more than the base rate on a small order.
 */
export function contributionsFor(
  rules: readonly EarningRule[],
  event: EarningEvent,
): Contribution[] {
  const contributions: Contribution[] = [];
  if (event.type === "ORDER_PAID") {
    const rate = rules.find((rule) => rule.kind === "ORDER_SPEND");
    if (!rate) return contributions;
    const spend = (percent: number) =>
      pointsForSpend(event.basisMinor, event.currency, rate, percent);
    const base = spend(BASE_MULTIPLIER_PERCENT);
    contributions.push({ rule: "ORDER_SPEND", points: base });
    const tier = rules.find((rule) => rule.kind === "TIER_MULTIPLIER");
    if (tier && tier.multiplierPercent !== BASE_MULTIPLIER_PERCENT) {
      contributions.push({
        rule: "TIER_MULTIPLIER",
        points: spend(tier.multiplierPercent) - base,
        tier: tier.tier,
        multiplierPercent: tier.multiplierPercent,
      });
    }
  } else {
    for (const rule of rules) {
      if (rule.kind === "SIGNUP_BONUS" && rule.points > 0) {
        contributions.push({ rule: "SIGNUP_BONUS", points: rule.points });
      }
    }
  }
  return contributions;
}

export function totalPoints(contributions: readonly Contribution[]): number {
  return contributions.reduce((sum, c) => sum + c.points, 0);
}
