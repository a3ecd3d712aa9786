import { localDateTime } from "./time-zones";

/**
 * What a member looks like in Shopify: app-owned customer metafields (namespace `$app`, declared
 * in shopify.app.toml, so themes, Flow, segments and discounts can read them) and, optionally, a
 * tier tag. The worker writes them (app/loyalty/customer-sync.server.ts).
 */

export const CUSTOMER_METAFIELDS = {
  points_balance: "number_integer",
  tier: "single_line_text_field",
  points_expire_on: "date",
} as const;

export type CustomerMetafieldKey = keyof typeof CUSTOMER_METAFIELDS;

/** metafieldsSet takes at most 25 metafields a call: that many members' three at once. */
export const MEMBERS_PER_CALL = Math.floor(25 / Object.keys(CUSTOMER_METAFIELDS).length);

/** Each metafield's value as Shopify stores it; null: the metafield should not exist. */
export function customerMetafieldValues(
  member: { balance: number; tierName: string | null; expiresAt: Date | null },
  timeZone: string,
): Record<CustomerMetafieldKey, string | null> {
  return {
    points_balance: String(member.balance),
    tier: member.tierName || null,
    // The day the shopper reads, on the shop's calendar.
    points_expire_on: member.expiresAt
      ? localDateTime(member.expiresAt, timeZone).slice(0, 10)
      : null,
  };
}

/**
 * "Gold" → "loyalty-gold", "VIP Club (2026)" → "loyalty-vip-club-2026": a tag segments and
 * discounts can match, lower case, letters and digits (of any script, accents kept) joined by
 * dashes.
 */
export function tierTag(tierName: string | null): string | null {
  if (!tierName) return null;
  const slug = tierName
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "");
  return slug ? `loyalty-${slug}`.slice(0, 40) : null;
}
