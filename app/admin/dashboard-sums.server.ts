import type { EntryKind } from "@prisma/client";
import { Prisma } from "@prisma/client";
import prisma, { sqlTime } from "../db.server";

/**
 * The dashboard's figures summed by the database, per time slot, so a year of a large shop's
 * ledger is never loaded into memory (issue #15: 12 months at 10M entries ran out of memory).
 * One query per figure whatever the number of slots: the slots are a VALUES list joined to the
 * table through its (shop, time) index.
 */

export interface Slot {
  start: Date;
  end: Date;
}

function slotsTable(slots: readonly Slot[]) {
  const rows = slots.map(
    (slot, i) => Prisma.sql`(${i}, ${sqlTime(slot.start)}, ${sqlTime(slot.end)})`,
  );
  return Prisma.sql`slot(i, s, e) AS (VALUES ${Prisma.join(rows)})`;
}

// Sql fragments only compose inside Prisma.sql, hence $queryRaw(Prisma.sql`…`) below.
const count = (value: unknown) => Number(value ?? 0);

export interface LedgerSum {
  slot: number;
  kind: EntryKind;
  /** Whether the entries summed added points (a MANUAL or IMPORT entry can go either way). */
  credit: boolean;
  /** Sum of points + pendingPoints. */
  total: number;
}

/** Ledger entries per slot, kind and direction: what pointsFlow needs, summed. */
export async function ledgerSums(shop: string, slots: readonly Slot[]): Promise<LedgerSum[]> {
  if (slots.length === 0) return [];
  const rows = await prisma.$queryRaw<
    { slot: unknown; kind: string; credit: unknown; total: unknown }[]
  >(Prisma.sql`WITH ${slotsTable(slots)}
    SELECT slot.i AS slot, CAST(l."kind" AS TEXT) AS kind,
      CASE WHEN l."points" + l."pendingPoints" >= 0 THEN 1 ELSE 0 END AS credit,
      SUM(l."points" + l."pendingPoints") AS total
    FROM slot JOIN "LedgerEntry" l
      ON l."shop" = ${shop} AND l."occurredAt" >= slot.s AND l."occurredAt" < slot.e
    GROUP BY slot.i, CAST(l."kind" AS TEXT),
      CASE WHEN l."points" + l."pendingPoints" >= 0 THEN 1 ELSE 0 END`);
  return rows.map((row) => ({
    slot: count(row.slot),
    kind: row.kind as EntryKind,
    credit: count(row.credit) === 1,
    total: count(row.total),
  }));
}

export interface OrderSum {
  slot: number;
  guest: boolean;
  orders: number;
  revenueMinor: number;
}

/** Paid orders per slot, members' and guests' apart. */
export async function orderSums(shop: string, slots: readonly Slot[]): Promise<OrderSum[]> {
  if (slots.length === 0) return [];
  const rows = await prisma.$queryRaw<
    { slot: unknown; guest: unknown; orders: unknown; revenue: unknown }[]
  >(Prisma.sql`WITH ${slotsTable(slots)}
    SELECT slot.i AS slot, CASE WHEN o."customerId" IS NULL THEN 1 ELSE 0 END AS guest,
      COUNT(*) AS orders, SUM(COALESCE(o."totalMinor", 0)) AS revenue
    FROM slot JOIN "OrderRecord" o
      ON o."shop" = ${shop} AND o."paidAt" >= slot.s AND o."paidAt" < slot.e
    GROUP BY slot.i, CASE WHEN o."customerId" IS NULL THEN 1 ELSE 0 END`);
  return rows.map((row) => ({
    slot: count(row.slot),
    guest: count(row.guest) === 1,
    orders: count(row.orders),
    revenueMinor: count(row.revenue),
  }));
}

/** Members with at least one entry of the given kinds in the period. */
export async function activeMembers(
  shop: string,
  period: Slot,
  kinds: readonly EntryKind[],
): Promise<number> {
  const [row] = await prisma.$queryRaw<{ members: unknown }[]>(Prisma.sql`
    SELECT COUNT(DISTINCT "memberId") AS members FROM "LedgerEntry"
    WHERE "shop" = ${shop} AND "occurredAt" >= ${sqlTime(period.start)} AND "occurredAt" < ${sqlTime(period.end)}
      AND CAST("kind" AS TEXT) IN (${Prisma.join(kinds)})`);
  return count(row?.members);
}
