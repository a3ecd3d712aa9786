export type TierBasis = "POINTS_EARNED" | "AMOUNT_SPENT";
export type TierPeriod = "LIFETIME" | "CALENDAR_YEAR" | "ROLLING_12_MONTHS";

export interface TierDefinition {
  id: string;
  name: string;
  /** Points earned, or minor units spent, within the period. */
  threshold: number;
  multiplierPercent: number;
}

/** The highest tier whose threshold the member's metric reaches, or null below the first one. */
export function qualifyingTier<T extends TierDefinition>(
  tiers: readonly T[],
  metric: number,
): T | null {
  let best: T | null = null;
  for (const tier of tiers) {
    if (metric >= tier.threshold && (!best || tier.threshold > best.threshold)) best = tier;
  }
  return best;
}

/** The next tier up and how much more of the metric it needs. */
export function nextTier<T extends TierDefinition>(
  tiers: readonly T[],
  metric: number,
): { tier: T; remaining: number } | null {
  let next: T | null = null;
  for (const tier of tiers) {
    if (tier.threshold > metric && (!next || tier.threshold < next.threshold)) next = tier;
  }
  return next ? { tier: next, remaining: next.threshold - metric } : null;
}

/** Start of the qualification window (UTC); null means all history counts. */
export function periodStart(period: TierPeriod, now: Date): Date | null {
  switch (period) {
    case "LIFETIME":
      return null;
    case "CALENDAR_YEAR":
      return new Date(Date.UTC(now.getUTCFullYear(), 0, 1));
    case "ROLLING_12_MONTHS":
      return addMonths(now, -12);
  }
}

/** Calendar-aware month arithmetic: 31 Jan + 1 month = 28/29 Feb, not 3 Mar. */
export function addMonths(date: Date, months: number): Date {
  const target = new Date(date.getTime());
  const day = target.getUTCDate();
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() + months);
  const lastDay = new Date(
    Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0),
  ).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target;
}
