-- How many members a shop has, per tier (issue #15: the members list counted all of a shop's
-- members on every page, 130 ms at 1M members, and the tiers page once more). Triggers on
-- "Member" keep MemberTally through MemberTallyDelta, which the worker folds with the dashboard's
-- rollups (app/loyalty/rollups.server.ts): docs/decisions/0009-dashboard-rollups.md.
-- One transaction (Prisma does not open one on PostgreSQL), so LOCK TABLE below holds to the end.
BEGIN;

-- CreateTable
CREATE TABLE "MemberTally" (
    "shop" TEXT NOT NULL,
    "tierKey" TEXT NOT NULL,
    "members" BIGINT NOT NULL,

    CONSTRAINT "MemberTally_pkey" PRIMARY KEY ("shop","tierKey")
);

-- CreateTable
CREATE TABLE "MemberTallyDelta" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "tierKey" TEXT NOT NULL,
    "members" INTEGER NOT NULL,

    CONSTRAINT "MemberTallyDelta_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "MemberTallyDelta_shop_tierKey_idx" ON "MemberTallyDelta"("shop", "tierKey");

-- Members written while this runs wait for it: the backfill and the triggers see the same rows.
LOCK TABLE "Member" IN SHARE MODE;

INSERT INTO "MemberTally" ("shop", "tierKey", "members")
SELECT "shop", coalesce("tierId", ''), COUNT(*) FROM "Member" GROUP BY 1, 2;

-- Also fired by the foreign key's SET NULL when a tier is deleted. (The body is an E'' string
-- whose statements end in \073: see the dashboard_rollups migration.)
CREATE FUNCTION "Member_tally"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF TG_OP IN (''UPDATE'', ''DELETE'') THEN
    INSERT INTO "MemberTallyDelta" ("shop", "tierKey", "members")
    VALUES (OLD."shop", coalesce(OLD."tierId", ''''), -1)\073
  END IF\073
  IF TG_OP IN (''UPDATE'', ''INSERT'') THEN
    INSERT INTO "MemberTallyDelta" ("shop", "tierKey", "members")
    VALUES (NEW."shop", coalesce(NEW."tierId", ''''), 1)\073
  END IF\073
  RETURN NULL\073
END';

CREATE TRIGGER "Member_tally" AFTER INSERT OR DELETE ON "Member"
FOR EACH ROW EXECUTE FUNCTION "Member_tally"();

CREATE TRIGGER "Member_tally_tier" AFTER UPDATE OF "tierId" ON "Member"
FOR EACH ROW WHEN (OLD."tierId" IS DISTINCT FROM NEW."tierId") EXECUTE FUNCTION "Member_tally"();

COMMIT;
