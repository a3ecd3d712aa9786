import { CsvError, parseCsv } from "./csv";
import type { TierPeriod } from "./tiers";
import { addMonths } from "./tiers";

/**
 * Balances moved over from another loyalty app: one row per customer with an email or a Shopify
 * customer id, the points, and optionally a tier. This module reads and checks the file; looking
 * customers up in Shopify and posting the points happen on the server.
 */

export const MAX_IMPORT_ROWS = 10_000;
export const MAX_IMPORT_BYTES = 2_000_000;
export const MAX_IMPORT_POINTS = 10_000_000;

export type Column = "email" | "customerId" | "points" | "tier" | "firstName" | "lastName";

const HEADER_NAMES: Record<Column, string[]> = {
  email: ["email", "e-mail", "email address", "customer email"],
  customerId: ["customer id", "customer_id", "customerid", "shopify customer id"],
  points: ["points", "balance", "points balance", "point balance", "points_balance"],
  tier: ["tier", "tier name", "vip tier", "vip_tier"],
  firstName: ["first name", "first_name", "firstname"],
  lastName: ["last name", "last_name", "lastname"],
};

export interface ParsedImportRow {
  line: number;
  cells: string[];
  email: string | null;
  customerId: string | null;
  firstName: string | null;
  lastName: string | null;
  points: number | null;
  tierId: string | null;
  errors: string[];
}

export type ParsedImport =
  | { ok: true; columns: Partial<Record<Column, number>>; rows: ParsedImportRow[] }
  | { ok: false; error: string };

function normalizeHeader(cell: string) {
  return cell.trim().toLowerCase().replace(/\s+/g, " ");
}

export function detectColumns(header: string[]): Partial<Record<Column, number>> {
  const columns: Partial<Record<Column, number>> = {};
  header.forEach((cell, index) => {
    const name = normalizeHeader(cell);
    for (const [column, names] of Object.entries(HEADER_NAMES) as [Column, string[]][]) {
      if (columns[column] === undefined && names.includes(name)) columns[column] = index;
    }
  });
  return columns;
}

const EMAIL = /^[^\s@"<>,;]+@[^\s@"<>,;]+\.[^\s@"<>,;]+$/;

export function normalizeCustomerId(value: string): string | null {
  const trimmed = value.trim();
  const gid = /^gid:\/\/shopify\/Customer\/(\d+)$/.exec(trimmed);
  if (gid) return gid[1]!;
  return /^\d{1,20}$/.test(trimmed) ? trimmed : null;
}

export function parseImportFile(
  text: string,
  tiers: readonly { id: string; name: string }[],
): ParsedImport {
  if (text.length > MAX_IMPORT_BYTES)
    return { ok: false, error: "The file is larger than 2 MB; split it into smaller files" };
  let records: { line: number; cells: string[] }[];
  try {
    records = parseCsv(text);
  } catch (error) {
    return { ok: false, error: error instanceof CsvError ? error.message : "Unreadable CSV" };
  }
  const [header, ...body] = records;
  if (!header) return { ok: false, error: "The file is empty" };
  const columns = detectColumns(header.cells);
  if (
    columns.points === undefined ||
    (columns.email === undefined && columns.customerId === undefined)
  ) {
    return {
      ok: false,
      error:
        "The first row must name the columns: email or customer_id, points, and optionally tier. Found: " +
        (header.cells
          .map((c) => c.trim())
          .filter(Boolean)
          .join(", ") || "nothing"),
    };
  }
  const data = body.filter((record) => record.cells.some((cell) => cell.trim() !== ""));
  if (data.length === 0) return { ok: false, error: "The file has a header but no rows" };
  if (data.length > MAX_IMPORT_ROWS)
    return {
      ok: false,
      error: `The file has ${data.length} rows; import at most ${MAX_IMPORT_ROWS} at a time`,
    };

  const tierByName = new Map(tiers.map((t) => [t.name.trim().toLowerCase(), t.id]));
  const cell = (cells: string[], column: Column) => {
    const index = columns[column];
    return index === undefined ? "" : (cells[index] ?? "").trim();
  };

  const rows = data.map(({ line, cells }): ParsedImportRow => {
    const errors: string[] = [];
    const rawEmail = cell(cells, "email");
    const rawId = cell(cells, "customerId");
    const email = rawEmail ? rawEmail.toLowerCase() : null;
    if (email && !EMAIL.test(email)) errors.push(`“${rawEmail}” is not an email address`);
    const customerId = rawId ? normalizeCustomerId(rawId) : null;
    if (rawId && !customerId)
      errors.push(`Customer ID “${rawId}” should be a number such as 7012345678901`);
    if (!rawEmail && !rawId) errors.push("Add an email or a customer ID");

    const rawPoints = cell(cells, "points");
    let points: number | null = null;
    if (!/^\d+$/.test(rawPoints)) {
      errors.push(
        rawPoints
          ? `Points “${rawPoints}” should be a whole number, 0 or more, without separators`
          : "Points are missing",
      );
    } else if (Number(rawPoints) > MAX_IMPORT_POINTS) {
      errors.push(`Points must be at most ${MAX_IMPORT_POINTS}`);
    } else {
      points = Number(rawPoints);
    }

    const rawTier = cell(cells, "tier");
    let tierId: string | null = null;
    if (rawTier) {
      tierId = tierByName.get(rawTier.toLowerCase()) ?? null;
      if (!tierId)
        errors.push(
          `No tier called “${rawTier}”; create it on the Tiers page or leave the cell empty`,
        );
    }
    if (points === 0 && !tierId && errors.length === 0)
      errors.push("Nothing to import: 0 points and no tier");

    return {
      line,
      cells,
      email,
      customerId,
      firstName: cell(cells, "firstName") || null,
      lastName: cell(cells, "lastName") || null,
      points,
      tierId,
      errors,
    };
  });
  return { ok: true, columns, rows };
}

/**
 * The second row for the same customer is refused rather than added: two rows for one customer
 * in a balances export is almost always a mistake, and silently summing them would inflate the
 * liability. Returns line → the line it duplicates.
 */
export function duplicateLines(
  rows: readonly { line: number; customerId: string | null }[],
): Map<number, number> {
  const first = new Map<string, number>();
  const duplicates = new Map<number, number>();
  for (const row of [...rows].sort((a, b) => a.line - b.line)) {
    if (!row.customerId) continue;
    const seen = first.get(row.customerId);
    if (seen === undefined) first.set(row.customerId, row.line);
    else duplicates.set(row.line, seen);
  }
  return duplicates;
}

/** How long an imported tier holds: until the current qualification period ends. */
export function grantedTierUntil(period: TierPeriod, now: Date): Date | null {
  switch (period) {
    case "LIFETIME":
      return null;
    case "CALENDAR_YEAR":
      return new Date(Date.UTC(now.getUTCFullYear() + 1, 0, 1));
    case "ROLLING_12_MONTHS":
      return addMonths(now, 12);
  }
}

/** The template offered for download on the import page. */
export const IMPORT_TEMPLATE =
  "email,customer_id,points,tier\r\nada@example.com,,1200,Gold\r\n,7012345678901,350,\r\n";
