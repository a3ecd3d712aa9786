import { describe, expect, it } from "vitest";
import { DEFAULT_EARN_RULE, earningBasisMinor, pointsForSpend } from "./earning";

describe("points for spend", () => {
  it("gives 1 point per whole unit of currency by default, rounded down", () => {
    expect(pointsForSpend(4599, "USD", DEFAULT_EARN_RULE)).toBe(45);
    expect(pointsForSpend(99, "USD", DEFAULT_EARN_RULE)).toBe(0);
    expect(pointsForSpend(1234, "JPY", DEFAULT_EARN_RULE)).toBe(1234);
    expect(pointsForSpend(2999, "KWD", DEFAULT_EARN_RULE)).toBe(2);
  });

  it("applies the tier multiplier before rounding", () => {
    expect(pointsForSpend(4599, "USD", DEFAULT_EARN_RULE, 150)).toBe(68); // 68.985
    expect(pointsForSpend(1000, "USD", DEFAULT_EARN_RULE, 200)).toBe(20);
  });

  it("supports other rates and rounding modes", () => {
    const fivePerDollar = { earnPoints: 5, perAmount: "1", rounding: "DOWN" as const };
    expect(pointsForSpend(1050, "USD", fivePerDollar)).toBe(52);
    const onePerTen = { earnPoints: 1, perAmount: "10.00", rounding: "NEAREST" as const };
    expect(pointsForSpend(1500, "USD", onePerTen)).toBe(2);
    expect(pointsForSpend(1499, "USD", onePerTen)).toBe(1);
    expect(pointsForSpend(1001, "USD", { ...onePerTen, rounding: "UP" })).toBe(2);
  });

  it("never awards for nothing or negative spend", () => {
    expect(pointsForSpend(0, "USD", DEFAULT_EARN_RULE)).toBe(0);
    expect(pointsForSpend(-500, "USD", DEFAULT_EARN_RULE)).toBe(0);
  });
});

describe("earning basis", () => {
  it("is the subtotal after discounts when prices exclude tax", () => {
    expect(
      earningBasisMinor({
        currency: "USD",
        subtotal: "45.99",
        taxesIncluded: false,
        lineItemTaxes: ["3.00"],
      }),
    ).toBe(4599);
  });

  it("removes line-item tax when prices include it", () => {
    expect(
      earningBasisMinor({
        currency: "EUR",
        subtotal: "119.00",
        taxesIncluded: true,
        lineItemTaxes: ["19.00"],
      }),
    ).toBe(10000);
  });
});
