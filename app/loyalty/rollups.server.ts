import type { PrismaClient } from "@prisma/client";
import { Prisma } from "@prisma/client";
import { databaseProvider } from "../db.server";

/**
 * Folds LedgerRollupDelta (one row per ledger entry posted, written by a trigger) into
 * LedgerRollup (one row per shop, 15-minute slot, kind and direction), ActivityGapDelta into
 * ActivityGap (gaps between a member's activity entries, per shop and pair of days) and
 * MemberTallyDelta into MemberTally (members per shop and tier). Their readers read both tables
 * of a pair, so figures are exact whether or not this has run; folding only keeps the changes short.
 * Each batch moves its rows in one transaction: a row is either still a delta or already summed.
 * docs/decisions/0009-dashboard-rollups.md.
 */

const FOLD_BATCH = 5_000;

/**
 * A table of sums and the table of changes to it that triggers write. `order` orders the changes
 * (a fold takes the oldest first); `row` identifies one.
 */
interface Tally {
  delta: string;
  target: string;
  order: string;
  row: readonly string[];
  keys: readonly string[];
  value: string;
}

const LEDGER: Tally = {
  delta: "LedgerRollupDelta",
  target: "LedgerRollup",
  // An entry and its removal share an entryId: on SQLite both go in the same batch.
  order: "entryId",
  row: ["entryId", "removed"],
  keys: ["shop", "slot", "kind", "credit"],
  value: "points",
};

const GAPS: Tally = {
  delta: "ActivityGapDelta",
  target: "ActivityGap",
  order: "id",
  row: ["id"],
  keys: ["shop", "toDay", "fromDay"],
  value: "gaps",
};

const MEMBERS: Tally = {
  delta: "MemberTallyDelta",
  target: "MemberTally",
  order: "id",
  row: ["id"],
  keys: ["shop", "tierKey"],
  value: "members",
};

/** Folds up to `batch` of a tally's changes into it; returns how many rows it moved. */
async function foldBatch(prisma: PrismaClient, tally: Tally, batch: number): Promise<number> {
  // Table and column names are the constants above, never input.
  const name = (identifier: string) => Prisma.raw(`"${identifier}"`);
  const list = (identifiers: readonly string[]) =>
    Prisma.raw(identifiers.map((identifier) => `"${identifier}"`).join(", "));
  const delta = name(tally.delta);
  const target = name(tally.target);
  const order = name(tally.order);
  const value = name(tally.value);
  const keys = list(tally.keys);
  if (databaseProvider === "postgresql") {
    // SKIP LOCKED: two folds never take the same rows. The upsert's ORDER BY makes every fold
    // lock the sums' rows in the same order, so two cannot deadlock on them.
    const sameRow = Prisma.raw(tally.row.map((c) => `d."${c}" = pick."${c}"`).join(" AND "));
    const [row] = await prisma.$queryRaw<{ moved: unknown }[]>(Prisma.sql`
      WITH pick AS (
        SELECT ${list(tally.row)} FROM ${delta} ORDER BY ${order} LIMIT ${batch} FOR UPDATE SKIP LOCKED
      ), moved AS (
        DELETE FROM ${delta} d USING pick WHERE ${sameRow} RETURNING d.*
      ), summed AS (
        INSERT INTO ${target} AS t (${keys}, ${value})
        SELECT ${keys}, SUM(${value}) FROM moved GROUP BY ${keys} ORDER BY ${keys}
        ON CONFLICT (${keys}) DO UPDATE SET ${value} = t.${value} + excluded.${value}
        RETURNING 1
      )
      SELECT COUNT(*) AS moved FROM moved`);
    return Number(row?.moved ?? 0);
  }
  // SQLite has one writer: inside the transaction no change can appear or go.
  return prisma.$transaction(async (tx) => {
    const [last] = await tx.$queryRaw<{ upTo: unknown; moved: unknown }[]>(Prisma.sql`
      SELECT MAX(${order}) AS "upTo", COUNT(*) AS moved FROM (
        SELECT ${order} FROM ${delta} ORDER BY ${order} LIMIT ${batch}
      )`);
    const moved = Number(last?.moved ?? 0);
    if (moved === 0) return 0;
    const upTo = Number(last!.upTo);
    await tx.$executeRaw(Prisma.sql`
      INSERT INTO ${target} (${keys}, ${value})
      SELECT ${keys}, SUM(${value}) FROM ${delta} WHERE ${order} <= ${upTo} GROUP BY ${keys}
      ON CONFLICT (${keys}) DO UPDATE SET ${value} = ${value} + excluded.${value}`);
    return tx.$executeRaw(Prisma.sql`DELETE FROM ${delta} WHERE ${order} <= ${upTo}`);
  });
}

async function foldAll(fold: (batch: number) => Promise<number>, batch: number) {
  let folded = 0;
  for (;;) {
    const moved = await fold(batch);
    folded += moved;
    if (moved < batch) return folded;
  }
}

/** Folds every ledger delta there is, a batch per transaction; returns how many rows it moved. */
export function foldLedgerRollups(prisma: PrismaClient, batch = FOLD_BATCH) {
  return foldAll((size) => foldBatch(prisma, LEDGER, size), batch);
}

/** Folds every activity gap delta there is, a batch per transaction. */
export function foldActivityGaps(prisma: PrismaClient, batch = FOLD_BATCH) {
  return foldAll((size) => foldBatch(prisma, GAPS, size), batch);
}

/** Folds every member count delta there is, a batch per transaction. */
export function foldMemberTally(prisma: PrismaClient, batch = FOLD_BATCH) {
  return foldAll((size) => foldBatch(prisma, MEMBERS, size), batch);
}

/**
 * Every fold. A count that nets to zero stays as a row (a redacted member's gaps, a deleted
 * tier's members), which the sums read as 0.
 */
export async function foldRollups(prisma: PrismaClient) {
  return {
    ledger: await foldLedgerRollups(prisma),
    gaps: await foldActivityGaps(prisma),
    members: await foldMemberTally(prisma),
  };
}
