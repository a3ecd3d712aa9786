import prisma from "../db.server";
import { csvLine } from "../domain/csv";
import { LEDGER_KIND_LABELS } from "../domain/explain";

/**
 * CSV exports streamed a page at a time, so a shop with a large ledger never holds it all in
 * memory and the download starts at once.
 */

const PAGE = 1_000;

function csvResponse(filename: string, stream: ReadableStream<Uint8Array>) {
  return new Response(stream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "private, no-store",
    },
  });
}

function pagedStream<T extends { id: string | number }>(
  header: string[],
  fetchPage: (after: T["id"] | undefined) => Promise<T[]>,
  toCells: (row: T) => (string | number | null)[],
) {
  const encoder = new TextEncoder();
  let after: T["id"] | undefined;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        // A BOM lets spreadsheet apps detect UTF-8 (names with accents).
        controller.enqueue(encoder.encode(`\uFEFF${csvLine(header)}`));
        return;
      }
      const rows = await fetchPage(after);
      if (rows.length === 0) {
        controller.close();
        return;
      }
      after = rows[rows.length - 1]!.id;
      controller.enqueue(encoder.encode(rows.map((row) => csvLine(toCells(row))).join("")));
    },
  });
}

export function membersCsv(shop: string, today = new Date()) {
  const stream = pagedStream(
    [
      "customer_id",
      "email",
      "first_name",
      "last_name",
      "points",
      "pending_points",
      "lifetime_earned",
      "tier",
      "expires_at",
      "joined_at",
    ],
    (after: string | undefined) =>
      prisma.member.findMany({
        where: { shop, ...(after ? { id: { gt: after } } : {}) },
        orderBy: { id: "asc" },
        take: PAGE,
        include: { tier: { select: { name: true } } },
      }),
    (m) => [
      m.customerId,
      m.email,
      m.firstName,
      m.lastName,
      m.balance,
      m.pendingPoints,
      m.lifetimeEarned,
      m.tier?.name ?? null,
      m.expiresAt?.toISOString() ?? null,
      m.joinedAt.toISOString(),
    ],
  );
  return csvResponse(`members-${today.toISOString().slice(0, 10)}.csv`, stream);
}

export function ledgerCsv(shop: string, today = new Date()) {
  const stream = pagedStream(
    [
      "entry_id",
      "date",
      "customer_id",
      "email",
      "kind",
      "activity",
      "points",
      "pending_points",
      "balance_after",
      "shortfall",
      "order_id",
      "description",
      "created_by",
    ],
    (after: number | undefined) =>
      prisma.ledgerEntry.findMany({
        where: { shop, ...(after ? { id: { gt: after } } : {}) },
        orderBy: { id: "asc" },
        take: PAGE,
        include: { member: { select: { customerId: true, email: true } } },
      }),
    (e) => [
      e.id,
      e.occurredAt.toISOString(),
      e.member.customerId,
      e.member.email,
      e.kind,
      LEDGER_KIND_LABELS[e.kind] ?? e.kind,
      e.points,
      e.pendingPoints,
      e.balanceAfter,
      e.shortfall,
      e.orderId,
      e.description,
      e.createdBy,
    ],
  );
  return csvResponse(`points-ledger-${today.toISOString().slice(0, 10)}.csv`, stream);
}
