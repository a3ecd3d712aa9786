-- AlterTable
ALTER TABLE "WebhookDelivery" ADD COLUMN "claimedUntil" DATETIME;
ALTER TABLE "WebhookDelivery" ADD COLUMN "eventId" TEXT;
ALTER TABLE "WebhookDelivery" ADD COLUMN "payload" TEXT;
ALTER TABLE "WebhookDelivery" ADD COLUMN "payloadBytes" INTEGER;
ALTER TABLE "WebhookDelivery" ADD COLUMN "runAfter" DATETIME;

-- CreateIndex
CREATE INDEX "WebhookDelivery_status_runAfter_idx" ON "WebhookDelivery"("status", "runAfter");

