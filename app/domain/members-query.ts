import type { FieldErrors, FormResult } from "./forms";

/** The members index's URL state: search, tier filter, sort and page. */
export interface MembersQuery {
  q: string;
  /** A tier id, "none" for members without a tier, or null for everyone. */
  tier: string | null;
  sort: MembersSort;
  /** Which page this is, for its label; without a cursor, also which rows (by offset). */
  page: number;
  /**
   * The member the page starts after (next) or ends before (previous): a page far down a large
   * shop's list is then read from the index at that member, not counted out from the top.
   */
  after: string | null;
  before: string | null;
}

export type MembersSort = "balance desc" | "balance asc" | "joined desc" | "joined asc";

/** A members sort's column and direction ("balance desc" → ["balance", "desc"]). */
export function sortParts(sort: MembersSort) {
  return sort.split(" ") as ["balance" | "joined", "asc" | "desc"];
}

export const MEMBERS_SORTS: { value: MembersSort; label: string }[] = [
  { value: "balance desc", label: "Balance, highest first" },
  { value: "balance asc", label: "Balance, lowest first" },
  { value: "joined desc", label: "Joined, newest first" },
  { value: "joined asc", label: "Joined, oldest first" },
];

export const MEMBERS_PAGE_SIZE = 50;

/** A search counts its matches up to this many, then says "1,000+". */
export const MEMBERS_COUNT_CAP = 1000;

const cursor = (value: string | null) => (value && /^[\w-]{1,64}$/.test(value) ? value : null);

/** Lenient: a bad or hand-edited URL falls back to defaults rather than an error page. */
export function parseMembersQuery(params: URLSearchParams): MembersQuery {
  const sort = params.get("sort");
  const page = Number(params.get("page"));
  return {
    q: (params.get("q") ?? "").trim().slice(0, 100),
    tier: params.get("tier") || null,
    sort: MEMBERS_SORTS.some((s) => s.value === sort) ? (sort as MembersSort) : "balance desc",
    page: Number.isInteger(page) && page >= 1 && page <= 100_000 ? page : 1,
    after: cursor(params.get("after")),
    before: params.get("after") ? null : cursor(params.get("before")),
  };
}

/**
 * Search terms. A customer id (numeric or a Customer GID) or a whole email address is looked up
 * exactly first, through its index; failing that, every word must appear in the email, first or
 * last name ("ada love" finds Ada Lovelace, "1001" an email containing it).
 */
export function searchTerms(q: string): {
  customerId: string | null;
  email: string | null;
  words: string[];
} {
  const gid = /^gid:\/\/shopify\/Customer\/(\d+)$/.exec(q);
  if (gid) return { customerId: gid[1]!, email: null, words: [] };
  if (/^\d+$/.test(q)) return { customerId: q, email: null, words: [q] };
  const email = /^[^\s@]+@[^\s@]+$/.test(q) ? q : null;
  return { customerId: null, email, words: q.split(/\s+/).filter(Boolean).slice(0, 5) };
}

export interface Adjustment {
  points: number;
  reason: string;
  /** Set by the form when it opens, so a double submit records one adjustment. */
  requestId: string | null;
}

const MAX_ADJUSTMENT = 1_000_000;

const POINTS_MESSAGE = "Enter a whole number of points; use a minus sign to remove points";
const REASON_MESSAGE = "Say why, for the member's history";

/**
 * The member page runs this in the browser too (its confirmation step checks the form before
 * asking), so it is written without zod: three fields do not justify ~90 KB of gzipped library
 * on the page.
 */
export function parseAdjustment(input: Record<string, string | undefined>): FormResult<Adjustment> {
  const errors: FieldErrors = {};
  const pointsText = (input.points ?? "").trim();
  const points = Number(pointsText);
  if (!/^[-+]?\d+$/.test(pointsText) || Math.abs(points) > MAX_ADJUSTMENT) {
    errors.points = POINTS_MESSAGE;
  } else if (points === 0) {
    errors.points = "Enter a number other than 0";
  }
  const reason = (input.reason ?? "").trim();
  if (reason.length < 3) errors.reason = REASON_MESSAGE;
  else if (reason.length > 200) errors.reason = "Use 200 characters or fewer";
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const requestId = /^[\w-]{8,64}$/.test(input.requestId ?? "") ? input.requestId! : null;
  return { ok: true, data: { points, reason, requestId } };
}

/** Why removing more than the balance is refused, in the page's words and the server's alike. */
export function overdrawnMessage(balance: number, pointsName: string): string {
  const n = balance.toLocaleString("en");
  return `This member has ${n} spendable ${pointsName}; you can remove at most ${n}. Balances cannot go below zero (Program settings → Allow negative balances).`;
}

export function memberDisplayName(member: {
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  customerId: string;
}): string {
  const name = [member.firstName, member.lastName].filter(Boolean).join(" ").trim();
  return name || member.email || `Customer ${member.customerId}`;
}
