-- AlterEnum
ALTER TYPE "RedemptionStatus" ADD VALUE 'CANCELLED';

-- AlterTable
ALTER TABLE "Redemption" ADD COLUMN     "cancelledAt" TIMESTAMP(3),
ADD COLUMN     "cancelledBy" TEXT,
ADD COLUMN     "reissueOfId" TEXT,
ADD COLUMN     "verifiedAt" TIMESTAMP(3);

