-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Rounding" AS ENUM ('DOWN', 'NEAREST', 'UP');

-- CreateEnum
CREATE TYPE "TierBasis" AS ENUM ('POINTS_EARNED', 'AMOUNT_SPENT');

-- CreateEnum
CREATE TYPE "TierPeriod" AS ENUM ('LIFETIME', 'CALENDAR_YEAR', 'ROLLING_12_MONTHS');

-- CreateEnum
CREATE TYPE "EntryKind" AS ENUM ('EARN', 'RELEASE', 'REFUND_CLAWBACK', 'CANCEL_REVERSAL', 'SIGNUP_BONUS', 'EXPIRE', 'MANUAL', 'IMPORT', 'REDEEM', 'REDEEM_RETURN');

-- CreateEnum
CREATE TYPE "EntrySource" AS ENUM ('ORDER', 'REFUND', 'CUSTOMER', 'MANUAL', 'IMPORT', 'REDEMPTION', 'SYSTEM');

-- CreateEnum
CREATE TYPE "OrderStatus" AS ENUM ('AWAITING_PAYMENT', 'EARNED', 'SKIPPED');

-- CreateEnum
CREATE TYPE "SkipReason" AS ENUM ('GUEST_CHECKOUT', 'TEST_ORDER', 'PROGRAM_OFF', 'NOTHING_TO_EARN');

-- CreateEnum
CREATE TYPE "DeliveryStatus" AS ENUM ('PROCESSED', 'FAILED');

-- CreateEnum
CREATE TYPE "RewardType" AS ENUM ('FIXED_AMOUNT', 'PERCENTAGE', 'FREE_SHIPPING');

-- CreateEnum
CREATE TYPE "RedemptionStatus" AS ENUM ('PENDING', 'ISSUED', 'FAILED', 'USED', 'EXPIRED');

-- CreateEnum
CREATE TYPE "ImportStatus" AS ENUM ('VALIDATING', 'VALIDATED', 'APPLYING', 'APPLIED', 'UNDOING', 'UNDONE');

-- CreateEnum
CREATE TYPE "ImportRowStatus" AS ENUM ('LOOKUP', 'VALID', 'INVALID', 'APPLIED', 'UNDONE');

-- CreateEnum
CREATE TYPE "JobStatus" AS ENUM ('RUNNING', 'DONE', 'SUPERSEDED');

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "isOnline" BOOLEAN NOT NULL DEFAULT false,
    "scope" TEXT,
    "expires" TIMESTAMP(3),
    "accessToken" TEXT NOT NULL,
    "userId" BIGINT,
    "firstName" TEXT,
    "lastName" TEXT,
    "email" TEXT,
    "accountOwner" BOOLEAN NOT NULL DEFAULT false,
    "locale" TEXT,
    "collaborator" BOOLEAN DEFAULT false,
    "emailVerified" BOOLEAN DEFAULT false,
    "refreshToken" TEXT,
    "refreshTokenExpires" TIMESTAMP(3),

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Program" (
    "shop" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "earnPoints" INTEGER NOT NULL DEFAULT 1,
    "earnPerAmount" TEXT NOT NULL DEFAULT '1',
    "rounding" "Rounding" NOT NULL DEFAULT 'DOWN',
    "awardTestOrders" BOOLEAN NOT NULL DEFAULT false,
    "signupBonus" INTEGER NOT NULL DEFAULT 0,
    "pendingDays" INTEGER NOT NULL DEFAULT 0,
    "expiryMonths" INTEGER,
    "allowNegativeBalance" BOOLEAN NOT NULL DEFAULT false,
    "tierBasis" "TierBasis" NOT NULL DEFAULT 'POINTS_EARNED',
    "tierPeriod" "TierPeriod" NOT NULL DEFAULT 'LIFETIME',
    "returnPointsOnExpiredCodes" BOOLEAN NOT NULL DEFAULT false,
    "redemptionsPerHour" INTEGER NOT NULL DEFAULT 5,
    "pointsNameOne" TEXT NOT NULL DEFAULT 'point',
    "pointsNameOther" TEXT NOT NULL DEFAULT 'points',
    "embedConfirmedAt" TIMESTAMP(3),
    "earnRateReviewedAt" TIMESTAMP(3),
    "setupDismissedAt" TIMESTAMP(3),
    "storefrontSyncedAt" TIMESTAMP(3),
    "storefrontSyncError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Program_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "Tier" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "threshold" INTEGER NOT NULL,
    "multiplierPercent" INTEGER NOT NULL DEFAULT 100,
    "perks" TEXT NOT NULL DEFAULT '',
    "position" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Tier_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Member" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "email" TEXT,
    "firstName" TEXT,
    "lastName" TEXT,
    "balance" INTEGER NOT NULL DEFAULT 0,
    "pendingPoints" INTEGER NOT NULL DEFAULT 0,
    "lifetimeEarned" INTEGER NOT NULL DEFAULT 0,
    "tierId" TEXT,
    "lastActivityAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3),
    "grantedTierId" TEXT,
    "grantedTierUntil" TIMESTAMP(3),
    "grantedTierSource" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Member_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LedgerEntry" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "kind" "EntryKind" NOT NULL,
    "points" INTEGER NOT NULL,
    "pendingPoints" INTEGER NOT NULL DEFAULT 0,
    "balanceAfter" INTEGER NOT NULL,
    "pendingAfter" INTEGER NOT NULL,
    "shortfall" INTEGER NOT NULL DEFAULT 0,
    "source" "EntrySource" NOT NULL,
    "sourceId" TEXT,
    "orderId" TEXT,
    "amountMinor" INTEGER,
    "currency" TEXT,
    "idempotencyKey" TEXT NOT NULL,
    "rule" JSONB,
    "description" TEXT NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "availableAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3),
    "createdBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LedgerEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OrderRecord" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "name" TEXT,
    "customerId" TEXT,
    "status" "OrderStatus" NOT NULL DEFAULT 'AWAITING_PAYMENT',
    "skipReason" "SkipReason",
    "currency" TEXT,
    "totalMinor" INTEGER,
    "basisMinor" INTEGER NOT NULL DEFAULT 0,
    "earnedPoints" INTEGER NOT NULL DEFAULT 0,
    "pendingRemaining" INTEGER NOT NULL DEFAULT 0,
    "clawedBackPoints" INTEGER NOT NULL DEFAULT 0,
    "refundedMinor" INTEGER NOT NULL DEFAULT 0,
    "availableAt" TIMESTAMP(3),
    "rule" JSONB,
    "discountCodes" JSONB NOT NULL DEFAULT '[]',
    "paidAt" TIMESTAMP(3),
    "cancelledAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OrderRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RefundRecord" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "refundId" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "subtotalMinor" INTEGER NOT NULL,
    "taxMinor" INTEGER NOT NULL DEFAULT 0,
    "createdAtShopify" TIMESTAMP(3) NOT NULL,
    "appliedAt" TIMESTAMP(3),
    "clawedBack" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RefundRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TierChange" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "fromTierId" TEXT,
    "fromName" TEXT,
    "toTierId" TEXT,
    "toName" TEXT,
    "metric" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "notifiedAt" TIMESTAMP(3),

    CONSTRAINT "TierChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "webhookId" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "status" "DeliveryStatus" NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FailedEvent" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "webhookId" TEXT,
    "payload" TEXT NOT NULL,
    "error" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FailedEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DataRequest" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "requestId" TEXT,
    "data" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DataRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Reward" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "type" "RewardType" NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Reward_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Redemption" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "rewardId" TEXT NOT NULL,
    "pointsSpent" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "status" "RedemptionStatus" NOT NULL DEFAULT 'PENDING',
    "rewardSnapshot" JSONB NOT NULL,
    "discountId" TEXT,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "error" TEXT,
    "pointsReturned" BOOLEAN NOT NULL DEFAULT false,
    "usedOrderId" TEXT,
    "usedOrderTotalMinor" INTEGER,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Redemption_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ImportBatch" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "fileHash" TEXT NOT NULL,
    "status" "ImportStatus" NOT NULL DEFAULT 'VALIDATING',
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
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "appliedAt" TIMESTAMP(3),
    "undoneAt" TIMESTAMP(3),

    CONSTRAINT "ImportBatch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ImportRow" (
    "id" SERIAL NOT NULL,
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
    "status" "ImportRowStatus" NOT NULL,
    "error" TEXT,
    "memberId" TEXT,
    "shortfall" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ImportRow_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TierReevaluation" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "status" "JobStatus" NOT NULL DEFAULT 'RUNNING',
    "total" INTEGER NOT NULL,
    "processed" INTEGER NOT NULL DEFAULT 0,
    "changed" INTEGER NOT NULL DEFAULT 0,
    "cursor" TEXT,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "TierReevaluation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Session_shop_idx" ON "Session"("shop");

-- CreateIndex
CREATE INDEX "Tier_shop_threshold_idx" ON "Tier"("shop", "threshold");

-- CreateIndex
CREATE UNIQUE INDEX "Tier_shop_name_key" ON "Tier"("shop", "name");

-- CreateIndex
CREATE INDEX "Member_shop_balance_idx" ON "Member"("shop", "balance");

-- CreateIndex
CREATE INDEX "Member_shop_email_idx" ON "Member"("shop", "email");

-- CreateIndex
CREATE INDEX "Member_shop_expiresAt_idx" ON "Member"("shop", "expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "Member_shop_customerId_key" ON "Member"("shop", "customerId");

-- CreateIndex
CREATE INDEX "LedgerEntry_memberId_occurredAt_idx" ON "LedgerEntry"("memberId", "occurredAt");

-- CreateIndex
CREATE INDEX "LedgerEntry_shop_orderId_idx" ON "LedgerEntry"("shop", "orderId");

-- CreateIndex
CREATE INDEX "LedgerEntry_shop_kind_occurredAt_idx" ON "LedgerEntry"("shop", "kind", "occurredAt");

-- CreateIndex
CREATE INDEX "LedgerEntry_shop_availableAt_idx" ON "LedgerEntry"("shop", "availableAt");

-- CreateIndex
CREATE UNIQUE INDEX "LedgerEntry_shop_idempotencyKey_key" ON "LedgerEntry"("shop", "idempotencyKey");

-- CreateIndex
CREATE INDEX "OrderRecord_shop_customerId_idx" ON "OrderRecord"("shop", "customerId");

-- CreateIndex
CREATE INDEX "OrderRecord_shop_paidAt_idx" ON "OrderRecord"("shop", "paidAt");

-- CreateIndex
CREATE UNIQUE INDEX "OrderRecord_shop_orderId_key" ON "OrderRecord"("shop", "orderId");

-- CreateIndex
CREATE INDEX "RefundRecord_shop_orderId_idx" ON "RefundRecord"("shop", "orderId");

-- CreateIndex
CREATE UNIQUE INDEX "RefundRecord_shop_refundId_key" ON "RefundRecord"("shop", "refundId");

-- CreateIndex
CREATE INDEX "TierChange_shop_createdAt_idx" ON "TierChange"("shop", "createdAt");

-- CreateIndex
CREATE INDEX "TierChange_memberId_idx" ON "TierChange"("memberId");

-- CreateIndex
CREATE INDEX "WebhookDelivery_shop_receivedAt_idx" ON "WebhookDelivery"("shop", "receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookDelivery_shop_webhookId_key" ON "WebhookDelivery"("shop", "webhookId");

-- CreateIndex
CREATE INDEX "FailedEvent_shop_createdAt_idx" ON "FailedEvent"("shop", "createdAt");

-- CreateIndex
CREATE INDEX "DataRequest_shop_createdAt_idx" ON "DataRequest"("shop", "createdAt");

-- CreateIndex
CREATE INDEX "Reward_shop_enabled_idx" ON "Reward"("shop", "enabled");

-- CreateIndex
CREATE INDEX "Redemption_shop_status_createdAt_idx" ON "Redemption"("shop", "status", "createdAt");

-- CreateIndex
CREATE INDEX "Redemption_memberId_createdAt_idx" ON "Redemption"("memberId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Redemption_shop_code_key" ON "Redemption"("shop", "code");

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

-- AddForeignKey
ALTER TABLE "Member" ADD CONSTRAINT "Member_tierId_fkey" FOREIGN KEY ("tierId") REFERENCES "Tier"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LedgerEntry" ADD CONSTRAINT "LedgerEntry_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TierChange" ADD CONSTRAINT "TierChange_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Redemption" ADD CONSTRAINT "Redemption_rewardId_fkey" FOREIGN KEY ("rewardId") REFERENCES "Reward"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ImportRow" ADD CONSTRAINT "ImportRow_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "ImportBatch"("id") ON DELETE CASCADE ON UPDATE CASCADE;

