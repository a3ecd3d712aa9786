-- CreateEnum
CREATE TYPE "HoldReason" AS ENUM ('ABOVE_CEILING');

-- CreateEnum
CREATE TYPE "FailureReason" AS ENUM ('UNPARSEABLE', 'INVALID', 'EFFECT_FAILED');

-- CreateEnum
CREATE TYPE "FailureStatus" AS ENUM ('FAILING', 'DEAD', 'REPLAYED');

-- AlterEnum
ALTER TYPE "OrderStatus" ADD VALUE 'HELD';

-- AlterEnum
ALTER TYPE "SkipReason" ADD VALUE 'REJECTED';

-- AlterTable
ALTER TABLE "DataRequest" ADD COLUMN     "eventId" TEXT;

-- AlterTable
ALTER TABLE "FailedEvent" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "customerId" TEXT,
ADD COLUMN     "eventId" TEXT,
ADD COLUMN     "payloadBytes" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "reason" "FailureReason" NOT NULL DEFAULT 'INVALID',
ADD COLUMN     "replayedAt" TIMESTAMP(3),
ADD COLUMN     "replayedBy" TEXT,
ADD COLUMN     "status" "FailureStatus" NOT NULL DEFAULT 'DEAD',
ADD COLUMN     "truncated" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "OrderRecord" ADD COLUMN     "giftCardLineIds" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "holdReason" "HoldReason",
ADD COLUMN     "reviewedAt" TIMESTAMP(3),
ADD COLUMN     "reviewedBy" TEXT;

-- AlterTable
ALTER TABLE "Program" ADD COLUMN     "maxPointsPerOrder" INTEGER NOT NULL DEFAULT 100000;

-- AlterTable
ALTER TABLE "QueuedJob" ADD COLUMN     "shop" TEXT;

-- AlterTable
ALTER TABLE "Redemption" ADD COLUMN     "requestKey" TEXT;

-- AlterTable
ALTER TABLE "RefundRecord" ADD COLUMN     "lines" JSONB NOT NULL DEFAULT '[]';

-- CreateIndex
CREATE INDEX "DataRequest_shop_customerId_idx" ON "DataRequest"("shop", "customerId");

-- CreateIndex
CREATE UNIQUE INDEX "DataRequest_shop_eventId_key" ON "DataRequest"("shop", "eventId");

-- CreateIndex
CREATE INDEX "FailedEvent_shop_customerId_idx" ON "FailedEvent"("shop", "customerId");

-- CreateIndex
CREATE UNIQUE INDEX "FailedEvent_shop_webhookId_key" ON "FailedEvent"("shop", "webhookId");

-- CreateIndex
CREATE INDEX "OrderRecord_shop_status_idx" ON "OrderRecord"("shop", "status");

-- CreateIndex
CREATE INDEX "QueuedJob_shop_idx" ON "QueuedJob"("shop");

-- CreateIndex
CREATE UNIQUE INDEX "Redemption_shop_customerId_requestKey_key" ON "Redemption"("shop", "customerId", "requestKey");

