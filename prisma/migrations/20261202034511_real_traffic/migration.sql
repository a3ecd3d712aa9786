-- AlterTable
ALTER TABLE "DataRequest" ADD COLUMN "eventId" TEXT;

-- AlterTable
ALTER TABLE "QueuedJob" ADD COLUMN "shop" TEXT;

-- AlterTable
ALTER TABLE "Redemption" ADD COLUMN "requestKey" TEXT;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_FailedEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "webhookId" TEXT,
    "eventId" TEXT,
    "reason" TEXT NOT NULL DEFAULT 'INVALID',
    "status" TEXT NOT NULL DEFAULT 'DEAD',
    "attempts" INTEGER NOT NULL DEFAULT 1,
    "payload" TEXT NOT NULL,
    "payloadBytes" INTEGER NOT NULL DEFAULT 0,
    "truncated" BOOLEAN NOT NULL DEFAULT false,
    "customerId" TEXT,
    "error" TEXT NOT NULL,
    "replayedAt" DATETIME,
    "replayedBy" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_FailedEvent" ("createdAt", "error", "id", "payload", "shop", "topic", "webhookId") SELECT "createdAt", "error", "id", "payload", "shop", "topic", "webhookId" FROM "FailedEvent";
DROP TABLE "FailedEvent";
ALTER TABLE "new_FailedEvent" RENAME TO "FailedEvent";
CREATE INDEX "FailedEvent_shop_createdAt_idx" ON "FailedEvent"("shop", "createdAt");
CREATE INDEX "FailedEvent_shop_customerId_idx" ON "FailedEvent"("shop", "customerId");
CREATE UNIQUE INDEX "FailedEvent_shop_webhookId_key" ON "FailedEvent"("shop", "webhookId");
CREATE TABLE "new_OrderRecord" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "name" TEXT,
    "customerId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'AWAITING_PAYMENT',
    "skipReason" TEXT,
    "holdReason" TEXT,
    "currency" TEXT,
    "totalMinor" INTEGER,
    "basisMinor" INTEGER NOT NULL DEFAULT 0,
    "earnedPoints" INTEGER NOT NULL DEFAULT 0,
    "pendingRemaining" INTEGER NOT NULL DEFAULT 0,
    "clawedBackPoints" INTEGER NOT NULL DEFAULT 0,
    "refundedMinor" INTEGER NOT NULL DEFAULT 0,
    "availableAt" DATETIME,
    "rule" JSONB,
    "discountCodes" JSONB NOT NULL DEFAULT [],
    "giftCardLineIds" JSONB NOT NULL DEFAULT [],
    "reviewedBy" TEXT,
    "reviewedAt" DATETIME,
    "paidAt" DATETIME,
    "cancelledAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_OrderRecord" ("availableAt", "basisMinor", "cancelledAt", "clawedBackPoints", "createdAt", "currency", "customerId", "discountCodes", "earnedPoints", "id", "name", "orderId", "paidAt", "pendingRemaining", "refundedMinor", "rule", "shop", "skipReason", "status", "totalMinor", "updatedAt") SELECT "availableAt", "basisMinor", "cancelledAt", "clawedBackPoints", "createdAt", "currency", "customerId", "discountCodes", "earnedPoints", "id", "name", "orderId", "paidAt", "pendingRemaining", "refundedMinor", "rule", "shop", "skipReason", "status", "totalMinor", "updatedAt" FROM "OrderRecord";
DROP TABLE "OrderRecord";
ALTER TABLE "new_OrderRecord" RENAME TO "OrderRecord";
CREATE INDEX "OrderRecord_shop_customerId_idx" ON "OrderRecord"("shop", "customerId");
CREATE INDEX "OrderRecord_shop_paidAt_idx" ON "OrderRecord"("shop", "paidAt");
CREATE INDEX "OrderRecord_shop_status_idx" ON "OrderRecord"("shop", "status");
CREATE UNIQUE INDEX "OrderRecord_shop_orderId_key" ON "OrderRecord"("shop", "orderId");
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
    "maxPointsPerOrder" INTEGER NOT NULL DEFAULT 100000,
    "pointsNameOne" TEXT NOT NULL DEFAULT 'point',
    "pointsNameOther" TEXT NOT NULL DEFAULT 'points',
    "embedConfirmedAt" DATETIME,
    "earnRateReviewedAt" DATETIME,
    "setupDismissedAt" DATETIME,
    "storefrontSyncedAt" DATETIME,
    "storefrontSyncError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Program" ("allowNegativeBalance", "awardTestOrders", "createdAt", "currency", "earnPerAmount", "earnPoints", "earnRateReviewedAt", "embedConfirmedAt", "enabled", "expiryMonths", "pendingDays", "pointsNameOne", "pointsNameOther", "redemptionsPerHour", "returnPointsOnExpiredCodes", "rounding", "setupDismissedAt", "shop", "signupBonus", "storefrontSyncError", "storefrontSyncedAt", "tierBasis", "tierPeriod", "updatedAt") SELECT "allowNegativeBalance", "awardTestOrders", "createdAt", "currency", "earnPerAmount", "earnPoints", "earnRateReviewedAt", "embedConfirmedAt", "enabled", "expiryMonths", "pendingDays", "pointsNameOne", "pointsNameOther", "redemptionsPerHour", "returnPointsOnExpiredCodes", "rounding", "setupDismissedAt", "shop", "signupBonus", "storefrontSyncError", "storefrontSyncedAt", "tierBasis", "tierPeriod", "updatedAt" FROM "Program";
DROP TABLE "Program";
ALTER TABLE "new_Program" RENAME TO "Program";
CREATE TABLE "new_RefundRecord" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "refundId" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "subtotalMinor" INTEGER NOT NULL,
    "taxMinor" INTEGER NOT NULL DEFAULT 0,
    "lines" JSONB NOT NULL DEFAULT [],
    "createdAtShopify" DATETIME NOT NULL,
    "appliedAt" DATETIME,
    "clawedBack" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_RefundRecord" ("appliedAt", "clawedBack", "createdAt", "createdAtShopify", "id", "orderId", "refundId", "shop", "subtotalMinor", "taxMinor") SELECT "appliedAt", "clawedBack", "createdAt", "createdAtShopify", "id", "orderId", "refundId", "shop", "subtotalMinor", "taxMinor" FROM "RefundRecord";
DROP TABLE "RefundRecord";
ALTER TABLE "new_RefundRecord" RENAME TO "RefundRecord";
CREATE INDEX "RefundRecord_shop_orderId_idx" ON "RefundRecord"("shop", "orderId");
CREATE UNIQUE INDEX "RefundRecord_shop_refundId_key" ON "RefundRecord"("shop", "refundId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "DataRequest_shop_customerId_idx" ON "DataRequest"("shop", "customerId");

-- CreateIndex
CREATE UNIQUE INDEX "DataRequest_shop_eventId_key" ON "DataRequest"("shop", "eventId");

-- CreateIndex
CREATE INDEX "QueuedJob_shop_idx" ON "QueuedJob"("shop");

-- CreateIndex
CREATE UNIQUE INDEX "Redemption_shop_customerId_requestKey_key" ON "Redemption"("shop", "customerId", "requestKey");

