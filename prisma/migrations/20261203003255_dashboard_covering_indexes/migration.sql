-- The dashboard's remaining table reads at 1M members (issue #15): a period's paid orders and
-- a past period's active members are read from these indexes alone, not row by row.
-- DropIndex
DROP INDEX "LedgerEntry_shop_kind_occurredAt_idx";

-- DropIndex
DROP INDEX "OrderRecord_shop_paidAt_idx";

-- CreateIndex
CREATE INDEX "LedgerEntry_shop_kind_occurredAt_memberId_idx" ON "LedgerEntry"("shop", "kind", "occurredAt", "memberId");

-- CreateIndex
CREATE INDEX "OrderRecord_shop_paidAt_customerId_totalMinor_idx" ON "OrderRecord"("shop", "paidAt", "customerId", "totalMinor");

