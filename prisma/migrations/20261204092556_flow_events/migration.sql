-- Loyalty events for Shopify Flow (issue #12): an outbox written with the change it reports,
-- sent by the worker (app/loyalty/flow-triggers.server.ts), and the program's switch for it.

-- CreateTable
CREATE TABLE "FlowEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "doneAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- AlterTable (ADD COLUMN rather than Prisma's rebuild of the table, which would drop the
-- Program triggers of storefront_config_version)
ALTER TABLE "Program" ADD COLUMN "flowTriggers" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Program" ADD COLUMN "expiryNoticeDays" INTEGER NOT NULL DEFAULT 14;

-- CreateIndex
CREATE INDEX "FlowEvent_doneAt_createdAt_idx" ON "FlowEvent"("doneAt", "createdAt");

-- CreateIndex
CREATE INDEX "FlowEvent_shop_customerId_idx" ON "FlowEvent"("shop", "customerId");

-- CreateIndex
CREATE UNIQUE INDEX "FlowEvent_shop_dedupeKey_key" ON "FlowEvent"("shop", "dedupeKey");

