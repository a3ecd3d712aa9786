-- Campaigns on some products or collections (issue #12): what the merchant picked, and the
-- products of the collections as the worker last read them (app/loyalty/campaign-collections.server.ts).
-- Columns are added rather than the table rebuilt, so the campaigns a running app reads stay put.

-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN "products" JSONB;
ALTER TABLE "Campaign" ADD COLUMN "collections" JSONB;
ALTER TABLE "Campaign" ADD COLUMN "collectionProductIds" JSONB;
ALTER TABLE "Campaign" ADD COLUMN "collectionsReadAt" DATETIME;
ALTER TABLE "Campaign" ADD COLUMN "collectionsError" TEXT;
