-- "Active members" of a range in the past (issue #15: a 12-month range ending a year ago took
-- 7.9 s, a distinct count over 5M entries). ActivityGap counts, per shop, the gaps between a
-- member's consecutive activity entries by (UTC day of the later, UTC day of the earlier), the
-- first entry's gap starting at day -1000000. Triggers keep it through ActivityGapDelta, which
-- the worker folds (app/loyalty/rollups.server.ts): docs/decisions/0009-dashboard-rollups.md.

-- CreateTable
CREATE TABLE "ActivityGap" (
    "shop" TEXT NOT NULL,
    "toDay" INTEGER NOT NULL,
    "fromDay" INTEGER NOT NULL,
    "gaps" BIGINT NOT NULL,

    PRIMARY KEY ("shop", "toDay", "fromDay")
);

-- CreateTable
CREATE TABLE "ActivityGapDelta" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "toDay" INTEGER NOT NULL,
    "fromDay" INTEGER NOT NULL,
    "gaps" INTEGER NOT NULL
);

-- CreateIndex
CREATE INDEX "ActivityGapDelta_shop_toDay_idx" ON "ActivityGapDelta"("shop", "toDay");


INSERT INTO "ActivityGap" ("shop", "toDay", "fromDay", "gaps")
SELECT "shop", "toDay", "fromDay", COUNT(*) FROM (
  SELECT "shop", CAST(strftime('%s', "occurredAt") AS INTEGER) / 86400 AS "toDay",
    COALESCE(CAST(strftime('%s', LAG("occurredAt") OVER (PARTITION BY "memberId" ORDER BY "occurredAt", "id")) AS INTEGER) / 86400, -1000000) AS "fromDay"
  FROM "LedgerEntry" WHERE "kind" IN ('EARN', 'SIGNUP_BONUS', 'REDEEM', 'MANUAL', 'IMPORT')
) GROUP BY "shop", "toDay", "fromDay";

-- The activity kinds are app/admin/dashboard-sums.server.ts's ACTIVITY_KINDS. An entry E between
-- its member's activity entries P and N (either may be missing) adds the gaps P→E and E→N and
-- removes P→N (parts 1, 2 and 3 below); deleting it does the reverse. SQLite runs a row trigger as
-- each row is written, so P and N are the ledger's at that moment, and entries may arrive or go
-- in any order.
CREATE TRIGGER "LedgerEntry_gap_insert" AFTER INSERT ON "LedgerEntry"
WHEN new."kind" IN ('EARN', 'SIGNUP_BONUS', 'REDEEM', 'MANUAL', 'IMPORT') BEGIN
  INSERT INTO "ActivityGapDelta" ("shop", "toDay", "fromDay", "gaps")
  SELECT new."shop",
    CASE part.k WHEN 1 THEN CAST(strftime('%s', new."occurredAt") AS INTEGER) / 86400 ELSE CAST(strftime('%s', n."nextAt") AS INTEGER) / 86400 END,
    CASE part.k WHEN 2 THEN CAST(strftime('%s', new."occurredAt") AS INTEGER) / 86400 ELSE COALESCE(CAST(strftime('%s', n."prevAt") AS INTEGER) / 86400, -1000000) END,
    CASE part.k WHEN 3 THEN -1 ELSE 1 END
  FROM (SELECT
      (SELECT "occurredAt" FROM "LedgerEntry" WHERE "memberId" = new."memberId" AND "kind" IN ('EARN', 'SIGNUP_BONUS', 'REDEEM', 'MANUAL', 'IMPORT')
        AND "occurredAt" <= new."occurredAt" AND "id" <> new."id" ORDER BY "occurredAt" DESC LIMIT 1) AS "prevAt",
      (SELECT "occurredAt" FROM "LedgerEntry" WHERE "memberId" = new."memberId" AND "kind" IN ('EARN', 'SIGNUP_BONUS', 'REDEEM', 'MANUAL', 'IMPORT')
        AND "occurredAt" > new."occurredAt" ORDER BY "occurredAt" LIMIT 1) AS "nextAt") n
  JOIN (SELECT 1 AS k UNION ALL SELECT 2 UNION ALL SELECT 3) part
    ON part.k = 1 OR n."nextAt" IS NOT NULL;
END;

CREATE TRIGGER "LedgerEntry_gap_delete" AFTER DELETE ON "LedgerEntry"
WHEN old."kind" IN ('EARN', 'SIGNUP_BONUS', 'REDEEM', 'MANUAL', 'IMPORT') BEGIN
  INSERT INTO "ActivityGapDelta" ("shop", "toDay", "fromDay", "gaps")
  SELECT old."shop",
    CASE part.k WHEN 1 THEN CAST(strftime('%s', old."occurredAt") AS INTEGER) / 86400 ELSE CAST(strftime('%s', n."nextAt") AS INTEGER) / 86400 END,
    CASE part.k WHEN 2 THEN CAST(strftime('%s', old."occurredAt") AS INTEGER) / 86400 ELSE COALESCE(CAST(strftime('%s', n."prevAt") AS INTEGER) / 86400, -1000000) END,
    CASE part.k WHEN 3 THEN 1 ELSE -1 END
  FROM (SELECT
      (SELECT "occurredAt" FROM "LedgerEntry" WHERE "memberId" = old."memberId" AND "kind" IN ('EARN', 'SIGNUP_BONUS', 'REDEEM', 'MANUAL', 'IMPORT')
        AND "occurredAt" <= old."occurredAt" ORDER BY "occurredAt" DESC LIMIT 1) AS "prevAt",
      (SELECT "occurredAt" FROM "LedgerEntry" WHERE "memberId" = old."memberId" AND "kind" IN ('EARN', 'SIGNUP_BONUS', 'REDEEM', 'MANUAL', 'IMPORT')
        AND "occurredAt" > old."occurredAt" ORDER BY "occurredAt" LIMIT 1) AS "nextAt") n
  JOIN (SELECT 1 AS k UNION ALL SELECT 2 UNION ALL SELECT 3) part
    ON part.k = 1 OR n."nextAt" IS NOT NULL;
END;
