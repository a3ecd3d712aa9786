/**
 * Shop-local time. Shopify gives a shop one IANA zone (shop.ianaTimezone); merchants think in it
 * (the dashboard's days, a campaign's "Saturday 00:00"), the database keeps instants.
 */

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock time in `timeZone` at `instant`, as if it were UTC (milliseconds). */
export function wallClock(instant: Date, timeZone: string): number {
  let format = zoneFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    zoneFormats.set(timeZone, format);
  }
  const part = Object.fromEntries(
    format.formatToParts(instant).map((p) => [p.type, Number(p.value)]),
  ) as Record<string, number>;
  return Date.UTC(part.year!, part.month! - 1, part.day!, part.hour!, part.minute!, part.second!);
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The instant the wall-clock time `wall` (a Date read as UTC) happens in `timeZone`, daylight
 * saving included. A time the clocks repeat (01:30 on the night they go back) is its first
 * occurrence; a time they skip (02:30 on the night they go forward; midnight in Santiago) is read
 * with the offset from before the change, which lands just after it (03:30): a campaign set to
 * start then starts at the first real minute after, never the evening before.
 */
export function zonedInstant(wall: Date, timeZone: string): Date {
  if (timeZone === "UTC") return wall;
  const offset = (at: number) => wallClock(new Date(at), timeZone) - at;
  const w = wall.getTime();
  // The offsets a day either side: the same unless the clocks change near `wall`.
  const candidates = [w - offset(w - DAY_MS), w - offset(w + DAY_MS)];
  const real = candidates.filter((at) => wallClock(new Date(at), timeZone) === w);
  return new Date(real.length ? Math.min(...real) : Math.max(...candidates));
}

/** An IANA zone name the runtime knows, else UTC (a shop whose zone we have not learned yet). */
export function knownTimeZone(timeZone: string | null | undefined): string {
  if (!timeZone) return "UTC";
  try {
    new Intl.DateTimeFormat("en", { timeZone });
    return timeZone;
  } catch {
    return "UTC";
  }
}

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/**
 * An `<input type="datetime-local">` value ("2026-12-05T00:00") in `timeZone` as an instant;
 * null when it is not a real minute of the calendar.
 */
export function parseLocalDateTime(value: string, timeZone: string): Date | null {
  const match = LOCAL_DATE_TIME.exec(value.trim());
  if (!match) return null;
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const wall = new Date(Date.UTC(year, month - 1, day, hour, minute));
  if (
    wall.getUTCFullYear() !== year ||
    wall.getUTCMonth() !== month - 1 ||
    wall.getUTCDate() !== day ||
    wall.getUTCHours() !== hour
  ) {
    return null;
  }
  return zonedInstant(wall, timeZone);
}

/** `instant` as an `<input type="datetime-local">` value in `timeZone`. */
export function localDateTime(instant: Date, timeZone: string): string {
  return new Date(wallClock(instant, timeZone)).toISOString().slice(0, 16);
}
