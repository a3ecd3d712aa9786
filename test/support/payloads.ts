/**
 * Webhook payloads in Shopify's REST shape (Order, Refund, Customer), with only what a test needs
 * to vary. Amounts are computed the way Shopify renders them: line prices, discount allocations
 * and tax lines per line; subtotal after discounts; `current_*` after the refunds listed in the
 * body. Ids may be bigints (above 2^53, as Shopify's own samples): webhookRequest writes them as
 * exact JSON integers.
 */

type Id = number | bigint;

let nextId = 820_000_000_000;
export function shopifyId(): number {
  nextId += 1;
  return nextId;
}

const DECIMALS: Record<string, number> = { JPY: 0, KRW: 0, KWD: 3, BHD: 3 };
function decimals(currency: string) {
  return DECIMALS[currency] ?? 2;
}
function toMinor(amount: string, currency: string): bigint {
  const [whole = "0", fraction = ""] = amount.replace("-", "").split(".");
  const minor = BigInt(
    whole + fraction.padEnd(decimals(currency), "0").slice(0, decimals(currency)),
  );
  return amount.startsWith("-") ? -minor : minor;
}
function fromMinor(minor: bigint, currency: string): string {
  const d = decimals(currency);
  const sign = minor < 0n ? "-" : "";
  const digits = (minor < 0n ? -minor : minor).toString().padStart(d + 1, "0");
  return d === 0 ? sign + digits : `${sign}${digits.slice(0, -d)}.${digits.slice(-d)}`;
}

export function money(
  amount: string,
  currency: string,
  presentment?: { amount: string; currency: string },
) {
  return {
    shop_money: { amount, currency_code: currency },
    presentment_money: presentment
      ? { amount: presentment.amount, currency_code: presentment.currency }
      : { amount, currency_code: currency },
  };
}

export interface LineOptions {
  id?: Id;
  /** The line's product (REST product_id); none by default, as on a custom line. */
  productId?: Id;
  price: string;
  quantity?: number;
  /** Units left after edits and refunds; defaults to quantity minus listed refunds. */
  currentQuantity?: number;
  giftCard?: boolean;
  /** Discount allocated to the whole line. */
  discount?: string;
  /** Tax on the whole line. */
  tax?: string;
}

export interface ListedRefundOptions {
  id?: Id;
  /** Index into the order's lines (default 0). */
  line?: number;
  quantity?: number;
  subtotal: string;
  tax?: string;
  createdAt?: string;
}

export interface OrderOptions {
  id?: Id;
  customerId?: Id | null;
  email?: string;
  /** A single line of this price, when `lines` is not given. */
  subtotal?: string;
  lines?: LineOptions[];
  total?: string;
  currency?: string;
  /** The buyer's currency and the rate to it (shop_money stays the shop's). */
  presentment?: { currency: string; rate: number };
  test?: boolean;
  taxesIncluded?: boolean;
  /** Tax on the single line (with `subtotal`). */
  lineTax?: string;
  shipping?: string;
  tip?: string;
  duties?: string;
  discountCodes?: string[];
  /** Where the order ships (Shopify's shipping_address; null without one). */
  shippingAddress?: { address1: string; address2?: string; zip: string; country_code: string };
  /** Refunds Shopify made before it rendered the body. */
  refunds?: ListedRefundOptions[];
  processedAt?: string;
  cancelledAt?: string | null;
}

function presentmentOf(options: OrderOptions, amount: string) {
  if (!options.presentment) return undefined;
  const converted = Number(amount) * options.presentment.rate;
  return { amount: converted.toFixed(2), currency: options.presentment.currency };
}

export function orderPayload(options: OrderOptions = {}) {
  const currency = options.currency ?? "USD";
  const set = (amount: string) => money(amount, currency, presentmentOf(options, amount));
  const id = options.id ?? shopifyId();
  const customerId = options.customerId === undefined ? 7_000_001 : options.customerId;
  const lineOptions: LineOptions[] = options.lines ?? [
    { price: options.subtotal ?? "45.99", tax: options.lineTax },
  ];
  const lines = lineOptions.map((line) => ({
    ...line,
    id: line.id ?? shopifyId(),
    quantity: line.quantity ?? 1,
  }));
  const listed = (options.refunds ?? []).map((refund) => ({
    ...refund,
    id: refund.id ?? shopifyId(),
    lineId: lines[refund.line ?? 0]!.id,
    // A refund of nothing on the lines (shipping only) returns no units.
    quantity: refund.quantity ?? (toMinor(refund.subtotal, currency) === 0n ? 0 : 1),
  }));

  let subtotal = 0n;
  let tax = 0n;
  for (const line of lines) {
    subtotal += toMinor(line.price, currency) * BigInt(line.quantity);
    subtotal -= line.discount ? toMinor(line.discount, currency) : 0n;
    tax += line.tax ? toMinor(line.tax, currency) : 0n;
  }
  const refunded = listed.reduce((sum, r) => sum + toMinor(r.subtotal, currency), 0n);
  const shipping = toMinor(options.shipping ?? "0.00", currency);
  const tip = toMinor(options.tip ?? "0", currency);
  const duties = toMinor(options.duties ?? "0", currency);
  const total =
    options.total !== undefined
      ? toMinor(options.total, currency)
      : subtotal + shipping + tip + duties + (options.taxesIncluded ? 0n : tax);
  const now = new Date().toISOString();

  return {
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    name: `#${1000 + Number(BigInt(id) % 1000n)}`,
    email: options.email ?? "shopper@example.com",
    shipping_address: options.shippingAddress
      ? {
          first_name: "Sam",
          last_name: "Shopper",
          address2: null,
          city: "Springfield",
          province: null,
          country: "United States",
          phone: null,
          ...options.shippingAddress,
        }
      : null,
    currency,
    presentment_currency: options.presentment?.currency ?? currency,
    financial_status: listed.length ? "partially_refunded" : "paid",
    test: options.test ?? false,
    taxes_included: options.taxesIncluded ?? false,
    processed_at: options.processedAt ?? now,
    created_at: options.processedAt ?? now,
    cancelled_at: options.cancelledAt ?? null,
    subtotal_price: fromMinor(subtotal, currency),
    subtotal_price_set: set(fromMinor(subtotal, currency)),
    current_subtotal_price_set: set(fromMinor(subtotal - refunded, currency)),
    total_price_set: set(fromMinor(total, currency)),
    current_total_price_set: set(fromMinor(total - refunded, currency)),
    total_tax_set: set(fromMinor(tax, currency)),
    total_shipping_price_set: set(fromMinor(shipping, currency)),
    total_tip_received: fromMinor(tip, currency),
    current_total_duties_set: duties ? set(fromMinor(duties, currency)) : null,
    discount_codes: (options.discountCodes ?? []).map((code) => ({
      code,
      amount: "5.00",
      type: "fixed_amount",
    })),
    line_items: lines.map((line) => {
      const refundedUnits = listed
        .filter((r) => r.lineId === line.id)
        .reduce((sum, r) => sum + r.quantity, 0);
      return {
        id: line.id,
        admin_graphql_api_id: `gid://shopify/LineItem/${line.id}`,
        product_id: line.productId ?? null,
        gift_card: line.giftCard ?? false,
        quantity: line.quantity,
        current_quantity: line.currentQuantity ?? Math.max(0, line.quantity - refundedUnits),
        price: line.price,
        price_set: set(line.price),
        total_discount: "0.00",
        discount_allocations: line.discount
          ? [
              {
                amount: line.discount,
                amount_set: set(line.discount),
                discount_application_index: 0,
              },
            ]
          : [],
        tax_lines: line.tax
          ? [{ title: "VAT", rate: 0.2, price: line.tax, price_set: set(line.tax) }]
          : [],
        duties: [],
      };
    }),
    refunds: listed.map((refund) =>
      refundBody(id, refund.subtotal, {
        id: refund.id,
        currency,
        tax: refund.tax,
        createdAt: refund.createdAt,
        lineItemId: refund.lineId,
        quantity: refund.quantity,
        giftCard: lines.find((l) => l.id === refund.lineId)?.giftCard ?? false,
      }),
    ),
    shipping_lines: [
      { id: shopifyId(), title: "Standard", price_set: set(fromMinor(shipping, currency)) },
    ],
    customer:
      customerId === null
        ? null
        : {
            id: customerId,
            admin_graphql_api_id: `gid://shopify/Customer/${customerId}`,
            email: options.email ?? "shopper@example.com",
            first_name: "Ada",
            last_name: "Lovelace",
          },
  };
}

export interface RefundOptions {
  id?: Id;
  currency?: string;
  tax?: string;
  createdAt?: string;
  lineItemId?: Id;
  quantity?: number;
  /** Whether the refunded line is a gift card; omit to leave line_item out of the payload. */
  giftCard?: boolean;
}

function refundBody(orderId: Id, subtotal: string, options: RefundOptions = {}) {
  const currency = options.currency ?? "USD";
  const lineItemId = options.lineItemId ?? shopifyId();
  return {
    id: options.id ?? shopifyId(),
    admin_graphql_api_id: `gid://shopify/Refund/${options.id ?? ""}`,
    order_id: orderId,
    created_at: options.createdAt ?? new Date().toISOString(),
    note: null,
    refund_line_items:
      toMinor(subtotal, currency) === 0n
        ? []
        : [
            {
              id: shopifyId(),
              line_item_id: lineItemId,
              quantity: options.quantity ?? 1,
              subtotal_set: money(subtotal, currency),
              total_tax_set: money(options.tax ?? "0.00", currency),
              ...(options.giftCard === undefined
                ? {}
                : { line_item: { id: lineItemId, gift_card: options.giftCard } }),
            },
          ],
    transactions: [],
    order_adjustments: [],
  };
}

/** A refunds/create payload: `subtotal` of one line ("0.00" for a shipping-only refund). */
export function refundPayload(orderId: Id, subtotal: string, options: RefundOptions = {}) {
  return refundBody(orderId, subtotal, options);
}

export function customerPayload(id: Id, email = `c${id}@example.com`) {
  return {
    id,
    admin_graphql_api_id: `gid://shopify/Customer/${id}`,
    email,
    first_name: "Grace",
    last_name: "Hopper",
    created_at: new Date().toISOString(),
  };
}
