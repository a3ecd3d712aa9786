import { z } from "zod";
import type { EarningBasis, OrderLine, RefundLine } from "../domain/earning";
import { orderEarningBasis } from "../domain/earning";
import { isKnownCurrency, toMinorUnits } from "../domain/money";
import { addressKey } from "../domain/referrals";

/**
 * Webhook payloads (REST shape) validated with zod and turned into the plain values the engine
 * works with. Bodies are parsed by parseShopifyJson (app/domain/json.ts), so ids above 2^53
 * arrive as digit strings. Anything that does not fit becomes a FailedEvent instead of a
 * half-applied effect.
 */

/** Largest amount we store: PostgreSQL `integer` columns hold minor units up to 2^31 − 1. */
export const MAX_AMOUNT_MINOR = 2_147_483_647;

/** A Shopify id: a number, a digit string, or (failing those) the resource's GID. */
const shopifyId = z
  .union([
    z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    z.string().regex(/^\d+$/, { error: "must be a numeric id" }),
  ])
  .transform((id) => String(id));

function withGidFallback<S extends z.ZodRawShape>(shape: S) {
  // `admin_graphql_api_id` ("gid://shopify/Order/123") carries the same id as a string.
  return z.preprocess((value) => {
    if (!value || typeof value !== "object") return value;
    const record = value as Record<string, unknown>;
    if (record.id !== undefined && record.id !== null) return value;
    const gid = /\/(\d+)$/.exec(String(record.admin_graphql_api_id ?? ""))?.[1];
    return gid ? { ...record, id: gid } : value;
  }, z.object(shape).passthrough());
}

const currencyCode = z
  .string()
  .refine(isKnownCurrency, { error: (issue) => `unknown currency "${String(issue.input)}"` });

const moneySet = z.object({
  shop_money: z.object({ amount: z.string(), currency_code: currencyCode }),
});

const customerFields = {
  id: shopifyId,
  email: z.string().nullish(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
};
const customer = withGidFallback(customerFields);

const lineItem = withGidFallback({
  id: shopifyId,
  // Null on a custom line; a product id beyond what a double holds is no product we can match.
  product_id: shopifyId.nullish().catch(null),
  gift_card: z.boolean().default(false),
  quantity: z.number().int().nonnegative(),
  current_quantity: z.number().int().nonnegative().nullish(),
  price_set: moneySet,
  discount_allocations: z.array(z.object({ amount_set: moneySet })).default([]),
  tax_lines: z.array(z.object({ price_set: moneySet })).default([]),
});

const refundLineItem = z
  .object({
    line_item_id: shopifyId,
    quantity: z.number().int().nonnegative().default(0),
    subtotal_set: moneySet,
    total_tax_set: moneySet.nullish(),
    line_item: z.object({ gift_card: z.boolean().optional() }).passthrough().nullish(),
  })
  .passthrough();

const refundFields = {
  id: shopifyId,
  created_at: z.string().nullish(),
  refund_line_items: z.array(refundLineItem).default([]),
};
/** A refund as listed in an order body (no order_id there: it is the order's). */
const refundBody = withGidFallback(refundFields);

export const orderPayload = withGidFallback({
  id: shopifyId,
  name: z.string().nullish(),
  customer: customer.nullish(),
  test: z.boolean().default(false),
  taxes_included: z.boolean().default(false),
  currency: currencyCode.nullish(),
  subtotal_price_set: moneySet,
  total_price_set: moneySet,
  line_items: z.array(lineItem).default([]),
  refunds: z.array(refundBody).default([]),
  email: z.string().nullish(),
  // Only what says "the same place": referral guards compare it (app/domain/referrals.ts).
  shipping_address: z
    .object({
      address1: z.string().nullish(),
      address2: z.string().nullish(),
      zip: z.string().nullish(),
      country_code: z.string().nullish(),
    })
    .passthrough()
    .nullish(),
  discount_codes: z
    .array(
      z.object({ code: z.string(), amount: z.string().optional(), type: z.string().optional() }),
    )
    .default([]),
  processed_at: z.string().nullish(),
  created_at: z.string().nullish(),
  cancelled_at: z.string().nullish(),
});

export const refundPayload = withGidFallback({ ...refundFields, order_id: shopifyId });

export const customerPayload = withGidFallback({
  ...customerFields,
  created_at: z.string().nullish(),
});

export const customerRedactPayload = z
  .object({
    shop_domain: z.string().optional(),
    customer: customer,
    orders_to_redact: z.array(shopifyId).default([]),
  })
  .passthrough();

export const dataRequestPayload = z
  .object({
    shop_domain: z.string().optional(),
    customer: customer,
    orders_requested: z.array(shopifyId).default([]),
    data_request: z.object({ id: shopifyId }).nullish(),
  })
  .passthrough();

export const shopRedactPayload = z.object({ shop_domain: z.string().optional() }).passthrough();

export interface CustomerRef {
  customerId: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
}

export interface Refund {
  refundId: string;
  orderId: string;
  currency: string | null;
  lines: RefundLine[];
  occurredAt: Date;
}

export interface PaidOrder {
  orderId: string;
  name: string | null;
  customer: CustomerRef | null;
  test: boolean;
  currency: string;
  basis: EarningBasis;
  /** Shorthand for basis.basisMinor. */
  basisMinor: number;
  totalMinor: number;
  taxesIncluded: boolean;
  /** The order's contact email (the customer's may differ or be missing). */
  email: string | null;
  /** addressKey of the shipping address: null without one (a digital order, a pickup). */
  shippingAddressKey: string | null;
  discountCodes: string[];
  giftCardLineIds: string[];
  /** Refunds Shopify made before it rendered this body; each is taken back once, by id. */
  listedRefunds: Refund[];
  occurredAt: Date;
}

function date(value: string | null | undefined, fallback: Date): Date {
  const parsed = value ? new Date(value) : null;
  return parsed && !Number.isNaN(parsed.getTime()) ? parsed : fallback;
}

function customerRef(c: z.infer<typeof customer> | null | undefined): CustomerRef | null {
  if (!c) return null;
  return {
    customerId: c.id,
    email: c.email ?? null,
    firstName: c.first_name ?? null,
    lastName: c.last_name ?? null,
  };
}

/** Minor units in the shop currency, refusing any other currency and absurd amounts. */
function minor(set: z.infer<typeof moneySet>, currency: string): number {
  if (set.shop_money.currency_code !== currency) {
    throw new RangeError(
      `amounts in ${set.shop_money.currency_code} and ${currency} in one payload`,
    );
  }
  const value = toMinorUnits(set.shop_money.amount, currency);
  if (Math.abs(value) > MAX_AMOUNT_MINOR) {
    throw new RangeError(`${set.shop_money.amount} ${currency} is beyond any real order`);
  }
  return value;
}

function sum(sets: z.infer<typeof moneySet>[], currency: string) {
  return sets.reduce((total, set) => total + minor(set, currency), 0);
}

function refundLines(
  refund: Pick<z.infer<typeof refundBody>, "refund_line_items">,
  currency: string,
  giftCardLineIds?: ReadonlySet<string>,
): RefundLine[] {
  return refund.refund_line_items.map((line) => ({
    lineId: line.line_item_id,
    quantity: line.quantity,
    subtotalMinor: minor(line.subtotal_set, currency),
    taxMinor: line.total_tax_set ? minor(line.total_tax_set, currency) : 0,
    giftCard: line.line_item?.gift_card ?? giftCardLineIds?.has(line.line_item_id) ?? null,
  }));
}

export function toPaidOrder(order: z.infer<typeof orderPayload>, receivedAt: Date): PaidOrder {
  const currency = order.subtotal_price_set.shop_money.currency_code;
  const lines: OrderLine[] = order.line_items.map((line) => ({
    id: line.id,
    // As the Admin API names products, which is what campaigns keep (the admin's resource picker).
    productId: line.product_id ? `gid://shopify/Product/${line.product_id}` : null,
    giftCard: line.gift_card,
    quantity: line.quantity,
    currentQuantity: line.current_quantity ?? null,
    unitPriceMinor: minor(line.price_set, currency),
    discountMinor: sum(
      line.discount_allocations.map((d) => d.amount_set),
      currency,
    ),
    taxMinor: sum(
      line.tax_lines.map((t) => t.price_set),
      currency,
    ),
  }));
  const giftCardLineIds = new Set(lines.filter((l) => l.giftCard).map((l) => l.id));
  const listedRefunds: Refund[] = order.refunds.map((refund) => ({
    refundId: refund.id,
    orderId: order.id,
    currency,
    lines: refundLines(refund, currency, giftCardLineIds),
    occurredAt: date(refund.created_at, receivedAt),
  }));
  const basis = lines.length
    ? orderEarningBasis({
        taxesIncluded: order.taxes_included,
        lines,
        refundedLines: listedRefunds.flatMap((r) => r.lines),
      })
    : // A body without line items (some hand-made samples): the subtotal after discounts.
      {
        basisMinor: Math.max(0, minor(order.subtotal_price_set, currency)),
        giftCardsMinor: 0,
        taxMinor: 0,
        lines: [],
      };
  return {
    orderId: order.id,
    name: order.name ?? null,
    customer: customerRef(order.customer),
    test: order.test,
    currency,
    basis,
    basisMinor: basis.basisMinor,
    totalMinor: minor(order.total_price_set, currency),
    taxesIncluded: order.taxes_included,
    email: order.email || null,
    shippingAddressKey: addressKey(order.shipping_address),
    discountCodes: order.discount_codes.map((d) => d.code),
    giftCardLineIds: [...giftCardLineIds],
    listedRefunds,
    occurredAt: date(order.processed_at ?? order.created_at, receivedAt),
  };
}

export function toRefund(refund: z.infer<typeof refundPayload>, receivedAt: Date): Refund {
  const currency = refund.refund_line_items[0]?.subtotal_set.shop_money.currency_code ?? null;
  return {
    refundId: refund.id,
    orderId: refund.order_id,
    currency,
    lines: currency ? refundLines(refund, currency) : [],
    occurredAt: date(refund.created_at, receivedAt),
  };
}

export function toCustomerRef(c: z.infer<typeof customerPayload>): CustomerRef {
  return customerRef(c) as CustomerRef;
}
