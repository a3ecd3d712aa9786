/**
 * Taking points back when an order is refunded or cancelled. Everything is computed from what the
 * order earned at the time (the snapshot), never from today's rate, and can never take back more
 * than the order earned.
 */

export interface OrderEarning {
  /** Points the order earned (available and pending together). */
  earnedPoints: number;
  /** Spend that produced them, in minor units. */
  basisMinor: number;
  /** Points already taken back by earlier refunds or a cancellation. */
  clawedBackPoints: number;
  /** Refunded spend already accounted for, in minor units. */
  refundedMinor: number;
  /** A campaign's fixed bonus in `earnedPoints` (fixedBonusOf in app/domain/earning-rules.ts). */
  fixedBonus?: { points: number; minimumMinor: number } | null;
  /** What campaigns on some products gave, each with the part of its lines this refund takes. */
  scoped?: readonly ScopedRefund[];
}

/** A refund seen from a contribution of a campaign on some products (scopedContributionsOf). */
export interface ScopedRefund {
  points: number;
  /** The spend of the campaign's lines when the order was paid, in minor units. */
  eligibleMinor: number;
  /** A bonus: the spend of its lines it needed, and must keep; null for a multiplier. */
  minimumMinor: number | null;
  /** The spend of its lines earlier refunds took back. */
  refundedMinor: number;
  /** The points of it earlier refunds took back (their shares, each rounded down on its own). */
  takenPoints: number;
  /** The spend of its lines this refund takes back. */
  refundMinor: number;
}

/**
 * Each refund takes back its own proportional share, rounded down, so the amount does not depend
 * on which refunds arrived before it. Once refunds cover the whole basis, whatever the rounding
 * left behind goes too: a fully refunded order keeps nothing.
 *
 * A campaign's fixed bonus is not spend-shaped: it is left out of the share and taken back whole
 * by the refund that brings the spend left below the bonus's minimum, the condition it was given
 * on ("100 bonus points on orders of $50 or more": refunding $10 of a $55 order takes it back;
 * refunding $5 does not).
 */
export function clawbackForRefund(order: OrderEarning, refundMinor: number): number {
  const remaining = order.earnedPoints - order.clawedBackPoints;
  if (remaining <= 0 || refundMinor <= 0 || order.basisMinor <= 0) return 0;
  if (order.refundedMinor + refundMinor >= order.basisMinor) return remaining;
  const bonus = order.fixedBonus ?? { points: 0, minimumMinor: 1 };
  const scoped = order.scoped ?? [];
  const spendPoints = Math.max(
    0,
    order.earnedPoints - bonus.points - scoped.reduce((sum, s) => sum + s.points, 0),
  );
  const share = floorShare(spendPoints, refundMinor, order.basisMinor);
  const bonusBack = bonusTakenBack(bonus.points, bonus.minimumMinor, {
    eligibleMinor: order.basisMinor,
    refundedMinor: order.refundedMinor,
    refundMinor,
  });
  const scopedBack = scoped.reduce((sum, s) => sum + scopedClawback(s), 0);
  return Math.min(share + bonusBack + scopedBack, remaining);
}

/**
 * A campaign on some products answers only for its lines: its multiplier by the share of their
 * spend the refund takes (all it has left once they are all refunded), its bonus whole when their
 * spend left falls below its minimum. Refunding the other lines takes nothing of it.
 */
function scopedClawback(s: ScopedRefund): number {
  if (s.points <= 0 || s.refundMinor <= 0 || s.eligibleMinor <= 0) return 0;
  if (s.minimumMinor !== null) return bonusTakenBack(s.points, s.minimumMinor, s);
  if (s.refundedMinor + s.refundMinor >= s.eligibleMinor)
    return Math.max(0, s.points - s.takenPoints);
  return floorShare(s.points, s.refundMinor, s.eligibleMinor);
}

/**
 * What one refund of `refundMinor` of a multiplier's lines took of it, short of the last one: for
 * the caller to add up the earlier refunds' takes (`takenPoints`).
 */
export function scopedShare(points: number, refundMinor: number, eligibleMinor: number): number {
  if (points <= 0 || refundMinor <= 0 || eligibleMinor <= 0) return 0;
  return floorShare(points, refundMinor, eligibleMinor);
}

function bonusTakenBack(
  points: number,
  minimumMinor: number,
  spend: { eligibleMinor: number; refundedMinor: number; refundMinor: number },
): number {
  const keptBefore = spend.eligibleMinor - spend.refundedMinor >= minimumMinor;
  const keptAfter = spend.eligibleMinor - spend.refundedMinor - spend.refundMinor >= minimumMinor;
  return points > 0 && keptBefore && !keptAfter ? points : 0;
}

function floorShare(points: number, part: number, whole: number): number {
  return Number((BigInt(points) * BigInt(Math.min(part, whole))) / BigInt(whole));
}

/** A cancellation reverses whatever the order still holds. */
export function clawbackForCancellation(order: OrderEarning): number {
  return Math.max(0, order.earnedPoints - order.clawedBackPoints);
}

export interface Debit {
  /** Points actually removed. */
  applied: number;
  /** Points that could not be removed because of the balance floor. */
  shortfall: number;
}

/**
 * Takes `amount` from the pending bucket first (points not yet spendable), then from the
 * balance, which by default never goes below zero; the rest is the shortfall, recorded so a
 * merchant can see points a shopper spent before a refund.
 */
export function splitDebit(
  amount: number,
  pendingAvailable: number,
  balance: number,
  allowNegativeBalance: boolean,
): { fromPending: number; fromBalance: number; shortfall: number } {
  const fromPending = Math.min(amount, Math.max(0, pendingAvailable));
  const wanted = amount - fromPending;
  const fromBalance = allowNegativeBalance ? wanted : Math.min(wanted, Math.max(0, balance));
  return { fromPending, fromBalance, shortfall: wanted - fromBalance };
}
