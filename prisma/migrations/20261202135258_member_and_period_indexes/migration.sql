-- CreateIndex
CREATE INDEX "LedgerEntry_shop_occurredAt_idx" ON "LedgerEntry"("shop", "occurredAt");

-- CreateIndex
CREATE INDEX "Member_shop_tierId_balance_idx" ON "Member"("shop", "tierId", "balance");

