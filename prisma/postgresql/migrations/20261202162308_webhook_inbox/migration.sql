-- AlterEnum
ALTER TYPE "DeliveryStatus" ADD VALUE 'QUEUED';

-- AlterTable
ALTER TABLE "WebhookDelivery" ADD COLUMN     "claimedUntil" TIMESTAMP(3),
ADD COLUMN     "eventId" TEXT,
ADD COLUMN     "payload" TEXT,
ADD COLUMN     "payloadBytes" INTEGER,
ADD COLUMN     "runAfter" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "WebhookDelivery_status_runAfter_idx" ON "WebhookDelivery"("status", "runAfter");

