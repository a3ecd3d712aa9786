/**
 * The demo shop's commerce side: catalogue, customers, orders, refunds and carts. Customers and
 * discount usage live in the Admin API simulation's state (so the app's GraphQL calls see them);
 * orders live here. Every change that Shopify would announce goes out as a signed webhook with a
 * REST-shaped payload (orders/paid, orders/cancelled, refunds/create, customers/create, the
 * compliance topics, app/uninstalled).
 */
import { randomBytes } from "node:crypto";
import type { AdminApi } from "./shopify";
import {
  applyDiscountCode,
  applyStoreCredit,
  availableStoreCredit,
  countAutomaticUsage,
  payWithStoreCredit,
  quoteCheckout,
  recordOrderWithCode,
  type CheckoutLine,
  type CheckoutQuote,
} from "./shopify";
import { fromMinorUnits, shopifyDecimal, toMinorUnits } from "./shopify/money";
import { gid, parseGid, type CustomerRecord } from "./shopify/state";
import { shopifyTime, type Delivery, type SendOptions, type WebhookSender } from "./webhooks";

export interface Variant {
  id: number;
  title: string;
  /** Decimal string in the shop currency. */
  price: string;
}

export interface Product {
  id: number;
  handle: string;
  title: string;
  description: string;
  /** Swatch colour for the placeholder image. */
  color: string;
  variants: Variant[];
}

export const CATALOG: Product[] = [
  product(1, "canvas-tote", "Canvas Tote", "Heavy cotton canvas, reinforced handles.", "#c2410c", [
    ["Default Title", "28.00"],
  ]),
  product(2, "merino-beanie", "Merino Beanie", "Soft, warm, and machine washable.", "#15803d", [
    ["Default Title", "34.00"],
  ]),
  product(3, "trail-mug", "Trail Mug", "Enamel steel mug for the campsite.", "#1d4ed8", [
    ["Default Title", "18.00"],
  ]),
  product(4, "waxed-jacket", "Waxed Jacket", "Waxed cotton shell with a wool lining.", "#78350f", [
    ["Default Title", "189.00"],
  ]),
  product(5, "wool-socks", "Wool Socks (3-pack)", "Cushioned hiking socks.", "#6d28d9", [
    ["Default Title", "24.00"],
  ]),
  product(6, "leather-wallet", "Leather Wallet", "Full-grain leather, six card slots.", "#44403c", [
    ["Brown", "45.99"],
    ["Black", "52.00"],
  ]),
];

/** The shop's collections, as the Admin API lists them (campaigns on collections read them). */
export const COLLECTIONS = [
  collection(1, "outdoor", "Outdoor", ["trail-mug", "waxed-jacket", "wool-socks"]),
  collection(2, "accessories", "Accessories", ["canvas-tote", "merino-beanie", "leather-wallet"]),
];

function collection(n: number, handle: string, title: string, products: string[]) {
  return { id: 9_900_000_000_000 + n, handle, title, products };
}

/** The catalogue seeded into the Admin API simulation. */
export function adminCatalog() {
  const productGid = (p: Product) => gid("Product", p.id);
  return {
    products: CATALOG.map((p) => ({
      id: productGid(p),
      title: p.title,
      handle: p.handle,
      // The storefront's variant ids, so a cart line and a discount's variant gid agree.
      variants: p.variants.map((v) => ({
        id: gid("ProductVariant", v.id),
        title: v.title,
        price: v.price,
        sku: variantSku(v.id),
      })),
    })),
    collections: COLLECTIONS.map((c) => ({
      id: gid("Collection", c.id),
      title: c.title,
      handle: c.handle,
      productIds: c.products.map((handle) => productGid(CATALOG.find((p) => p.handle === handle)!)),
    })),
  };
}

function product(
  n: number,
  handle: string,
  title: string,
  description: string,
  color: string,
  variants: Array<[string, string]>,
): Product {
  return {
    id: 8_800_000_000_000 + n,
    handle,
    title,
    description,
    color,
    variants: variants.map(([variantTitle, price], i) => ({
      id: 4_400_000_000_000 + n * 10 + i,
      title: variantTitle,
      price,
    })),
  };
}

/** The SKU a catalogue variant carries in the Admin API and in order payloads. */
export function variantSku(variantId: number): string {
  return `SKU-${variantId}`;
}

export function findVariant(variantId: number): { product: Product; variant: Variant } | null {
  for (const item of CATALOG) {
    const variant = item.variants.find((v) => v.id === variantId);
    if (variant) return { product: item, variant };
  }
  return null;
}

export interface OrderLine {
  id: number;
  productId: number | null;
  variantId: number | null;
  title: string;
  variantTitle: string | null;
  quantity: number;
  /** Unit price. */
  price: string;
  /** Share of the order's discounts (code and automatic) allocated to this line (whole line). */
  discount: string;
  /**
   * Each discount application's share of the line, by index in discount_applications. Orders
   * saved before automatic discounts have none: their code's share is `discount`.
   */
  allocations?: Array<{ application: number; amount: string }>;
}

/** A Discount Function's automatic discount on an order, as discount_applications shows it. */
export interface AppliedAutomatic {
  discountId: string;
  /** The discount's title (discount_applications' `title`). */
  title: string;
  /** What checkout showed the buyer: the candidate's message, else the title. */
  message: string;
  target: "line_item" | "shipping_line";
  valueType: "percentage" | "fixed_amount";
  /** "10.0" */
  value: string;
  /** Money taken off the merchandise (line_item) or the shipping (shipping_line). */
  amount: string;
}

export interface AppliedCode {
  code: string;
  kind: "amount" | "percentage" | "freeShipping";
  /** Money taken off (merchandise for amount/percentage, shipping for free shipping). */
  amount: string;
  /** The discount's own value, as discount_applications reports it ("5.0", "10.0"). */
  value: string;
  /**
   * Taken off some lines only (a discount on products, variants or collections): Shopify's
   * target_selection "entitled".
   */
  entitled?: boolean;
  /** "each" for an amount off each item (appliesOnEachItem); absent: "across" its lines. */
  allocationMethod?: "across" | "each";
}

export interface RefundLine {
  lineItemId: number;
  quantity: number;
  subtotal: string;
}

export interface Refund {
  id: number;
  createdAt: string;
  note: string | null;
  lines: RefundLine[];
  transactionId: number;
  amount: string;
}

export type FinancialStatus = "pending" | "paid" | "partially_refunded" | "refunded" | "voided";

export interface Order {
  id: number;
  number: number;
  name: string;
  token: string;
  /** Numeric customer id, or null for a guest checkout. */
  customerId: string | null;
  email: string | null;
  lines: OrderLine[];
  discount: AppliedCode | null;
  /** Automatic app discounts, after the code in discount_applications; absent on older orders. */
  automaticDiscounts?: AppliedAutomatic[];
  shipping: string;
  currency: string;
  test: boolean;
  createdAt: string;
  updatedAt: string;
  financialStatus: FinancialStatus;
  cancelledAt: string | null;
  cancelReason: string | null;
  refunds: Refund[];
  /** What the buyer's store credit paid (a payment, not a discount); absent or null: none. */
  storeCredit?: { amount: string; transactionId: string } | null;
}

export interface CartLine {
  variantId: number;
  quantity: number;
}

export interface Cart {
  token: string;
  lines: CartLine[];
  code: string | null;
  /** The buyer unticked "Apply store credit" at checkout (it is applied by default). */
  storeCreditOff?: boolean;
}

export const FLAT_SHIPPING = "5.00";

export class ShopError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

interface Counters {
  customer: number;
  order: number;
  orderNumber: number;
  lineItem: number;
  refund: number;
  transaction: number;
  dataRequest: number;
}

export interface OrderInput {
  customerId?: string | null;
  lines?: CartLine[];
  /** A single custom line item for this amount, when no catalogue lines are given. */
  subtotal?: string;
  code?: string | null;
  test?: boolean;
  /** false leaves the order pending (manual payment) until `pay()`. */
  paid?: boolean;
  createdAt?: Date;
  /**
   * Pay with the customer's store credit in the shop currency, as much of the total (after
   * discounts, shipping included) as it covers; the rest goes to the other payment method.
   * Needs a signed-in customer with a balance, as on Shopify.
   */
  storeCredit?: boolean;
}

/**
 * The gateway of a store credit payment in order payloads. Not in Shopify's reference docs: it is
 * the name integrations that read Shopify orders (accounting exports, refund tools) match on.
 */
export const STORE_CREDIT_GATEWAY = "shopify_store_credit";

export type CheckoutRejection = Exclude<ReturnType<typeof applyDiscountCode>, { ok: true }>;

export class Shop {
  readonly orders: Order[] = [];
  readonly carts = new Map<string, Cart>();
  private counters: Counters = {
    customer: 7_100_000_000_000,
    order: 5_700_000_000_000,
    orderNumber: 1000,
    lineItem: 13_900_000_000_000,
    refund: 910_000_000_000,
    transaction: 6_600_000_000_000,
    dataRequest: 9_000,
  };

  constructor(
    readonly api: AdminApi,
    readonly webhooks: WebhookSender,
    private readonly onChange: () => void = () => {},
  ) {}

  get domain() {
    return this.api.shopDomain;
  }

  get currency() {
    return this.api.state.shop.currencyCode;
  }

  private next(key: keyof Counters): number {
    this.counters[key] += 1;
    return this.counters[key];
  }

  private minor(amount: string): bigint {
    return toMinorUnits(amount, this.currency);
  }

  private money(units: bigint): string {
    return fromMinorUnits(units, this.currency);
  }

  // ---------------------------------------------------------------- customers

  customers(): CustomerRecord[] {
    return [...this.api.state.customers.values()].sort((a, b) =>
      customerName(a).localeCompare(customerName(b)),
    );
  }

  customer(id: string | number | null | undefined): CustomerRecord | null {
    if (id === null || id === undefined || id === "") return null;
    const key = String(id).startsWith("gid://") ? String(id) : gid("Customer", String(id));
    return this.api.state.customers.get(key) ?? null;
  }

  async createCustomer(
    input: { firstName?: string; lastName?: string; email?: string; createdAt?: Date },
    send: SendOptions = {},
  ): Promise<{ customer: CustomerRecord; deliveries: Delivery[] }> {
    const email = input.email?.trim() || null;
    if (email && this.customers().some((c) => c.email?.toLowerCase() === email.toLowerCase()))
      throw new ShopError("Email has already been taken", 422);
    const at = shopifyTime(input.createdAt);
    const customer = this.api.addCustomer({
      id: gid("Customer", this.next("customer")),
      email,
      firstName: input.firstName?.trim() || null,
      lastName: input.lastName?.trim() || null,
      createdAt: at,
      updatedAt: at,
    });
    this.onChange();
    const deliveries = await this.webhooks.send(
      "customers/create",
      this.customerPayload(customer),
      {
        triggeredAt: input.createdAt,
        ...send,
      },
    );
    return { customer, deliveries };
  }

  customerPayload(customer: CustomerRecord) {
    const id = Number(parseGid(customer.id)?.id);
    const orders = this.orders.filter((o) => o.customerId === String(id));
    const last = orders.at(-1);
    return {
      id,
      email: customer.email,
      created_at: customer.createdAt,
      updated_at: customer.updatedAt,
      first_name: customer.firstName,
      last_name: customer.lastName,
      orders_count: customer.numberOfOrders,
      state: "enabled",
      total_spent: customer.amountSpent,
      last_order_id: last?.id ?? null,
      note: customer.note,
      verified_email: customer.email !== null,
      multipass_identifier: null,
      tax_exempt: false,
      tags: customer.tags.join(", "),
      last_order_name: last?.name ?? null,
      currency: this.currency,
      phone: null,
      addresses: [],
      tax_exemptions: [],
      email_marketing_consent: customer.email
        ? { state: "not_subscribed", opt_in_level: "single_opt_in", consent_updated_at: null }
        : null,
      sms_marketing_consent: null,
      admin_graphql_api_id: customer.id,
      default_address: null,
    };
  }

  // ---------------------------------------------------------------- checkout

  subtotalOf(lines: CartLine[]): string {
    let total = 0n;
    for (const line of lines) {
      const found = findVariant(line.variantId);
      if (!found) throw new ShopError(`Unknown variant ${line.variantId}`);
      total += this.minor(found.variant.price) * BigInt(line.quantity);
    }
    return this.money(total);
  }

  /** What checkout says about a code for this buyer and cart; changes nothing. */
  checkCode(code: string, customerId: string | null, cart: string | CartLine[]) {
    const lines = typeof cart === "string" ? undefined : this.checkoutLines(cart);
    return applyDiscountCode(this.api.state, {
      code,
      customerId: customerId ? gid("Customer", customerId) : null,
      subtotal: typeof cart === "string" ? cart : this.subtotalOf(cart),
      ...(lines && { lines }),
    });
  }

  /** Cart lines as checkout sees them: product and variant gids, quantity and subtotal. */
  private checkoutLines(cart: CartLine[]): CheckoutLine[] {
    return cart.map((line) => {
      const found = findVariant(line.variantId);
      if (!found) throw new ShopError(`Unknown variant ${line.variantId}`);
      return {
        productId: gid("Product", found.product.id),
        variantId: gid("ProductVariant", found.variant.id),
        quantity: line.quantity,
        subtotal: this.money(this.minor(found.variant.price) * BigInt(line.quantity)),
      };
    });
  }

  /** The customer's store credit balance in the shop currency ("0.00" for none or a guest). */
  storeCreditBalance(customerId: string | number | null | undefined): string {
    const customer = this.customer(customerId);
    return availableStoreCredit(this.api.state, customer?.id ?? null);
  }

  /** What store credit would pay on a checkout owing `total`; changes nothing. */
  checkStoreCredit(customerId: string | number | null | undefined, total: string) {
    const customer = this.customer(customerId);
    return applyStoreCredit(this.api.state, { customerId: customer?.id ?? null, total });
  }

  /**
   * Places an order as checkout does: re-checks the code, counts its use, creates the order and,
   * if paid, announces it with orders/paid (which carries the code in discount_codes).
   */
  async placeOrder(
    input: OrderInput,
    send: SendOptions = {},
  ): Promise<{ order: Order; deliveries: Delivery[] }> {
    const customer = this.customer(input.customerId ?? null);
    if (input.customerId && !customer) throw new ShopError(`No customer ${input.customerId}`, 404);
    const customerId = customer ? (parseGid(customer.id)?.id ?? null) : null;
    const createdAt = input.createdAt ?? new Date();
    // Refused before anything is recorded: the code's use must not count for a failed checkout.
    if (input.storeCredit) {
      if (!customer) throw new ShopError("Log in to use your store credit", 422);
      if (this.minor(availableStoreCredit(this.api.state, customer.id, createdAt)) === 0n)
        throw new ShopError("No store credit available", 422);
    }
    const lines: OrderLine[] = [];
    if (input.lines?.length) {
      for (const line of input.lines) {
        const found = findVariant(line.variantId);
        if (!found) throw new ShopError(`Unknown variant ${line.variantId}`);
        if (!Number.isInteger(line.quantity) || line.quantity < 1)
          throw new ShopError("Quantity must be a whole number, at least 1");
        lines.push({
          id: this.next("lineItem"),
          productId: found.product.id,
          variantId: found.variant.id,
          title: found.product.title,
          variantTitle: found.product.variants.length > 1 ? found.variant.title : null,
          quantity: line.quantity,
          price: found.variant.price,
          discount: this.money(0n),
          allocations: [],
        });
      }
    } else {
      const amount = input.subtotal ?? "";
      let units: bigint;
      try {
        units = this.minor(amount);
      } catch {
        throw new ShopError(`Subtotal must be an amount in ${this.currency}, e.g. 45.00`);
      }
      if (units <= 0n) throw new ShopError("Subtotal must be more than zero");
      lines.push({
        id: this.next("lineItem"),
        productId: null,
        variantId: null,
        title: "Custom item",
        variantTitle: null,
        quantity: 1,
        price: this.money(units),
        discount: this.money(0n),
        allocations: [],
      });
    }

    const id = this.next("order");
    const subtotal = this.money(
      lines.reduce((sum, l) => sum + this.minor(l.price) * BigInt(l.quantity), 0n),
    );
    const code = input.code?.trim() ?? "";
    // Priced as checkout prices it, functions included, before anything is recorded.
    const quote = await this.quoteOrderLines(customer?.id ?? null, lines, code || null, createdAt);
    if (code && quote.code && !quote.code.ok)
      throw new ShopError(checkoutMessage(quote.code.reason, code), 422);
    let discount: AppliedCode | null = null;
    let shipping = FLAT_SHIPPING;
    if (code) {
      const result = recordOrderWithCode(this.api.state, {
        code,
        customerId: customer?.id ?? null,
        subtotal,
        lines: lines.map((l) => ({
          productId: l.productId === null ? null : gid("Product", l.productId),
          variantId: l.variantId === null ? null : gid("ProductVariant", l.variantId),
          quantity: l.quantity,
          subtotal: this.money(this.minor(l.price) * BigInt(l.quantity)),
        })),
        orderId: gid("Order", id),
        now: createdAt,
      });
      if (!result.ok) throw new ShopError(checkoutMessage(result.reason, code), 422);
      const record = this.api.state.discounts.get(result.discount.discountId);
      const value = record?.value;
      discount = {
        code: result.discount.code,
        kind: result.discount.kind,
        amount: result.discount.freeShipping ? FLAT_SHIPPING : result.discount.amount,
        value:
          value?.kind === "amount"
            ? shopifyDecimal(value.amount)
            : value?.kind === "percentage"
              ? (Math.round(value.percentage * 10_000) / 100).toFixed(1)
              : "100.0",
        entitled: result.discount.eligibleLines !== null,
        ...(result.discount.lineAmounts && { allocationMethod: "each" as const }),
      };
      if (result.discount.freeShipping) shipping = this.money(0n);
      else if (result.discount.lineAmounts) {
        // An amount off each item: every entitled line gets its own units' worth.
        for (const { line, amount } of result.discount.lineAmounts) {
          const target = lines[line]!;
          target.discount = this.money(this.minor(target.discount) + this.minor(amount));
          (target.allocations ??= []).push({ application: 0, amount });
        }
      } else {
        const eligible = result.discount.eligibleLines;
        this.allocate(
          eligible ? lines.filter((_, i) => eligible.includes(i)) : lines,
          this.minor(result.discount.amount),
          0,
        );
      }
    } else if (customer) {
      // recordOrderWithCode keeps the customer's order count and spend for coded orders.
      customer.numberOfOrders += 1;
      customer.amountSpent = this.money(this.minor(customer.amountSpent) + this.minor(subtotal));
      customer.updatedAt = shopifyTime(createdAt);
    }

    const automaticDiscounts: AppliedAutomatic[] = [];
    quote.automatic.forEach((application, i) => {
      const index = (discount ? 1 : 0) + i;
      if (application.target === "order") {
        this.allocate(
          application.lines.map((line) => lines[line]!),
          this.minor(application.amount),
          index,
        );
        if (customer)
          customer.amountSpent = this.money(
            this.minor(customer.amountSpent) - this.minor(application.amount),
          );
      } else shipping = this.money(this.minor(shipping) - this.minor(application.amount));
      automaticDiscounts.push({
        discountId: application.discountId,
        title: application.title,
        message: application.message ?? application.title,
        target: application.target === "order" ? "line_item" : "shipping_line",
        valueType: application.valueType,
        value: application.value,
        amount: application.amount,
      });
    });
    countAutomaticUsage(this.api.state, quote.automatic);

    let storeCredit: Order["storeCredit"] = null;
    if (input.storeCredit && customer) {
      const merchandiseDiscount = lines.reduce((sum, l) => sum + this.minor(l.discount), 0n);
      const total = this.minor(subtotal) - merchandiseDiscount + this.minor(shipping);
      const paid = payWithStoreCredit(this.api.state, {
        customerId: customer.id,
        total: this.money(total),
        orderId: gid("Order", id),
        now: createdAt,
      });
      if (paid.ok) storeCredit = { amount: paid.amount, transactionId: paid.transactionId };
    }

    const number = this.next("orderNumber");
    const at = shopifyTime(createdAt);
    const order: Order = {
      id,
      number,
      name: `#${number}`,
      token: randomBytes(16).toString("hex"),
      customerId,
      email: customer?.email ?? null,
      lines,
      discount,
      automaticDiscounts,
      shipping,
      currency: this.currency,
      test: input.test ?? false,
      createdAt: at,
      updatedAt: at,
      financialStatus: "pending",
      cancelledAt: null,
      cancelReason: null,
      refunds: [],
      storeCredit,
    };
    this.orders.push(order);
    this.onChange();
    const deliveries = input.paid === false ? [] : await this.pay(order.id, send, createdAt);
    return { order, deliveries };
  }

  /**
   * Splits one discount application across lines in proportion to their totals; the last line
   * takes the rest.
   */
  private allocate(lines: OrderLine[], discount: bigint, application: number) {
    const totals = lines.map((l) => this.minor(l.price) * BigInt(l.quantity));
    const all = totals.reduce((a, b) => a + b, 0n);
    let left = discount;
    lines.forEach((line, i) => {
      const share = i === lines.length - 1 ? left : (discount * totals[i]!) / all;
      line.discount = this.money(this.minor(line.discount) + share);
      (line.allocations ??= []).push({ application, amount: this.money(share) });
      left -= share;
    });
  }

  /** What checkout charges for these order lines, automatic discounts' functions included. */
  private quoteOrderLines(
    customerId: string | null,
    lines: OrderLine[],
    code: string | null,
    now: Date,
  ): Promise<CheckoutQuote> {
    return quoteCheckout(this.api.state, {
      customerId,
      code,
      lines: lines.map((l) => ({
        productId: l.productId === null ? null : gid("Product", l.productId),
        variantId: l.variantId === null ? null : gid("ProductVariant", l.variantId),
        title: l.title,
        quantity: l.quantity,
        subtotal: this.money(this.minor(l.price) * BigInt(l.quantity)),
      })),
      shipping: FLAT_SHIPPING,
      now,
    });
  }

  /**
   * What checkout shows for a cart: the code's outcome, automatic discounts and totals. Runs the
   * automatic discounts' functions; records nothing else.
   */
  quote(
    customerId: string | number | null,
    cart: CartLine[],
    code: string | null,
    now = new Date(),
  ): Promise<CheckoutQuote> {
    const customer = this.customer(customerId);
    const lines = cart.map((line): OrderLine => {
      const found = findVariant(line.variantId);
      if (!found) throw new ShopError(`Unknown variant ${line.variantId}`);
      return {
        id: 0,
        productId: found.product.id,
        variantId: found.variant.id,
        title: found.product.title,
        variantTitle: null,
        quantity: line.quantity,
        price: found.variant.price,
        discount: this.money(0n),
      };
    });
    return this.quoteOrderLines(customer?.id ?? null, lines, code, now);
  }

  order(ref: string | number): Order {
    const text = String(ref).replace(/^#/, "");
    const found = this.orders.find(
      (o) => String(o.id) === text || String(o.number) === text || o.name === `#${text}`,
    );
    if (!found) throw new ShopError(`No order ${ref}`, 404);
    return found;
  }

  async pay(ref: string | number, send: SendOptions = {}, at = new Date()): Promise<Delivery[]> {
    const order = this.order(ref);
    if (order.cancelledAt) throw new ShopError(`${order.name} is cancelled`, 409);
    if (order.financialStatus !== "pending")
      throw new ShopError(`${order.name} is already ${order.financialStatus}`, 409);
    order.financialStatus = "paid";
    order.updatedAt = shopifyTime(at);
    this.onChange();
    return this.webhooks.send("orders/paid", this.orderPayload(order), {
      triggeredAt: at,
      ...send,
    });
  }

  /** Quantity of a line not yet refunded. */
  remaining(order: Order, line: OrderLine): number {
    const refunded = order.refunds
      .flatMap((r) => r.lines)
      .filter((r) => r.lineItemId === line.id)
      .reduce((sum, r) => sum + r.quantity, 0);
    return line.quantity - refunded;
  }

  /**
   * Refunds line items (all that remain when `lines` is omitted). As in Shopify, the refunded
   * subtotal of a line is its price less its share of the order's discount.
   */
  async refund(
    ref: string | number,
    input: { lines?: Array<{ lineItemId: number; quantity: number }>; note?: string | null } = {},
    send: SendOptions = {},
    at = new Date(),
  ): Promise<{ refund: Refund; deliveries: Delivery[] }> {
    const order = this.order(ref);
    if (order.financialStatus === "pending" || order.financialStatus === "voided")
      throw new ShopError(`${order.name} has no payment to refund`, 409);
    const wanted =
      input.lines ??
      order.lines.map((line) => ({ lineItemId: line.id, quantity: this.remaining(order, line) }));
    const lines: RefundLine[] = [];
    for (const item of wanted) {
      if (item.quantity === 0) continue;
      const line = order.lines.find((l) => l.id === item.lineItemId);
      if (!line) throw new ShopError(`${order.name} has no line item ${item.lineItemId}`);
      if (!Number.isInteger(item.quantity) || item.quantity < 0)
        throw new ShopError("Refund quantity must be a whole number");
      if (item.quantity > this.remaining(order, line))
        throw new ShopError(
          `Only ${this.remaining(order, line)} of ${line.title} can still be refunded`,
        );
      const gross = this.minor(line.price) * BigInt(item.quantity);
      const share = (this.minor(line.discount) * BigInt(item.quantity)) / BigInt(line.quantity);
      lines.push({
        lineItemId: line.id,
        quantity: item.quantity,
        subtotal: this.money(gross - share),
      });
    }
    if (!lines.length) throw new ShopError(`Nothing left to refund on ${order.name}`, 409);
    const refund: Refund = {
      id: this.next("refund"),
      createdAt: shopifyTime(at),
      note: input.note ?? null,
      lines,
      transactionId: this.next("transaction"),
      amount: this.money(lines.reduce((sum, l) => sum + this.minor(l.subtotal), 0n)),
    };
    order.refunds.push(refund);
    const everything = order.lines.every((line) => this.remaining(order, line) === 0);
    order.financialStatus = everything ? "refunded" : "partially_refunded";
    order.updatedAt = refund.createdAt;
    this.onChange();
    const deliveries = await this.webhooks.send(
      "refunds/create",
      this.refundPayload(order, refund),
      {
        triggeredAt: at,
        ...send,
      },
    );
    return { refund, deliveries };
  }

  /** Cancels like the admin's "Cancel order" with "Refund payment" ticked (the default). */
  async cancel(
    ref: string | number,
    input: { refund?: boolean; reason?: string } = {},
    send: SendOptions = {},
    at = new Date(),
  ): Promise<Delivery[]> {
    const order = this.order(ref);
    if (order.cancelledAt) throw new ShopError(`${order.name} is already cancelled`, 409);
    const deliveries: Delivery[] = [];
    const refundable =
      order.financialStatus === "paid" || order.financialStatus === "partially_refunded";
    if (refundable && input.refund !== false)
      deliveries.push(
        ...(await this.refund(order.id, { note: "Order cancelled" }, send, at)).deliveries,
      );
    if (order.financialStatus === "pending") order.financialStatus = "voided";
    order.cancelledAt = shopifyTime(at);
    order.cancelReason = input.reason ?? "customer";
    order.updatedAt = order.cancelledAt;
    this.onChange();
    deliveries.push(
      ...(await this.webhooks.send("orders/cancelled", this.orderPayload(order), {
        triggeredAt: at,
        ...send,
      })),
    );
    return deliveries;
  }

  // ---------------------------------------------------------------- compliance and app events

  async customerRedact(customerId: string, send: SendOptions = {}) {
    const customer = this.customer(customerId);
    const numeric = Number(customer ? parseGid(customer.id)?.id : customerId);
    return this.webhooks.send(
      "customers/redact",
      {
        shop_id: this.shopId,
        shop_domain: this.domain,
        customer: { id: numeric, email: customer?.email ?? null, phone: null },
        orders_to_redact: this.orders
          .filter((o) => o.customerId === String(numeric))
          .map((o) => o.id),
      },
      send,
    );
  }

  async customerDataRequest(customerId: string, send: SendOptions = {}) {
    const customer = this.customer(customerId);
    const numeric = Number(customer ? parseGid(customer.id)?.id : customerId);
    return this.webhooks.send(
      "customers/data_request",
      {
        shop_id: this.shopId,
        shop_domain: this.domain,
        orders_requested: this.orders
          .filter((o) => o.customerId === String(numeric))
          .map((o) => o.id),
        customer: { id: numeric, email: customer?.email ?? null, phone: null },
        data_request: { id: this.next("dataRequest") },
      },
      send,
    );
  }

  async shopRedact(send: SendOptions = {}) {
    return this.webhooks.send(
      "shop/redact",
      { shop_id: this.shopId, shop_domain: this.domain },
      send,
    );
  }

  /** Uninstalling revokes the app's tokens; opening the app from the admin installs it again. */
  async uninstallApp(send: SendOptions = {}) {
    for (const token of this.api.state.accessTokens.values()) token.revoked = true;
    for (const token of this.api.state.refreshTokens.values()) token.revoked = true;
    this.onChange();
    const shop = this.api.state.shop;
    return this.webhooks.send(
      "app/uninstalled",
      {
        id: this.shopId,
        name: shop.name,
        email: shop.email,
        domain: shop.myshopifyDomain,
        myshopify_domain: shop.myshopifyDomain,
        currency: shop.currencyCode,
        iana_timezone: shop.ianaTimezone,
        plan_name: "partner_test",
        created_at: shopifyTime(new Date(0)),
      },
      send,
    );
  }

  private get shopId(): number {
    return Number(parseGid(this.api.state.shop.id)?.id);
  }

  // ---------------------------------------------------------------- payloads

  private set(amount: string) {
    return {
      shop_money: { amount, currency_code: this.currency },
      presentment_money: { amount, currency_code: this.currency },
    };
  }

  private lineTotals(order: Order) {
    const gross = order.lines.reduce((s, l) => s + this.minor(l.price) * BigInt(l.quantity), 0n);
    const merchandiseDiscount =
      (order.discount && order.discount.kind !== "freeShipping"
        ? this.minor(order.discount.amount)
        : 0n) + this.automaticTotal(order, "line_item");
    const refunded = order.refunds.reduce((s, r) => s + this.minor(r.amount), 0n);
    return { gross, merchandiseDiscount, refunded };
  }

  private automaticTotal(order: Order, target: AppliedAutomatic["target"]): bigint {
    return (order.automaticDiscounts ?? [])
      .filter((a) => a.target === target)
      .reduce((sum, a) => sum + this.minor(a.amount), 0n);
  }

  /** discount_applications' index of each automatic discount: after the code's, if any. */
  private automaticIndex(order: Order, i: number): number {
    return (order.discount ? 1 : 0) + i;
  }

  private lineAllocations(order: Order, line: OrderLine) {
    if (line.allocations) {
      return line.allocations
        .filter(
          (a) => this.minor(a.amount) > 0n || !order.discount?.entitled || a.application !== 0,
        )
        .map((a) => ({
          amount: a.amount,
          amount_set: this.set(a.amount),
          discount_application_index: a.application,
        }));
    }
    return order.discount &&
      order.discount.kind !== "freeShipping" &&
      // Lines outside an entitled discount's items get no allocation at all.
      !(order.discount.entitled && this.minor(line.discount) === 0n)
      ? [
          {
            amount: line.discount,
            amount_set: this.set(line.discount),
            discount_application_index: 0,
          },
        ]
      : [];
  }

  private linePayload(order: Order, line: OrderLine) {
    return {
      id: line.id,
      admin_graphql_api_id: gid("LineItem", line.id),
      current_quantity: order.cancelledAt ? 0 : this.remaining(order, line),
      fulfillable_quantity: order.cancelledAt ? 0 : this.remaining(order, line),
      fulfillment_service: "manual",
      fulfillment_status: null,
      gift_card: false,
      grams: 0,
      name: line.variantTitle ? `${line.title} - ${line.variantTitle}` : line.title,
      price: line.price,
      price_set: this.set(line.price),
      product_exists: line.productId !== null,
      product_id: line.productId,
      properties: [],
      quantity: line.quantity,
      requires_shipping: true,
      sku: line.variantId ? variantSku(line.variantId) : null,
      taxable: true,
      title: line.title,
      total_discount: "0.00",
      total_discount_set: this.set("0.00"),
      variant_id: line.variantId,
      variant_inventory_management: line.variantId ? "shopify" : null,
      variant_title: line.variantTitle,
      vendor: this.api.state.shop.name,
      tax_lines: [],
      duties: [],
      discount_allocations: this.lineAllocations(order, line),
    };
  }

  orderPayload(order: Order) {
    const { gross, merchandiseDiscount, refunded } = this.lineTotals(order);
    const shipping = this.minor(order.shipping);
    const subtotal = gross - merchandiseDiscount;
    const total = subtotal + shipping;
    const current = order.cancelledAt ? 0n : subtotal - refunded;
    const currentTotal = order.cancelledAt ? 0n : total - refunded;
    const discounts =
      merchandiseDiscount +
      (order.discount?.kind === "freeShipping" ? this.minor(order.discount.amount) : 0n) +
      this.automaticTotal(order, "shipping_line");
    const customer = this.customer(order.customerId);
    const code = order.discount;
    return {
      id: order.id,
      admin_graphql_api_id: gid("Order", order.id),
      app_id: 580111,
      browser_ip: "127.0.0.1",
      buyer_accepts_marketing: false,
      cancel_reason: order.cancelReason,
      cancelled_at: order.cancelledAt,
      cart_token: null,
      checkout_id: order.id + 100_000,
      checkout_token: order.token,
      closed_at: null,
      confirmation_number: order.token.slice(0, 9).toUpperCase(),
      confirmed: true,
      contact_email: order.email,
      created_at: order.createdAt,
      currency: order.currency,
      current_subtotal_price: this.money(current),
      current_subtotal_price_set: this.set(this.money(current)),
      current_total_discounts: this.money(order.cancelledAt ? 0n : discounts),
      current_total_discounts_set: this.set(this.money(order.cancelledAt ? 0n : discounts)),
      current_total_price: this.money(currentTotal),
      current_total_price_set: this.set(this.money(currentTotal)),
      current_total_tax: "0.00",
      current_total_tax_set: this.set("0.00"),
      customer_locale: "en",
      discount_codes: code
        ? [
            {
              code: code.code,
              amount: code.amount,
              type:
                code.kind === "freeShipping"
                  ? "shipping"
                  : code.kind === "percentage"
                    ? "percentage"
                    : "fixed_amount",
            },
          ]
        : [],
      email: order.email ?? "",
      estimated_taxes: false,
      financial_status: order.financialStatus,
      fulfillment_status: null,
      name: order.name,
      note: null,
      note_attributes: [],
      number: order.number - 1000,
      order_number: order.number,
      order_status_url: `https://${this.domain}/${this.shopId}/orders/${order.token}/authenticate?key=${order.token}`,
      payment_gateway_names: this.gatewayNames(order, total),
      phone: null,
      presentment_currency: order.currency,
      processed_at: order.createdAt,
      source_name: "web",
      subtotal_price: this.money(subtotal),
      subtotal_price_set: this.set(this.money(subtotal)),
      tags: "",
      tax_lines: [],
      taxes_included: false,
      test: order.test,
      token: order.token,
      total_discounts: this.money(discounts),
      total_discounts_set: this.set(this.money(discounts)),
      total_line_items_price: this.money(gross),
      total_line_items_price_set: this.set(this.money(gross)),
      total_outstanding: order.financialStatus === "pending" ? this.money(total) : "0.00",
      total_price: this.money(total),
      total_price_set: this.set(this.money(total)),
      total_shipping_price_set: this.set(order.shipping),
      total_tax: "0.00",
      total_tax_set: this.set("0.00"),
      total_tip_received: "0.00",
      total_weight: 0,
      updated_at: order.updatedAt,
      user_id: null,
      customer: customer ? this.customerPayload(customer) : null,
      // The code first, then automatic discounts: allocations point at these indexes.
      discount_applications: [
        ...(code
          ? [
              {
                target_type: code.kind === "freeShipping" ? "shipping_line" : "line_item",
                type: "discount_code",
                value: code.value,
                value_type: code.kind === "percentage" ? "percentage" : "fixed_amount",
                allocation_method:
                  code.kind === "freeShipping" ? "each" : (code.allocationMethod ?? "across"),
                target_selection: code.entitled ? "entitled" : "all",
                code: code.code,
              },
            ]
          : []),
        ...(order.automaticDiscounts ?? []).map((a) => ({
          target_type: a.target,
          type: "automatic",
          value: a.value,
          value_type: a.valueType,
          allocation_method: a.target === "shipping_line" ? "each" : "across",
          target_selection: "all",
          title: a.title,
        })),
      ],
      fulfillments: [],
      line_items: order.lines.map((line) => this.linePayload(order, line)),
      refunds: order.refunds.map((refund) => this.refundPayload(order, refund)),
      shipping_lines: [
        {
          id: order.id + 200_000,
          code: "Standard",
          discounted_price: order.shipping,
          discounted_price_set: this.set(order.shipping),
          price: FLAT_SHIPPING,
          price_set: this.set(FLAT_SHIPPING),
          source: "shopify",
          title: "Standard",
          tax_lines: [],
          discount_allocations: [
            ...(code?.kind === "freeShipping"
              ? [
                  {
                    amount: code.amount,
                    amount_set: this.set(code.amount),
                    discount_application_index: 0,
                  },
                ]
              : []),
            ...(order.automaticDiscounts ?? []).flatMap((a, i) =>
              a.target === "shipping_line"
                ? [
                    {
                      amount: a.amount,
                      amount_set: this.set(a.amount),
                      discount_application_index: this.automaticIndex(order, i),
                    },
                  ]
                : [],
            ),
          ],
        },
      ],
    };
  }

  /**
   * Store credit is a payment method: it shows as a gateway and leaves every total alone. The
   * Bogus Gateway pays whatever it did not cover.
   */
  private gatewayNames(order: Order, total: bigint): string[] {
    const byStoreCredit = order.storeCredit ? this.minor(order.storeCredit.amount) : 0n;
    if (byStoreCredit === 0n) return ["bogus"];
    return byStoreCredit < total ? [STORE_CREDIT_GATEWAY, "bogus"] : [STORE_CREDIT_GATEWAY];
  }

  refundPayload(order: Order, refund: Refund) {
    return {
      id: refund.id,
      admin_graphql_api_id: gid("Refund", refund.id),
      created_at: refund.createdAt,
      note: refund.note,
      order_id: order.id,
      processed_at: refund.createdAt,
      restock: true,
      total_duties_set: this.set("0.00"),
      user_id: null,
      order_adjustments: [],
      transactions: [
        {
          id: refund.transactionId,
          admin_graphql_api_id: gid("OrderTransaction", refund.transactionId),
          amount: refund.amount,
          authorization: null,
          created_at: refund.createdAt,
          currency: order.currency,
          error_code: null,
          gateway: "bogus",
          kind: "refund",
          message: "Bogus Gateway: Forced success",
          order_id: order.id,
          processed_at: refund.createdAt,
          source_name: "web",
          status: "success",
          test: order.test,
        },
      ],
      refund_line_items: refund.lines.map((item, i) => {
        const line = order.lines.find((l) => l.id === item.lineItemId)!;
        return {
          id: refund.id * 10 + i,
          line_item_id: item.lineItemId,
          location_id: null,
          quantity: item.quantity,
          restock_type: "return",
          subtotal: item.subtotal,
          subtotal_set: this.set(item.subtotal),
          total_tax: "0.00",
          total_tax_set: this.set("0.00"),
          line_item: this.linePayload(order, line),
        };
      }),
      duties: [],
      refund_shipping_lines: [],
    };
  }

  // ---------------------------------------------------------------- persistence

  toJSON() {
    return { orders: this.orders, counters: this.counters, carts: [...this.carts.values()] };
  }

  restore(saved: { orders?: Order[]; counters?: Counters; carts?: Cart[] }) {
    this.orders.splice(0, this.orders.length, ...(saved.orders ?? []));
    if (saved.counters) this.counters = { ...this.counters, ...saved.counters };
    this.carts.clear();
    for (const cart of saved.carts ?? []) this.carts.set(cart.token, cart);
  }
}

export function customerName(customer: CustomerRecord): string {
  const name = [customer.firstName, customer.lastName].filter(Boolean).join(" ");
  return name || customer.email || customer.id;
}

/** Buyer-facing text for a rejected code, close to what Shopify checkout shows. */
export function checkoutMessage(reason: CheckoutRejection["reason"], code: string): string {
  switch (reason) {
    case "NOT_FOUND":
      return "Enter a valid discount code";
    case "CUSTOMER_REQUIRED":
      return `Log in to use ${code}`;
    case "MINIMUM_SUBTOTAL_NOT_MET":
      return `${code} requires a higher order subtotal`;
    // Shopify checkout words a minimum the cart does not meet as it words items it cannot take.
    case "MINIMUM_QUANTITY_NOT_MET":
    case "NOT_APPLICABLE":
      return `${code} discount code isn’t valid for the items in your cart`;
    case "NOT_COMBINABLE":
      return `${code} discount code couldn’t be used with your existing discounts`;
    case "NOT_YET_ACTIVE":
    case "EXPIRED":
    case "USAGE_LIMIT_REACHED":
    case "CUSTOMER_NOT_ELIGIBLE":
    case "ALREADY_USED_BY_CUSTOMER":
      return `${code} discount code isn’t available to you right now`;
  }
}
