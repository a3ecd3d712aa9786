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
const read = (now = new Date(), options = {}) =>
  readCampaignCollections(prisma, offlineAdmin, now, options);

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

    expect(await read()).toEqual({ read: 1, changed: 1, failed: 0 });
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

  it("are written only when their products change, so the shop's settings stay cached", async () => {
    seedCatalog(2);
    const { id } = await campaign();
    await read();
    const first = await prisma.campaign.findUniqueOrThrow({ where: { id } });
    const version = async () =>
      (await prisma.program.findUnique({ where: { shop: TEST_SHOP } }))?.configVersion ?? null;
    const before = await version();
    expect(await read()).toEqual({ read: 1, changed: 0, failed: 0 });
    expect((await prisma.campaign.findUniqueOrThrow({ where: { id } })).updatedAt).toEqual(
      first.updatedAt,
    );
    expect(await version()).toBe(before);
    // The merchant adds a product to the collection in Shopify.
    sandbox.api.state.collections.get(OUTDOOR)!.productIds.push(product(3));
    expect(await read()).toEqual({ read: 1, changed: 1, failed: 0 });
    const row = await prisma.campaign.findUniqueOrThrow({ where: { id } });
    expect(row.collectionProductIds).toEqual([product(1), product(2), product(3)]);
  });

  it("read only the campaigns never read when a save asks", async () => {
    seedCatalog(2);
    await campaign();
    await read();
    const added = await campaign([{ id: OUTDOOR, title: "Outdoor" }]);
    expect(await read(new Date(), { unreadOnly: true })).toEqual({
      read: 1,
      changed: 1,
      failed: 0,
    });
    expect(
      (await prisma.campaign.findUniqueOrThrow({ where: { id: added.id } })).collectionProductIds,
    ).toEqual([product(1), product(2)]);
  });

  it("leave a campaign the merchant saved during the read to the read its save asked for", async () => {
    seedCatalog(2);
    const { id } = await campaign();
    sandbox.api.state.faults.push({ kind: "delay", ms: 300, match: "LoyaltyCollectionProducts" });
    const reading = read();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await prisma.campaign.update({
      where: { id },
      data: { collections: [{ id: "gid://shopify/Collection/777", title: "Other" }] },
    });
    expect(await reading).toEqual({ read: 1, changed: 0, failed: 0 });
    // Nothing written: the other collection's products are not these.
    const row = await prisma.campaign.findUniqueOrThrow({ where: { id } });
    expect(row.collectionsReadAt).toBeNull();
    expect(row.collectionProductIds ?? []).toEqual([]);
  });

  it("keep the last good read when Shopify fails, and say why", async () => {
    seedCatalog(2);
    const { id } = await campaign();
    await read();
    sandbox.api.state.faults.push({
      kind: "http",
      status: 503,
      match: "LoyaltyCollectionProducts",
      times: 10,
    });
    expect(await read()).toEqual({ read: 0, changed: 0, failed: 1 });
    const row = await prisma.campaign.findUniqueOrThrow({ where: { id } });
    expect(row.collectionProductIds).toEqual([product(1), product(2)]);
    expect(row.collectionsError).toBe(
      "Shopify did not answer; the app tries again every 15 minutes",
    );
  });

  it("say so when a collection was deleted, and when the app may not read products", async () => {
    seedCatalog(1);
    const gone = await campaign([{ id: "gid://shopify/Collection/999", title: "Old sale" }]);
    expect(await read()).toEqual({ read: 0, changed: 0, failed: 1 });
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
    expect(await read()).toEqual({ read: 0, changed: 0, failed: 1 });
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
    expect(await read()).toEqual({ read: 0, changed: 0, failed: 0 });
    expect(sandbox.api.state.calls).toEqual([]);
  });
});
