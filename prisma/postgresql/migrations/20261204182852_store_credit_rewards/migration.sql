-- Store credit rewards (issue #13): the reward type, and the Shopify transactions a redemption
-- claimed (unique, so one credit or debit can never be counted for two redemptions).

-- AlterEnum
ALTER TYPE "RewardType" ADD VALUE 'STORE_CREDIT';

-- AlterTable
ALTER TABLE "Redemption" ADD COLUMN     "creditTransactionId" TEXT,
ADD COLUMN     "debitTransactionId" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Redemption_creditTransactionId_key" ON "Redemption"("creditTransactionId");

-- CreateIndex
CREATE UNIQUE INDEX "Redemption_debitTransactionId_key" ON "Redemption"("debitTransactionId");

