import type { EarningRule } from "./earning-rules";
import { BASE_MULTIPLIER_PERCENT } from "./earning";
import { toMinorUnits } from "./money";

/**
 * Campaigns: "double points this weekend", "100 bonus points on orders over $50 until Sunday".
 * Each is a time window in which paid orders earn more, for every member or the members of some
 * tiers, on the whole order or only on the lines of some products or collections. What they add
 * is a contribution of the order (app/domain/earning-rules.ts), so "explain this order" names the
 * campaign and a refund takes back what it gave.
 */

export type CampaignKind = "MULTIPLIER" | "BONUS";

export interface Campaign {
  id: string;
  name: string;
  kind: CampaignKind;
  /** MULTIPLIER: 200 = double points. */
  multiplierPercent: number | null;
  /** BONUS: points per qualifying order. */
  bonusPoints: number | null;
  /** BONUS: decimal string in the shop currency an order's earning basis must reach. */
  minimumSpend: string | null;
  /** Members of these tiers only; empty = every member. */
  tierIds: readonly string[];
  /**
   * Lines of these products only, together with the products of these collections, as the
   * merchant picked them (gids, and titles to show); both empty = the whole order.
   */
  products: readonly PickedResource[];
  collections: readonly PickedResource[];
  /**
   * The products of `collections` when the app last read them from Shopify (order payloads do
   * not say which collections a line's product is in; app/loyalty/campaign-collections.server.ts).
   */
  collectionProductIds: readonly string[];
  startsAt: Date;
  /** Exclusive. */
  endsAt: Date;
  enabled: boolean;
}

/** A product or collection the merchant picked in the admin. */
export type PickedResource = { id: string; title: string };

export type CampaignStatus = "SCHEDULED" | "ACTIVE" | "ENDED" | "OFF";

/** How the admin shows a status (a Polaris Badge's words and tone). */
export const CAMPAIGN_STATUS_BADGES: Record<
  CampaignStatus,
  { label: string; tone?: "success" | "info" }
> = {
  ACTIVE: { label: "Running", tone: "success" },
  SCHEDULED: { label: "Scheduled", tone: "info" },
  OFF: { label: "Off" },
  ENDED: { label: "Ended" },
};

export function campaignStatus(
  campaign: Pick<Campaign, "startsAt" | "endsAt" | "enabled">,
  now: Date,
): CampaignStatus {
  if (now >= campaign.endsAt) return "ENDED";
  if (!campaign.enabled) return "OFF";
  return now < campaign.startsAt ? "SCHEDULED" : "ACTIVE";
}

/**
 * The campaigns running at `at` for a member of `tierId` (null: in no tier) as earning rules,
 * oldest start first so that a tie between two equal offers always goes the same way. `at` is
 * when the order was paid, not when its webhook arrived: an order paid on Sunday 23:59 earns the
 * weekend's double points even if Shopify delivers it on Monday.
 */
export function campaignRules(
  campaigns: readonly Campaign[],
  at: Date,
  tierId: string | null,
  currency: string,
): EarningRule[] {
  return campaigns
    .filter(
      (c) =>
        campaignStatus(c, at) === "ACTIVE" &&
        (c.tierIds.length === 0 || (tierId !== null && c.tierIds.includes(tierId))),
    )
    .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || a.id.localeCompare(b.id))
    .flatMap((c): EarningRule[] => {
      const products = campaignProducts(c);
      if (c.kind === "MULTIPLIER") {
        const multiplierPercent = c.multiplierPercent ?? BASE_MULTIPLIER_PERCENT;
        if (multiplierPercent <= BASE_MULTIPLIER_PERCENT) return [];
        return [
          {
            kind: "CAMPAIGN_MULTIPLIER",
            campaignId: c.id,
            campaign: c.name,
            multiplierPercent,
            products,
            endsAt: c.endsAt,
          },
        ];
      }
      const points = c.bonusPoints ?? 0;
      const minimumMinor = minimumMinorOf(c.minimumSpend, currency);
      // A minimum the currency cannot hold (saved before the shop's first order taught the
      // program its currency) is one no order can be shown to reach.
      if (points <= 0 || minimumMinor === null) return [];
      return [
        {
          kind: "CAMPAIGN_BONUS",
          campaignId: c.id,
          campaign: c.name,
          points,
          minimumMinor,
          products,
          endsAt: c.endsAt,
        },
      ];
    });
}

/**
 * Kept per campaign object: the shop's settings copy is shared and never changed (a change loads
 * a new copy), and collections can hold tens of thousands of products, so the set is built once
 * per copy rather than on every order and widget load.
 */
const productSets = new WeakMap<object, ReadonlySet<string> | null>();

/** The products whose lines a campaign counts, or null for every line of the order. */
export function campaignProducts(
  c: Pick<Campaign, "products" | "collections" | "collectionProductIds">,
): ReadonlySet<string> | null {
  const known = productSets.get(c);
  if (known !== undefined) return known;
  const products =
    c.products.length === 0 && c.collections.length === 0
      ? null
      : new Set([...c.products.map((p) => p.id), ...c.collectionProductIds]);
  productSets.set(c, products);
  return products;
}

function minimumMinorOf(minimumSpend: string | null, currency: string): number | null {
  if (!minimumSpend) return 1;
  try {
    return Math.max(1, toMinorUnits(minimumSpend, currency));
  } catch {
    return null;
  }
}
