-- Referrals (issue #12): members' referral links, friends' welcome codes and the referrer's
-- reward (app/loyalty/referrals.server.ts).

-- AlterTable
ALTER TABLE "Member" ADD COLUMN "referralCode" TEXT;

-- AlterTable
ALTER TABLE "OrderRecord" ADD COLUMN "addressDigest" TEXT;

-- CreateTable
CREATE TABLE "Referral" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "referrerId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "email" TEXT,
    "code" TEXT NOT NULL,
    "codeStatus" TEXT NOT NULL DEFAULT 'PENDING',
    "discountId" TEXT,
    "codeError" TEXT,
    "rewardSnapshot" JSONB NOT NULL,
    "startsAt" DATETIME NOT NULL,
    "endsAt" DATETIME NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'OFFERED',
    "voidReason" TEXT,
    "orderId" TEXT,
    "orderName" TEXT,
    "points" INTEGER NOT NULL DEFAULT 0,
    "availableAt" DATETIME,
    "orderedAt" DATETIME,
    "rewardedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Referral_referrerId_fkey" FOREIGN KEY ("referrerId") REFERENCES "Member" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- AlterTable (ADD COLUMN rather than Prisma's rebuild of the table, which would drop Program's
-- storefront_config_version triggers)
ALTER TABLE "Program" ADD COLUMN "referrals" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Program" ADD COLUMN "referralPoints" INTEGER NOT NULL DEFAULT 500;
ALTER TABLE "Program" ADD COLUMN "referralRewardId" TEXT;
ALTER TABLE "Program" ADD COLUMN "referralPendingDays" INTEGER NOT NULL DEFAULT 14;
ALTER TABLE "Program" ADD COLUMN "referralsPerMonth" INTEGER NOT NULL DEFAULT 10;

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

