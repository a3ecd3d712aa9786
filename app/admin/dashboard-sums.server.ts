import type { EntryKind } from "@prisma/client";
import { Prisma } from "@prisma/client";
import prisma, { databaseProvider, sqlTime } from "../db.server";

/**
 * The dashboard's figures summed by the database, per time slot, so a year of a large shop's
 * ledger is never loaded into memory (issue #15: 12 months at 10M entries ran out of memory).
 * One query per figure whatever the number of slots: the slots are a VALUES list joined to the
 * table through its (shop, time) index. Points come from 15-minute rollups and active members
 * from each member's last activity, both kept by triggers (docs/decisions/0009-dashboard-rollups.md).
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

/** Rollup slots are 15 minutes of UTC: every time zone's midnight today falls on an edge. */
const ROLLUP_SLOT_MS = 15 * 60 * 1000;

const onRollupEdges = (slots: readonly Slot[]) =>
  slots.every(
    (slot) =>
      slot.start.getTime() % ROLLUP_SLOT_MS === 0 && slot.end.getTime() % ROLLUP_SLOT_MS === 0,
  );

type LedgerSumRow = { slot: unknown; kind: string; credit: unknown; total: unknown };

function toLedgerSums(rows: LedgerSumRow[]): LedgerSum[] {
  return rows.map((row) => ({
    slot: count(row.slot),
    kind: row.kind as EntryKind,
    credit: count(row.credit) === 1,
    total: count(row.total),
  }));
}

/**
 * Ledger entries per slot, kind and direction: what pointsFlow needs, summed. Read from the
 * rollups (LedgerRollup plus the deltas not folded yet, in one statement so one snapshot) when
 * every slot edge is a rollup edge; from the entries themselves otherwise (a zone whose midnight
 * is not on a quarter hour, such as a date before it adopted standard time).
 */
export async function ledgerSums(shop: string, slots: readonly Slot[]): Promise<LedgerSum[]> {
  if (slots.length === 0) return [];
  if (!onRollupEdges(slots)) return ledgerSumsFromEntries(shop, slots);
  const rows = await prisma.$queryRaw<LedgerSumRow[]>(Prisma.sql`WITH ${slotsTable(slots)},
    part AS (
      SELECT slot.i AS i, CAST(r."kind" AS TEXT) AS kind, r."credit" AS credit, r."points" AS points
      FROM slot JOIN "LedgerRollup" r
        ON r."shop" = ${shop} AND r."slot" >= slot.s AND r."slot" < slot.e
      UNION ALL
      SELECT slot.i, CAST(d."kind" AS TEXT), d."credit", d."points"
      FROM slot JOIN "LedgerRollupDelta" d
        ON d."shop" = ${shop} AND d."slot" >= slot.s AND d."slot" < slot.e
    )
    SELECT i AS slot, kind, CASE WHEN credit THEN 1 ELSE 0 END AS credit, SUM(points) AS total
    FROM part
    GROUP BY i, kind, CASE WHEN credit THEN 1 ELSE 0 END`);
  return toLedgerSums(rows);
}

/** ledgerSums read entry by entry, for slots the rollups cannot serve. */
export async function ledgerSumsFromEntries(
  shop: string,
  slots: readonly Slot[],
): Promise<LedgerSum[]> {
  if (slots.length === 0) return [];
  const rows = await prisma.$queryRaw<LedgerSumRow[]>(Prisma.sql`WITH ${slotsTable(slots)}
    SELECT slot.i AS slot, CAST(l."kind" AS TEXT) AS kind,
      CASE WHEN l."points" + l."pendingPoints" >= 0 THEN 1 ELSE 0 END AS credit,
      SUM(l."points" + l."pendingPoints") AS total
    FROM slot JOIN "LedgerEntry" l
      ON l."shop" = ${shop} AND l."occurredAt" >= slot.s AND l."occurredAt" < slot.e
    GROUP BY slot.i, CAST(l."kind" AS TEXT),
      CASE WHEN l."points" + l."pendingPoints" >= 0 THEN 1 ELSE 0 END`);
  return toLedgerSums(rows);
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

/** NPS survey answers per slot and score (11 scores at most per slot). */
export async function npsSums(
  shop: string,
  slots: readonly Slot[],
): Promise<{ slot: number; score: number; responses: number }[]> {
  if (slots.length === 0) return [];
  const rows = await prisma.$queryRaw<{ slot: unknown; score: unknown; responses: unknown }[]>(
    Prisma.sql`WITH ${slotsTable(slots)}
    SELECT slot.i AS slot, n."score" AS score, COUNT(*) AS responses
    FROM slot JOIN "NpsResponse" n
      ON n."shop" = ${shop} AND n."createdAt" >= slot.s AND n."createdAt" < slot.e
    GROUP BY slot.i, n."score"`,
  );
  return rows.map((row) => ({
    slot: count(row.slot),
    score: count(row.score),
    responses: count(row.responses),
  }));
}

/**
 * The entry kinds that make a member active. The LedgerEntry trigger that keeps MemberActivity
 * (prisma/migrations/*_dashboard_rollups) lists the same kinds; a test holds them together.
 */
export const ACTIVITY_KINDS: readonly EntryKind[] = [
  "EARN",
  "SIGNUP_BONUS",
  "REDEEM",
  "MANUAL",
  "IMPORT",
];

/** ActivityGap's days are UTC days since 1970-01-01 (prisma/migrations/*_activity_gaps). */
const DAY_MS = 86_400_000;

/**
 * Members with at least one activity entry in the period [S, E). MemberActivity counts those
 * whose last activity is at or after S. When nobody's is at or after E (every range that ends
 * today) that is the answer. Otherwise it counts, too, the members with no activity in [S, E)
 * but some at or after E: the members with a gap between consecutive activity entries that
 * starts before S and ends at or after E. ActivityGap counts gaps by whole UTC days, and S and E
 * are the shop's midnights, so the gaps are summed between the UTC days inside [S, E) (S' and E'
 * below) and the two part-days [S', S) and [E, E') are counted from their entries:
 * docs/decisions/0009-dashboard-rollups.md. One statement, so one snapshot.
 */
export async function activeMembers(shop: string, period: Slot): Promise<number> {
  const [later] = await prisma.$queryRaw<{ found: unknown }[]>(Prisma.sql`
    SELECT COUNT(*) AS found FROM (
      SELECT 1 FROM "MemberActivity" WHERE "shop" = ${shop} AND "lastAt" >= ${sqlTime(period.end)} LIMIT 1
    ) later`);
  const since = Prisma.sql`(SELECT COUNT(*) FROM "MemberActivity"
    WHERE "shop" = ${shop} AND "lastAt" >= ${sqlTime(period.start)})`;
  if (count(later?.found) === 0) {
    const [row] = await prisma.$queryRaw<{ members: unknown }[]>(
      Prisma.sql`SELECT ${since} AS members`,
    );
    return count(row?.members);
  }
  const startDay = Math.floor(period.start.getTime() / DAY_MS);
  const endDay = Math.ceil(period.end.getTime() / DAY_MS);
  const start = sqlTime(period.start);
  const end = sqlTime(period.end);
  const dayStart = sqlTime(new Date(startDay * DAY_MS));
  const dayEnd = sqlTime(new Date(endDay * DAY_MS));
  // "kind" bare (an enum on PostgreSQL, so each value is cast to it), so the (shop, kind,
  // occurredAt, memberId) index answers from its entries alone.
  const kinds = Prisma.join(
    databaseProvider === "postgresql"
      ? ACTIVITY_KINDS.map((kind) => Prisma.sql`CAST(${kind} AS "EntryKind")`)
      : ACTIVITY_KINDS.map((kind) => Prisma.sql`${kind}`),
  );
  const activityBetween = (from: Prisma.Sql, to: Prisma.Sql) => Prisma.sql`EXISTS (
    SELECT 1 FROM "LedgerEntry" x WHERE x."memberId" = e."memberId" AND x."kind" IN (${kinds})
      AND x."occurredAt" >= ${from} AND x."occurredAt" < ${to})`;
  const [row] = await prisma.$queryRaw<{ since: unknown; gaps: unknown; edges: unknown }[]>(
    Prisma.sql`SELECT ${since} AS since,
      (SELECT COALESCE(SUM("gaps"), 0) FROM (
        SELECT "gaps" FROM "ActivityGap"
        WHERE "shop" = ${shop} AND "toDay" >= ${endDay} AND "fromDay" < ${startDay}
        UNION ALL
        SELECT "gaps" FROM "ActivityGapDelta"
        WHERE "shop" = ${shop} AND "toDay" >= ${endDay} AND "fromDay" < ${startDay}
      ) g) AS gaps,
      (SELECT COUNT(DISTINCT e."memberId") FROM "LedgerEntry" e
        WHERE e."shop" = ${shop} AND e."kind" IN (${kinds})
          AND e."occurredAt" >= ${dayStart} AND e."occurredAt" < ${start}
          AND NOT ${activityBetween(start, dayEnd)}
          AND EXISTS (SELECT 1 FROM "MemberActivity" a
            WHERE a."memberId" = e."memberId" AND a."lastAt" >= ${dayEnd}))
      + (SELECT COUNT(DISTINCT e."memberId") FROM "LedgerEntry" e
        WHERE e."shop" = ${shop} AND e."kind" IN (${kinds})
          AND e."occurredAt" >= ${end} AND e."occurredAt" < ${dayEnd}
          AND NOT ${activityBetween(start, end)}) AS edges`,
  );
  return count(row?.since) - count(row?.gaps) - count(row?.edges);
}
