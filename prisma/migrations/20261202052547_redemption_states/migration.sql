-- AlterTable
ALTER TABLE "Redemption" ADD COLUMN "cancelledAt" DATETIME;
ALTER TABLE "Redemption" ADD COLUMN "cancelledBy" TEXT;
ALTER TABLE "Redemption" ADD COLUMN "reissueOfId" TEXT;
ALTER TABLE "Redemption" ADD COLUMN "verifiedAt" DATETIME;

