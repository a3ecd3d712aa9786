/**
 * Exact money arithmetic for the simulation. Amounts travel as decimal strings (as Shopify's
 * Decimal scalar does) and are computed in integer minor units, never as floats.
 */

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** Fraction digits of a currency (JPY 0, USD 2, KWD 3), as Shopify's checkout uses. */
export function currencyDigits(currencyCode: string): number {
  return (
    new Intl.NumberFormat("en", { style: "currency", currency: currencyCode }).resolvedOptions()
      .maximumFractionDigits ?? 2
  );
}

export function isDecimalString(value: string): boolean {
  return DECIMAL.test(value.trim());
}

/**
 * Decimal string → integer minor units. Extra precision is rejected rather than rounded so a
 * test that sends "9.999" for a 2-digit currency finds out.
 */
export function toMinorUnits(amount: string, currencyCode: string): bigint {
  const digits = currencyDigits(currencyCode);
  const match = DECIMAL.exec(amount.trim());
  if (!match) throw new RangeError(`Not a decimal amount: ${JSON.stringify(amount)}`);
  const [, sign = "", whole = "0", fraction = ""] = match;
  const trimmed = fraction.replace(/0+$/, "");
  if (trimmed.length > digits) {
    throw new RangeError(
      `${amount} has more precision than ${currencyCode} allows (${digits} digits)`,
    );
  }
  const units = BigInt(whole) * 10n ** BigInt(digits) + BigInt(trimmed.padEnd(digits, "0") || "0");
  return sign === "-" ? -units : units;
}

/** Integer minor units → fixed decimal string with the currency's digits ("5.00"). */
export function fromMinorUnits(units: bigint, currencyCode: string): string {
  const digits = currencyDigits(currencyCode);
  const negative = units < 0n;
  const abs = (negative ? -units : units).toString().padStart(digits + 1, "0");
  const text = digits === 0 ? abs : `${abs.slice(0, -digits)}.${abs.slice(-digits)}`;
  return negative ? `-${text}` : text;
}

/**
 * Shopify serialises Decimal/MoneyV2.amount the way Ruby's BigDecimal prints: trailing zeros
 * dropped but at least one fraction digit ("5.00" → "5.0", "12.50" → "12.5", "3" → "3.0").
 */
export function shopifyDecimal(amount: string): string {
  const match = DECIMAL.exec(amount.trim());
  if (!match) throw new RangeError(`Not a decimal amount: ${JSON.stringify(amount)}`);
  const [, sign = "", whole = "0", fraction = ""] = match;
  const wholeNormalized = whole.replace(/^0+(?=\d)/, "");
  const fractionNormalized = fraction.replace(/0+$/, "") || "0";
  const isZero = /^0*$/.test(whole) && /^0*$/.test(fraction);
  return `${sign && !isZero ? "-" : ""}${wholeNormalized}.${fractionNormalized}`;
}

/** Exact rational form of a JS number as written in decimal (0.1 → 1/10), for percentages. */
export function decimalFraction(value: number): { numerator: bigint; denominator: bigint } {
  const text = String(value);
  if (!/^-?\d+(\.\d+)?$/.test(text)) throw new RangeError(`Unsupported number ${text}`);
  const [whole = "0", fraction = ""] = text.replace("-", "").split(".");
  const denominator = 10n ** BigInt(fraction.length);
  const numerator = BigInt(whole + fraction) * (text.startsWith("-") ? -1n : 1n);
  return { numerator, denominator };
}

/** units × numerator / denominator, rounded half-up (away from zero) to whole minor units. */
export function mulDivRound(units: bigint, numerator: bigint, denominator: bigint): bigint {
  const product = units * numerator;
  const quotient = product / denominator;
  const remainder = product % denominator;
  const absRemainderTwice = (remainder < 0n ? -remainder : remainder) * 2n;
  if (absRemainderTwice >= (denominator < 0n ? -denominator : denominator)) {
    return product < 0n ? quotient - 1n : quotient + 1n;
  }
  return quotient;
}
