import { addMonths } from "./tiers";

const DAY_MS = 24 * 60 * 60 * 1000;

/** When points earned at `earnedAt` become spendable; immediately when there is no pending period. */
export function availableAt(earnedAt: Date, pendingDays: number): Date {
  return new Date(earnedAt.getTime() + Math.max(0, pendingDays) * DAY_MS);
}

export function isPending(available: Date | null, now: Date): boolean {
  return available !== null && available.getTime() > now.getTime();
}

/**
 * Balances expire after `months` without activity (earning or redeeming). Returns null when the
 * program never expires points or the member has never been active. `notBefore` is when a new
 * policy took effect: a member already idle for longer expires then, not on a date in the past.
 */
export function balanceExpiresAt(
  lastActivityAt: Date | null,
  expiryMonths: number | null,
  notBefore?: Date,
): Date | null {
  if (!lastActivityAt || !expiryMonths || expiryMonths <= 0) return null;
  const due = addMonths(lastActivityAt, expiryMonths);
  return notBefore && due < notBefore ? notBefore : due;
}
