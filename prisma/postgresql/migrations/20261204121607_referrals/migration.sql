-- Referrals (issue #12): members' referral links, friends' welcome codes and the referrer's
-- reward (app/loyalty/referrals.server.ts).

-- CreateEnum
CREATE TYPE "ReferralCodeStatus" AS ENUM ('PENDING', 'ISSUED', 'FAILED');

-- CreateEnum
CREATE TYPE "ReferralStatus" AS ENUM ('OFFERED', 'PENDING', 'REWARDED', 'VOID');

-- CreateEnum
CREATE TYPE "ReferralVoidReason" AS ENUM ('SELF_REFERRAL', 'NOT_NEW_CUSTOMER', 'CAPPED', 'ORDER_REVERSED', 'NO_SPEND');

-- AlterEnum
ALTER TYPE "EntrySource" ADD VALUE 'REFERRAL';

-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "referralCode" TEXT;

-- AlterTable
ALTER TABLE "OrderRecord" ADD COLUMN     "addressDigest" TEXT;

-- AlterTable
ALTER TABLE "Program" ADD COLUMN     "referralPendingDays" INTEGER NOT NULL DEFAULT 14,
ADD COLUMN     "referralPoints" INTEGER NOT NULL DEFAULT 500,
ADD COLUMN     "referralRewardId" TEXT,
ADD COLUMN     "referrals" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "referralsPerMonth" INTEGER NOT NULL DEFAULT 10;

-- CreateTable
CREATE TABLE "Referral" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "referrerId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "email" TEXT,
    "code" TEXT NOT NULL,
    "codeStatus" "ReferralCodeStatus" NOT NULL DEFAULT 'PENDING',
    "discountId" TEXT,
    "codeError" TEXT,
    "rewardSnapshot" JSONB NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "status" "ReferralStatus" NOT NULL DEFAULT 'OFFERED',
    "voidReason" "ReferralVoidReason",
    "orderId" TEXT,
    "orderName" TEXT,
    "points" INTEGER NOT NULL DEFAULT 0,
    "availableAt" TIMESTAMP(3),
    "orderedAt" TIMESTAMP(3),
    "rewardedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Referral_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Referral_shop_status_createdAt_idx" ON "Referral"("shop", "status", "createdAt");

-- CreateIndex
CREATE INDEX "Referral_referrerId_createdAt_idx" ON "Referral"("referrerId", "createdAt");

-- CreateIndex
CREATE INDEX "Referral_shop_createdAt_idx" ON "Referral"("shop", "createdAt");

-- CreateIndex
CREATE INDEX "Referral_status_availableAt_idx" ON "Referral"("status", "availableAt");

-- CreateIndex
CREATE INDEX "Referral_codeStatus_startsAt_idx" ON "Referral"("codeStatus", "startsAt");

-- CreateIndex
CREATE UNIQUE INDEX "Referral_shop_code_key" ON "Referral"("shop", "code");

-- CreateIndex
CREATE UNIQUE INDEX "Referral_shop_customerId_key" ON "Referral"("shop", "customerId");

-- CreateIndex
CREATE UNIQUE INDEX "Referral_shop_orderId_key" ON "Referral"("shop", "orderId");

-- CreateIndex
CREATE UNIQUE INDEX "Member_shop_referralCode_key" ON "Member"("shop", "referralCode");

-- CreateIndex
CREATE INDEX "OrderRecord_shop_addressDigest_idx" ON "OrderRecord"("shop", "addressDigest");

-- AddForeignKey
ALTER TABLE "Referral" ADD CONSTRAINT "Referral_referrerId_fkey" FOREIGN KEY ("referrerId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

