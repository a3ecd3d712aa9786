-- Rewards off some collections (issue #13): the collections a reward's code is limited to, as the
-- merchant picked them (app/domain/rewards.ts, discountInput).

-- AlterTable
ALTER TABLE "Reward" ADD COLUMN     "collections" JSONB;

