import { describe, expect, it } from "vitest";
import { clawbackForCancellation, clawbackForRefund, splitDebit } from "./clawback";

const order = { earnedPoints: 100, basisMinor: 10000, clawedBackPoints: 0, refundedMinor: 0 };

describe("refund clawback", () => {
  it("takes back the refunded share of what the order earned", () => {
    expect(clawbackForRefund(order, 2500)).toBe(25);
    expect(clawbackForRefund(order, 3333)).toBe(33);
  });

  it("takes back everything left once refunds cover the whole order", () => {
    const after = { ...order, clawedBackPoints: 66, refundedMinor: 6666 };
    expect(clawbackForRefund(after, 3334)).toBe(34);
  });

  it("never takes back more than the order earned", () => {
    const after = { ...order, clawedBackPoints: 100, refundedMinor: 10000 };
    expect(clawbackForRefund(after, 5000)).toBe(0);
    expect(clawbackForRefund({ ...order, clawedBackPoints: 95 }, 9000)).toBe(5);
  });

  it("ignores refunds with no refunded merchandise (shipping-only)", () => {
    expect(clawbackForRefund(order, 0)).toBe(0);
    // Even after earlier refunds covered the whole basis.
    expect(clawbackForRefund({ ...order, clawedBackPoints: 90, refundedMinor: 10000 }, 0)).toBe(0);
    expect(clawbackForRefund(order, -500)).toBe(0);
  });

  it("takes nothing from an order with nothing left or no basis", () => {
    // Rows written by older versions or by hand: the result must still never be negative.
    expect(clawbackForRefund({ ...order, clawedBackPoints: 120 }, 2500)).toBe(0);
    expect(clawbackForRefund({ ...order, earnedPoints: 5, basisMinor: 0 }, 100)).toBe(0);
  });

  it("reverses what remains on cancellation", () => {
    expect(clawbackForCancellation({ ...order, clawedBackPoints: 30 })).toBe(70);
    expect(clawbackForCancellation({ ...order, clawedBackPoints: 100 })).toBe(0);
  });
});

describe("debit split", () => {
  it("takes pending points first, then balance, down to zero", () => {
    expect(splitDebit(50, 20, 100, false)).toEqual({
      fromPending: 20,
      fromBalance: 30,
      shortfall: 0,
    });
    expect(splitDebit(50, 0, 10, false)).toEqual({
      fromPending: 0,
      fromBalance: 10,
      shortfall: 40,
    });
  });

  it("can let the balance go negative when the merchant allows it", () => {
    expect(splitDebit(50, 0, 10, true)).toEqual({ fromPending: 0, fromBalance: 50, shortfall: 0 });
  });
});
