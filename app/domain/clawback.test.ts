import { describe, expect, it } from "vitest";
import { clawbackForCancellation, clawbackForRefund, scopedShare, splitDebit } from "./clawback";

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

  describe("of a campaign on some products", () => {
    // $100 order: 100 from the rate, plus 40 doubling its $40 of tote.
    const doubled = { ...order, earnedPoints: 140 };
    const tote = (refundMinor: number, refundedMinor = 0, takenPoints = 0) => ({
      points: 40,
      eligibleMinor: 4000,
      minimumMinor: null,
      refundedMinor,
      takenPoints,
      refundMinor,
    });

    it("takes back its share only for its own lines", () => {
      // Refunding $20 of other lines: 20 of the rate's 100, nothing of the campaign.
      expect(clawbackForRefund({ ...doubled, scoped: [tote(0)] }, 2000)).toBe(20);
      // Refunding $20 of tote: 20 of the rate's, and half of the campaign's 40.
      expect(clawbackForRefund({ ...doubled, scoped: [tote(2000)] }, 2000)).toBe(40);
    });

    it("gives up all it has left once its lines are refunded", () => {
      // 5 points on $30 of lines, refunded $10 at a time: 1, 1, then the 3 left (not 2, which
      // would keep one: a share of the whole is more than the shares added up).
      const earning = { ...order, earnedPoints: 105 };
      const shares: number[] = [];
      let taken = 0;
      for (const refundedMinor of [0, 1000, 2000]) {
        const scoped = {
          points: 5,
          eligibleMinor: 3000,
          minimumMinor: null,
          refundedMinor,
          takenPoints: taken,
          refundMinor: 1000,
        };
        const back = clawbackForRefund({ ...earning, scoped: [scoped] }, 1000) - 10;
        shares.push(back);
        taken += scopedShare(5, 1000, 3000);
      }
      expect(shares).toEqual([1, 1, 3]);
    });

    it("takes its bonus back whole when its lines' spend falls below the minimum", () => {
      const withBonus = { ...order, earnedPoints: 150 };
      const bonus = (refundMinor: number, refundedMinor = 0) => ({
        points: 50,
        eligibleMinor: 6000,
        minimumMinor: 5000,
        refundedMinor,
        takenPoints: 0,
        refundMinor,
      });
      expect(clawbackForRefund({ ...withBonus, scoped: [bonus(1000)] }, 1000)).toBe(10);
      expect(clawbackForRefund({ ...withBonus, scoped: [bonus(1000, 1000)] }, 1000)).toBe(10 + 50);
      // Other lines refunded: the products' spend still reaches the minimum.
      expect(clawbackForRefund({ ...withBonus, scoped: [bonus(0)] }, 3000)).toBe(30);
    });
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
