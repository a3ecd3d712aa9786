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

describe("refund clawback of a campaign's fixed bonus", () => {
  // 55 points from $55.00 of spend and a 100-point bonus for orders of $50.00 or more.
  const withBonus = {
    earnedPoints: 155,
    basisMinor: 5500,
    clawedBackPoints: 0,
    refundedMinor: 0,
    fixedBonus: { points: 100, minimumMinor: 5000 },
  };

  it("takes the spend's share only while the spend left reaches the minimum", () => {
    expect(clawbackForRefund(withBonus, 500)).toBe(5);
  });

  it("takes the bonus whole with the refund that brings the spend below the minimum, once", () => {
    expect(clawbackForRefund(withBonus, 1000)).toBe(10 + 100);
    const after = { ...withBonus, clawedBackPoints: 110, refundedMinor: 1000 };
    expect(clawbackForRefund(after, 1000)).toBe(10);
    // Whatever is left goes with the refund that covers the rest.
    expect(clawbackForRefund({ ...after, clawedBackPoints: 120, refundedMinor: 2000 }, 3500)).toBe(
      35,
    );
  });

  it("does not depend on the order refunds arrive in", () => {
    const refunds = [500, 1000];
    const total = (order: typeof refunds) =>
      order.reduce(
        (state, refund) => {
          const points = clawbackForRefund(state, refund);
          return {
            ...state,
            clawedBackPoints: state.clawedBackPoints + points,
            refundedMinor: state.refundedMinor + refund,
          };
        },
        { ...withBonus },
      ).clawedBackPoints;
    expect(total(refunds)).toBe(5 + 10 + 100);
    expect(total([...refunds].reverse())).toBe(5 + 10 + 100);
  });
});
