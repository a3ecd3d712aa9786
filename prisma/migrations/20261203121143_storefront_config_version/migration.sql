-- A version per shop of what the storefront caches: the program, its tiers and its rewards
-- (issue #15: three reads of them were a third of each widget load, app/loyalty/shop-config.server.ts).
-- Triggers bump it on every change of any of the three, by whatever path, so a copy cached in
-- any process is known to be current by reading this one integer.

-- AlterTable (ADD COLUMN rather than Prisma's rebuild of the table)
ALTER TABLE "Program" ADD COLUMN "configVersion" INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER "Program_config_version" AFTER UPDATE ON "Program"
WHEN new."configVersion" = old."configVersion" BEGIN
  UPDATE "Program" SET "configVersion" = old."configVersion" + 1 WHERE "shop" = new."shop";
END;

CREATE TRIGGER "Tier_config_insert" AFTER INSERT ON "Tier" BEGIN
  UPDATE "Program" SET "configVersion" = "configVersion" + 1 WHERE "shop" = new."shop";
END;

CREATE TRIGGER "Tier_config_update" AFTER UPDATE ON "Tier" BEGIN
  UPDATE "Program" SET "configVersion" = "configVersion" + 1 WHERE "shop" IN (old."shop", new."shop");
END;

CREATE TRIGGER "Tier_config_delete" AFTER DELETE ON "Tier" BEGIN
  UPDATE "Program" SET "configVersion" = "configVersion" + 1 WHERE "shop" = old."shop";
END;

CREATE TRIGGER "Reward_config_insert" AFTER INSERT ON "Reward" BEGIN
  UPDATE "Program" SET "configVersion" = "configVersion" + 1 WHERE "shop" = new."shop";
END;

CREATE TRIGGER "Reward_config_update" AFTER UPDATE ON "Reward" BEGIN
  UPDATE "Program" SET "configVersion" = "configVersion" + 1 WHERE "shop" IN (old."shop", new."shop");
END;

CREATE TRIGGER "Reward_config_delete" AFTER DELETE ON "Reward" BEGIN
  UPDATE "Program" SET "configVersion" = "configVersion" + 1 WHERE "shop" = old."shop";
END;
