-- Campaigns: time-boxed multipliers and fixed bonuses (issue #12, docs/engagement.md). The widget
-- shows the active ones from the storefront's cached copy of the shop's settings, so a campaign
-- change bumps Program.configVersion like a tier or reward change does.

-- CreateEnum
CREATE TYPE "CampaignKind" AS ENUM ('MULTIPLIER', 'BONUS');

-- CreateTable
CREATE TABLE "Campaign" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "CampaignKind" NOT NULL,
    "multiplierPercent" INTEGER,
    "bonusPoints" INTEGER,
    "minimumSpend" TEXT,
    "tierIds" JSONB NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Campaign_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Campaign_shop_endsAt_idx" ON "Campaign"("shop", "endsAt");


-- "Shop_config_changed" is the storefront_config_version migration's function.
CREATE TRIGGER "Campaign_config_version" AFTER INSERT OR UPDATE OR DELETE ON "Campaign"
FOR EACH ROW EXECUTE FUNCTION "Shop_config_changed"();
