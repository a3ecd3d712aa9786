/** Webhook payloads in Shopify's REST shape, with only what a test needs to vary. */

let nextId = 820_000_000_000;
export function shopifyId(): number {
  nextId += 1;
  return nextId;
}

function money(amount: string, currency: string) {
  return {
    shop_money: { amount, currency_code: currency },
    presentment_money: { amount, currency_code: currency },
  };
}

export interface OrderOptions {
  id?: number;
  customerId?: number | null;
  email?: string;
  subtotal?: string;
  total?: string;
  currency?: string;
  test?: boolean;
  taxesIncluded?: boolean;
  lineTax?: string;
  discountCodes?: string[];
  processedAt?: string;
  cancelledAt?: string | null;
}

export function orderPayload(options: OrderOptions = {}) {
  const currency = options.currency ?? "USD";
  const subtotal = options.subtotal ?? "45.99";
  const id = options.id ?? shopifyId();
  const customerId = options.customerId === undefined ? 7_000_001 : options.customerId;
  return {
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    name: `#${1000 + (id % 1000)}`,
    email: options.email ?? "shopper@example.com",
    currency,
    financial_status: "paid",
    test: options.test ?? false,
    taxes_included: options.taxesIncluded ?? false,
    processed_at: options.processedAt ?? new Date().toISOString(),
    created_at: options.processedAt ?? new Date().toISOString(),
    cancelled_at: options.cancelledAt ?? null,
    current_subtotal_price_set: money(subtotal, currency),
    subtotal_price_set: money(subtotal, currency),
    total_price_set: money(options.total ?? subtotal, currency),
    total_tax_set: money(options.lineTax ?? "0.00", currency),
    total_shipping_price_set: money("5.00", currency),
    discount_codes: (options.discountCodes ?? []).map((code) => ({
      code,
      amount: "5.00",
      type: "fixed_amount",
    })),
    line_items: [
      {
        id: shopifyId(),
        quantity: 1,
        price: subtotal,
        tax_lines: options.lineTax
          ? [{ title: "VAT", price_set: money(options.lineTax, currency) }]
          : [],
      },
    ],
    customer:
      customerId === null
        ? null
        : {
            id: customerId,
            email: options.email ?? "shopper@example.com",
            first_name: "Ada",
            last_name: "Lovelace",
          },
  };
}

export function refundPayload(
  orderId: number,
  subtotal: string,
  options: { id?: number; currency?: string; tax?: string; createdAt?: string } = {},
) {
  const currency = options.currency ?? "USD";
  return {
    id: options.id ?? shopifyId(),
    order_id: orderId,
    created_at: options.createdAt ?? new Date().toISOString(),
    note: null,
    refund_line_items: [
      {
        id: shopifyId(),
        line_item_id: shopifyId(),
        quantity: 1,
        subtotal_set: money(subtotal, currency),
        total_tax_set: money(options.tax ?? "0.00", currency),
      },
    ],
    transactions: [],
    order_adjustments: [],
  };
}

export function customerPayload(id: number, email = `c${id}@example.com`) {
  return {
    id,
    email,
    first_name: "Grace",
    last_name: "Hopper",
    created_at: new Date().toISOString(),
  };
}
