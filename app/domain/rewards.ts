import type { PickedResource } from "./campaigns";
import { fromMinorUnits, isDecimalString, toMinorUnits } from "./money";

export type RewardType =
  "FIXED_AMOUNT" | "PERCENTAGE" | "FREE_SHIPPING" | "STORE_CREDIT" | "FREE_PRODUCT";

export const REWARD_TYPE_VALUES = [
  "FIXED_AMOUNT",
  "PERCENTAGE",
  "FREE_SHIPPING",
  "STORE_CREDIT",
  "FREE_PRODUCT",
] as const satisfies readonly RewardType[];

/**
 * What a referred friend's welcome code can be: a code made from the reward's terms alone, with
 * no customer and nothing read from Shopify first.
 */
export const WELCOME_REWARD_TYPES = [
  "FIXED_AMOUNT",
  "PERCENTAGE",
  "FREE_SHIPPING",
] as const satisfies readonly RewardType[];

export function canWelcomeFriends(type: RewardType): boolean {
  return (WELCOME_REWARD_TYPES as readonly RewardType[]).includes(type);
}

// A type, not an interface: it is stored in Json columns and must be a plain JSON object type.
export type RewardTerms = {
  name: string;
  type: RewardType;
  pointsCost: number;
  amount: string | null;
  percentage: number | null;
  minimumSubtotal: string | null;
  codeLifetimeDays: number;
  combinesWithOrder: boolean;
  combinesWithProduct: boolean;
  combinesWithShipping: boolean;
  /**
   * FIXED_AMOUNT and PERCENTAGE: off these collections' products only (gids and titles as the
   * merchant picked them); absent or empty: off the order. Absent in terms kept before rewards
   * could have them.
   */
  collections?: PickedResource[];
  /**
   * FREE_PRODUCT: the variant one unit of which is free (its gid, and its name as the merchant
   * picked it). Its price at the moment of redeeming is the `amount` of the redemption's terms.
   */
  variant?: PickedResource;
};

export type Ineligibility =
  "REWARD_DISABLED" | "TIER_REQUIRED" | "INSUFFICIENT_POINTS" | "RATE_LIMITED";

/** Why a member cannot redeem a reward right now, or null when they can. */
export function redemptionBlocker(input: {
  enabled: boolean;
  pointsCost: number;
  balance: number;
  /** Threshold of the tier the reward requires, if any. */
  requiredTierThreshold: number | null;
  /** Threshold of the member's tier, if any. */
  memberTierThreshold: number | null;
  recentRedemptions: number;
  redemptionsPerHour: number;
}): Ineligibility | null {
  if (!input.enabled) return "REWARD_DISABLED";
  if (
    input.requiredTierThreshold !== null &&
    (input.memberTierThreshold === null || input.memberTierThreshold < input.requiredTierThreshold)
  ) {
    return "TIER_REQUIRED";
  }
  if (input.recentRedemptions >= input.redemptionsPerHour) return "RATE_LIMITED";
  if (input.balance < input.pointsCost) return "INSUFFICIENT_POINTS";
  return null;
}

/** Problems with reward terms, keyed by field, for admin forms and for safety before redeeming. */
export function rewardTermErrors(
  terms: RewardTerms,
  currency: string,
): Partial<Record<keyof RewardTerms, string>> {
  const errors: Partial<Record<keyof RewardTerms, string>> = {};
  if (!terms.name.trim()) errors.name = "Give the reward a name shoppers will recognise";
  if (!Number.isInteger(terms.pointsCost) || terms.pointsCost < 1)
    errors.pointsCost = "Cost must be a whole number of points, at least 1";
  const credit = terms.type === "STORE_CREDIT";
  const freeProduct = terms.type === "FREE_PRODUCT";
  if (
    !Number.isInteger(terms.codeLifetimeDays) ||
    terms.codeLifetimeDays < (credit ? 0 : 1) ||
    terms.codeLifetimeDays > 365
  ) {
    errors.codeLifetimeDays = credit
      ? "Credit must last between 1 and 365 days, or 0 for credit that never expires"
      : "Codes must last between 1 and 365 days";
  }
  const positiveAmount = (value: string | null) => {
    if (!value || !isDecimalString(value)) return false;
    try {
      return toMinorUnits(value, currency) > 0;
    } catch {
      return false;
    }
  };
  if ((terms.type === "FIXED_AMOUNT" || credit) && !positiveAmount(terms.amount)) {
    errors.amount = `Enter an amount in ${currency}, greater than zero`;
  }
  if (
    terms.type === "PERCENTAGE" &&
    (!Number.isInteger(terms.percentage) || terms.percentage! < 1 || terms.percentage! > 100)
  ) {
    errors.percentage = "Enter a whole percentage from 1 to 100";
  }
  if (
    terms.minimumSubtotal !== null &&
    terms.minimumSubtotal !== "" &&
    (credit || freeProduct || !positiveAmount(terms.minimumSubtotal))
  ) {
    errors.minimumSubtotal = credit
      ? "Store credit has no minimum purchase; leave it empty"
      : freeProduct
        ? "A free product needs only itself in the cart; leave the minimum empty"
        : `Enter a minimum in ${currency}, or leave it empty`;
  }
  if (freeProduct && !/^gid:\/\/shopify\/ProductVariant\/\d+$/.test(terms.variant?.id ?? "")) {
    errors.variant = "Choose the product shoppers get";
  }
  const collections = terms.collections ?? [];
  if (collections.length && (terms.type === "FREE_SHIPPING" || credit || freeProduct)) {
    errors.collections = credit
      ? "Store credit pays for anything in the shop; remove the collections"
      : freeProduct
        ? "A free product is that product alone; remove the collections"
        : "Free shipping applies to the whole order; remove the collections";
  } else if (collections.some((c) => !/^gid:\/\/shopify\/Collection\/\d+$/.test(c.id))) {
    // A list stored by hand or damaged: the code could never be created as the merchant meant.
    errors.collections = "Choose the collections again";
  }
  return errors;
}

// No 0/O, 1/I/L: codes get read aloud and typed from phones.
const CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

export type RandomBytes = (bytes: Uint8Array) => Uint8Array;
const cryptoRandom: RandomBytes = (b) => crypto.getRandomValues(b);

/**
 * `length` symbols of `alphabet` drawn from the platform's cryptographic random source, with
 * rejection sampling so every symbol is equally likely.
 */
export function randomSymbols(
  alphabet: string,
  length: number,
  random: RandomBytes = cryptoRandom,
): string {
  const limit = 256 - (256 % alphabet.length);
  let code = "";
  while (code.length < length) {
    for (const byte of random(new Uint8Array(16))) {
      if (byte < limit && code.length < length) code += alphabet[byte % alphabet.length];
    }
  }
  return code;
}

/** An unguessable code: 12 symbols from a 31-letter alphabet (~59 bits). */
export function generateRewardCode(prefix = "LOYAL", random: RandomBytes = cryptoRandom): string {
  const code = randomSymbols(CODE_ALPHABET, 12, random);
  return `${prefix}-${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
}

/**
 * The Admin API input for a reward's discount: one use, restricted to one customer. A referred
 * friend's welcome code may have no customer yet (a shopper who is not signed in): anyone may
 * use it, once.
 */
export function discountInput(input: {
  terms: RewardTerms;
  code: string;
  customerGid: string | null;
  startsAt: Date;
  endsAt: Date;
  /** What the discount is, in its title in Shopify admin. */
  label?: string;
}) {
  const { terms } = input;
  const common = {
    title: `${terms.name} (${input.label ?? "loyalty reward"} ${input.code})`,
    code: input.code,
    startsAt: input.startsAt.toISOString(),
    endsAt: input.endsAt.toISOString(),
    context: input.customerGid
      ? { customers: { add: [input.customerGid] } }
      : { all: "ALL" as const },
    usageLimit: 1,
    appliesOncePerCustomer: true,
    combinesWith: {
      orderDiscounts: terms.combinesWithOrder,
      productDiscounts: terms.combinesWithProduct,
      shippingDiscounts: terms.combinesWithShipping,
    },
    ...(terms.minimumSubtotal
      ? {
          minimumRequirement: { subtotal: { greaterThanOrEqualToSubtotal: terms.minimumSubtotal } },
        }
      : {}),
  };
  if (terms.type === "FREE_SHIPPING") {
    return { kind: "FREE_SHIPPING" as const, input: { ...common, destination: { all: true } } };
  }
  if (terms.type === "FREE_PRODUCT") {
    // One unit free however many the cart holds: the unit's price taken once across the
    // variant's lines. A percentage would take 100 % off every unit of it.
    if (!terms.variant || !terms.amount)
      throw new Error("A free product's code needs its variant and the price read when redeemed");
    return {
      kind: "AMOUNT" as const,
      input: {
        ...common,
        customerGets: {
          value: { discountAmount: { amount: terms.amount, appliesOnEachItem: false } },
          items: { products: { productVariantsToAdd: [terms.variant.id] } },
        },
        minimumRequirement: { quantity: { greaterThanOrEqualToQuantity: "1" } },
      },
    };
  }
  if (terms.type === "STORE_CREDIT")
    throw new Error("Store credit is credited to the shopper's account, never made a code");
  const value =
    terms.type === "FIXED_AMOUNT"
      ? { discountAmount: { amount: terms.amount, appliesOnEachItem: false } }
      : // The API takes a fraction (0.1 = 10 %); a whole percent / 100 is exact enough for it.
        { percentage: (terms.percentage ?? 0) / 100 };
  const collections = terms.collections ?? [];
  const items = collections.length
    ? { collections: { add: collections.map((c) => c.id) } }
    : { all: true };
  return { kind: "AMOUNT" as const, input: { ...common, customerGets: { value, items } } };
}

/** What a free product reward can give right now, from its variant as Shopify describes it. */
export type FreeProductOffer =
  | { kind: "price"; amount: string }
  /** No such variant in the shop any more. */
  | { kind: "gone" }
  /** It exists, but a code for it could not be used: why, in the merchant's words. */
  | { kind: "unavailable"; why: string };

/**
 * The amount a free product's code takes off: the variant's price as Shopify gives it ("18.0"),
 * in the currency's own decimals — when the shop sells it (product ACTIVE, variant available
 * for sale) and it costs something.
 */
export function freeProductOffer(
  variant: { price: string; availableForSale: boolean; productStatus: string } | null,
  currency: string,
): FreeProductOffer {
  if (!variant) return { kind: "gone" };
  if (variant.productStatus !== "ACTIVE")
    return { kind: "unavailable", why: `the product is ${variant.productStatus.toLowerCase()}` };
  if (!variant.availableForSale) return { kind: "unavailable", why: "it is sold out" };
  let minor: number;
  try {
    minor = toMinorUnits(variant.price, currency);
  } catch {
    return {
      kind: "unavailable",
      why: `its price "${variant.price}" is not an amount in ${currency}`,
    };
  }
  if (minor <= 0) return { kind: "unavailable", why: "it costs nothing" };
  return { kind: "price", amount: fromMinorUnits(minor, currency) };
}

/** Store credit redemptions carry a reference of this prefix where codes carry the code. */
export const STORE_CREDIT_PREFIX = "CREDIT";

export function isStoreCreditReference(code: string): boolean {
  return code.startsWith(`${STORE_CREDIT_PREFIX}-`);
}

/** When store credit that never expires "ends": the redemption's endsAt cannot be empty. */
export const NEVER = new Date("9999-12-31T00:00:00.000Z");

/** When a reward's code (or store credit) redeemed at `now` stops being usable. */
export function rewardEndsAt(terms: Pick<RewardTerms, "type" | "codeLifetimeDays">, now: Date) {
  if (terms.type === "STORE_CREDIT" && terms.codeLifetimeDays === 0) return NEVER;
  // Whole seconds: Shopify keeps a credit's expiresAt to the second, and the lookup of a credit
  // whose answer was lost compares it with ours (ownTransaction).
  const ends = now.getTime() + terms.codeLifetimeDays * 24 * 60 * 60 * 1000;
  return new Date(Math.floor(ends / 1000) * 1000);
}

/** The Admin API input for a store credit reward (storeCreditAccountCredit). */
export function storeCreditInput(input: { terms: RewardTerms; currency: string; endsAt: Date }) {
  return {
    creditAmount: { amount: input.terms.amount ?? "0", currencyCode: input.currency },
    ...(input.endsAt.getTime() < NEVER.getTime() && { expiresAt: input.endsAt.toISOString() }),
    // Shopify emails the shopper that credit arrived, and how to spend it.
    notify: true,
  };
}

/** A store credit transaction as the Admin API lists it (amounts as decimal strings). */
export interface CreditTransaction {
  id: string;
  kind: "credit" | "debit" | "other";
  /**
   * What made it (StoreCreditSystemEvent): API credits and debits, ours included, are ADJUSTMENT;
   * checkout payments ORDER_PAYMENT, refunds to store credit ORDER_REFUND.
   */
  event: string;
  amount: string;
  createdAt: string;
  expiresAt: string | null;
  /** Credits: what is left of it (spending and expiry lower it). */
  remaining: string | null;
}

// Our clock and Shopify's disagree a little; a transaction made for our call can carry a time a
// moment before we recorded the call.
const CLOCK_SKEW_MS = 5 * 60 * 1000;
// How far Shopify's stored expiry may be from the one we sent (kept to the second, as far as we
// know; a coarser store must not make our own credit unrecognisable).
const EXPIRY_TOLERANCE_MS = 36 * 60 * 60 * 1000;

/**
 * The transaction one of our calls made, when its answer was lost: storeCreditAccountCredit and
 * storeCreditAccountDebit take no idempotency key (2026-10), so it is recognised by what it must
 * look like — its kind, an API adjustment (not a checkout payment or a refund), its exact
 * amount, made after the call began, for a credit the expiry we asked for — among those not yet
 * claimed by another redemption. The oldest such is taken, so two lookups agree. A merchant's own
 * adjustment of the same amount (and expiry) after the redemption began would be taken for ours;
 * docs/redemption.md says so.
 */
export function ownTransaction(
  transactions: readonly CreditTransaction[],
  wanted: {
    kind: "credit" | "debit";
    amountMinor: number;
    currency: string;
    since: Date;
    /** Credits: the expiry asked for, or null for none. */
    expiresAt?: Date | null;
    claimed: ReadonlySet<string>;
  },
): CreditTransaction | null {
  const from = wanted.since.getTime() - CLOCK_SKEW_MS;
  const matches = transactions.filter((t) => {
    if (t.kind !== wanted.kind || t.event !== "ADJUSTMENT" || wanted.claimed.has(t.id))
      return false;
    if (Date.parse(t.createdAt) < from) return false;
    // Read without its sign: what matters is how much moved, in the direction its kind says.
    if (minorOrNull(t.amount, wanted.currency) !== wanted.amountMinor) return false;
    if (wanted.kind === "credit") {
      const asked = wanted.expiresAt ?? null;
      if (t.expiresAt === null || asked === null) return t.expiresAt === asked;
      return Math.abs(Date.parse(t.expiresAt) - asked.getTime()) <= EXPIRY_TOLERANCE_MS;
    }
    return true;
  });
  matches.sort(
    (a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || a.id.localeCompare(b.id),
  );
  return matches[0] ?? null;
}

function minorOrNull(amount: string, currency: string): number | null {
  try {
    return Math.abs(toMinorUnits(amount, currency));
  } catch {
    return null;
  }
}

export function customerGid(customerId: string): string {
  return `gid://shopify/Customer/${customerId}`;
}

/**
 * Link that puts the code in the buyer's cart; for a free product, then one unit of it too
 * (GET /cart/add adds it and lands on the cart).
 */
export function applyUrl(
  shopDomain: string,
  code: string,
  terms?: Pick<RewardTerms, "type" | "variant">,
): string {
  const variant = terms?.type === "FREE_PRODUCT" ? terms.variant?.id.split("/").pop() : undefined;
  const then = variant ? `/cart/add?id=${variant}&quantity=1` : "/cart";
  // Slashes may stay as they are in a query; its own ? and & may not.
  const redirect = encodeURIComponent(then).replaceAll("%2F", "/");
  return `https://${shopDomain}/discount/${encodeURIComponent(code)}?redirect=${redirect}`;
}
