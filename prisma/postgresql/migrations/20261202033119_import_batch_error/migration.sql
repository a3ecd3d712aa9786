-- AlterTable
ALTER TABLE "ImportBatch" ADD COLUMN     "error" TEXT;

