import { z } from "zod";
import { earningBasisMinor } from "../domain/earning";
import { toMinorUnits } from "../domain/money";

/**
 * Webhook payloads (REST shape) validated with zod and turned into the plain values the engine
 * works with. Anything that does not fit becomes a FailedEvent instead of a half-applied effect.
 */

const shopifyId = z
  .union([z.number().int().positive(), z.string().regex(/^\d+$/)])
  .transform((id) => String(id));

const moneySet = z.object({
  shop_money: z.object({ amount: z.string(), currency_code: z.string().length(3) }),
});

const customer = z
  .object({
    id: shopifyId,
    email: z.string().nullish(),
    first_name: z.string().nullish(),
    last_name: z.string().nullish(),
  })
  .passthrough();

export const orderPayload = z
  .object({
    id: shopifyId,
    name: z.string().nullish(),
    customer: customer.nullish(),
    test: z.boolean().default(false),
    taxes_included: z.boolean().default(false),
    current_subtotal_price_set: moneySet.nullish(),
    subtotal_price_set: moneySet,
    total_price_set: moneySet,
    line_items: z
      .array(
        z
          .object({ tax_lines: z.array(z.object({ price_set: moneySet })).default([]) })
          .passthrough(),
      )
      .default([]),
    discount_codes: z
      .array(
        z.object({ code: z.string(), amount: z.string().optional(), type: z.string().optional() }),
      )
      .default([]),
    processed_at: z.string().nullish(),
    created_at: z.string().nullish(),
    cancelled_at: z.string().nullish(),
  })
  .passthrough();

export const refundPayload = z
  .object({
    id: shopifyId,
    order_id: shopifyId,
    created_at: z.string().nullish(),
    refund_line_items: z
      .array(
        z
          .object({
            quantity: z.number().int().nonnegative().optional(),
            subtotal_set: moneySet,
            total_tax_set: moneySet.nullish(),
          })
          .passthrough(),
      )
      .default([]),
  })
  .passthrough();

export const customerPayload = customer.extend({ created_at: z.string().nullish() });

export const customerRedactPayload = z
  .object({
    shop_domain: z.string().optional(),
    customer: z.object({ id: shopifyId, email: z.string().nullish() }),
    orders_to_redact: z.array(shopifyId).default([]),
  })
  .passthrough();

export const dataRequestPayload = customerRedactPayload.omit({ orders_to_redact: true }).extend({
  orders_requested: z.array(shopifyId).default([]),
  data_request: z.object({ id: shopifyId }).nullish(),
});

export const shopRedactPayload = z.object({ shop_domain: z.string().optional() }).passthrough();

export interface CustomerRef {
  customerId: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
}

export interface PaidOrder {
  orderId: string;
  name: string | null;
  customer: CustomerRef | null;
  test: boolean;
  currency: string;
  basisMinor: number;
  totalMinor: number;
  taxesIncluded: boolean;
  discountCodes: string[];
  occurredAt: Date;
}

export interface Refund {
  refundId: string;
  orderId: string;
  currency: string | null;
  subtotalMinor: number;
  taxMinor: number;
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

export function toPaidOrder(order: z.infer<typeof orderPayload>, receivedAt: Date): PaidOrder {
  const subtotal = order.current_subtotal_price_set ?? order.subtotal_price_set;
  const currency = subtotal.shop_money.currency_code;
  return {
    orderId: order.id,
    name: order.name ?? null,
    customer: customerRef(order.customer),
    test: order.test,
    currency,
    basisMinor: earningBasisMinor({
      currency,
      subtotal: subtotal.shop_money.amount,
      taxesIncluded: order.taxes_included,
      lineItemTaxes: order.line_items.flatMap((line) =>
        line.tax_lines.map((tax) => tax.price_set.shop_money.amount),
      ),
    }),
    totalMinor: toMinorUnits(order.total_price_set.shop_money.amount, currency),
    taxesIncluded: order.taxes_included,
    discountCodes: order.discount_codes.map((d) => d.code),
    occurredAt: date(order.processed_at ?? order.created_at, receivedAt),
  };
}

export function toRefund(refund: z.infer<typeof refundPayload>, receivedAt: Date): Refund {
  const currency = refund.refund_line_items[0]?.subtotal_set.shop_money.currency_code ?? null;
  let subtotalMinor = 0;
  let taxMinor = 0;
  for (const line of refund.refund_line_items) {
    const lineCurrency = line.subtotal_set.shop_money.currency_code;
    if (lineCurrency !== currency) throw new RangeError("Refund lines use different currencies");
    subtotalMinor += toMinorUnits(line.subtotal_set.shop_money.amount, lineCurrency);
    if (line.total_tax_set)
      taxMinor += toMinorUnits(line.total_tax_set.shop_money.amount, lineCurrency);
  }
  return {
    refundId: refund.id,
    orderId: refund.order_id,
    currency,
    subtotalMinor,
    taxMinor,
    occurredAt: date(refund.created_at, receivedAt),
  };
}

export function toCustomerRef(c: z.infer<typeof customerPayload>): CustomerRef {
  return customerRef(c) as CustomerRef;
}
