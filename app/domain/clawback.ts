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
}

/**
 * Each refund takes back its own proportional share, rounded down, so the amount does not depend
 * on which refunds arrived before it. Once refunds cover the whole basis, whatever the rounding
 * left behind goes too: a fully refunded order keeps nothing.
 */
export function clawbackForRefund(order: OrderEarning, refundMinor: number): number {
  const remaining = order.earnedPoints - order.clawedBackPoints;
  if (remaining <= 0 || refundMinor <= 0 || order.basisMinor <= 0) return 0;
  if (order.refundedMinor + refundMinor >= order.basisMinor) return remaining;
  const share = Number(
    (BigInt(order.earnedPoints) * BigInt(refundMinor)) / BigInt(order.basisMinor),
  );
  return Math.min(share, remaining);
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
