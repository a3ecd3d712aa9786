import type { Contribution, EarningLine } from "./earning-rules";
import { toMinorUnits } from "./money";

export type Rounding = "DOWN" | "NEAREST" | "UP";

/** What a program says about earning; a copy is stored with every award (the rule snapshot). */
export interface EarnRule {
  /** Points given for each `perAmount` of spend. */
  earnPoints: number;
  /** Spend, as a decimal string in the shop currency, that earns `earnPoints`. */
  perAmount: string;
  rounding: Rounding;
}

export const DEFAULT_EARN_RULE: EarnRule = { earnPoints: 1, perAmount: "1", rounding: "DOWN" };

/** The rule an order earned under, stored with the award so later clawbacks use it. */
// A type, not an interface: it is stored in a Json column and must be a plain JSON object type.
export type RuleSnapshot = {
  earnPoints: number;
  perAmount: string;
  rounding: Rounding;
  multiplierPercent: number;
  tier: string | null;
  basisMinor: number;
  currency: string;
  taxesIncluded: boolean;
  pendingDays: number;
  /** Gift-card lines left out of the basis. */
  giftCardsMinor?: number;
  /** Tax taken out of tax-inclusive line prices. */
  taxRemovedMinor?: number;
  /** What each earning rule gave (app/domain/earning-rules.ts); they add up to the points. */
  contributions?: Contribution[];
};

/** Tier multipliers are whole percentages (150 = 1.5×) so the arithmetic stays in integers. */
export const BASE_MULTIPLIER_PERCENT = 100;

function divide(numerator: bigint, denominator: bigint, rounding: Rounding): bigint {
  const quotient = numerator / denominator;
  const remainder = numerator % denominator;
  if (remainder === 0n) return quotient;
  switch (rounding) {
    case "DOWN":
      return quotient;
    case "UP":
      return quotient + 1n;
    case "NEAREST":
      return remainder * 2n >= denominator ? quotient + 1n : quotient;
  }
}

/**
 * Points for spending `basisMinor` minor units: basis × rate × multiplier (× a campaign's
 * multiplier), rounded once at the end.
 */
export function pointsForSpend(
  basisMinor: number,
  currency: string,
  rule: EarnRule,
  multiplierPercent: number = BASE_MULTIPLIER_PERCENT,
  campaignPercent: number = BASE_MULTIPLIER_PERCENT,
): number {
  if (basisMinor <= 0 || rule.earnPoints <= 0) return 0;
  const perMinor = toMinorUnits(rule.perAmount, currency);
  if (perMinor <= 0) throw new RangeError("perAmount must be greater than zero");
  const numerator =
    BigInt(basisMinor) *
    BigInt(rule.earnPoints) *
    BigInt(multiplierPercent) *
    BigInt(campaignPercent);
  const denominator = BigInt(perMinor) * BigInt(BASE_MULTIPLIER_PERCENT) ** 2n;
  return Number(divide(numerator, denominator, rule.rounding));
}

/**
 * One line of an order as Shopify rendered it, in the shop's currency (minor units). Amounts for
 * the whole line: `discountMinor` is what discount allocations (line and order discounts) took
 * off all `quantity` units, `taxMinor` the line's tax.
 */
export interface OrderLine {
  id: string;
  /** The product's gid; null for a custom line (no product). */
  productId: string | null;
  giftCard: boolean;
  quantity: number;
  /** Units left after edits and refunds (REST 2024-01+); null when the payload has none. */
  currentQuantity: number | null;
  unitPriceMinor: number;
  discountMinor: number;
  taxMinor: number;
}

/**
 * A line of a refund, in the shop's currency. `giftCard` is null when the refund does not say.
 * A type, not an interface: refunds keep their lines in a Json column.
 */
export type RefundLine = {
  lineId: string;
  quantity: number;
  subtotalMinor: number;
  taxMinor: number;
  giftCard: boolean | null;
};

export interface EarningBasis {
  /** Spend that earns points. */
  basisMinor: number;
  /** Gift-card lines, left out: points come when the card is spent. */
  giftCardsMinor: number;
  /** Tax taken out of tax-inclusive prices. */
  taxMinor: number;
  /** What each merchandise line adds to basisMinor (campaigns on some products count these). */
  lines: EarningLine[];
}

/** `amount × part / whole`, rounded to the nearest minor unit (halves up). */
function share(amount: number, part: number, whole: number): number {
  if (part === whole) return amount;
  if (whole <= 0) return 0;
  const scaled = BigInt(amount) * BigInt(part) * 2n + BigInt(whole);
  return Number(scaled / (BigInt(whole) * 2n));
}

/**
 * Spend that earns points: merchandise after discounts, line by line, for the units the shopper
 * paid for — before any refund, because refunds are taken back one by one, by refund id, whether
 * they come listed in the paid order or as refunds/create. Units removed by an edit (not a refund)
 * do not count. Gift-card lines, shipping, tips and duties never count (they are not merchandise
 * lines); in tax-inclusive shops the lines' tax is taken out.
 */
export function orderEarningBasis(order: {
  taxesIncluded: boolean;
  lines: OrderLine[];
  /** Refund lines of the refunds listed in the order body. */
  refundedLines: RefundLine[];
}): EarningBasis {
  const refundedUnits = new Map<string, number>();
  for (const line of order.refundedLines) {
    refundedUnits.set(line.lineId, (refundedUnits.get(line.lineId) ?? 0) + line.quantity);
  }
  const result: EarningBasis = { basisMinor: 0, giftCardsMinor: 0, taxMinor: 0, lines: [] };
  for (const line of order.lines) {
    if (line.quantity <= 0) continue;
    const paidUnits =
      line.currentQuantity === null
        ? line.quantity
        : Math.min(line.quantity, line.currentQuantity + (refundedUnits.get(line.id) ?? 0));
    const afterDiscounts =
      line.unitPriceMinor * paidUnits - share(line.discountMinor, paidUnits, line.quantity);
    if (line.giftCard) {
      result.giftCardsMinor += Math.max(0, afterDiscounts);
      continue;
    }
    const tax = order.taxesIncluded ? share(line.taxMinor, paidUnits, line.quantity) : 0;
    result.taxMinor += tax;
    const basisMinor = Math.max(0, afterDiscounts - tax);
    result.basisMinor += basisMinor;
    result.lines.push({ lineId: line.id, productId: line.productId, basisMinor });
  }
  return result;
}

/**
 * The spend a refund takes back: its merchandise lines after discounts (gift-card lines, shipping
 * and adjustments take nothing), without tax where prices include it.
 */
export function refundEarningBasis(
  lines: RefundLine[],
  taxesIncluded: boolean,
  giftCardLineIds: ReadonlySet<string>,
  /** Only these order lines (a campaign's); all by default. */
  onlyLineIds?: ReadonlySet<string>,
): number {
  let basis = 0;
  for (const line of lines) {
    if (line.giftCard ?? giftCardLineIds.has(line.lineId)) continue;
    if (onlyLineIds && !onlyLineIds.has(line.lineId)) continue;
    basis += Math.max(0, line.subtotalMinor - (taxesIncluded ? line.taxMinor : 0));
  }
  return basis;
}
