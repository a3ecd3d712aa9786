import { describe, expect, it } from "vitest";
import type { OrderLine } from "./earning";
import {
  DEFAULT_EARN_RULE,
  orderEarningBasis,
  pointsForSpend,
  refundEarningBasis,
} from "./earning";

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
    // An exact multiple has nothing to round, in any mode.
    expect(pointsForSpend(2000, "USD", { ...onePerTen, rounding: "UP" })).toBe(2);
    expect(pointsForSpend(2000, "USD", { ...onePerTen, rounding: "NEAREST" })).toBe(2);
  });

  it("never awards for nothing or negative spend", () => {
    expect(pointsForSpend(0, "USD", DEFAULT_EARN_RULE)).toBe(0);
    expect(pointsForSpend(-500, "USD", DEFAULT_EARN_RULE)).toBe(0);
    expect(pointsForSpend(500, "USD", { ...DEFAULT_EARN_RULE, earnPoints: 0 })).toBe(0);
    expect(pointsForSpend(500, "USD", { ...DEFAULT_EARN_RULE, earnPoints: -1 })).toBe(0);
    expect(() => pointsForSpend(500, "USD", { ...DEFAULT_EARN_RULE, perAmount: "0" })).toThrow(
      "perAmount must be greater than zero",
    );
  });
});

function line(overrides: Partial<OrderLine> = {}): OrderLine {
  return {
    id: "1",
    productId: null,
    giftCard: false,
    quantity: 1,
    currentQuantity: null,
    unitPriceMinor: 4599,
    discountMinor: 0,
    taxMinor: 0,
    ...overrides,
  };
}

describe("earning basis", () => {
  it("is merchandise after discounts when prices exclude tax", () => {
    expect(
      orderEarningBasis({
        taxesIncluded: false,
        lines: [line({ quantity: 2, unitPriceMinor: 2500, discountMinor: 500, taxMinor: 300 })],
        refundedLines: [],
      }),
    ).toEqual({
      basisMinor: 4500,
      giftCardsMinor: 0,
      taxMinor: 0,
      lines: [{ lineId: "1", productId: null, basisMinor: 4500 }],
    });
  });

  it("takes line tax out when prices include it", () => {
    expect(
      orderEarningBasis({
        taxesIncluded: true,
        lines: [line({ unitPriceMinor: 11900, taxMinor: 1900 })],
        refundedLines: [],
      }).basisMinor,
    ).toBe(10000);
  });

  it("leaves gift-card lines out", () => {
    const basis = orderEarningBasis({
      taxesIncluded: false,
      lines: [
        line({ id: "a", unitPriceMinor: 3000 }),
        line({ id: "g", giftCard: true, unitPriceMinor: 5000 }),
      ],
      refundedLines: [],
    });
    expect(basis).toEqual({
      basisMinor: 3000,
      giftCardsMinor: 5000,
      taxMinor: 0,
      lines: [{ lineId: "a", productId: null, basisMinor: 3000 }],
    });
  });

  it("skips lines with no units, and a line whose units were all removed", () => {
    const basis = orderEarningBasis({
      taxesIncluded: true,
      lines: [
        line({ id: "a", quantity: 0, unitPriceMinor: 1000, discountMinor: 100, taxMinor: 50 }),
        line({ id: "b", quantity: 2, currentQuantity: 0, unitPriceMinor: 1000, taxMinor: 300 }),
        line({ id: "c", unitPriceMinor: 500 }),
      ],
      refundedLines: [],
    });
    expect(basis).toEqual({
      basisMinor: 500,
      giftCardsMinor: 0,
      taxMinor: 0,
      lines: [
        { lineId: "b", productId: null, basisMinor: 0 },
        { lineId: "c", productId: null, basisMinor: 500 },
      ],
    });
  });

  it("counts refunded units (they are taken back by refund) but not units an edit removed", () => {
    // 3 ordered; 1 refunded (listed in the body); 1 removed by an edit; 1 still there.
    const lines = [
      line({ quantity: 3, currentQuantity: 1, unitPriceMinor: 1000, discountMinor: 300 }),
    ];
    const refunded = [
      { lineId: "1", quantity: 1, subtotalMinor: 900, taxMinor: 0, giftCard: false },
    ];
    expect(
      orderEarningBasis({ taxesIncluded: false, lines, refundedLines: refunded }).basisMinor,
    ).toBe(1800);
    // Without current_quantity (older API versions) every ordered unit counts.
    expect(
      orderEarningBasis({
        taxesIncluded: false,
        lines: [line({ quantity: 3, unitPriceMinor: 1000 })],
        refundedLines: [],
      }).basisMinor,
    ).toBe(3000);
  });

  it("prorates a line's discount and tax over the units paid for, rounding halves up", () => {
    const basis = orderEarningBasis({
      taxesIncluded: true,
      lines: [
        line({
          quantity: 3,
          currentQuantity: 2,
          unitPriceMinor: 1000,
          discountMinor: 100,
          taxMinor: 301,
        }),
      ],
      refundedLines: [],
    });
    // 2 of 3 units: 2000 − 67 (66.67) − 201 (200.67) tax
    expect(basis).toEqual({
      basisMinor: 1732,
      giftCardsMinor: 0,
      taxMinor: 201,
      lines: [{ lineId: "1", productId: null, basisMinor: 1732 }],
    });
  });

  it("takes back a refund's merchandise lines only, without included tax", () => {
    const lines = [
      { lineId: "a", quantity: 1, subtotalMinor: 11900, taxMinor: 1900, giftCard: false },
      { lineId: "g", quantity: 1, subtotalMinor: 5000, taxMinor: 0, giftCard: null },
      { lineId: "b", quantity: 1, subtotalMinor: 1000, taxMinor: 100, giftCard: true },
    ];
    expect(refundEarningBasis(lines, true, new Set(["g"]))).toBe(10000);
    expect(refundEarningBasis(lines, false, new Set())).toBe(16900);
    expect(refundEarningBasis([], true, new Set())).toBe(0); // shipping-only refund
  });
});
