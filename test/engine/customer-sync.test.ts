// Customer sync (issue #12): members' balance, tier and expiry date in app-owned customer
// metafields and a tier tag, written by the worker to the sandbox's Admin API (the real schema),
// compare-and-set, in batches of metafieldsSet's limit.
import { parse } from "toml";
import fs from "node:fs";
import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { CUSTOMER_METAFIELDS, MEMBERS_PER_CALL } from "../../app/domain/customer-sync";
import { saveTiers } from "../../app/admin/tiers.server";
import { syncCustomers } from "../../app/loyalty/customer-sync.server";
import { adminSandbox } from "../support/admin-sandbox";
import { deliver, memberOf, resetShop } from "../support/engine";
import { orderPayload, refundPayload } from "../support/payloads";
import { storeOfflineSession, TEST_SHOP } from "../support/shopify";
import { offlineAdmin } from "../support/worker";

const sandbox = adminSandbox();
const sync = () => syncCustomers(prisma, offlineAdmin);

const gid = (id: number | string) => `gid://shopify/Customer/${id}`;
function metafieldsOf(id: number | string) {
  return Object.fromEntries(
    [...sandbox.api.state.metafields.values()]
      .filter((m) => m.ownerId === gid(id))
      .map((m) => [m.key, { type: m.type, value: m.value }]),
  );
}
const tagsOf = (id: number | string) => sandbox.api.state.customers.get(gid(id))?.tags ?? [];

async function paid(customerId: number, subtotal: string) {
  if (!sandbox.api.state.customers.has(gid(customerId)))
    sandbox.api.addCustomer({ id: gid(customerId) });
  const order = orderPayload({ customerId, subtotal });
  expect(await deliver({ topic: "orders/paid", payload: order })).toBe(200);
  return order;
}

beforeEach(async () => {
  await resetShop();
  await storeOfflineSession(TEST_SHOP);
});

describe("customer metafield definitions", () => {
  it("are declared in shopify.app.toml as the app writes them", () => {
    const config = parse(fs.readFileSync("shopify.app.toml", "utf8")) as {
      customer: { metafields: { app: Record<string, { type: string; access: object }> } };
    };
    const declared = config.customer.metafields.app;
    expect(Object.fromEntries(Object.entries(declared).map(([k, d]) => [k, d.type]))).toEqual(
      CUSTOMER_METAFIELDS,
    );
    for (const definition of Object.values(declared)) {
      expect(definition.access).toEqual({ admin: "merchant_read", storefront: "public_read" });
    }
  });
});

describe("customer sync", () => {
  it("writes nothing while the shop has not switched it on", async () => {
    await paid(7101, "45.00");
    expect(await sync()).toEqual({ synced: 0, failed: 0, deferred: [] });
    expect(metafieldsOf(7101)).toEqual({});
  });

  it("writes every member's balance, tier and expiry date, and tags their tier", async () => {
    await prisma.program.create({
      data: {
        shop: TEST_SHOP,
        customerSync: true,
        tierTags: true,
        expiryMonths: 12,
        timeZone: "UTC",
      },
    });
    await prisma.tier.create({ data: { shop: TEST_SHOP, name: "Gold Club", threshold: 50 } });
    const customers = Array.from({ length: MEMBERS_PER_CALL + 2 }, (_, i) => 7200 + i);
    for (const id of customers) await paid(id, id % 2 ? "60.00" : "20.00");

    expect(await sync()).toEqual({ synced: customers.length, failed: 0, deferred: [] });
    const gold = await memberOf(7201);
    expect(metafieldsOf(7201)).toEqual({
      points_balance: { type: "number_integer", value: "60" },
      tier: { type: "single_line_text_field", value: "Gold Club" },
      points_expire_on: { type: "date", value: gold!.expiresAt!.toISOString().slice(0, 10) },
    });
    expect(tagsOf(7201)).toEqual(["loyalty-gold-club"]);
    expect(metafieldsOf(7200)).toMatchObject({ points_balance: { value: "20" } });
    expect(metafieldsOf(7200).tier).toBeUndefined();
    expect(tagsOf(7200)).toEqual([]);
    expect(await prisma.member.count({ where: { syncDirty: true } })).toBe(0);
    // Nothing changed: nothing to write.
    expect(await sync()).toEqual({ synced: 0, failed: 0, deferred: [] });
  });

  it("follows a change: a refund lowers the balance, the tier and its tag go", async () => {
    await prisma.program.create({ data: { shop: TEST_SHOP, customerSync: true, tierTags: true } });
    await prisma.tier.create({ data: { shop: TEST_SHOP, name: "Gold", threshold: 50 } });
    const order = await paid(7301, "60.00");
    await sync();
    expect(tagsOf(7301)).toEqual(["loyalty-gold"]);

    await deliver({ topic: "refunds/create", payload: refundPayload(order.id, "30.00") });
    expect((await memberOf(7301))?.syncDirty).toBe(true);
    await sync();
    expect(metafieldsOf(7301)).toEqual({ points_balance: { type: "number_integer", value: "30" } });
    expect(tagsOf(7301)).toEqual([]);
  });

  it("refuses to overwrite a value changed since the app wrote it, then writes the ledger's", async () => {
    await prisma.program.create({ data: { shop: TEST_SHOP, customerSync: true } });
    await paid(7401, "45.00");
    await sync();
    // Another writer (a second worker with an older read) changed it meanwhile.
    const stored = [...sandbox.api.state.metafields.values()].find(
      (m) => m.ownerId === gid(7401) && m.key === "points_balance",
    )!;
    stored.value = "999";
    stored.compareDigest = "someone-else";
    await paid(7401, "10.00");

    const writes: { compareDigest?: string }[][] = [];
    const original = sandbox.api.handle.bind(sandbox.api);
    sandbox.api.handle = async (request) => {
      const body = await request.clone().text();
      if (body.includes("LoyaltySyncCustomerMetafields")) {
        writes.push((JSON.parse(body) as { variables: { metafields: [] } }).variables.metafields);
      }
      return original(request);
    };
    await sync();
    // The first write carried the app's digest and was refused; the second wrote the ledger's.
    expect(writes).toHaveLength(2);
    expect(writes[0]?.every((m) => m.compareDigest)).toBe(true);
    expect(writes[1]?.some((m) => m.compareDigest)).toBe(false);
    expect(metafieldsOf(7401).points_balance?.value).toBe("55");
    expect(await prisma.member.count({ where: { syncDirty: true } })).toBe(0);
  });

  it("sets aside a customer deleted in Shopify and writes the rest of the batch", async () => {
    await prisma.program.create({ data: { shop: TEST_SHOP, customerSync: true } });
    await paid(7501, "45.00");
    await paid(7502, "10.00");
    sandbox.api.state.customers.delete(gid(7501));

    expect(await sync()).toEqual({ synced: 1, failed: 1, deferred: [] });
    expect(metafieldsOf(7502)).toMatchObject({ points_balance: { value: "10" } });
    expect(await memberOf(7501)).toMatchObject({
      syncDirty: false,
      syncError: "Owner does not exist.",
    });
  });

  it("writes a tier's new name, and a shop that refuses the app never stops another's sync", async () => {
    await prisma.program.create({ data: { shop: TEST_SHOP, customerSync: true, tierTags: true } });
    const gold = await prisma.tier.create({
      data: { shop: TEST_SHOP, name: "Gold", threshold: 10 },
    });
    await paid(7701, "45.00");
    await sync();
    // Renamed through the Tiers page's save, which marks the tier's members.
    const saved = await saveTiers(
      TEST_SHOP,
      {
        tierBasis: "POINTS_EARNED",
        tierPeriod: "LIFETIME",
        tiers: [
          {
            id: gold.id,
            name: "Gold Club",
            threshold: 10,
            multiplierPercent: 100,
            perks: "",
            position: 0,
          },
        ],
      },
      "staff@example.com",
    );
    expect(saved.ok).toBe(true);
    // Another shop, listed first, whose every call Shopify refuses (a frozen store).
    await prisma.program.create({ data: { shop: "aaa-frozen.myshopify.com", customerSync: true } });
    await prisma.member.create({
      data: { shop: "aaa-frozen.myshopify.com", customerId: "1", syncDirty: true },
    });
    const frozen = async (shop: string) =>
      shop === TEST_SHOP
        ? offlineAdmin(shop)
        : { graphql: async () => new Response("Unavailable Shop", { status: 402 }) };
    const result = await syncCustomers(prisma, frozen, 45_000, new Date(0));
    expect(result.deferred).toEqual(["aaa-frozen.myshopify.com"]);
    expect(metafieldsOf(7701).tier?.value).toBe("Gold Club");
    expect(tagsOf(7701)).toEqual(["loyalty-gold-club"]);
    await resetShop("aaa-frozen.myshopify.com");
  });

  it("leaves the marks for the next run when Shopify throttles", async () => {
    await prisma.program.create({ data: { shop: TEST_SHOP, customerSync: true } });
    await paid(7601, "45.00");
    sandbox.api.state.faults.push({ kind: "throttled", currentlyAvailable: 0, times: 10 });
    const result = await sync();
    expect(result.deferred).toEqual([TEST_SHOP]);
    expect((await memberOf(7601))?.syncDirty).toBe(true);
    sandbox.api.state.faults.length = 0;
    expect(await sync()).toMatchObject({ synced: 1 });
  });
});
