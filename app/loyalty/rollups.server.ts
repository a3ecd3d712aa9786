import type { PrismaClient } from "@prisma/client";
import { Prisma } from "@prisma/client";
import { databaseProvider } from "../db.server";

/**
 * Folds LedgerRollupDelta (one row per ledger entry posted, written by a trigger) into
 * LedgerRollup (one row per shop, 15-minute slot, kind and direction), ActivityGapDelta into
 * ActivityGap (gaps between a member's activity entries, per shop and pair of days) and
 * MemberTallyDelta into MemberTally (members per shop and tier). The dashboard reads both,
 * so its figures are exact whether or not this has run; folding only keeps the delta table short.
 * Each batch moves its rows in one transaction: a row is either still a delta or already summed.
 * docs/decisions/0009-dashboard-rollups.md.
 */

const FOLD_BATCH = 5_000;

/** Folds up to `batch` deltas; returns how many it moved. */
async function foldBatch(prisma: PrismaClient, batch: number): Promise<number> {
  if (databaseProvider === "postgresql") {
    // SKIP LOCKED: two folds never take the same rows. The upsert's ORDER BY makes every fold
    // lock rollup rows in the same order, so two cannot deadlock on them.
    const [row] = await prisma.$queryRaw<{ moved: unknown }[]>(Prisma.sql`
      WITH pick AS (
        SELECT "entryId", "removed" FROM "LedgerRollupDelta"
        ORDER BY "entryId" LIMIT ${batch} FOR UPDATE SKIP LOCKED
      ), moved AS (
        DELETE FROM "LedgerRollupDelta" d USING pick
        WHERE d."entryId" = pick."entryId" AND d."removed" = pick."removed"
        RETURNING d."shop", d."slot", d."kind", d."credit", d."points"
      ), summed AS (
        INSERT INTO "LedgerRollup" AS r ("shop", "slot", "kind", "credit", "points")
        SELECT "shop", "slot", "kind", "credit", SUM("points") FROM moved
        GROUP BY "shop", "slot", "kind", "credit"
        ORDER BY "shop", "slot", "kind", "credit"
        ON CONFLICT ("shop", "slot", "kind", "credit") DO UPDATE SET "points" = r."points" + excluded."points"
        RETURNING 1
      )
      SELECT COUNT(*) AS moved FROM moved`);
    return Number(row?.moved ?? 0);
  }
  // SQLite has one writer: inside the transaction no delta can appear or go.
  return prisma.$transaction(async (tx) => {
    const [last] = await tx.$queryRaw<{ entryId: unknown; moved: unknown }[]>(Prisma.sql`
      SELECT MAX("entryId") AS "entryId", COUNT(*) AS moved FROM (
        SELECT "entryId" FROM "LedgerRollupDelta" ORDER BY "entryId" LIMIT ${batch}
      )`);
    const moved = Number(last?.moved ?? 0);
    if (moved === 0) return 0;
    const upTo = Number(last!.entryId);
    await tx.$executeRaw(Prisma.sql`
      INSERT INTO "LedgerRollup" ("shop", "slot", "kind", "credit", "points")
      SELECT "shop", "slot", "kind", "credit", SUM("points") FROM "LedgerRollupDelta"
      WHERE "entryId" <= ${upTo}
      GROUP BY "shop", "slot", "kind", "credit"
      ON CONFLICT ("shop", "slot", "kind", "credit") DO UPDATE SET "points" = "points" + excluded."points"`);
    // An entry and its removal share an entryId: both go in the same batch.
    return tx.$executeRaw(Prisma.sql`DELETE FROM "LedgerRollupDelta" WHERE "entryId" <= ${upTo}`);
  });
}

/** A table of counts and the table of +/- changes to it that triggers write, keyed by id. */
interface Tally {
  delta: string;
  target: string;
  keys: readonly string[];
  value: string;
}

const GAPS: Tally = {
  delta: "ActivityGapDelta",
  target: "ActivityGap",
  keys: ["shop", "toDay", "fromDay"],
  value: "gaps",
};

const MEMBERS: Tally = {
  delta: "MemberTallyDelta",
  target: "MemberTally",
  keys: ["shop", "tierKey"],
  value: "members",
};

/** Folds up to `batch` of a tally's deltas into it; returns how many it moved. */
async function foldTallyBatch(prisma: PrismaClient, tally: Tally, batch: number): Promise<number> {
  // Table and column names are the constants above, never input.
  const name = (identifier: string) => Prisma.raw(`"${identifier}"`);
  const delta = name(tally.delta);
  const target = name(tally.target);
  const value = name(tally.value);
  const keys = Prisma.raw(tally.keys.map((key) => `"${key}"`).join(", "));
  if (databaseProvider === "postgresql") {
    const [row] = await prisma.$queryRaw<{ moved: unknown }[]>(Prisma.sql`
      WITH pick AS (
        SELECT "id" FROM ${delta} ORDER BY "id" LIMIT ${batch} FOR UPDATE SKIP LOCKED
      ), moved AS (
        DELETE FROM ${delta} d USING pick WHERE d."id" = pick."id" RETURNING d.*
      ), summed AS (
        INSERT INTO ${target} AS t (${keys}, ${value})
        SELECT ${keys}, SUM(${value}) FROM moved GROUP BY ${keys} ORDER BY ${keys}
        ON CONFLICT (${keys}) DO UPDATE SET ${value} = t.${value} + excluded.${value}
        RETURNING 1
      )
      SELECT COUNT(*) AS moved FROM moved`);
    return Number(row?.moved ?? 0);
  }
  return prisma.$transaction(async (tx) => {
    const [last] = await tx.$queryRaw<{ id: unknown; moved: unknown }[]>(Prisma.sql`
      SELECT MAX("id") AS "id", COUNT(*) AS moved FROM (
        SELECT "id" FROM ${delta} ORDER BY "id" LIMIT ${batch}
      )`);
    const moved = Number(last?.moved ?? 0);
    if (moved === 0) return 0;
    const upTo = Number(last!.id);
    await tx.$executeRaw(Prisma.sql`
      INSERT INTO ${target} (${keys}, ${value})
      SELECT ${keys}, SUM(${value}) FROM ${delta} WHERE "id" <= ${upTo} GROUP BY ${keys}
      ON CONFLICT (${keys}) DO UPDATE SET ${value} = ${value} + excluded.${value}`);
    return tx.$executeRaw(Prisma.sql`DELETE FROM ${delta} WHERE "id" <= ${upTo}`);
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
  return foldAll((size) => foldBatch(prisma, size), batch);
}

/** Folds every activity gap delta there is, a batch per transaction. */
export function foldActivityGaps(prisma: PrismaClient, batch = FOLD_BATCH) {
  return foldAll((size) => foldTallyBatch(prisma, GAPS, size), batch);
}

/** Folds every member count delta there is, a batch per transaction. */
export function foldMemberTally(prisma: PrismaClient, batch = FOLD_BATCH) {
  return foldAll((size) => foldTallyBatch(prisma, MEMBERS, size), batch);
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
