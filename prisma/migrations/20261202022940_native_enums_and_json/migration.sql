-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_DataRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "requestId" TEXT,
    "data" JSONB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_DataRequest" ("createdAt", "customerId", "data", "id", "requestId", "shop") SELECT "createdAt", "customerId", "data", "id", "requestId", "shop" FROM "DataRequest";
DROP TABLE "DataRequest";
ALTER TABLE "new_DataRequest" RENAME TO "DataRequest";
CREATE INDEX "DataRequest_shop_createdAt_idx" ON "DataRequest"("shop", "createdAt");
CREATE TABLE "new_ImportRow" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "batchId" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "line" INTEGER NOT NULL,
    "raw" JSONB NOT NULL,
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
INSERT INTO "new_ImportRow" ("batchId", "customerId", "email", "error", "firstName", "id", "lastName", "line", "memberId", "points", "raw", "shop", "shortfall", "status", "tierId") SELECT "batchId", "customerId", "email", "error", "firstName", "id", "lastName", "line", "memberId", "points", "raw", "shop", "shortfall", "status", "tierId" FROM "ImportRow";
DROP TABLE "ImportRow";
ALTER TABLE "new_ImportRow" RENAME TO "ImportRow";
CREATE INDEX "ImportRow_batchId_status_idx" ON "ImportRow"("batchId", "status");
CREATE INDEX "ImportRow_shop_customerId_idx" ON "ImportRow"("shop", "customerId");
CREATE UNIQUE INDEX "ImportRow_batchId_line_key" ON "ImportRow"("batchId", "line");
CREATE TABLE "new_LedgerEntry" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "points" INTEGER NOT NULL,
    "pendingPoints" INTEGER NOT NULL DEFAULT 0,
    "balanceAfter" INTEGER NOT NULL,
    "pendingAfter" INTEGER NOT NULL,
    "shortfall" INTEGER NOT NULL DEFAULT 0,
    "source" TEXT NOT NULL,
    "sourceId" TEXT,
    "orderId" TEXT,
    "amountMinor" INTEGER,
    "currency" TEXT,
    "idempotencyKey" TEXT NOT NULL,
    "rule" JSONB,
    "description" TEXT NOT NULL,
    "occurredAt" DATETIME NOT NULL,
    "availableAt" DATETIME,
    "expiresAt" DATETIME,
    "createdBy" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "LedgerEntry_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_LedgerEntry" ("amountMinor", "availableAt", "balanceAfter", "createdAt", "createdBy", "currency", "description", "expiresAt", "id", "idempotencyKey", "kind", "memberId", "occurredAt", "orderId", "pendingAfter", "pendingPoints", "points", "rule", "shop", "shortfall", "source", "sourceId") SELECT "amountMinor", "availableAt", "balanceAfter", "createdAt", "createdBy", "currency", "description", "expiresAt", "id", "idempotencyKey", "kind", "memberId", "occurredAt", "orderId", "pendingAfter", "pendingPoints", "points", "rule", "shop", "shortfall", "source", "sourceId" FROM "LedgerEntry";
DROP TABLE "LedgerEntry";
ALTER TABLE "new_LedgerEntry" RENAME TO "LedgerEntry";
CREATE INDEX "LedgerEntry_memberId_occurredAt_idx" ON "LedgerEntry"("memberId", "occurredAt");
CREATE INDEX "LedgerEntry_shop_orderId_idx" ON "LedgerEntry"("shop", "orderId");
CREATE INDEX "LedgerEntry_shop_kind_occurredAt_idx" ON "LedgerEntry"("shop", "kind", "occurredAt");
CREATE INDEX "LedgerEntry_shop_availableAt_idx" ON "LedgerEntry"("shop", "availableAt");
CREATE UNIQUE INDEX "LedgerEntry_shop_idempotencyKey_key" ON "LedgerEntry"("shop", "idempotencyKey");
CREATE TABLE "new_OrderRecord" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "name" TEXT,
    "customerId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'AWAITING_PAYMENT',
    "skipReason" TEXT,
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
CREATE UNIQUE INDEX "OrderRecord_shop_orderId_key" ON "OrderRecord"("shop", "orderId");
CREATE TABLE "new_Redemption" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "rewardId" TEXT NOT NULL,
    "pointsSpent" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "rewardSnapshot" JSONB NOT NULL,
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
INSERT INTO "new_Redemption" ("code", "createdAt", "customerId", "discountId", "endsAt", "error", "id", "memberId", "pointsReturned", "pointsSpent", "rewardId", "rewardSnapshot", "shop", "startsAt", "status", "updatedAt", "usedAt", "usedOrderId", "usedOrderTotalMinor") SELECT "code", "createdAt", "customerId", "discountId", "endsAt", "error", "id", "memberId", "pointsReturned", "pointsSpent", "rewardId", "rewardSnapshot", "shop", "startsAt", "status", "updatedAt", "usedAt", "usedOrderId", "usedOrderTotalMinor" FROM "Redemption";
DROP TABLE "Redemption";
ALTER TABLE "new_Redemption" RENAME TO "Redemption";
CREATE INDEX "Redemption_shop_status_createdAt_idx" ON "Redemption"("shop", "status", "createdAt");
CREATE INDEX "Redemption_memberId_createdAt_idx" ON "Redemption"("memberId", "createdAt");
CREATE UNIQUE INDEX "Redemption_shop_code_key" ON "Redemption"("shop", "code");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

