// Campaigns on collections (issue #12): the worker reads each collection's products from the
// sandbox's Admin API (the real schema, read_products) so orders, which name only products, earn
// the campaign; a failed read keeps the last good one and says why.
import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { readCampaignCollections } from "../../app/loyalty/campaign-collections.server";
import { adminSandbox } from "../support/admin-sandbox";
import { deliver, memberOf, resetShop } from "../support/engine";
import { orderPayload } from "../support/payloads";
import { storeOfflineSession, TEST_SHOP } from "../support/shopify";
import { offlineAdmin } from "../support/worker";

const sandbox = adminSandbox();
const read = (now = new Date()) => readCampaignCollections(prisma, offlineAdmin, now);

const product = (n: number) => `gid://shopify/Product/${n}`;
const OUTDOOR = "gid://shopify/Collection/501";

function seedCatalog(productsInOutdoor: number) {
  const { state } = sandbox.api;
  for (let n = 1; n <= productsInOutdoor + 1; n++) {
    state.products.set(product(n), { id: product(n), title: `Product ${n}`, handle: `p${n}` });
  }
  state.collections.set(OUTDOOR, {
    id: OUTDOOR,
    title: "Outdoor",
    handle: "outdoor",
    productIds: Array.from({ length: productsInOutdoor }, (_, i) => product(i + 1)),
  });
}

function campaign(collections = [{ id: OUTDOOR, title: "Outdoor" }]) {
  const HOUR = 60 * 60 * 1000;
  return prisma.campaign.create({
    data: {
      shop: TEST_SHOP,
      name: "Outdoor week",
      kind: "MULTIPLIER",
      multiplierPercent: 200,
      tierIds: [],
      products: [],
      collections,
      startsAt: new Date(Date.now() - HOUR),
      endsAt: new Date(Date.now() + 24 * HOUR),
    },
  });
}

beforeEach(async () => {
  await resetShop();
  await storeOfflineSession(TEST_SHOP);
});

describe("campaign collections", () => {
  it("are read page by page, and an order of one of their products earns the campaign", async () => {
    // 251 products: two pages of the Admin API's 250.
    seedCatalog(251);
    const { id } = await campaign();

    expect(await read()).toEqual({ read: 1, failed: 0 });
    const row = await prisma.campaign.findUniqueOrThrow({ where: { id } });
    expect((row.collectionProductIds as string[]).length).toBe(251);
    expect(row.collectionsReadAt).not.toBeNull();
    expect(row.collectionsError).toBeNull();
    const calls = sandbox.api.state.calls.filter(
      (c) => c.operationName === "LoyaltyCollectionProducts",
    );
    expect(calls.map((c) => [c.status, c.variables["after"] ?? null])).toEqual([
      [200, null],
      [200, expect.any(String)],
    ]);

    // Product 251 is in the collection; product 252 is not.
    const order = orderPayload({
      customerId: 6101,
      lines: [
        { productId: 251, price: "10.00" },
        { productId: 252, price: "5.00" },
      ],
    });
    expect(await deliver({ topic: "orders/paid", payload: order })).toBe(200);
    expect((await memberOf(6101))?.balance).toBe(15 + 10);
  });

  it("are not read again within 10 minutes, and are read again after", async () => {
    seedCatalog(2);
    const { id } = await campaign();
    const now = new Date();
    await read(now);
    // The merchant adds a product to the collection in Shopify.
    sandbox.api.state.collections.get(OUTDOOR)!.productIds.push(product(3));
    expect(await read(new Date(+now + 5 * 60_000))).toEqual({ read: 0, failed: 0 });
    expect(await read(new Date(+now + 11 * 60_000))).toEqual({ read: 1, failed: 0 });
    const row = await prisma.campaign.findUniqueOrThrow({ where: { id } });
    expect(row.collectionProductIds).toEqual([product(1), product(2), product(3)]);
  });

  it("keep the last good read when Shopify fails, and say why", async () => {
    seedCatalog(2);
    const { id } = await campaign();
    const now = new Date();
    await read(now);
    sandbox.api.state.faults.push({
      kind: "http",
      status: 503,
      match: "LoyaltyCollectionProducts",
      times: 10,
    });
    expect(await read(new Date(+now + 11 * 60_000))).toEqual({ read: 0, failed: 1 });
    const row = await prisma.campaign.findUniqueOrThrow({ where: { id } });
    expect(row.collectionProductIds).toEqual([product(1), product(2)]);
    expect(row.collectionsError).toBe(
      "Shopify did not answer; the app tries again every 15 minutes",
    );
  });

  it("say so when a collection was deleted, and when the app may not read products", async () => {
    seedCatalog(1);
    const gone = await campaign([{ id: "gid://shopify/Collection/999", title: "Old sale" }]);
    expect(await read()).toEqual({ read: 0, failed: 1 });
    expect(
      (await prisma.campaign.findUniqueOrThrow({ where: { id: gone.id } })).collectionsError,
    ).toBe(
      "The collection “Old sale” no longer exists in Shopify; choose the campaign's collections again",
    );

    await resetShop();
    await storeOfflineSession(TEST_SHOP);
    // A shop that has not accepted the new read_products scope yet.
    for (const token of sandbox.api.state.accessTokens.values()) {
      token.scopes = token.scopes.filter((s) => s !== "read_products");
    }
    const { id } = await campaign();
    expect(await read()).toEqual({ read: 0, failed: 1 });
    expect((await prisma.campaign.findUniqueOrThrow({ where: { id } })).collectionsError).toBe(
      "The app may not read products yet; accept its updated access in Shopify admin",
    );
  });

  it("leave campaigns without collections, and ended ones, alone", async () => {
    seedCatalog(1);
    await campaign([]);
    const ended = await campaign();
    await prisma.campaign.update({
      where: { id: ended.id },
      data: { endsAt: new Date(Date.now() - 1000) },
    });
    expect(await read()).toEqual({ read: 0, failed: 0 });
    expect(sandbox.api.state.calls).toEqual([]);
  });
});
