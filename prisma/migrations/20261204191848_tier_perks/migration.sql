-- Automatic tier perks (issue #13): each tier's percentage off and free shipping, given at
-- checkout by the tier-perks discount function, and the automatic discount that carries them.
-- Columns added in place (no table rebuild): the Tier table's triggers that bump
-- Program.configVersion must survive.

-- AlterTable
ALTER TABLE "Program" ADD COLUMN "tierPerksConfig" TEXT;
ALTER TABLE "Program" ADD COLUMN "tierPerksDiscountId" TEXT;
ALTER TABLE "Program" ADD COLUMN "tierPerksError" TEXT;

-- AlterTable
ALTER TABLE "Tier" ADD COLUMN "perkPercent" INTEGER;
ALTER TABLE "Tier" ADD COLUMN "perkFreeShipping" BOOLEAN NOT NULL DEFAULT false;
