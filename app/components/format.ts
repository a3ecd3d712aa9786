// Fixed locale and time zone: the server render and the browser's hydration must produce the same
// text, and the ledger's dates are stored in UTC.
const dateFormat = new Intl.DateTimeFormat("en", {
  year: "numeric",
  month: "short",
  day: "numeric",
  timeZone: "UTC",
});
const dateTimeFormat = new Intl.DateTimeFormat("en", {
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "UTC",
  timeZoneName: "short",
});
const numberFormat = new Intl.NumberFormat("en");

export function formatDate(iso: string | null | undefined): string {
  return iso ? dateFormat.format(new Date(iso)) : "—";
}

export function formatDateTime(iso: string | null | undefined): string {
  return iso ? dateTimeFormat.format(new Date(iso)) : "—";
}

export function formatNumber(value: number): string {
  return numberFormat.format(value);
}

/** +120 / −40, with a real minus sign so screen readers say "minus". */
export function formatSigned(value: number): string {
  if (value > 0) return `+${numberFormat.format(value)}`;
  if (value < 0) return `−${numberFormat.format(-value)}`;
  return "0";
}

/** "1 member", "2 members", "1,200 points": English plurals for the admin's fixed locale. */
export function formatCount(value: number, one: string, other = `${one}s`): string {
  return `${numberFormat.format(value)} ${value === 1 ? one : other}`;
}

/**
 * Who did something, as stored: a staff member's name, or — for records made before the admin
 * knew names — "staff:<user id>" / "staff", shown in words rather than as an internal key.
 */
export function formatStaff(who: string | null | undefined, none = "Automatic"): string {
  if (!who) return none;
  const named = /^(.+) \(staff:[^)]+\)$/.exec(who)?.[1];
  if (named) return named;
  const id = /^staff:(.+)$/.exec(who)?.[1];
  if (id) return /^\d+$/.test(id) ? `Staff member ${id}` : id;
  return who === "staff" ? "A staff member" : who;
}
