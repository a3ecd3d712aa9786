/**
 * Refer a friend: the rules, without the database. A member shares a link; a friend who opens it
 * gets a single-use welcome code (the terms of a reward the merchant picks); when the friend's
 * first order is paid with that code the referrer earns points, pending for a while, and loses
 * them if the order is cancelled or fully refunded in that time. docs/engagement.md.
 */

/** Welcome codes start with this, so an order without one costs no referral lookup. */
export const WELCOME_CODE_PREFIX = "FRIEND";

/** Welcome codes one referrer's link may hand out per rolling day: a farm of made-up emails stops. */
export const WELCOME_CODES_PER_DAY = 20;

/** The window of the program's "referrals per month" cap. */
export const REFERRAL_CAP_WINDOW_DAYS = 30;

// No 0/O, 1/I/L, as reward codes: the link gets read aloud and typed from phones.
const LINK_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz";

/** The code in a member's referral link: 10 symbols (~50 bits), lower case as URLs are. */
export function referralLinkCode(
  random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b),
): string {
  const limit = 256 - (256 % LINK_ALPHABET.length);
  let code = "";
  while (code.length < 10) {
    for (const byte of random(new Uint8Array(16))) {
      if (byte < limit && code.length < 10) code += LINK_ALPHABET[byte % LINK_ALPHABET.length];
    }
  }
  return code;
}

/** A link code as it may arrive in a URL; anything else is not one of ours. */
export function isReferralLinkCode(value: string): boolean {
  return /^[2-9a-hjkmnp-z]{10}$/.test(value);
}

/** The welcome code an order used, if any: checkout upper-cases codes, merchants may not. */
export function welcomeCodeIn(codes: readonly string[]): string | null {
  for (const code of codes) {
    const upper = code.trim().toUpperCase();
    if (upper.startsWith(`${WELCOME_CODE_PREFIX}-`)) return upper;
  }
  return null;
}

/** Emails compare case-insensitively and without surrounding spaces. */
export function normalEmail(value: string | null | undefined): string | null {
  const email = (value ?? "").trim().toLowerCase();
  return email || null;
}

/** Enough of a check for a form: one @, something either side, a dot in the domain, no spaces. */
export function isEmail(value: string): boolean {
  return value.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
}

export interface Address {
  address1?: string | null;
  address2?: string | null;
  zip?: string | null;
  country_code?: string | null;
}

/**
 * A shipping address reduced to what makes it the same place (street lines, postcode, country),
 * case, spacing and punctuation ignored; null without a street line. Hashed before it is stored.
 */
export function addressKey(address: Address | null | undefined): string | null {
  const part = (s: string | null | undefined) =>
    (s ?? "")
      .normalize("NFKD")
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, "");
  const street = part(address?.address1);
  if (!street) return null;
  return [street, part(address?.address2), part(address?.zip), part(address?.country_code)].join(
    "|",
  );
}

export type WelcomeRefusal = "SELF_REFERRAL" | "NOT_NEW_CUSTOMER" | "TOO_MANY";

/** Whether a friend may have a welcome code from this referrer's link, on the landing page. */
export function welcomeBlocker(input: {
  referrer: { customerId: string; email: string | null };
  friend: { customerId: string | null; email: string };
  /** The friend (by customer id or email) has a paid order in this shop already. */
  friendHasOrdered: boolean;
  /** Welcome codes the link handed out in the last day. */
  offersToday: number;
}): WelcomeRefusal | null {
  const { referrer, friend } = input;
  if (friend.customerId !== null && friend.customerId === referrer.customerId)
    return "SELF_REFERRAL";
  if (normalEmail(referrer.email) === normalEmail(friend.email)) return "SELF_REFERRAL";
  if (input.friendHasOrdered) return "NOT_NEW_CUSTOMER";
  if (input.offersToday >= WELCOME_CODES_PER_DAY) return "TOO_MANY";
  return null;
}

export type ReferralVoidReason = "SELF_REFERRAL" | "NOT_NEW_CUSTOMER" | "CAPPED" | "ORDER_REVERSED";

/**
 * What a paid order with a welcome code comes to: null when the referrer earns, else why not.
 * Checked again at the order because the landing page only knew what the friend typed.
 */
export function referralVerdict(input: {
  referrer: { customerId: string; email: string | null };
  order: {
    customerId: string | null;
    email: string | null;
    /** The order ships where one of the referrer's own orders shipped. */
    shipsToReferrer: boolean;
    /** The order was cancelled, or refunded down to nothing, before its payment arrived. */
    reversed: boolean;
  };
  /** The friend had paid an order before this one, or another referral was credited for them. */
  friendSeenBefore: boolean;
  /** The referrer's referrals credited within the cap window. */
  creditedThisMonth: number;
  perMonth: number;
}): ReferralVoidReason | null {
  const { referrer, order } = input;
  if (order.customerId !== null && order.customerId === referrer.customerId) return "SELF_REFERRAL";
  const email = normalEmail(order.email);
  if (email !== null && email === normalEmail(referrer.email)) return "SELF_REFERRAL";
  if (order.shipsToReferrer) return "SELF_REFERRAL";
  if (input.friendSeenBefore) return "NOT_NEW_CUSTOMER";
  if (input.creditedThisMonth >= input.perMonth) return "CAPPED";
  if (order.reversed) return "ORDER_REVERSED";
  return null;
}

/**
 * Whether a change to the friend's order takes the referrer's points back: only while they are
 * pending, and only when nothing of the order is left (cancelled, or refunded in full). A
 * partial refund leaves a first order, so the referral stands.
 */
export function referralReversedBy(input: {
  /** When the cancellation or refund happened (Shopify's time). */
  at: Date;
  availableAt: Date;
  cancelled: boolean;
  /** The order's earning basis left after its refunds, in minor units. */
  spendLeftMinor: number;
}): boolean {
  if (input.at.getTime() >= input.availableAt.getTime()) return false;
  return input.cancelled || input.spendLeftMinor <= 0;
}

export const REFERRAL_STATUSES = ["OFFERED", "PENDING", "REWARDED", "VOID"] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

/** The Referrals page's status filter from its URL; anything else lists every status. */
export function parseReferralStatus(value: string | null): ReferralStatus | null {
  return (REFERRAL_STATUSES as readonly string[]).includes(value ?? "")
    ? (value as ReferralStatus)
    : null;
}

/** What the admin's referral list says about each outcome. */
export const VOID_REASON_TEXT: Record<ReferralVoidReason, string> = {
  SELF_REFERRAL: "Self-referral (same customer, email or shipping address)",
  NOT_NEW_CUSTOMER: "Not a new customer",
  CAPPED: "Referrer reached the monthly limit",
  ORDER_REVERSED: "Order cancelled or refunded in the pending period",
};
