import { describe, expect, it } from "vitest";
import {
  currencyDecimals,
  formatAmount,
  formatMoney,
  fromMinorUnits,
  isDecimalString,
  isKnownCurrency,
  toMinorUnits,
} from "./money";

describe("money", () => {
  it("knows currencies with 0, 2 and 3 decimals", () => {
    expect(currencyDecimals("JPY")).toBe(0);
    expect(currencyDecimals("USD")).toBe(2);
    expect(currencyDecimals("KWD")).toBe(3);
    // Asked again (from the remembered digits), the same answers; a malformed code still throws.
    expect([currencyDecimals("JPY"), currencyDecimals("USD"), currencyDecimals("KWD")]).toEqual([
      0, 2, 3,
    ]);
    for (let i = 0; i < 2; i += 1) expect(() => currencyDecimals("US")).toThrow(RangeError);
  });

  it("parses decimal strings to minor units without floating point", () => {
    expect(toMinorUnits("0.29", "USD")).toBe(29);
    expect(toMinorUnits("1.10", "USD")).toBe(110);
    expect(toMinorUnits("1200", "JPY")).toBe(1200);
    expect(toMinorUnits("1.5", "KWD")).toBe(1500);
    expect(toMinorUnits("-3.25", "EUR")).toBe(-325);
    expect(toMinorUnits("19.990", "USD")).toBe(1999);
  });

  it("rejects amounts that are not decimals or are too precise", () => {
    expect(() => toMinorUnits("1e3", "USD")).toThrow(RangeError);
    expect(() => toMinorUnits("12.345", "USD")).toThrow(/more decimals/);
    expect(() => toMinorUnits("1.5", "JPY")).toThrow(/more decimals/);
    expect(() => toMinorUnits("abc", "USD")).toThrow(RangeError);
    expect(() => toMinorUnits("1", "XYZ1")).toThrow(/Unknown currency/);
  });

  it("formats minor units back to the string Shopify expects", () => {
    expect(fromMinorUnits(500, "USD")).toBe("5.00");
    expect(fromMinorUnits(5, "USD")).toBe("0.05");
    expect(fromMinorUnits(1200, "JPY")).toBe("1200");
    expect(fromMinorUnits(1500, "KWD")).toBe("1.500");
    expect(fromMinorUnits(-7, "USD")).toBe("-0.07");
    expect(fromMinorUnits(0, "USD")).toBe("0.00");
    expect(fromMinorUnits(0, "JPY")).toBe("0");
    expect(() => fromMinorUnits(1.5, "USD")).toThrow("1.5 is not an integer amount");
  });

  it("ignores surrounding spaces, and refuses amounts past 2^53 minor units", () => {
    expect(toMinorUnits(" 12.34 ", "USD")).toBe(1234);
    expect(isDecimalString(" 12.34 ")).toBe(true);
    expect(isDecimalString("12,34")).toBe(false);
    expect(() => toMinorUnits("abc", "USD")).toThrow('"abc" is not a decimal amount');
    expect(toMinorUnits("9007199254740991", "JPY")).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => toMinorUnits("9007199254740992", "JPY")).toThrow(
      '"9007199254740992" is too large',
    );
  });

  it("knows which codes are currencies", () => {
    expect(isKnownCurrency("EUR")).toBe(true);
    expect(isKnownCurrency("ZZZ")).toBe(false);
  });
});

describe("formatMoney", () => {
  it("shows amounts with the currency's symbol, grouping and decimals", () => {
    expect(formatMoney(655_781, "USD")).toBe("$6,557.81");
    expect(formatMoney(4_000, "EUR")).toBe("€40.00");
    expect(formatMoney(0, "GBP")).toBe("£0.00");
    expect(formatMoney(-1_250, "USD")).toBe("-$12.50");
    expect(formatMoney(5_000, "JPY")).toBe("¥5,000");
    expect(formatMoney(1_500, "KWD")).toBe("KWD\u00a01.500");
    expect(formatMoney(12_345, "CAD")).toBe("CA$123.45");
  });

  it("keeps every digit of amounts a float would round", () => {
    expect(formatMoney(Number.MAX_SAFE_INTEGER, "USD")).toBe("$90,071,992,547,409.91");
  });

  it("formats a typed decimal amount the same way", () => {
    expect(formatAmount("1", "USD")).toBe("$1.00");
    expect(formatAmount("12.5", "EUR")).toBe("€12.50");
    // What the currency cannot hold is shown as stored, not as an error page.
    expect(formatAmount("5.50", "JPY")).toBe("5.50 JPY");
    expect(formatAmount("abc", "USD")).toBe("abc USD");
  });
});
