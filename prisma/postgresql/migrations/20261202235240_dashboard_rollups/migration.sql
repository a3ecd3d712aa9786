-- Dashboard rollups (issue #15: 12 months of a 10M-entry ledger took 19–36 s to sum, and the
-- distinct count of active members 1.6 s at 300k). Triggers keep LedgerRollupDelta and
-- MemberActivity in step with LedgerEntry, and the worker folds the deltas into LedgerRollup
-- (app/loyalty/rollups.server.ts). Prisma cannot declare triggers:
-- docs/decisions/0009-dashboard-rollups.md. A migration that rebuilds "LedgerEntry" drops them:
-- test/foundation/database.test.ts checks they exist after every migration.

-- One transaction (Prisma does not open one on PostgreSQL), so LOCK TABLE below holds to the end.
BEGIN;

-- CreateTable
CREATE TABLE "LedgerRollup" (
    "shop" TEXT NOT NULL,
    "slot" TIMESTAMP(3) NOT NULL,
    "kind" "EntryKind" NOT NULL,
    "credit" BOOLEAN NOT NULL,
    "points" BIGINT NOT NULL,

    CONSTRAINT "LedgerRollup_pkey" PRIMARY KEY ("shop","slot","kind","credit")
);

-- CreateTable
CREATE TABLE "LedgerRollupDelta" (
    "entryId" INTEGER NOT NULL,
    "removed" BOOLEAN NOT NULL,
    "shop" TEXT NOT NULL,
    "slot" TIMESTAMP(3) NOT NULL,
    "kind" "EntryKind" NOT NULL,
    "credit" BOOLEAN NOT NULL,
    "points" INTEGER NOT NULL,

    CONSTRAINT "LedgerRollupDelta_pkey" PRIMARY KEY ("entryId","removed")
);

-- CreateTable
CREATE TABLE "MemberActivity" (
    "memberId" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "lastAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MemberActivity_pkey" PRIMARY KEY ("memberId")
);

-- CreateIndex
CREATE INDEX "LedgerRollupDelta_shop_slot_idx" ON "LedgerRollupDelta"("shop", "slot");

-- CreateIndex
CREATE INDEX "MemberActivity_shop_lastAt_idx" ON "MemberActivity"("shop", "lastAt");

-- AddForeignKey
ALTER TABLE "MemberActivity" ADD CONSTRAINT "MemberActivity_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Entries written while this runs wait for it: the backfill and the triggers see the same ledger.
LOCK TABLE "LedgerEntry" IN SHARE MODE;

INSERT INTO "LedgerRollup" ("shop", "slot", "kind", "credit", "points")
SELECT "shop", date_bin('15 minutes', "occurredAt", TIMESTAMP '2000-01-01'), "kind",
  "points" + "pendingPoints" >= 0, SUM("points" + "pendingPoints")
FROM "LedgerEntry"
GROUP BY 1, 2, 3, 4;

INSERT INTO "MemberActivity" ("memberId", "shop", "lastAt")
SELECT "memberId", "shop", MAX("occurredAt") FROM "LedgerEntry"
WHERE "kind" IN ('EARN', 'SIGNUP_BONUS', 'REDEEM', 'MANUAL', 'IMPORT')
GROUP BY "memberId", "shop";

-- Prisma's PostgreSQL adapter splits a migration at every semicolon, even inside a function body
-- (executeScript in @prisma/adapter-pg), so the body is an E'' string whose statements end in \073.
-- Activity is the kinds app/admin/dashboard-sums.server.ts counts. The transaction that posts an
-- entry already holds the lock on its member, so the MemberActivity upsert adds no waiting. Only
-- a compliance redaction deletes entries, and the figures drop them too.
CREATE FUNCTION "LedgerEntry_rollup"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF TG_OP = ''INSERT'' THEN
    INSERT INTO "LedgerRollupDelta" ("entryId", "removed", "shop", "slot", "kind", "credit", "points")
    VALUES (NEW."id", false, NEW."shop", date_bin(''15 minutes'', NEW."occurredAt", TIMESTAMP ''2000-01-01''),
      NEW."kind", NEW."points" + NEW."pendingPoints" >= 0, NEW."points" + NEW."pendingPoints")\073
    IF NEW."kind" IN (''EARN'', ''SIGNUP_BONUS'', ''REDEEM'', ''MANUAL'', ''IMPORT'') THEN
      INSERT INTO "MemberActivity" AS a ("memberId", "shop", "lastAt")
      VALUES (NEW."memberId", NEW."shop", NEW."occurredAt")
      ON CONFLICT ("memberId") DO UPDATE SET "lastAt" = excluded."lastAt"
      WHERE a."lastAt" < excluded."lastAt"\073
    END IF\073
  ELSE
    INSERT INTO "LedgerRollupDelta" ("entryId", "removed", "shop", "slot", "kind", "credit", "points")
    VALUES (OLD."id", true, OLD."shop", date_bin(''15 minutes'', OLD."occurredAt", TIMESTAMP ''2000-01-01''),
      OLD."kind", OLD."points" + OLD."pendingPoints" >= 0, -(OLD."points" + OLD."pendingPoints"))\073
  END IF\073
  RETURN NULL\073
END';

CREATE TRIGGER "LedgerEntry_rollup" AFTER INSERT OR DELETE ON "LedgerEntry"
FOR EACH ROW EXECUTE FUNCTION "LedgerEntry_rollup"();

COMMIT;
