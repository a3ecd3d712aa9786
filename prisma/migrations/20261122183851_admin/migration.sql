-- AlterTable
ALTER TABLE "Program" ADD COLUMN "earnRateReviewedAt" DATETIME;
ALTER TABLE "Program" ADD COLUMN "embedConfirmedAt" DATETIME;
ALTER TABLE "Program" ADD COLUMN "setupDismissedAt" DATETIME;
ALTER TABLE "Program" ADD COLUMN "storefrontSyncError" TEXT;
ALTER TABLE "Program" ADD COLUMN "storefrontSyncedAt" DATETIME;

-- AlterTable
ALTER TABLE "Member" ADD COLUMN "grantedTierId" TEXT;
ALTER TABLE "Member" ADD COLUMN "grantedTierSource" TEXT;
ALTER TABLE "Member" ADD COLUMN "grantedTierUntil" DATETIME;

-- CreateTable
CREATE TABLE "ImportBatch" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "fileHash" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'VALIDATING',
    "totalRows" INTEGER NOT NULL,
    "validRows" INTEGER NOT NULL DEFAULT 0,
    "invalidRows" INTEGER NOT NULL DEFAULT 0,
    "validPoints" INTEGER NOT NULL DEFAULT 0,
    "appliedRows" INTEGER NOT NULL DEFAULT 0,
    "undoneRows" INTEGER NOT NULL DEFAULT 0,
    "undoShortfall" INTEGER NOT NULL DEFAULT 0,
    "createdBy" TEXT NOT NULL,
    "appliedBy" TEXT,
    "undoneBy" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "appliedAt" DATETIME,
    "undoneAt" DATETIME
);

-- CreateTable
CREATE TABLE "ImportRow" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "batchId" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "line" INTEGER NOT NULL,
    "raw" TEXT NOT NULL,
    "email" TEXT,
    "customerId" TEXT,
    "firstName" TEXT,
    "lastName" TEXT,
    "points" INTEGER,
    "tierId" TEXT,
    "status" TEXT NOT NULL,
    "error" TEXT,
    "memberId" TEXT,
    "shortfall" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "ImportRow_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "ImportBatch" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "TierReevaluation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'RUNNING',
    "total" INTEGER NOT NULL,
    "processed" INTEGER NOT NULL DEFAULT 0,
    "changed" INTEGER NOT NULL DEFAULT 0,
    "cursor" TEXT,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "finishedAt" DATETIME
);

-- CreateIndex
CREATE INDEX "ImportBatch_shop_createdAt_idx" ON "ImportBatch"("shop", "createdAt");

-- CreateIndex
CREATE INDEX "ImportRow_batchId_status_idx" ON "ImportRow"("batchId", "status");

-- CreateIndex
CREATE INDEX "ImportRow_shop_customerId_idx" ON "ImportRow"("shop", "customerId");

-- CreateIndex
CREATE UNIQUE INDEX "ImportRow_batchId_line_key" ON "ImportRow"("batchId", "line");

-- CreateIndex
CREATE INDEX "TierReevaluation_shop_createdAt_idx" ON "TierReevaluation"("shop", "createdAt");

