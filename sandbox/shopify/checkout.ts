/**
 * What Shopify checkout does with a code the app created: the eligibility rules a buyer hits
 * (dates, customer restriction, usage limits, minimum subtotal or quantity, the products,
 * variants or collections a discount is limited to) and the usage counting an order causes. Lets end-to-end tests prove a reward code is actually redeemable, once.
 * Also the buyer's store credit as a payment method: `applyStoreCredit` says what it would pay,
 * `payWithStoreCredit` debits it for an order.
 */
import {
  runAutomaticDiscounts,
  type AutomaticDecision,
  type DiscountValueSpec,
  type FunctionCart,
} from "./discount-functions";
import {
  decimalFraction,
  fromMinorUnits,
  mulDivRound,
  shopifyDecimal,
  toMinorUnits,
} from "./money";
import { NotSimulatedError } from "./discounts";
import { debitStoreCredit, findStoreCreditAccount, storeCreditBalance } from "./store-credit";
import {
  discountStatus,
  findDiscountByCode,
  gid,
  nextNumericId,
  parseGid,
  type AdminApiState,
  type CombinesWith,
  type DiscountClass,
  type DiscountRecord,
} from "./state";

export type CheckoutRejection =
  | "NOT_FOUND"
  | "NOT_YET_ACTIVE"
  | "EXPIRED"
  | "USAGE_LIMIT_REACHED"
  | "CUSTOMER_REQUIRED"
  | "CUSTOMER_NOT_ELIGIBLE"
  | "ALREADY_USED_BY_CUSTOMER"
  | "MINIMUM_SUBTOTAL_NOT_MET"
  /** Fewer items than the minimum quantity among those the discount applies to. */
  | "MINIMUM_QUANTITY_NOT_MET"
  /** A discount on some products, variants or collections, and none of them in the cart. */
  | "NOT_APPLICABLE"
  /**
   * Valid, but it does not combine with an automatic discount that saves the buyer more, so
   * checkout keeps the automatic one (priceCheckout only).
   */
  | "NOT_COMBINABLE";

export interface AppliedDiscount {
  discountId: string;
  code: string;
  kind: "amount" | "percentage" | "freeShipping";
  /** Money taken off the merchandise subtotal, decimal string in the shop currency. */
  amount: string;
  /** Same amount in integer minor units (cents for USD). */
  amountMinorUnits: number;
  /** The subtotal after the discount. */
  subtotalAfterDiscount: string;
  freeShipping: boolean;
  /** Indexes of the cart lines the discount is taken off; null for the whole order. */
  eligibleLines: number[] | null;
  /**
   * An amount off each item (appliesOnEachItem): what each eligible line gets, as the order
   * allocates it ("each"). null when the discount is taken across its lines, in proportion.
   */
  lineAmounts: Array<{ line: number; amount: string }> | null;
}

export type CheckoutResult =
  { ok: true; discount: AppliedDiscount } | { ok: false; reason: CheckoutRejection };

export interface CheckoutInput {
  code: string;
  /** gid://shopify/Customer/N, or null for a guest checkout. */
  customerId: string | null;
  /** Merchandise subtotal before discounts, decimal string in the shop currency ("42.50"). */
  subtotal: string;
  /**
   * The cart's lines: needed to price a discount on some products, variants or collections, a
   * minimum quantity, or an amount off each item.
   */
  lines?: ReadonlyArray<CheckoutLine>;
  /** Defaults to the simulation's clock. */
  now?: Date | number;
}

export interface CheckoutLine {
  /** Product gid, or null for a custom item. */
  productId: string | null;
  /**
   * ProductVariant gid, or null for a custom item. Needed (the sandbox throws without it) when
   * the discount is on variants.
   */
  variantId?: string | null;
  /** Units on the line; needed for a minimum quantity and an amount off each item. */
  quantity?: number;
  /** Unit price × quantity, decimal string in the shop currency. */
  subtotal: string;
}

/** Checks a code against a cart the way checkout does; changes nothing. */
export function applyDiscountCode(state: AdminApiState, input: CheckoutInput): CheckoutResult {
  const discount = findDiscountByCode(state, input.code);
  if (!discount) return { ok: false, reason: "NOT_FOUND" };
  const now =
    input.now === undefined
      ? state.clock()
      : typeof input.now === "number"
        ? input.now
        : input.now.getTime();

  const status = discountStatus(discount, now);
  if (status === "SCHEDULED") return { ok: false, reason: "NOT_YET_ACTIVE" };
  if (status === "EXPIRED") return { ok: false, reason: "EXPIRED" };
  if (discount.usageLimit !== null && discount.asyncUsageCount >= discount.usageLimit)
    return { ok: false, reason: "USAGE_LIMIT_REACHED" };

  if (discount.eligibility !== "all") {
    if (input.customerId === null) return { ok: false, reason: "CUSTOMER_REQUIRED" };
    if (!discount.eligibility.includes(input.customerId))
      return { ok: false, reason: "CUSTOMER_NOT_ELIGIBLE" };
  }
  if (discount.appliesOncePerCustomer) {
    // Shopify needs to know who the buyer is to enforce one use per customer.
    if (input.customerId === null) return { ok: false, reason: "CUSTOMER_REQUIRED" };
    if (discount.redemptions.some((r) => r.customerId === input.customerId))
      return { ok: false, reason: "ALREADY_USED_BY_CUSTOMER" };
  }

  const currency = state.shop.currencyCode;
  const subtotal = toMinorUnits(input.subtotal, currency);
  const lines = input.lines;
  let eligibleLines: number[] | null = null;
  let base = subtotal;
  if (discount.kind === "basic" && discount.items !== "all") {
    if (!lines)
      throw new Error("[sandbox] pricing a product/collection discount needs the cart's lines");
    const applies = itemMatcher(state, discount.items);
    eligibleLines = lines.flatMap((line, i) => (applies(line) ? [i] : []));
    if (!eligibleLines.length) return { ok: false, reason: "NOT_APPLICABLE" };
    base = eligibleLines.reduce((sum, i) => sum + toMinorUnits(lines[i]!.subtotal, currency), 0n);
  }
  // A minimum purchase counts the items the discount applies to ("Applies only to selected
  // collections", as Shopify admin says under the requirement): the whole cart, or those lines.
  if (
    discount.minimumSubtotal !== null &&
    base < toMinorUnits(discount.minimumSubtotal, currency)
  ) {
    return { ok: false, reason: "MINIMUM_SUBTOTAL_NOT_MET" };
  }
  if (discount.minimumQuantity !== null) {
    if (!lines) throw new Error("[sandbox] checking a minimum quantity needs the cart's lines");
    const counted = eligibleLines ?? lines.map((_, i) => i);
    const items = counted.reduce((sum, i) => sum + quantityOf(lines[i]!), 0);
    if (items < Number(discount.minimumQuantity))
      return { ok: false, reason: "MINIMUM_QUANTITY_NOT_MET" };
  }
  return { ok: true, discount: price(state, discount, subtotal, base, eligibleLines, lines) };
}

function quantityOf(line: CheckoutLine): number {
  if (line.quantity === undefined)
    throw new Error("[sandbox] this discount needs each cart line's quantity");
  return line.quantity;
}

/**
 * Which lines a discount's items take in: a product gid any variant of the product, a variant gid
 * that variant only, a collection its products' lines.
 */
function itemMatcher(
  state: AdminApiState,
  items: readonly string[],
): (line: CheckoutLine) => boolean {
  const products = new Set<string>();
  const variants = new Set<string>();
  for (const id of items) {
    const collection = state.collections.get(id);
    if (collection) for (const product of collection.productIds) products.add(product);
    else if (parseGid(id)?.type === "ProductVariant") variants.add(id);
    else products.add(id);
  }
  return (line) => {
    if (line.productId !== null && products.has(line.productId)) return true;
    if (!variants.size) return false;
    if (line.variantId === undefined)
      throw new Error(
        "[sandbox] pricing a discount on product variants needs each line's variantId",
      );
    return line.variantId !== null && variants.has(line.variantId);
  };
}

/** `base` is what the discount is taken off: the subtotal, or its eligible lines' part. */
function price(
  state: AdminApiState,
  discount: DiscountRecord,
  subtotal: bigint,
  base: bigint,
  eligibleLines: number[] | null,
  lines: ReadonlyArray<CheckoutLine> | undefined,
): AppliedDiscount {
  const currency = state.shop.currencyCode;
  let off = 0n;
  let kind: AppliedDiscount["kind"] = "freeShipping";
  let lineAmounts: AppliedDiscount["lineAmounts"] = null;
  if (discount.kind === "basic") {
    const value = discount.value;
    if (!value) throw new Error(`[sandbox] discount ${discount.id} has no value`);
    if (value.kind === "amount") {
      kind = "amount";
      const amount = toMinorUnits(value.amount, currency);
      if (value.appliesOnEachItem) {
        // The amount comes off every unit of the entitled lines, never more than a unit's price.
        if (eligibleLines === null || !lines)
          throw new NotSimulatedError(
            "an amount off each item (appliesOnEachItem) of a discount on all items is not simulated",
          );
        lineAmounts = eligibleLines.map((i) => {
          const line = lines[i]!;
          const each = amount * BigInt(quantityOf(line));
          const lineTotal = toMinorUnits(line.subtotal, currency);
          const taken = each < lineTotal ? each : lineTotal;
          off += taken;
          return { line: i, amount: fromMinorUnits(taken, currency) };
        });
      } else off = amount < base ? amount : base; // once across the lines, never below zero
    } else {
      kind = "percentage";
      const { numerator, denominator } = decimalFraction(value.percentage);
      off = mulDivRound(base, numerator, denominator);
    }
  }
  return {
    discountId: discount.id,
    code: discount.code,
    kind,
    amount: fromMinorUnits(off, currency),
    amountMinorUnits: Number(off),
    subtotalAfterDiscount: fromMinorUnits(subtotal - off, currency),
    freeShipping: discount.kind === "freeShipping",
    eligibleLines,
    lineAmounts,
  };
}

export type OrderResult =
  (CheckoutResult & { ok: false }) | { ok: true; discount: AppliedDiscount; orderId: string };

/**
 * Places an order with the code: re-checks eligibility, then counts the use against the
 * discount and the customer (numberOfOrders, amountSpent), as the order would on Shopify.
 */
export function recordOrderWithCode(
  state: AdminApiState,
  input: CheckoutInput & { orderId?: string },
): OrderResult {
  const result = applyDiscountCode(state, input);
  if (!result.ok) return result;
  const discount = state.discounts.get(result.discount.discountId);
  if (!discount) throw new Error("discount vanished during checkout");
  const orderId = input.orderId ?? gid("Order", nextNumericId(state));
  const at = new Date(
    input.now === undefined
      ? state.clock()
      : typeof input.now === "number"
        ? input.now
        : input.now.getTime(),
  ).toISOString();

  discount.asyncUsageCount += 1;
  discount.redemptions.push({ customerId: input.customerId, orderId });
  discount.updatedAt = at;
  state.orders.push({
    id: orderId,
    customerId: input.customerId,
    code: discount.code,
    subtotal: input.subtotal,
    discountAmount: result.discount.amount,
    createdAt: at,
  });
  const customer = input.customerId ? state.customers.get(input.customerId) : undefined;
  if (customer) {
    const currency = state.shop.currencyCode;
    customer.numberOfOrders += 1;
    customer.amountSpent = fromMinorUnits(
      toMinorUnits(customer.amountSpent, currency) +
        toMinorUnits(result.discount.subtotalAfterDiscount, currency),
      currency,
    );
    customer.updatedAt = at;
  }
  return { ok: true, discount: result.discount, orderId };
}

export type StoreCreditRejection =
  /** Shopify shows store credit only to a buyer signed in with customer accounts. */
  "CUSTOMER_REQUIRED" | "NO_STORE_CREDIT";

export type StoreCreditCheck =
  | {
      ok: true;
      /** What store credit pays: min(balance, total), decimal string in the shop currency. */
      amount: string;
      /** The buyer's balance before the order. */
      available: string;
      /** Left to pay with another method. */
      remaining: string;
    }
  | { ok: false; reason: StoreCreditRejection };

export interface StoreCreditInput {
  /** gid://shopify/Customer/N, or null for a guest checkout. */
  customerId: string | null;
  /** The order total after discounts, shipping included: what the buyer owes. */
  total: string;
  /** Defaults to the simulation's clock. */
  now?: Date | number;
}

function instant(state: AdminApiState, now: Date | number | undefined): number {
  return now === undefined ? state.clock() : typeof now === "number" ? now : now.getTime();
}

/**
 * The buyer's store credit in the shop currency (an account in another currency is not offered
 * at this checkout); "0.00" for a guest or a customer without an account.
 */
export function availableStoreCredit(
  state: AdminApiState,
  customerId: string | null,
  now?: Date | number,
): string {
  const currency = state.shop.currencyCode;
  const account = customerId ? findStoreCreditAccount(state, customerId, currency) : undefined;
  return account
    ? storeCreditBalance(state, account, instant(state, now))
    : fromMinorUnits(0n, currency);
}

/** What checkout would take from the buyer's store credit for this total; changes nothing. */
export function applyStoreCredit(state: AdminApiState, input: StoreCreditInput): StoreCreditCheck {
  if (input.customerId === null) return { ok: false, reason: "CUSTOMER_REQUIRED" };
  const currency = state.shop.currencyCode;
  const available = toMinorUnits(
    availableStoreCredit(state, input.customerId, input.now),
    currency,
  );
  if (available === 0n) return { ok: false, reason: "NO_STORE_CREDIT" };
  const total = toMinorUnits(input.total, currency);
  const amount = available < total ? available : total;
  return {
    ok: true,
    amount: fromMinorUnits(amount, currency),
    available: fromMinorUnits(available, currency),
    remaining: fromMinorUnits(total - amount, currency),
  };
}

export type StoreCreditPayment =
  (StoreCreditCheck & { ok: false }) | (StoreCreditCheck & { ok: true; transactionId: string });

/**
 * Pays part or all of an order with the buyer's store credit: a debit with event ORDER_PAYMENT
 * on their account in the shop currency, as the order's store credit payment makes on Shopify.
 */
export function payWithStoreCredit(
  state: AdminApiState,
  input: StoreCreditInput & { orderId: string },
): StoreCreditPayment {
  const check = applyStoreCredit(state, input);
  if (!check.ok) return check;
  const result = debitStoreCredit(state, {
    id: input.customerId!,
    debitAmount: { amount: check.amount, currencyCode: state.shop.currencyCode },
    event: "ORDER_PAYMENT",
    orderId: input.orderId,
    now: instant(state, input.now),
  });
  if (!result.transaction)
    throw new Error(`[sandbox] store credit debit failed: ${JSON.stringify(result.userErrors)}`);
  return { ...check, transactionId: result.transaction.id };
}

// ---------------------------------------------------------------------------------------------
// Automatic app discounts (Discount Functions) together with a code.

/** One discount application an automatic discount's function gave the order. */
export interface AutomaticApplication {
  discountId: string;
  /** The discount's title: what the order's discount_applications call it. */
  title: string;
  /** The candidate's message: what checkout shows the buyer (the title when it has none). */
  message: string | null;
  /** order: taken off the merchandise subtotal; shipping: off the delivery price. */
  target: "order" | "shipping";
  valueType: "percentage" | "fixed_amount";
  /** The candidate's value as discount_applications prints it ("10.0"). */
  value: string;
  /** Money taken off, decimal string in the shop currency. */
  amount: string;
  /** order: indexes of the lines it is allocated across (those not excluded). */
  lines: number[];
}

export interface CheckoutQuote {
  /** The code's own check (null without a code); NOT_COMBINABLE when it gave way. */
  code: CheckoutResult | null;
  automatic: AutomaticApplication[];
  subtotal: string;
  /** Code and automatic discounts off the merchandise. */
  merchandiseDiscount: string;
  /** The delivery price after shipping discounts. */
  shipping: string;
  total: string;
}

export interface QuoteInput {
  customerId: string | null;
  code?: string | null;
  lines: ReadonlyArray<{
    productId: string | null;
    variantId: string | null;
    title: string;
    quantity: number;
    subtotal: string;
  }>;
  /** The delivery price before discounts. */
  shipping: string;
  now?: Date | number;
}

const COMBINES_KEY: Record<DiscountClass, keyof CombinesWith> = {
  ORDER: "orderDiscounts",
  PRODUCT: "productDiscounts",
  SHIPPING: "shippingDiscounts",
};

/** Two discounts combine when each one's combinesWith allows every class the other applies. */
function combinable(
  a: { combinesWith: CombinesWith; classes: DiscountClass[] },
  b: { combinesWith: CombinesWith; classes: DiscountClass[] },
): boolean {
  return (
    a.classes.every((c) => b.combinesWith[COMBINES_KEY[c]]) &&
    b.classes.every((c) => a.combinesWith[COMBINES_KEY[c]])
  );
}

function valueOff(value: DiscountValueSpec, base: bigint, currency: string): bigint {
  if (base <= 0n) return 0n;
  let off: bigint;
  if ("percentage" in value) {
    const { numerator, denominator } = decimalFraction(value.percentage);
    off = mulDivRound(base, numerator, denominator * 100n);
  } else off = toMinorUnits(value.fixedAmount, currency);
  return off < base ? off : base;
}

/**
 * What checkout charges for a cart: the code (checked as applyDiscountCode does) and every active
 * automatic app discount, whose function runs now. Shopify applies product, then order, then
 * shipping discounts: an automatic order discount is taken off the subtotal after a product-class
 * code, and alongside an order-class code (both off the same subtotal). A code and an automatic
 * discount that do not combine both ways (combinesWith, per class each applies) are not stacked:
 * the one saving the buyer more applies, the code on a tie. Automatic discounts are tried in
 * creation order and one that does not combine with those already taken is left out. Changes
 * nothing but the function run log.
 */
export async function quoteCheckout(
  state: AdminApiState,
  input: QuoteInput,
): Promise<CheckoutQuote> {
  const currency = state.shop.currencyCode;
  const now = instant(state, input.now);
  const subtotal = input.lines.reduce(
    (sum, line) => sum + toMinorUnits(line.subtotal, currency),
    0n,
  );
  const shippingBefore = toMinorUnits(input.shipping, currency);
  let code: CheckoutResult | null = input.code?.trim()
    ? applyDiscountCode(state, {
        code: input.code.trim(),
        customerId: input.customerId,
        subtotal: fromMinorUnits(subtotal, currency),
        lines: input.lines.map((line) => ({
          productId: line.productId,
          variantId: line.variantId,
          quantity: line.quantity,
          subtotal: line.subtotal,
        })),
        now,
      })
    : null;
  const cart: FunctionCart = {
    customerId: input.customerId,
    lines: input.lines,
    shipping: input.shipping,
    now,
  };
  const decisions = await runAutomaticDiscounts(state, cart);

  let applied = code?.ok ? code.discount : null;
  const codeRecord = applied ? state.discounts.get(applied.discountId) : undefined;
  const codeSide =
    applied && codeRecord
      ? {
          combinesWith: codeRecord.combinesWith,
          classes: [
            applied.freeShipping ? "SHIPPING" : applied.eligibleLines ? "PRODUCT" : "ORDER",
          ] as DiscountClass[],
        }
      : null;
  const codeMerchandise = applied && !applied.freeShipping ? BigInt(applied.amountMinorUnits) : 0n;
  const codeShipping = applied?.freeShipping ? shippingBefore : 0n;

  const price = (decision: AutomaticDecision, stacked: boolean) => {
    // Stacked on a product-class code, the order discount sees the subtotal after it.
    const productOff = stacked && codeSide?.classes[0] === "PRODUCT" ? codeMerchandise : 0n;
    const excluded = new Set(decision.order?.excludedLines ?? []);
    const base =
      input.lines.reduce(
        (sum, line, i) => (excluded.has(i) ? sum : sum + toMinorUnits(line.subtotal, currency)),
        0n,
      ) - productOff;
    const order = decision.order ? valueOff(decision.order.value, base, currency) : 0n;
    const shippingLeft = stacked ? shippingBefore - codeShipping : shippingBefore;
    const shipping = decision.delivery
      ? valueOff(decision.delivery.value, shippingLeft, currency)
      : 0n;
    return { order, shipping };
  };

  const taken: Array<{ decision: AutomaticDecision; order: bigint; shipping: bigint }> = [];
  for (const decision of decisions) {
    const alone = price(decision, false);
    const classes: DiscountClass[] = [
      ...(alone.order > 0n ? (["ORDER"] as const) : []),
      ...(alone.shipping > 0n ? (["SHIPPING"] as const) : []),
    ];
    if (!classes.length) continue;
    const side = { combinesWith: decision.discount.combinesWith, classes };
    const others = taken.map((t) => ({
      combinesWith: t.decision.discount.combinesWith,
      classes: [
        ...(t.order > 0n ? (["ORDER"] as const) : []),
        ...(t.shipping > 0n ? (["SHIPPING"] as const) : []),
      ] as DiscountClass[],
    }));
    if (!others.every((other) => combinable(side, other))) continue;
    if (applied && codeSide) {
      if (combinable(side, codeSide)) {
        const stacked = price(decision, true);
        taken.push({ decision, ...stacked });
        continue;
      }
      if (alone.order + alone.shipping > codeMerchandise + codeShipping) {
        code = { ok: false, reason: "NOT_COMBINABLE" };
        applied = null;
      } else continue;
    }
    taken.push({ decision, ...alone });
  }

  const automatic = taken.flatMap(({ decision, order, shipping }): AutomaticApplication[] => {
    const common = { discountId: decision.discount.id, title: decision.discount.title };
    const application = (
      target: AutomaticApplication["target"],
      candidate: { message: string | null; value: DiscountValueSpec },
      amount: bigint,
      lines: number[],
    ): AutomaticApplication => ({
      ...common,
      message: candidate.message,
      target,
      valueType: "percentage" in candidate.value ? "percentage" : "fixed_amount",
      value:
        "percentage" in candidate.value
          ? shopifyDecimal(String(candidate.value.percentage))
          : shopifyDecimal(candidate.value.fixedAmount),
      amount: fromMinorUnits(amount, currency),
      lines,
    });
    const excluded = new Set(decision.order?.excludedLines ?? []);
    return [
      ...(decision.order && order > 0n
        ? [
            application(
              "order",
              decision.order,
              order,
              input.lines.flatMap((_, i) => (excluded.has(i) ? [] : [i])),
            ),
          ]
        : []),
      ...(decision.delivery && shipping > 0n
        ? [application("shipping", decision.delivery, shipping, [])]
        : []),
    ];
  });
  const sum = (target: AutomaticApplication["target"]) =>
    automatic
      .filter((a) => a.target === target)
      .reduce((total, a) => total + toMinorUnits(a.amount, currency), 0n);
  const merchandiseDiscount =
    (applied && !applied.freeShipping ? codeMerchandise : 0n) + sum("order");
  const merchandise = subtotal - (merchandiseDiscount < subtotal ? merchandiseDiscount : subtotal);
  const shipping = shippingBefore - (applied?.freeShipping ? shippingBefore : 0n) - sum("shipping");
  const shippingAfter = shipping > 0n ? shipping : 0n;
  return {
    code,
    automatic,
    subtotal: fromMinorUnits(subtotal, currency),
    merchandiseDiscount: fromMinorUnits(subtotal - merchandise, currency),
    shipping: fromMinorUnits(shippingAfter, currency),
    total: fromMinorUnits(merchandise + shippingAfter, currency),
  };
}

/** An order with these automatic discounts counts one use of each, as Shopify's usage count does. */
export function countAutomaticUsage(
  state: AdminApiState,
  automatic: readonly AutomaticApplication[],
) {
  for (const id of new Set(automatic.map((a) => a.discountId))) {
    const discount = state.automaticDiscounts.get(id);
    if (discount) discount.asyncUsageCount += 1;
  }
}
