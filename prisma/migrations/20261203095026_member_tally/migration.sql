-- How many members a shop has, per tier (issue #15: the members list counted all of a shop's
-- members on every page, 130 ms at 1M members, and the tiers page once more). Triggers on
-- "Member" keep MemberTally through MemberTallyDelta, which the worker folds with the dashboard's
-- rollups (app/loyalty/rollups.server.ts): docs/decisions/0009-dashboard-rollups.md. A migration
-- that rebuilds "Member" drops them: test/foundation/database.test.ts checks they exist.

-- CreateTable
CREATE TABLE "MemberTally" (
    "shop" TEXT NOT NULL,
    "tierKey" TEXT NOT NULL,
    "members" BIGINT NOT NULL,

    PRIMARY KEY ("shop", "tierKey")
);

-- CreateTable
CREATE TABLE "MemberTallyDelta" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "tierKey" TEXT NOT NULL,
    "members" INTEGER NOT NULL
);

-- CreateIndex
CREATE INDEX "MemberTallyDelta_shop_tierKey_idx" ON "MemberTallyDelta"("shop", "tierKey");

INSERT INTO "MemberTally" ("shop", "tierKey", "members")
SELECT "shop", coalesce("tierId", ''), COUNT(*) FROM "Member" GROUP BY 1, 2;

CREATE TRIGGER "Member_tally_insert" AFTER INSERT ON "Member" BEGIN
  INSERT INTO "MemberTallyDelta" ("shop", "tierKey", "members")
  VALUES (new."shop", coalesce(new."tierId", ''), 1);
END;

CREATE TRIGGER "Member_tally_delete" AFTER DELETE ON "Member" BEGIN
  INSERT INTO "MemberTallyDelta" ("shop", "tierKey", "members")
  VALUES (old."shop", coalesce(old."tierId", ''), -1);
END;

-- Also fired by the foreign key's SET NULL when a tier is deleted.
CREATE TRIGGER "Member_tally_tier" AFTER UPDATE OF "tierId" ON "Member"
WHEN old."tierId" IS NOT new."tierId" BEGIN
  INSERT INTO "MemberTallyDelta" ("shop", "tierKey", "members")
  VALUES (old."shop", coalesce(old."tierId", ''), -1), (new."shop", coalesce(new."tierId", ''), 1);
END;
