/**
 * Shared by the tier-perks Discount Function (compiled to WebAssembly by Shopify CLI) and the
 * app, which writes the config this reads. Plain TypeScript only: no imports, no Node or DOM
 * APIs, so the same file runs inside Javy and inside the Remix server.
 */

/** Where the app stores the config on the automatic app discount (type `json`). */
export const TIER_PERKS_METAFIELD = { namespace: "$app", key: "tier-perks" } as const;

/** Where the app stores each member's tier name on the customer (type `single_line_text_field`). */
export const CUSTOMER_TIER_METAFIELD = { namespace: "$app", key: "tier" } as const;

export const TIER_PERKS_CONFIG_VERSION = 1;

export interface TierPerkEntry {
  /** Percent off the order subtotal, 1–100; absent or null for none. */
  percentage?: number | null;
  freeShipping?: boolean;
}

export interface TierPerksConfig {
  version: typeof TIER_PERKS_CONFIG_VERSION;
  tiers: Record<string, TierPerkEntry>;
}

/** What a buyer of a configured tier gets. */
export interface TierPerk {
  tier: string;
  percentage: number | null;
  freeShipping: boolean;
}

export interface TierPerkSource {
  name: string;
  perkPercent: number | null;
  perkFreeShipping: boolean;
}

/** The part of both input queries that identifies the buyer's tier. */
export interface BuyerTierCart {
  buyerIdentity?: {
    customer?: { metafield?: { value?: string | null } | null } | null;
  } | null;
}

function isPercentage(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= 1 && value <= 100;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Builds the discount metafield value from the app's tiers. Throws on a value the function would
 * ignore, so a bad tier fails when the merchant saves it instead of silently giving no discount
 * at checkout.
 */
export function tierPerksConfig(tiers: readonly TierPerkSource[]): TierPerksConfig {
  const entries: Array<[string, TierPerkEntry]> = [];
  const seen = new Set<string>();
  for (const tier of tiers) {
    if (seen.has(tier.name)) throw new Error(`Duplicate tier name: ${JSON.stringify(tier.name)}`);
    seen.add(tier.name);
    if (tier.perkPercent !== null && !isPercentage(tier.perkPercent)) {
      throw new RangeError(
        `Tier ${JSON.stringify(tier.name)}: perkPercent must be 1–100 or null, got ${tier.perkPercent}`,
      );
    }
    if (tier.perkPercent === null && !tier.perkFreeShipping) continue;
    const entry: TierPerkEntry = {};
    if (tier.perkPercent !== null) entry.percentage = tier.perkPercent;
    if (tier.perkFreeShipping) entry.freeShipping = true;
    entries.push([tier.name, entry]);
  }
  // fromEntries defines own properties, so a tier named "__proto__" cannot reach the prototype.
  return { version: TIER_PERKS_CONFIG_VERSION, tiers: Object.fromEntries(entries) };
}

/**
 * The perk for `tierName` in a config read from the metafield's `jsonValue`, or null. Anything
 * unexpected means no discount: a function that throws fails the whole discount at checkout, and
 * a config written by a newer app version must not be half-understood by an older function.
 */
export function findTierPerk(
  config: unknown,
  tierName: string | null | undefined,
): TierPerk | null {
  if (typeof tierName !== "string" || tierName === "") return null;
  if (!isRecord(config) || config.version !== TIER_PERKS_CONFIG_VERSION) return null;
  const tiers = config.tiers;
  // hasOwn: a tier called "constructor" must not match Object.prototype.
  if (!isRecord(tiers) || !Object.hasOwn(tiers, tierName)) return null;
  const entry = tiers[tierName];
  if (!isRecord(entry)) return null;

  const { percentage, freeShipping } = entry;
  if (percentage !== undefined && percentage !== null && !isPercentage(percentage)) return null;
  if (freeShipping !== undefined && typeof freeShipping !== "boolean") return null;
  return {
    tier: tierName,
    percentage: percentage ?? null,
    freeShipping: freeShipping ?? false,
  };
}

/** The tier name the app wrote on the signed-in customer, or null for guests and non-members. */
export function buyerTier(cart: BuyerTierCart | null | undefined): string | null {
  const value = cart?.buyerIdentity?.customer?.metafield?.value;
  return typeof value === "string" && value !== "" ? value : null;
}
