import { describe, expect, it } from "vitest";
import {
  describeEarnRate,
  hundredths,
  parseProgramSettings,
  storefrontProgramValue,
} from "./program-settings";

const base = {
  enabled: "true",
  earnPoints: "1",
  earnPerAmount: "1",
  rounding: "DOWN",
  signupBonus: "0",
  pendingDays: "0",
  expiryPolicy: "NEVER",
  pointsNameOne: "point",
  pointsNameOther: "points",
  redemptionsPerHour: "5",
  maxPointsPerOrder: "100000",
};

describe("program settings form", () => {
  it("turns posted strings into settings; unticked checkboxes are false", () => {
    const parsed = parseProgramSettings(
      { ...base, expiryPolicy: "INACTIVITY", expiryMonths: " 18 ", earnPerAmount: "10.00" },
      "USD",
    );
    expect(parsed).toEqual({
      ok: true,
      data: {
        enabled: true,
        earnPoints: 1,
        earnPerAmount: "10.00",
        rounding: "DOWN",
        awardTestOrders: false,
        signupBonus: 0,
        pendingDays: 0,
        expiryMonths: 18,
        pointsNameOne: "point",
        pointsNameOther: "points",
        allowNegativeBalance: false,
        returnPointsOnExpiredCodes: false,
        redemptionsPerHour: 5,
        maxPointsPerOrder: 100_000,
      },
    });
  });

  it("ignores the months field when points never expire", () => {
    const parsed = parseProgramSettings({ ...base, expiryMonths: "nonsense" }, "USD");
    expect(parsed.ok && parsed.data.expiryMonths).toBeNull();
  });

  it("checks the earn amount against the shop currency's decimals", () => {
    expect(parseProgramSettings({ ...base, earnPerAmount: "100" }, "JPY").ok).toBe(true);
    const jpy = parseProgramSettings({ ...base, earnPerAmount: "1.5" }, "JPY");
    expect(jpy.ok ? null : jpy.errors.earnPerAmount).toMatch(/JPY allows \(0\)/);
    expect(parseProgramSettings({ ...base, earnPerAmount: "0.125" }, "KWD").ok).toBe(true);
    for (const bad of ["0", "-1", "1e3", "", "abc", "2000000"]) {
      const result = parseProgramSettings({ ...base, earnPerAmount: bad }, "USD");
      expect(result.ok, bad).toBe(false);
    }
  });

  it("rejects multi-line and over-long point names", () => {
    const result = parseProgramSettings(
      { ...base, pointsNameOne: "a\nb", pointsNameOther: "x".repeat(21) },
      "USD",
    );
    expect(result).toEqual({
      ok: false,
      errors: { pointsNameOne: "Use a single line", pointsNameOther: "Use 20 characters or fewer" },
    });
  });
});

describe("storefront metafield value", () => {
  it("expresses the earn amount in Liquid money units (× 100) for every currency", () => {
    expect(hundredths("1")).toBe(100);
    expect(hundredths("2.5")).toBe(250);
    expect(hundredths("100")).toBe(10000);
    expect(hundredths("0.125")).toBe(13);
    expect(hundredths("0.124")).toBe(12);
    expect(() => hundredths("-1")).toThrow(RangeError);
  });

  it("has exactly the shape the theme extension reads", () => {
    expect(
      storefrontProgramValue({
        enabled: false,
        earnPoints: 3,
        earnPerAmount: "10",
        pointsNameOne: "star",
        pointsNameOther: "stars",
      }),
    ).toEqual({
      enabled: false,
      earnPoints: 3,
      earnPerCents: 1000,
      pointsName: { one: "star", other: "stars" },
    });
  });

  it("describes the rate in words", () => {
    expect(
      describeEarnRate({
        earnPoints: 1,
        earnPerAmount: "1",
        pointsNameOne: "star",
        pointsNameOther: "stars",
        currency: "EUR",
      }),
    ).toBe("1 star per 1 EUR spent");
  });
});
