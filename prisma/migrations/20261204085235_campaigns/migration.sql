-- Campaigns: time-boxed multipliers and fixed bonuses (issue #12, docs/engagement.md). The widget
-- shows the active ones from the storefront's cached copy of the shop's settings, so a campaign
-- change bumps Program.configVersion like a tier or reward change does.

-- CreateTable
CREATE TABLE "Campaign" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "multiplierPercent" INTEGER,
    "bonusPoints" INTEGER,
    "minimumSpend" TEXT,
    "tierIds" JSONB NOT NULL,
    "startsAt" DATETIME NOT NULL,
    "endsAt" DATETIME NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "Campaign_shop_endsAt_idx" ON "Campaign"("shop", "endsAt");


CREATE TRIGGER "Campaign_config_insert" AFTER INSERT ON "Campaign" BEGIN
  UPDATE "Program" SET "configVersion" = "configVersion" + 1 WHERE "shop" = new."shop";
END;

CREATE TRIGGER "Campaign_config_update" AFTER UPDATE ON "Campaign" BEGIN
  UPDATE "Program" SET "configVersion" = "configVersion" + 1 WHERE "shop" IN (old."shop", new."shop");
END;

CREATE TRIGGER "Campaign_config_delete" AFTER DELETE ON "Campaign" BEGIN
  UPDATE "Program" SET "configVersion" = "configVersion" + 1 WHERE "shop" = old."shop";
END;
