-- Customer sync (issue #12): members' balance, tier and expiry date written to app-owned customer
-- metafields and an optional tier tag (app/loyalty/customer-sync.server.ts).

-- AlterTable (ADD COLUMN rather than Prisma's rebuild of the tables, which would drop their
-- triggers: Member's rollups and tallies, Program's storefront_config_version)
ALTER TABLE "Member" ADD COLUMN "syncDirty" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Member" ADD COLUMN "syncDigests" JSONB;
ALTER TABLE "Member" ADD COLUMN "syncedTierTag" TEXT;
ALTER TABLE "Member" ADD COLUMN "syncError" TEXT;
ALTER TABLE "Program" ADD COLUMN "customerSync" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Program" ADD COLUMN "tierTags" BOOLEAN NOT NULL DEFAULT false;

-- CreateIndex
CREATE INDEX "Member_shop_syncDirty_idx" ON "Member"("shop", "syncDirty");
