-- Automatic tier perks (issue #13): each tier's percentage off and free shipping, given at
-- checkout by the tier-perks discount function, and the automatic discount that carries them.

-- AlterTable
ALTER TABLE "Program" ADD COLUMN     "tierPerksConfig" TEXT,
ADD COLUMN     "tierPerksDiscountId" TEXT,
ADD COLUMN     "tierPerksError" TEXT;

-- AlterTable
ALTER TABLE "Tier" ADD COLUMN     "perkFreeShipping" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "perkPercent" INTEGER;

