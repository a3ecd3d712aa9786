-- Dashboard rollups (issue #15: 12 months of a 10M-entry ledger took 19–36 s to sum, and the
-- distinct count of active members 1.6 s at 300k). Triggers keep LedgerRollupDelta and
-- MemberActivity in step with LedgerEntry, and the worker folds the deltas into LedgerRollup
-- (app/loyalty/rollups.server.ts). Prisma cannot declare triggers:
-- docs/decisions/0009-dashboard-rollups.md. A migration that rebuilds "LedgerEntry" drops them:
-- test/foundation/database.test.ts checks they exist after every migration.

-- CreateTable
CREATE TABLE "LedgerRollup" (
    "shop" TEXT NOT NULL,
    "slot" DATETIME NOT NULL,
    "kind" TEXT NOT NULL,
    "credit" BOOLEAN NOT NULL,
    "points" BIGINT NOT NULL,

    PRIMARY KEY ("shop", "slot", "kind", "credit")
);

-- CreateTable
CREATE TABLE "LedgerRollupDelta" (
    "entryId" INTEGER NOT NULL,
    "removed" BOOLEAN NOT NULL,
    "shop" TEXT NOT NULL,
    "slot" DATETIME NOT NULL,
    "kind" TEXT NOT NULL,
    "credit" BOOLEAN NOT NULL,
    "points" INTEGER NOT NULL,

    PRIMARY KEY ("entryId", "removed")
);

-- CreateTable
CREATE TABLE "MemberActivity" (
    "memberId" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "lastAt" DATETIME NOT NULL,
    CONSTRAINT "MemberActivity_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "LedgerRollupDelta_shop_slot_idx" ON "LedgerRollupDelta"("shop", "slot");

-- CreateIndex
CREATE INDEX "MemberActivity_shop_lastAt_idx" ON "MemberActivity"("shop", "lastAt");

-- A 15-minute slot in the text Prisma stores for a DateTime on SQLite.
INSERT INTO "LedgerRollup" ("shop", "slot", "kind", "credit", "points")
SELECT "shop",
  strftime('%Y-%m-%dT%H:', "occurredAt") || printf('%02d', CAST(strftime('%M', "occurredAt") AS INTEGER) / 15 * 15) || ':00.000+00:00',
  "kind", "points" + "pendingPoints" >= 0, SUM("points" + "pendingPoints")
FROM "LedgerEntry"
GROUP BY 1, 2, 3, 4;

INSERT INTO "MemberActivity" ("memberId", "shop", "lastAt")
SELECT "memberId", "shop", MAX("occurredAt") FROM "LedgerEntry"
WHERE "kind" IN ('EARN', 'SIGNUP_BONUS', 'REDEEM', 'MANUAL', 'IMPORT')
GROUP BY "memberId", "shop";

CREATE TRIGGER "LedgerEntry_rollup_insert" AFTER INSERT ON "LedgerEntry" BEGIN
  INSERT INTO "LedgerRollupDelta" ("entryId", "removed", "shop", "slot", "kind", "credit", "points")
  VALUES (new."id", 0, new."shop",
    strftime('%Y-%m-%dT%H:', new."occurredAt") || printf('%02d', CAST(strftime('%M', new."occurredAt") AS INTEGER) / 15 * 15) || ':00.000+00:00',
    new."kind", new."points" + new."pendingPoints" >= 0, new."points" + new."pendingPoints");
  -- The kinds app/admin/dashboard-sums.server.ts counts as activity.
  INSERT INTO "MemberActivity" ("memberId", "shop", "lastAt")
  SELECT new."memberId", new."shop", new."occurredAt"
  WHERE new."kind" IN ('EARN', 'SIGNUP_BONUS', 'REDEEM', 'MANUAL', 'IMPORT')
  ON CONFLICT ("memberId") DO UPDATE SET "lastAt" = excluded."lastAt"
  WHERE excluded."lastAt" > "MemberActivity"."lastAt";
END;

-- Only a compliance redaction deletes entries, and the figures drop them too.
CREATE TRIGGER "LedgerEntry_rollup_delete" AFTER DELETE ON "LedgerEntry" BEGIN
  INSERT INTO "LedgerRollupDelta" ("entryId", "removed", "shop", "slot", "kind", "credit", "points")
  VALUES (old."id", 1, old."shop",
    strftime('%Y-%m-%dT%H:', old."occurredAt") || printf('%02d', CAST(strftime('%M', old."occurredAt") AS INTEGER) / 15 * 15) || ':00.000+00:00',
    old."kind", old."points" + old."pendingPoints" >= 0, -(old."points" + old."pendingPoints"));
END;
