-- Campaigns on some products or collections (issue #12): what the merchant picked, and the
-- products of the collections as the worker last read them (app/loyalty/campaign-collections.server.ts).

-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "collectionProductIds" JSONB,
ADD COLUMN     "collections" JSONB,
ADD COLUMN     "collectionsError" TEXT,
ADD COLUMN     "collectionsReadAt" TIMESTAMP(3),
ADD COLUMN     "products" JSONB;
