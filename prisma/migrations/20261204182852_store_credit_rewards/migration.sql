-- Store credit rewards (issue #13): the reward type, and the Shopify transactions a redemption
-- claimed (unique, so one credit or debit can never be counted for two redemptions).

-- AlterTable
ALTER TABLE "Redemption" ADD COLUMN "creditTransactionId" TEXT;
ALTER TABLE "Redemption" ADD COLUMN "debitTransactionId" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Redemption_creditTransactionId_key" ON "Redemption"("creditTransactionId");

-- CreateIndex
CREATE UNIQUE INDEX "Redemption_debitTransactionId_key" ON "Redemption"("debitTransactionId");

