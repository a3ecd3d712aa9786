import type { EarnRule } from "./earning";
import { BASE_MULTIPLIER_PERCENT, pointsForSpend } from "./earning";
import type { SocialNetwork } from "./social";

/**
 * Every way a member earns points, one variant per rule. An event (an order paid, a signup) goes
 * through the shop's rules and each rule says what it adds: its contribution. An order stores
 * its contributions in its rule snapshot, so "explain this order" names each one and a later
 * refund or cancellation takes back exactly what was given, whatever the rules say by then.
 *
 * A new way to earn is a new variant here, with its own contribution.
 */
export type EarningRule =
  /** The program's earn rate on an order's spend. */
  | ({ kind: "ORDER_SPEND" } & EarnRule)
  /** The member's tier multiplies what spend earns. */
  | { kind: "TIER_MULTIPLIER"; tier: string; multiplierPercent: number }
  /** Points for joining, once. */
  | { kind: "SIGNUP_BONUS"; points: number }
  /** A running campaign multiplies what spend earns, on top of the tier (app/domain/campaigns.ts). */
  | {
      kind: "CAMPAIGN_MULTIPLIER";
      campaignId: string;
      campaign: string;
      multiplierPercent: number;
      /** Only the lines of these products (campaignProducts); null or absent: the whole order. */
      products?: ReadonlySet<string> | null;
      endsAt: Date;
    }
  /**
   * Points for something the shopper did that the merchant's automation reports (a product
   * review, an event attended) through the "Award loyalty points" Shopify Flow action; the
   * action says how many, up to the most one order may earn.
   */
  | { kind: "BONUS_ACTION"; maxPoints: number }
  /**
   * Points for the referrer when a friend they invited pays their first order with the welcome
   * code (`offer`: the name of the reward whose terms the code has; app/domain/referrals.ts).
   */
  | { kind: "REFERRAL"; points: number; offer: string }
  /** Points on the member's birthday, once a year (app/domain/birthdays.ts). */
  | { kind: "BIRTHDAY"; points: number }
  /** Points for answering the widget's NPS survey, at most once per interval (app/domain/nps.ts). */
  | { kind: "SURVEY"; points: number }
  /** Points for opening the shop's page on a network from the widget, once (app/domain/social.ts). */
  | { kind: "SOCIAL_FOLLOW"; network: SocialNetwork; label: string; points: number }
  /** A running campaign adds a fixed bonus to each order whose spend reaches its minimum. */
  | {
      kind: "CAMPAIGN_BONUS";
      campaignId: string;
      campaign: string;
      points: number;
      /**
       * Spend, in minor units, an order needs (on the campaign's products, when it has some); at
       * least 1 (an order with no spend earns nothing).
       */
      minimumMinor: number;
      products?: ReadonlySet<string> | null;
      endsAt: Date;
    };

/** Every kind, for code that reads stored contributions back (app/domain/snapshots.ts). */
export const EARNING_RULE_KINDS = [
  "ORDER_SPEND",
  "TIER_MULTIPLIER",
  "SIGNUP_BONUS",
  "CAMPAIGN_MULTIPLIER",
  "CAMPAIGN_BONUS",
  "BONUS_ACTION",
  "REFERRAL",
  "BIRTHDAY",
  "SURVEY",
  "SOCIAL_FOLLOW",
] as const;
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

/** What one order line adds to the earning basis (orderEarningBasis), for campaigns on products. */
export type EarningLine = { lineId: string; productId: string | null; basisMinor: number };

export type EarningEvent =
  | {
      type: "ORDER_PAID";
      basisMinor: number;
      currency: string;
      /** The lines that make up basisMinor; without them no campaign on products applies. */
      lines?: readonly EarningLine[];
    }
  | { type: "SIGNUP" }
  /** A merchant's automation awards `points` for an action (Shopify Flow). */
  | { type: "BONUS_ACTION"; points: number }
  /** A referred friend's first order was paid. */
  | { type: "REFERRAL" }
  /** The member's birthday came. */
  | { type: "BIRTHDAY" }
  /** The member answered the NPS survey. */
  | { type: "SURVEY" }
  /** The member opened the shop's page on a network. */
  | { type: "SOCIAL_FOLLOW"; network: SocialNetwork };

/**
 * What one rule gave for one event. Every contribution to an order follows its spend except a
 * campaign's fixed bonus: a refund takes back its share of the rest, and the bonus once the
 * spend left falls below the bonus's minimum (clawbackForRefund, fixedBonusOf).
 * A type, not an interface: snapshots keep contributions in a Json column.
 */
export type Contribution = {
  rule: EarningRuleKind;
  points: number;
  /** The tier a TIER_MULTIPLIER belongs to. */
  tier?: string;
  /** TIER_MULTIPLIER and CAMPAIGN_MULTIPLIER. */
  multiplierPercent?: number;
  /** The campaign (its name when the order was paid) of CAMPAIGN_MULTIPLIER and CAMPAIGN_BONUS. */
  campaignId?: string;
  campaign?: string;
  /** CAMPAIGN_BONUS: the spend (minor units) the order had to reach, and must keep. */
  minimumMinor?: number;
  /**
   * A campaign on some products: the order lines it counted and their spend (minor units). A
   * refund takes it back by what it refunds of those lines alone (clawbackForRefund).
   */
  lineIds?: string[];
  eligibleMinor?: number;
  /** SOCIAL_FOLLOW: the network. */
  network?: string;
};

/**
 * The contributions of `rules` to `event`: the earn rate first, then the tier's multiplier, then
 * a campaign's multiplier and a campaign's bonus.
 *
 * Spend is rounded once, on rate × multiplier × campaign, as it always was: each multiplier's
 * contribution is the rounded total with it minus the rounded total without it, so the
 * contributions add up to exactly that one rounding. A multiplier that adds nothing after
 * rounding is still listed: it tells the merchant why Gold earned no more than the base rate on a
 * small order.
 *
 * Campaigns do not stack: of the running ones, the multiplier that adds the most points applies
 * (the highest on a tie), and the largest bonus whose minimum the order reaches — the first listed
 * on a tie: campaignRules orders them. A campaign on some products counts the spend of their
 * lines only, for its multiplier and for its minimum.
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
    const tierPercent = tier?.multiplierPercent ?? BASE_MULTIPLIER_PERCENT;
    const withTier = spend(tierPercent);
    if (tier && tier.multiplierPercent !== BASE_MULTIPLIER_PERCENT) {
      contributions.push({
        rule: "TIER_MULTIPLIER",
        points: withTier - base,
        tier: tier.tier,
        multiplierPercent: tier.multiplierPercent,
      });
    }
    let multiplier: Contribution | undefined;
    let bonus: Contribution | undefined;
    for (const rule of rules) {
      if (rule.kind !== "CAMPAIGN_MULTIPLIER" && rule.kind !== "CAMPAIGN_BONUS") continue;
      const scope = campaignScope(rule.products ?? null, event);
      // A campaign on products the order does not have is not part of the order at all.
      if (scope.lineIds && scope.eligibleMinor <= 0) continue;
      const about = {
        campaignId: rule.campaignId,
        campaign: rule.campaign,
        ...(scope.lineIds && { lineIds: scope.lineIds, eligibleMinor: scope.eligibleMinor }),
      };
      if (rule.kind === "CAMPAIGN_MULTIPLIER") {
        if (rule.multiplierPercent <= BASE_MULTIPLIER_PERCENT) continue;
        const on = (percent: number) =>
          pointsForSpend(scope.eligibleMinor, event.currency, rate, tierPercent, percent);
        const points = on(rule.multiplierPercent) - on(BASE_MULTIPLIER_PERCENT);
        if (
          !multiplier ||
          points > multiplier.points ||
          (points === multiplier.points &&
            rule.multiplierPercent > (multiplier.multiplierPercent ?? 0))
        ) {
          multiplier = {
            rule: rule.kind,
            points,
            multiplierPercent: rule.multiplierPercent,
            ...about,
          };
        }
      } else {
        const minimumMinor = Math.max(1, rule.minimumMinor);
        if (scope.eligibleMinor >= minimumMinor && rule.points > (bonus?.points ?? 0)) {
          bonus = { rule: rule.kind, points: rule.points, minimumMinor, ...about };
        }
      }
    }
    if (multiplier) contributions.push(multiplier);
    if (bonus) contributions.push(bonus);
  } else if (event.type === "SIGNUP") {
    for (const rule of rules) {
      if (rule.kind === "SIGNUP_BONUS" && rule.points > 0) {
        contributions.push({ rule: "SIGNUP_BONUS", points: rule.points });
      }
    }
  } else if (event.type === "BIRTHDAY" || event.type === "SURVEY") {
    // Fixed points, as their rule says.
    const rule = rules.find((r) => r.kind === event.type);
    if (rule && "points" in rule && rule.points > 0)
      contributions.push({ rule: event.type, points: rule.points });
  } else if (event.type === "SOCIAL_FOLLOW") {
    const rule = rules.find(
      (r): r is Extract<EarningRule, { kind: "SOCIAL_FOLLOW" }> =>
        r.kind === "SOCIAL_FOLLOW" && r.network === event.network,
    );
    if (rule && rule.points > 0)
      contributions.push({ rule: "SOCIAL_FOLLOW", points: rule.points, network: event.network });
  } else if (event.type === "REFERRAL") {
    const rule = rules.find((r) => r.kind === "REFERRAL");
    if (rule && rule.points > 0) contributions.push({ rule: "REFERRAL", points: rule.points });
  } else {
    // Nothing rather than a capped amount: an automation asking for more than the merchant allows
    // one order to earn is misconfigured, and is told so (app/loyalty/bonus-actions.server.ts).
    const rule = rules.find((r) => r.kind === "BONUS_ACTION");
    if (rule && event.points > 0 && event.points <= rule.maxPoints) {
      contributions.push({ rule: "BONUS_ACTION", points: event.points });
    }
  }
  return contributions;
}

export function totalPoints(contributions: readonly Contribution[]): number {
  return contributions.reduce((sum, c) => sum + c.points, 0);
}

/**
 * An order's fixed bonus, which a refund does not take back by share: it stays while the spend
 * left reaches its minimum and goes whole when it no longer does (app/domain/clawback.ts).
 */
export function fixedBonusOf(
  contributions: readonly Contribution[] | undefined,
): { points: number; minimumMinor: number } | null {
  const bonus = contributions?.find((c) => c.rule === "CAMPAIGN_BONUS" && !c.lineIds);
  if (!bonus || bonus.points <= 0) return null;
  return { points: bonus.points, minimumMinor: Math.max(1, bonus.minimumMinor ?? 1) };
}

/**
 * The spend a campaign counts: the whole basis, or the lines of its products (with their ids, so a
 * refund can tell which of its lines it takes back).
 */
function campaignScope(
  products: ReadonlySet<string> | null,
  event: Extract<EarningEvent, { type: "ORDER_PAID" }>,
): { eligibleMinor: number; lineIds?: string[] } {
  if (!products) return { eligibleMinor: event.basisMinor };
  const lines = (event.lines ?? []).filter(
    (line) => line.productId !== null && products.has(line.productId) && line.basisMinor > 0,
  );
  return {
    eligibleMinor: lines.reduce((sum, line) => sum + line.basisMinor, 0),
    lineIds: lines.map((line) => line.lineId),
  };
}

/** An order's contributions from campaigns on some products, which refunds take back line by line. */
export function scopedContributionsOf(
  contributions: readonly Contribution[] | undefined,
): Contribution[] {
  return (contributions ?? []).filter((c) => c.lineIds !== undefined && c.points > 0);
}
