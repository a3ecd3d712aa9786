-- The members list's sort indexes end with the id, which breaks ties in the sort's own direction
-- (issue #15: ORDER BY balance DESC, id ASC read and sorted a whole run of equal balances, 20,000
-- members at 1M, for every page and for every walk of a search word).

-- DropIndex
DROP INDEX "Member_shop_tierId_balance_idx";

-- DropIndex
DROP INDEX "Member_shop_joinedAt_idx";

-- DropIndex
DROP INDEX "Member_shop_balance_idx";

-- CreateIndex
CREATE INDEX "Member_shop_balance_id_idx" ON "Member"("shop", "balance", "id");

-- CreateIndex
CREATE INDEX "Member_shop_joinedAt_id_idx" ON "Member"("shop", "joinedAt", "id");

-- CreateIndex
CREATE INDEX "Member_shop_tierId_balance_id_idx" ON "Member"("shop", "tierId", "balance", "id");

