-- AlterTable
ALTER TABLE "LedgerEntry" ADD COLUMN "text" JSONB;

-- AlterTable
ALTER TABLE "Program" ADD COLUMN "pointsNames" JSONB;

