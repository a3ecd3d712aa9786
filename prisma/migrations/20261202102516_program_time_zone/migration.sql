-- AlterTable
ALTER TABLE "Program" ADD COLUMN "timeZone" TEXT;

