-- "Active members" of a range in the past (issue #15: a 12-month range ending a year ago took
-- 7.9 s, a distinct count over 5M entries). ActivityGap counts, per shop, the gaps between a
-- member's consecutive activity entries by (UTC day of the later, UTC day of the earlier), the
-- first entry's gap starting at day -1000000. A trigger keeps it through ActivityGapDelta, which
-- the worker folds (app/loyalty/rollups.server.ts): docs/decisions/0009-dashboard-rollups.md.
-- One transaction (Prisma does not open one on PostgreSQL), so LOCK TABLE below holds to the end.
BEGIN;

-- CreateTable
CREATE TABLE "ActivityGap" (
    "shop" TEXT NOT NULL,
    "toDay" INTEGER NOT NULL,
    "fromDay" INTEGER NOT NULL,
    "gaps" BIGINT NOT NULL,

    CONSTRAINT "ActivityGap_pkey" PRIMARY KEY ("shop","toDay","fromDay")
);

-- CreateTable
CREATE TABLE "ActivityGapDelta" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "toDay" INTEGER NOT NULL,
    "fromDay" INTEGER NOT NULL,
    "gaps" INTEGER NOT NULL,

    CONSTRAINT "ActivityGapDelta_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ActivityGapDelta_shop_toDay_idx" ON "ActivityGapDelta"("shop", "toDay");

-- Entries written while this runs wait for it: the backfill and the trigger see the same ledger.
LOCK TABLE "LedgerEntry" IN SHARE MODE;

INSERT INTO "ActivityGap" ("shop", "toDay", "fromDay", "gaps")
SELECT "shop", "toDay", "fromDay", COUNT(*) FROM (
  SELECT "shop", "occurredAt"::date - DATE '1970-01-01' AS "toDay",
    COALESCE((LAG("occurredAt") OVER (PARTITION BY "memberId" ORDER BY "occurredAt", "id"))::date - DATE '1970-01-01', -1000000) AS "fromDay"
  FROM "LedgerEntry" WHERE "kind" IN ('EARN', 'SIGNUP_BONUS', 'REDEEM', 'MANUAL', 'IMPORT')
) gap GROUP BY "shop", "toDay", "fromDay";

-- The activity kinds are app/admin/dashboard-sums.server.ts's ACTIVITY_KINDS. An entry E between
-- its member's activity entries P and N (either may be missing) adds the gaps P→E and E→N and
-- removes P→N, and deleting it does the reverse. A BEFORE row trigger, because it sees the rows the
-- same statement wrote or deleted before this one (an AFTER row trigger sees the statement's end
-- state, wrong for a statement that deletes a member's entries, as a redaction's cascade does).
-- Only a failing statement discards a BEFORE trigger's writes, and none writes LedgerEntry with
-- ON CONFLICT. The transaction that posts an entry holds its member's lock, so two posts for one
-- member never read the same neighbours. (The body is an E'' string whose statements end in \073:
-- see the dashboard_rollups migration.)
CREATE FUNCTION "LedgerEntry_activity_gap"() RETURNS trigger LANGUAGE plpgsql AS E'
DECLARE
  entry record\073
  sign integer\073
  prev_at timestamp(3)\073
  next_at timestamp(3)\073
BEGIN
  IF TG_OP = ''INSERT'' THEN
    entry := NEW\073
    sign := 1\073
  ELSE
    entry := OLD\073
    sign := -1\073
  END IF\073
  IF entry."kind" IN (''EARN'', ''SIGNUP_BONUS'', ''REDEEM'', ''MANUAL'', ''IMPORT'') THEN
    SELECT "occurredAt" INTO prev_at FROM "LedgerEntry"
    WHERE "memberId" = entry."memberId" AND "kind" IN (''EARN'', ''SIGNUP_BONUS'', ''REDEEM'', ''MANUAL'', ''IMPORT'')
      AND "occurredAt" <= entry."occurredAt" AND "id" <> entry."id"
    ORDER BY "occurredAt" DESC LIMIT 1\073
    SELECT "occurredAt" INTO next_at FROM "LedgerEntry"
    WHERE "memberId" = entry."memberId" AND "kind" IN (''EARN'', ''SIGNUP_BONUS'', ''REDEEM'', ''MANUAL'', ''IMPORT'')
      AND "occurredAt" > entry."occurredAt"
    ORDER BY "occurredAt" LIMIT 1\073
    INSERT INTO "ActivityGapDelta" ("shop", "toDay", "fromDay", "gaps")
    VALUES (entry."shop", entry."occurredAt"::date - DATE ''1970-01-01'',
      COALESCE(prev_at::date - DATE ''1970-01-01'', -1000000), sign)\073
    IF next_at IS NOT NULL THEN
      INSERT INTO "ActivityGapDelta" ("shop", "toDay", "fromDay", "gaps")
      VALUES (entry."shop", next_at::date - DATE ''1970-01-01'', entry."occurredAt"::date - DATE ''1970-01-01'', sign),
        (entry."shop", next_at::date - DATE ''1970-01-01'', COALESCE(prev_at::date - DATE ''1970-01-01'', -1000000), -sign)\073
    END IF\073
  END IF\073
  RETURN entry\073
END';

CREATE TRIGGER "LedgerEntry_activity_gap" BEFORE INSERT OR DELETE ON "LedgerEntry"
FOR EACH ROW EXECUTE FUNCTION "LedgerEntry_activity_gap"();

COMMIT;
