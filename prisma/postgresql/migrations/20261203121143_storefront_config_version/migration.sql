-- A version per shop of what the storefront caches: the program, its tiers and its rewards
-- (issue #15: three reads of them were a third of each widget load, app/loyalty/shop-config.server.ts).
-- Triggers bump it on every change of any of the three, by whatever path, so a copy cached in
-- any process is known to be current by reading this one integer.

-- AlterTable
ALTER TABLE "Program" ADD COLUMN     "configVersion" INTEGER NOT NULL DEFAULT 0;

-- (The bodies are E'' strings whose statements end in \073: see the dashboard_rollups migration.)
CREATE FUNCTION "Program_config_version"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  NEW."configVersion" := OLD."configVersion" + 1\073
  RETURN NEW\073
END';

CREATE TRIGGER "Program_config_version" BEFORE UPDATE ON "Program"
FOR EACH ROW WHEN (NEW."configVersion" = OLD."configVersion")
EXECUTE FUNCTION "Program_config_version"();

CREATE FUNCTION "Shop_config_changed"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF TG_OP IN (''UPDATE'', ''DELETE'') THEN
    UPDATE "Program" SET "configVersion" = "configVersion" + 1 WHERE "shop" = OLD."shop"\073
  END IF\073
  IF TG_OP = ''INSERT'' OR (TG_OP = ''UPDATE'' AND NEW."shop" <> OLD."shop") THEN
    UPDATE "Program" SET "configVersion" = "configVersion" + 1 WHERE "shop" = NEW."shop"\073
  END IF\073
  RETURN NULL\073
END';

CREATE TRIGGER "Tier_config_version" AFTER INSERT OR UPDATE OR DELETE ON "Tier"
FOR EACH ROW EXECUTE FUNCTION "Shop_config_changed"();

CREATE TRIGGER "Reward_config_version" AFTER INSERT OR UPDATE OR DELETE ON "Reward"
FOR EACH ROW EXECUTE FUNCTION "Shop_config_changed"();
