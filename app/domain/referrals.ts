import { randomSymbols, type RandomBytes } from "./rewards";

/**
 * Refer a friend: the rules, without the database. A member shares a link; a friend who opens it
 * gets a single-use welcome code (the terms of a reward the merchant picks); when the friend's
 * first order is paid with that code the referrer earns points, pending for a while, and loses
 * them if the order is cancelled or fully refunded in that time. A friend signs in (or creates an
 * account) to get the code, which is then theirs alone. docs/engagement.md.
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
export function referralLinkCode(random?: RandomBytes): string {
  return randomSymbols(LINK_ALPHABET, 10, random);
}

/** A link code as it may arrive in a URL; anything else is not one of ours. */
export function isReferralLinkCode(value: string): boolean {
  return /^[2-9a-hjkmnp-z]{10}$/.test(value);
}

/**
 * The codes of an order that may be welcome codes: checkout upper-cases codes, merchants may not,
 * and a merchant's own FRIEND-10 may sit beside one.
 */
export function welcomeCodesIn(codes: readonly string[]): string[] {
  return codes
    .map((code) => code.trim().toUpperCase())
    .filter((code) => code.startsWith(`${WELCOME_CODE_PREFIX}-`));
}

/** Emails compare case-insensitively and without surrounding spaces. */
export function normalEmail(value: string | null | undefined): string | null {
  const email = (value ?? "").trim().toLowerCase();
  return email || null;
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

/**
 * Whether a signed-in friend may have a welcome code from this referrer's link, on the landing
 * page. Only the friend's own facts are told back to them: nobody can ask about another shopper.
 */
export function welcomeBlocker(input: {
  referrer: { customerId: string; email: string | null };
  friend: { customerId: string; email: string | null };
  /** The friend has a paid order in this shop already. */
  friendHasOrdered: boolean;
  /** Welcome codes the link handed out in the last day. */
  offersToday: number;
}): WelcomeRefusal | null {
  const { referrer, friend } = input;
  if (friend.customerId === referrer.customerId) return "SELF_REFERRAL";
  const email = normalEmail(friend.email);
  if (email !== null && email === normalEmail(referrer.email)) return "SELF_REFERRAL";
  if (input.friendHasOrdered) return "NOT_NEW_CUSTOMER";
  if (input.offersToday >= WELCOME_CODES_PER_DAY) return "TOO_MANY";
  return null;
}

export type ReferralVoidReason =
  "SELF_REFERRAL" | "NOT_NEW_CUSTOMER" | "NO_SPEND" | "CAPPED" | "ORDER_REVERSED";

/**
 * What a paid order with a welcome code comes to: null when the referrer earns, else why not.
 * Checked again at the order: the code may be used by someone other than the friend who got it
 * (a code shared on), and the order brings facts the landing page could not know.
 */
export function referralVerdict(input: {
  referrer: { customerId: string; email: string | null };
  order: {
    customerId: string | null;
    email: string | null;
    /** The order ships where one of the referrer's own orders shipped. */
    shipsToReferrer: boolean;
    /** The order's earning basis (spend after discounts), in minor units. */
    spendMinor: number;
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
  if (order.spendMinor <= 0) return "NO_SPEND";
  if (input.creditedThisMonth >= input.perMonth) return "CAPPED";
  if (order.reversed) return "ORDER_REVERSED";
  return null;
}

/** Nothing of the order is left: cancelled, or its whole spend refunded. */
export function orderReversed(order: {
  cancelled: boolean;
  basisMinor: number;
  refundedMinor: number;
}): boolean {
  return order.cancelled || (order.basisMinor > 0 && order.refundedMinor >= order.basisMinor);
}

/**
 * Whether a change to the friend's order takes the referrer's points back: only while they are
 * pending, and only when nothing of the order is left. A partial refund leaves a first order, so
 * the referral stands.
 */
export function referralReversedBy(
  input: {
    /** When the cancellation or refund happened (Shopify's time). */
    at: Date;
    availableAt: Date;
  } & Parameters<typeof orderReversed>[0],
): boolean {
  if (input.at.getTime() >= input.availableAt.getTime()) return false;
  return orderReversed(input);
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
  NO_SPEND: "Nothing paid: discounts covered the whole order",
  CAPPED: "Referrer reached the monthly limit",
  ORDER_REVERSED: "Order cancelled or refunded in the pending period",
};
