-- Customer sync (issue #12): members' balance, tier and expiry date written to app-owned customer
-- metafields and an optional tier tag (app/loyalty/customer-sync.server.ts).

-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "syncDigests" JSONB,
ADD COLUMN     "syncDirty" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "syncError" TEXT,
ADD COLUMN     "syncedTierTag" TEXT;

-- AlterTable
ALTER TABLE "Program" ADD COLUMN     "customerSync" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "tierTags" BOOLEAN NOT NULL DEFAULT false;

-- CreateIndex
CREATE INDEX "Member_shop_syncDirty_idx" ON "Member"("shop", "syncDirty");

