-- CreateTable
CREATE TABLE "Reward" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "pointsCost" INTEGER NOT NULL,
    "amount" TEXT,
    "percentage" INTEGER,
    "minimumSubtotal" TEXT,
    "codeLifetimeDays" INTEGER NOT NULL DEFAULT 30,
    "combinesWithOrder" BOOLEAN NOT NULL DEFAULT false,
    "combinesWithProduct" BOOLEAN NOT NULL DEFAULT true,
    "combinesWithShipping" BOOLEAN NOT NULL DEFAULT true,
    "tierId" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Redemption" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "rewardId" TEXT NOT NULL,
    "pointsSpent" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "rewardSnapshot" TEXT NOT NULL,
    "discountId" TEXT,
    "startsAt" DATETIME NOT NULL,
    "endsAt" DATETIME NOT NULL,
    "error" TEXT,
    "pointsReturned" BOOLEAN NOT NULL DEFAULT false,
    "usedOrderId" TEXT,
    "usedOrderTotalMinor" INTEGER,
    "usedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Redemption_rewardId_fkey" FOREIGN KEY ("rewardId") REFERENCES "Reward" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Program" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "earnPoints" INTEGER NOT NULL DEFAULT 1,
    "earnPerAmount" TEXT NOT NULL DEFAULT '1',
    "rounding" TEXT NOT NULL DEFAULT 'DOWN',
    "awardTestOrders" BOOLEAN NOT NULL DEFAULT false,
    "signupBonus" INTEGER NOT NULL DEFAULT 0,
    "pendingDays" INTEGER NOT NULL DEFAULT 0,
    "expiryMonths" INTEGER,
    "allowNegativeBalance" BOOLEAN NOT NULL DEFAULT false,
    "tierBasis" TEXT NOT NULL DEFAULT 'POINTS_EARNED',
    "tierPeriod" TEXT NOT NULL DEFAULT 'LIFETIME',
    "returnPointsOnExpiredCodes" BOOLEAN NOT NULL DEFAULT false,
    "redemptionsPerHour" INTEGER NOT NULL DEFAULT 5,
    "pointsNameOne" TEXT NOT NULL DEFAULT 'point',
    "pointsNameOther" TEXT NOT NULL DEFAULT 'points',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Program" ("allowNegativeBalance", "awardTestOrders", "createdAt", "currency", "earnPerAmount", "earnPoints", "enabled", "expiryMonths", "pendingDays", "pointsNameOne", "pointsNameOther", "rounding", "shop", "signupBonus", "tierBasis", "tierPeriod", "updatedAt") SELECT "allowNegativeBalance", "awardTestOrders", "createdAt", "currency", "earnPerAmount", "earnPoints", "enabled", "expiryMonths", "pendingDays", "pointsNameOne", "pointsNameOther", "rounding", "shop", "signupBonus", "tierBasis", "tierPeriod", "updatedAt" FROM "Program";
DROP TABLE "Program";
ALTER TABLE "new_Program" RENAME TO "Program";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Reward_shop_enabled_idx" ON "Reward"("shop", "enabled");

-- CreateIndex
CREATE INDEX "Redemption_shop_status_createdAt_idx" ON "Redemption"("shop", "status", "createdAt");

-- CreateIndex
CREATE INDEX "Redemption_memberId_createdAt_idx" ON "Redemption"("memberId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Redemption_shop_code_key" ON "Redemption"("shop", "code");

