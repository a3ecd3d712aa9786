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

/** Points for spending `basisMinor` minor units: basis × rate × multiplier, rounded once at the end. */
export function pointsForSpend(
  basisMinor: number,
  currency: string,
  rule: EarnRule,
  multiplierPercent: number = BASE_MULTIPLIER_PERCENT,
): number {
  if (basisMinor <= 0 || rule.earnPoints <= 0) return 0;
  const perMinor = toMinorUnits(rule.perAmount, currency);
  if (perMinor <= 0) throw new RangeError("perAmount must be greater than zero");
  const numerator = BigInt(basisMinor) * BigInt(rule.earnPoints) * BigInt(multiplierPercent);
  const denominator = BigInt(perMinor) * BigInt(BASE_MULTIPLIER_PERCENT);
  return Number(divide(numerator, denominator, rule.rounding));
}

/** The money side of an order that earns points, already in the shop's currency. */
export interface OrderAmounts {
  currency: string;
  /** Subtotal after discounts, before shipping (Shopify's current_subtotal_price). */
  subtotal: string;
  /** True when the shop's prices include tax: the subtotal then contains line-item tax. */
  taxesIncluded: boolean;
  /** Tax on line items (not shipping), decimal strings. */
  lineItemTaxes: string[];
}

/** Spend that earns points: subtotal after discounts, without shipping and without tax. */
export function earningBasisMinor(order: OrderAmounts): number {
  const subtotal = toMinorUnits(order.subtotal, order.currency);
  if (!order.taxesIncluded) return Math.max(0, subtotal);
  const tax = order.lineItemTaxes.reduce((sum, t) => sum + toMinorUnits(t, order.currency), 0);
  return Math.max(0, subtotal - tax);
}
