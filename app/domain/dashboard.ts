import { toMinorUnits } from "./money";
import { wallClock, zonedInstant } from "./time-zones";

/**
 * Dashboard arithmetic: the date range, chart buckets and the program's figures. Days are the
 * shop's days (its IANA time zone, UTC until the app has learned it): the calendar works on
 * "civil" dates held as UTC midnights, and each day's edges become instants in the zone.
 */

export type RangePreset = "7d" | "30d" | "90d" | "12m" | "ytd" | "custom";

export const RANGE_PRESETS: { value: RangePreset; label: string }[] = [
  { value: "7d", label: "Last 7 days" },
  { value: "30d", label: "Last 30 days" },
  { value: "90d", label: "Last 90 days" },
  { value: "12m", label: "Last 12 months" },
  { value: "ytd", label: "Year to date" },
  { value: "custom", label: "Custom range" },
];

export interface DateRange {
  preset: RangePreset;
  /** Inclusive start: midnight of the first day in the shop's time zone. */
  start: Date;
  /** Exclusive end: midnight of the day after the last day in the shop's time zone. */
  end: Date;
  /** YYYY-MM-DD of the first and last day, for the form. */
  startDay: string;
  endDay: string;
  /** Set when a custom range was unusable and a default was used instead. */
  error: string | null;
  /** The IANA zone whose days these are. */
  timeZone: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_CUSTOM_DAYS = 731;

/** The shop's calendar day at `instant`, as a UTC midnight. */
function civilDay(instant: Date, timeZone: string): Date {
  const wall = new Date(wallClock(instant, timeZone));
  return new Date(Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate()));
}

function dayString(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function parseDay(value: string | null): Date | null {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const date = new Date(`${value}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || dayString(date) !== value ? null : date;
}

export function parseDateRange(params: URLSearchParams, now: Date, timeZone = "UTC"): DateRange {
  const rangeOf = (
    preset: RangePreset,
    start: Date,
    lastDay: Date,
    error: string | null = null,
  ): DateRange => ({
    preset,
    start: zonedInstant(start, timeZone),
    end: zonedInstant(new Date(lastDay.getTime() + DAY_MS), timeZone),
    startDay: dayString(start),
    endDay: dayString(lastDay),
    error,
    timeZone,
  });
  const today = civilDay(now, timeZone);
  const preset = (RANGE_PRESETS.find((p) => p.value === params.get("range"))?.value ??
    "30d") as RangePreset;
  const back = (days: number) => new Date(today.getTime() - (days - 1) * DAY_MS);
  switch (preset) {
    case "7d":
      return rangeOf(preset, back(7), today);
    case "30d":
      return rangeOf(preset, back(30), today);
    case "90d":
      return rangeOf(preset, back(90), today);
    case "12m":
      return rangeOf(preset, back(365), today);
    case "ytd":
      return rangeOf(preset, new Date(Date.UTC(today.getUTCFullYear(), 0, 1)), today);
    case "custom": {
      const start = parseDay(params.get("start"));
      const last = parseDay(params.get("end"));
      const fallback = (error: string) => rangeOf("30d", back(30), today, error);
      if (!start || !last) return fallback("Enter both dates as YYYY-MM-DD");
      if (last < start) return fallback("The end date is before the start date");
      if (start > today) return fallback("The range starts in the future");
      if ((last.getTime() - start.getTime()) / DAY_MS + 1 > MAX_CUSTOM_DAYS)
        return fallback("Choose a range of two years or less");
      return rangeOf("custom", start, last > today ? today : last);
    }
  }
}

export interface Bucket {
  start: Date;
  end: Date;
  label: string;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * Days for up to ~3 months, then weeks (from the range's first day), then calendar months — the
 * shop's days, so a day that changes the clock is 23 or 25 hours long.
 */
export function bucketsFor(
  range: Pick<DateRange, "start" | "end"> & { timeZone?: string },
): Bucket[] {
  const timeZone = range.timeZone ?? "UTC";
  const first = civilDay(range.start, timeZone);
  const after = civilDay(range.end, timeZone);
  const days = Math.round((after.getTime() - first.getTime()) / DAY_MS);
  const label = (d: Date) => `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`;
  const civil: { start: Date; end: Date; label: string }[] = [];
  if (days <= 92) {
    for (let t = first.getTime(); t < after.getTime(); t += DAY_MS) {
      const start = new Date(t);
      civil.push({ start, end: new Date(t + DAY_MS), label: label(start) });
    }
  } else if (days <= 400) {
    for (let t = first.getTime(); t < after.getTime(); t += 7 * DAY_MS) {
      const start = new Date(t);
      const end = new Date(Math.min(t + 7 * DAY_MS, after.getTime()));
      civil.push({ start, end, label: `Week of ${label(start)}` });
    }
  } else {
    let cursor = first;
    while (cursor < after) {
      const next = new Date(Date.UTC(cursor.getUTCFullYear(), cursor.getUTCMonth() + 1, 1));
      const end = next < after ? next : after;
      civil.push({
        start: cursor,
        end,
        label: `${MONTHS[cursor.getUTCMonth()]} ${cursor.getUTCFullYear()}`,
      });
      cursor = end;
    }
  }
  return civil.map((b) => ({
    start: zonedInstant(b.start, timeZone),
    end: zonedInstant(b.end, timeZone),
    label: b.label,
  }));
}

/** What each ledger kind means for the dashboard's points figures. */
export function pointsFlow(entry: { kind: string; points: number; pendingPoints: number }) {
  const total = entry.points + entry.pendingPoints;
  switch (entry.kind) {
    case "EARN":
    case "SIGNUP_BONUS":
      return { issued: total, redeemed: 0, expired: 0, takenBack: 0 };
    case "MANUAL":
    case "IMPORT":
      return total >= 0
        ? { issued: total, redeemed: 0, expired: 0, takenBack: 0 }
        : { issued: 0, redeemed: 0, expired: 0, takenBack: -total };
    case "REFUND_CLAWBACK":
    case "CANCEL_REVERSAL":
      return { issued: 0, redeemed: 0, expired: 0, takenBack: -total };
    case "REDEEM":
    case "REDEEM_RETURN":
      // A returned redemption cancels the spend it returns.
      return { issued: 0, redeemed: -total, expired: 0, takenBack: 0 };
    case "EXPIRE":
      return { issued: 0, redeemed: 0, expired: -total, takenBack: 0 };
    default:
      return { issued: 0, redeemed: 0, expired: 0, takenBack: 0 };
  }
}

/** Points redeemed as a share of points issued, in tenths of a percent; null with nothing issued. */
export function redemptionRatePermille(redeemed: number, issued: number): number | null {
  if (issued <= 0) return null;
  return Math.round((Math.max(0, redeemed) * 1000) / issued);
}

export function formatPermille(permille: number | null): string {
  if (permille === null) return "—";
  return `${Math.floor(permille / 10)}.${permille % 10}%`;
}

export interface PointValue {
  /** The reward the value is taken from. */
  rewardName: string;
  amountMinor: number;
  pointsCost: number;
}

/**
 * The money a point is worth: the most generous enabled fixed-amount or store credit reward
 * (amount ÷ cost). Percentage and free-shipping rewards have no fixed value, so they cannot price
 * the liability.
 */
export function pointValue(
  rewards: readonly {
    name: string;
    type: string;
    amount: string | null;
    pointsCost: number;
    enabled: boolean;
  }[],
  currency: string,
): PointValue | null {
  let best: PointValue | null = null;
  for (const reward of rewards) {
    if (
      !reward.enabled ||
      (reward.type !== "FIXED_AMOUNT" && reward.type !== "STORE_CREDIT") ||
      !reward.amount ||
      reward.pointsCost <= 0
    )
      continue;
    let amountMinor: number;
    try {
      amountMinor = toMinorUnits(reward.amount, currency);
    } catch {
      continue;
    }
    if (
      !best ||
      BigInt(amountMinor) * BigInt(best.pointsCost) >
        BigInt(best.amountMinor) * BigInt(reward.pointsCost)
    ) {
      best = { rewardName: reward.name, amountMinor, pointsCost: reward.pointsCost };
    }
  }
  return best;
}

/** Outstanding points in money at that value, rounded down to the minor unit. */
export function liabilityMinor(points: number, value: PointValue | null): number | null {
  if (!value) return null;
  return Number(
    (BigInt(Math.max(0, points)) * BigInt(value.amountMinor)) / BigInt(value.pointsCost),
  );
}
