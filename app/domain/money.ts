/**
 * Money as integer minor units (cents, yen, fils). Shopify sends amounts as decimal strings;
 * parsing them by hand keeps binary floating point out of every calculation.
 */

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

const KNOWN_CURRENCIES = new Set(Intl.supportedValuesOf("currency"));

/** An ISO 4217 code the runtime knows ("ZZZ" is well-formed, but no currency). */
export function isKnownCurrency(code: string): boolean {
  return KNOWN_CURRENCIES.has(code);
}

/**
 * Digits per code, once asked. A NumberFormat costs ~10 µs to build and an order's amounts ask
 * about 25 times (measured in the worker's profile); well-formed codes are at most 26³.
 */
const DECIMALS = new Map<string, number>();

/** ISO 4217 minor-unit digits (JPY 0, USD 2, KWD 3), from the runtime's own currency data. */
export function currencyDecimals(currency: string): number {
  const known = DECIMALS.get(currency);
  if (known !== undefined) return known;
  let digits: number;
  try {
    digits =
      new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions()
        .maximumFractionDigits ?? 2;
  } catch {
    throw new RangeError(`Unknown currency code "${currency}"`);
  }
  DECIMALS.set(currency, digits);
  return digits;
}

/** "12.34" in USD → 1234; "1200" in JPY → 1200; "1.5" in KWD → 1500. */
export function toMinorUnits(amount: string, currency: string): number {
  const match = DECIMAL.exec(amount.trim());
  if (!match) throw new RangeError(`"${amount}" is not a decimal amount`);
  const [, sign, whole = "0", fraction = ""] = match;
  const decimals = currencyDecimals(currency);
  const significant = fraction.replace(/0+$/, "");
  if (significant.length > decimals) {
    throw new RangeError(`"${amount}" has more decimals than ${currency} allows (${decimals})`);
  }
  const minor = BigInt(whole + significant.padEnd(decimals, "0"));
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`"${amount}" is too large`);
  return Number(sign ? -minor : minor);
}

/** 1234 in USD → "12.34": the inverse of toMinorUnits, for display and for the Admin API. */
export function fromMinorUnits(minor: number, currency: string): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`${minor} is not an integer amount`);
  const decimals = currencyDecimals(currency);
  const sign = minor < 0 ? "-" : "";
  const digits = Math.abs(minor)
    .toString()
    .padStart(decimals + 1, "0");
  if (decimals === 0) return sign + digits;
  return `${sign}${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}

export function isDecimalString(value: string): boolean {
  return DECIMAL.test(value.trim());
}

const moneyFormats = new Map<string, Intl.NumberFormat>();

/**
 * 655781 in USD → "$6,557.81", in EUR → "€6,557.81", 5000 in JPY → "¥5,000": an amount as the
 * (English) admin shows it; a storefront passes the shopper's locale ("6 557,81 $US" in French).
 * The decimal string goes to Intl as is, so no float rounds it.
 */
export function formatMoney(minor: number, currency: string, locale = "en"): string {
  const key = `${locale} ${currency}`;
  let format = moneyFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: "currency", currency });
    moneyFormats.set(key, format);
  }
  return format.format(fromMinorUnits(minor, currency) as Intl.StringNumericLiteral);
}

/**
 * formatMoney for an amount stored as a decimal string ("5", "12.50"). One the currency cannot
 * hold (a reward saved as 5.50 before the shop's first order showed it sells in yen) is shown
 * as stored rather than failing the page.
 */
export function formatAmount(amount: string, currency: string, locale = "en"): string {
  try {
    return formatMoney(toMinorUnits(amount, currency), currency, locale);
  } catch {
    return `${amount} ${currency}`;
  }
}
