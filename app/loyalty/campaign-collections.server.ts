import type { PrismaClient } from "@prisma/client";
import type { Campaign } from "../domain/campaigns";
import { errorFields, log } from "../log.server";
import type { AdminGraphqlClient } from "../shopify/admin-api.server";
import { AdminApiError, adminQuery } from "../shopify/admin-api.server";
import { COLLECTION_PRODUCTS } from "../shopify/operations";
import type { LoyaltyCollectionProductsQuery } from "../types/admin.generated";
import { toCampaign } from "./campaigns.server";

/**
 * Campaigns on collections. An order's lines name their product, never its collections, so the
 * products of each campaign's collections are read from the Admin API ahead of the orders: when
 * the campaign is saved (the admin sends this job) and every 15 minutes while it has not ended,
 * so a product added to a collection during the campaign earns it from the next read on. An
 * order is never held up by, nor fails on, a call to Shopify.
 *
 * A read that fails keeps the products of the last good read and says why on the campaign page.
 * A campaign is written only when what was read changed: every write of a campaign makes each
 * process load the shop's settings again (Program.configVersion).
 */

/** A collection bigger than this is refused with a message rather than half read. */
const MAX_PRODUCTS_PER_COLLECTION = 10_000;

export interface CollectionReadResult {
  /** Campaigns whose collections were read, changed or not. */
  read: number;
  /** Of those, the ones whose products changed (or were read for the first time). */
  changed: number;
  failed: number;
}

export async function readCampaignCollections(
  prisma: PrismaClient,
  adminFor: (shop: string) => Promise<AdminGraphqlClient | null>,
  now: Date,
  /** Only campaigns whose collections were never read (or changed since): a save's request. */
  options: { unreadOnly?: boolean } = {},
): Promise<CollectionReadResult> {
  const result: CollectionReadResult = { read: 0, changed: 0, failed: 0 };
  const rows = await prisma.campaign.findMany({
    where: { endsAt: { gt: now }, ...(options.unreadOnly && { collectionsReadAt: null }) },
    orderBy: [{ shop: "asc" }, { startsAt: "asc" }],
  });
  const admins = new Map<string, AdminGraphqlClient | null>();
  for (const row of rows) {
    const campaign = toCampaign(row);
    if (!campaign.collections.length) continue;
    try {
      if (!admins.has(row.shop)) admins.set(row.shop, await adminFor(row.shop));
      const admin = admins.get(row.shop);
      if (!admin) throw new CollectionReadError("The app has no access to the shop; reinstall it");
      const productIds = await productsOf(admin, campaign);
      result.read += 1;
      const same = (a: readonly string[], b: readonly string[]) =>
        a.length === b.length && [...a].sort().join() === [...b].sort().join();
      if (row.collectionsReadAt && !row.collectionsError) {
        if (same(productIds, campaign.collectionProductIds)) continue;
      }
      // Unless the merchant saved the campaign meanwhile: that save sent a read of its own.
      const { count } = await prisma.campaign.updateMany({
        where: { id: row.id, updatedAt: row.updatedAt },
        data: { collectionProductIds: productIds, collectionsReadAt: now, collectionsError: null },
      });
      result.changed += count;
    } catch (error) {
      result.failed += 1;
      const message = failureMessage(error);
      log.warn("campaign collections not read", {
        shop: row.shop,
        campaignId: row.id,
        ...errorFields(error),
      });
      // The products of the last good read stay: a passing fault should not end the campaign.
      if (row.collectionsError === message) continue;
      await prisma.campaign.updateMany({
        where: { id: row.id, updatedAt: row.updatedAt },
        data: { collectionsError: message },
      });
    }
  }
  return result;
}

class CollectionReadError extends Error {}

async function productsOf(admin: AdminGraphqlClient, campaign: Campaign): Promise<string[]> {
  const products = new Set<string>();
  for (const collection of campaign.collections) {
    let after: string | null = null;
    let count = 0;
    for (;;) {
      const data: LoyaltyCollectionProductsQuery = await adminQuery(admin, COLLECTION_PRODUCTS, {
        id: collection.id,
        after,
      });
      if (!data.collection) {
        throw new CollectionReadError(
          `The collection “${collection.title}” no longer exists in Shopify; choose the campaign's collections again`,
        );
      }
      const page = data.collection.products;
      for (const node of page.nodes) products.add(node.id);
      count += page.nodes.length;
      if (count > MAX_PRODUCTS_PER_COLLECTION) {
        throw new CollectionReadError(
          `The collection “${collection.title}” has more than ${MAX_PRODUCTS_PER_COLLECTION.toLocaleString("en")} products; choose a smaller one`,
        );
      }
      if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) break;
      after = page.pageInfo.endCursor;
    }
  }
  return [...products];
}

function failureMessage(error: unknown): string {
  if (error instanceof CollectionReadError) return error.message;
  if (error instanceof AdminApiError && error.kind !== "permanent") {
    return "Shopify did not answer; the app tries again every 15 minutes";
  }
  if (error instanceof AdminApiError && /access|scope/i.test(error.message)) {
    return "The app may not read products yet; accept its updated access in Shopify admin";
  }
  return "Shopify refused to list the collection's products; the app tries again every 15 minutes";
}
