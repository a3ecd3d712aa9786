// The sandbox's Shopify stand-ins checked against what Shopify's own library accepts and against
// the app's payload schemas, without a browser (test/e2e drives the whole thing in Chromium).
import { ApiVersion, shopifyApi } from "@shopify/shopify-api";
import "@shopify/shopify-api/adapters/node";
import { getHmac } from "@shopify/shopify-api/test-helpers";
import { afterEach, describe, expect, it } from "vitest";
import { orderPayload, refundPayload, toPaidOrder, toRefund } from "../app/loyalty/payloads";
import { forwardAppProxy, proxySignature } from "./app-proxy";
import { replaceInStream } from "./app-server";
import { readAppConfig } from "./config";
import { listen, type RunningServer } from "./http";
import { Shop, adminCatalog } from "./shop";
import { createAdminApi } from "./shopify";
import { FlowRunner } from "./flow";
import { WebhookSender } from "./webhooks";

const SECRET = "sandbox-test-secret";
const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function recorder() {
  const received: Array<{ url: string; headers: Headers; body: string }> = [];
  const server = await listen(0, async (request) => {
    received.push({ url: request.url, headers: request.headers, body: await request.text() });
    return new Response(null, { status: 200 });
  });
  servers.push(server);
  return { server, received };
}

const library = () =>
  shopifyApi({
    apiKey: "key",
    apiSecretKey: SECRET,
    apiVersion: ApiVersion.October26,
    hostName: "localhost",
    isEmbeddedApp: true,
    logger: { level: 0 },
  });

describe("shopify.app.toml", () => {
  it("yields the subscriptions and app proxy the sandbox delivers to", () => {
    const config = readAppConfig();
    const uri = (topic: string) => config.subscriptions.find((s) => s.topics.includes(topic))?.uri;
    expect(uri("orders/paid")).toBe("/webhooks/orders/paid");
    expect(uri("refunds/create")).toBe("/webhooks/refunds/create");
    expect(uri("customers/redact")).toBe("/webhooks/compliance");
    expect(config.appProxy).toEqual({ path: "/proxy", prefix: "apps", subpath: "loyalty" });
    expect(config.scopes).toContain("write_discounts");
  });
});

describe("webhook sender", () => {
  it("signs like Shopify and delivers to the subscribed URI with every header", async () => {
    const { server, received } = await recorder();
    const sender = new WebhookSender({
      appUrl: server.internalUrl,
      shop: "demo-shop.myshopify.com",
      secret: SECRET,
      apiVersion: "2026-10",
      subscriptions: readAppConfig().subscriptions,
    });
    const [delivery] = await sender.send("orders/paid", { id: 1 });
    expect(delivery?.state).toBe("delivered");
    const got = received[0]!;
    expect(new URL(got.url).pathname).toBe("/webhooks/orders/paid");
    expect(got.headers.get("x-shopify-hmac-sha256")).toBe(getHmac(got.body, SECRET));
    expect(got.headers.get("x-shopify-topic")).toBe("orders/paid");
    expect(got.headers.get("x-shopify-shop-domain")).toBe("demo-shop.myshopify.com");
    expect(got.headers.get("x-shopify-api-version")).toBe("2026-10");
    expect(got.headers.get("x-shopify-webhook-id")).toBe(delivery!.id);
    expect(got.headers.get("x-shopify-event-id")).toBe(delivery!.eventId);
    expect(got.headers.get("x-shopify-triggered-at")).toBeTruthy();
    // Topics the app does not subscribe to are never sent.
    expect(await sender.send("products/update", {})).toEqual([]);
  });

  it("duplicates as a retry or a second delivery, and holds deliveries for reordering", async () => {
    const { server, received } = await recorder();
    const sender = new WebhookSender({
      appUrl: server.internalUrl,
      shop: "demo-shop.myshopify.com",
      secret: SECRET,
      apiVersion: "2026-10",
      subscriptions: readAppConfig().subscriptions,
    });
    const retry = await sender.send("orders/paid", { id: 1 }, { duplicate: "retry" });
    expect(retry.map((d) => d.id)).toEqual([retry[0]!.id, retry[0]!.id]);
    const again = await sender.send("orders/paid", { id: 2 }, { duplicate: "redeliver" });
    expect(again[0]!.id).not.toBe(again[1]!.id);
    expect(again[0]!.eventId).toBe(again[1]!.eventId);

    received.length = 0;
    await sender.send("orders/paid", { id: 3 }, { hold: true });
    await sender.send("refunds/create", { id: 4, order_id: 3 }, { hold: true });
    expect(received).toEqual([]);
    await sender.release("reverse");
    expect(received.map((r) => r.headers.get("x-shopify-topic"))).toEqual([
      "refunds/create",
      "orders/paid",
    ]);
  });
});

describe("Shopify Flow", () => {
  it("runs an action as Flow does: its runtime path, a body the library validates, a run log", async () => {
    const validated: boolean[] = [];
    const bodies: unknown[] = [];
    const server = await listen(0, async (request) => {
      const rawBody = await request.text();
      // The node adapter reads an IncomingMessage's plain headers object.
      const rawRequest = {
        method: request.method,
        url: request.url,
        headers: Object.fromEntries(request.headers),
      };
      const result = await library().flow.validate({ rawBody, rawRequest });
      validated.push(result.valid);
      bodies.push({ path: new URL(request.url).pathname, ...JSON.parse(rawBody) });
      return Response.json({ message: "Award between 1 and 10 points" }, { status: 422 });
    });
    servers.push(server);
    const flow = new FlowRunner({ appUrl: server.internalUrl, secret: SECRET });
    const properties = { customer_id: "42", points: 50, reason: "Product review" };

    const run = await flow.run({
      shop: "demo-shop.myshopify.com",
      handle: "award-loyalty-points",
      properties,
      runId: "run-1",
    });

    expect(validated).toEqual([true]);
    expect(bodies[0]).toMatchObject({
      path: "/flow/award-points",
      shopify_domain: "demo-shop.myshopify.com",
      action_run_id: "run-1",
      handle: "award-loyalty-points",
      properties,
    });
    expect(run).toMatchObject({
      status: 422,
      response: '{"message":"Award between 1 and 10 points"}',
    });
    expect(flow.runs).toEqual([run]);
    await expect(
      flow.run({ shop: "demo-shop.myshopify.com", handle: "no-such-action", properties }),
    ).rejects.toThrow('The app has no Flow action "no-such-action"');
  });
});

describe("app proxy forwarding", () => {
  it("adds shop, customer, prefix and timestamp, and signs so the library accepts it", async () => {
    const { server, received } = await recorder();
    const request = new Request(
      // A shopper trying to pass as customer 666 is overruled by who is actually signed in.
      "http://localhost/apps/loyalty/member?x=1&logged_in_customer_id=666&signature=forged",
    );
    await forwardAppProxy(request, "/member", "42", {
      appUrl: server.internalUrl,
      proxyPath: "/proxy",
      pathPrefix: "/apps/loyalty",
      shop: "demo-shop.myshopify.com",
      secret: SECRET,
    });
    const url = new URL(received[0]!.url);
    expect(url.pathname).toBe("/proxy/member");
    expect(url.searchParams.getAll("logged_in_customer_id")).toEqual(["42"]);
    expect(url.searchParams.get("path_prefix")).toBe("/apps/loyalty");
    expect(url.searchParams.get("shop")).toBe("demo-shop.myshopify.com");
    expect(url.searchParams.get("x")).toBe("1");
    expect(
      await library().utils.validateHmac(Object.fromEntries(url.searchParams), {
        signator: "appProxy",
      }),
    ).toBe(true);
    expect(received[0]!.headers.get("cookie")).toBeNull();
  });

  it("joins repeated keys with commas before signing, as Shopify does", () => {
    const params = new URLSearchParams("b=2&a=1&a=3&shop=s");
    expect(proxySignature(params, SECRET)).toBe(
      proxySignature(new URLSearchParams("shop=s&a=1&a=3&b=2"), SECRET),
    );
  });
});

describe("App Bridge URL replacement", () => {
  it("replaces matches split across chunks", async () => {
    const from = "https://cdn.shopify.com/shopifycloud/app-bridge.js";
    const text = `<script src="${from}"></script><p>${from}</p>`;
    const encoder = new TextEncoder();
    const chunks = [text.slice(0, 30), text.slice(30, 47), text.slice(47)];
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
        controller.close();
      },
    });
    const out = await new Response(replaceInStream(stream, from, "/stand-in.js")).text();
    expect(out).toBe('<script src="/stand-in.js"></script><p>/stand-in.js</p>');
  });
});

describe("order payloads", () => {
  it("are REST-shaped orders the app's schemas accept, with discounts and partial refunds", async () => {
    const { server } = await recorder();
    const api = createAdminApi({
      shop: "demo-shop.myshopify.com",
      apiKey: "key",
      apiSecretKey: SECRET,
    });
    const webhooks = new WebhookSender({
      appUrl: server.internalUrl,
      shop: api.shopDomain,
      secret: SECRET,
      apiVersion: "2026-10",
      subscriptions: readAppConfig().subscriptions,
    });
    const shop = new Shop(api, webhooks);
    const { customer } = await shop.createCustomer({ firstName: "Ada", email: "ada@example.com" });
    api.state.discounts.clear();
    const created = await api.graphql<{ discountCodeBasicCreate: { userErrors: unknown[] } }>(
      `mutation($d: DiscountCodeBasicInput!) { discountCodeBasicCreate(basicCodeDiscount: $d) { userErrors { message } } }`,
      {
        variables: {
          d: {
            title: "Reward",
            code: "LOYAL-TEST",
            startsAt: "2020-01-01T00:00:00Z",
            context: { customers: { add: [customer.id] } },
            customerGets: {
              value: { discountAmount: { amount: "10.00", appliesOnEachItem: false } },
              items: { all: true },
            },
            usageLimit: 1,
            appliesOncePerCustomer: true,
          },
        },
      },
    );
    expect(created.body.data?.discountCodeBasicCreate.userErrors).toEqual([]);

    const mug = 4_400_000_000_000 + 30; // Trail Mug, $18.00
    const tote = 4_400_000_000_000 + 10; // Canvas Tote, $28.00
    const { order } = await shop.placeOrder({
      customerId: customer.id.split("/").pop()!,
      lines: [
        { variantId: mug, quantity: 2 },
        { variantId: tote, quantity: 1 },
      ],
      code: "loyal-test",
    });
    const paid = toPaidOrder(orderPayload.parse(shop.orderPayload(order)), new Date());
    expect(paid).toMatchObject({
      basisMinor: 5400,
      totalMinor: 5900,
      discountCodes: ["LOYAL-TEST"],
    });
    expect(api.findDiscountByCode("LOYAL-TEST")?.asyncUsageCount).toBe(1);
    // The code is single-use: checkout refuses it now.
    expect(shop.checkCode("LOYAL-TEST", customer.id.split("/").pop()!, "20.00")).toEqual({
      ok: false,
      reason: "USAGE_LIMIT_REACHED",
    });

    // One mug back: $18 less its share of the $10 discount ($36 of $64 → $5.62 for two → $2.81).
    const { refund } = await shop.refund(order.id, {
      lines: [{ lineItemId: order.lines[0]!.id, quantity: 1 }],
    });
    const parsed = toRefund(refundPayload.parse(shop.refundPayload(order, refund)), new Date());
    expect(parsed).toMatchObject({
      orderId: String(order.id),
      lines: [{ lineId: String(order.lines[0]!.id), quantity: 1, subtotalMinor: 1800 - 281 }],
    });
    const after = shop.orderPayload(order);
    expect(after).toMatchObject({
      financial_status: "partially_refunded",
      current_subtotal_price: "38.81",
    });
    // Re-rendered after the refund, the body lists it and still earns on what was paid for: the
    // refund is taken back once, by id.
    const repaid = toPaidOrder(orderPayload.parse(after), new Date());
    expect(repaid.basisMinor).toBe(5400);
    expect(repaid.listedRefunds.map((r) => r.refundId)).toEqual([String(refund.id)]);
  });

  it("allocate a free-product code to its variant's line only, one unit's price", async () => {
    const api = createAdminApi({ shop: "demo-shop.myshopify.com", ...adminCatalog() });
    const webhooks = new WebhookSender({
      appUrl: "http://127.0.0.1:9",
      shop: api.shopDomain,
      secret: SECRET,
      apiVersion: "2026-10",
      subscriptions: readAppConfig().subscriptions,
    });
    webhooks.holdAll = true;
    const shop = new Shop(api, webhooks);
    const { customer } = await shop.createCustomer({ email: "ada@example.com" });
    const brown = 4_400_000_000_000 + 60; // Leather Wallet - Brown, $45.99
    const black = 4_400_000_000_000 + 61; // Leather Wallet - Black, $52.00
    const tote = 4_400_000_000_000 + 10; // Canvas Tote, $28.00
    const create = (code: string, amount: string, appliesOnEachItem: boolean, variants = [brown]) =>
      api.graphql<{ discountCodeBasicCreate: { userErrors: unknown[] } }>(
        `mutation($d: DiscountCodeBasicInput!) { discountCodeBasicCreate(basicCodeDiscount: $d) { userErrors { message } } }`,
        {
          variables: {
            d: {
              title: "Free Leather Wallet - Brown",
              code,
              startsAt: "2020-01-01T00:00:00Z",
              context: { customers: { add: [customer.id] } },
              customerGets: {
                value: { discountAmount: { amount, appliesOnEachItem } },
                items: {
                  products: {
                    productVariantsToAdd: variants.map((v) => `gid://shopify/ProductVariant/${v}`),
                  },
                },
              },
              minimumRequirement: { quantity: { greaterThanOrEqualToQuantity: "1" } },
              usageLimit: 1,
              appliesOncePerCustomer: true,
            },
          },
        },
      );
    expect((await create("FREE-WALLET", "45.99", false)).body.data).toEqual({
      discountCodeBasicCreate: { userErrors: [] },
    });
    const customerId = customer.id.split("/").pop()!;
    // The other colour alone does not take the code, and nothing is recorded.
    await expect(
      shop.placeOrder({
        customerId,
        lines: [{ variantId: black, quantity: 1 }],
        code: "FREE-WALLET",
      }),
    ).rejects.toThrow("FREE-WALLET discount code isn’t valid for the items in your cart");
    expect(api.findDiscountByCode("FREE-WALLET")?.asyncUsageCount).toBe(0);

    const { order } = await shop.placeOrder({
      customerId,
      lines: [
        { variantId: tote, quantity: 1 },
        { variantId: brown, quantity: 2 },
        { variantId: black, quantity: 1 },
      ],
      code: "FREE-WALLET",
    });
    const payload = shop.orderPayload(order);
    expect(payload).toMatchObject({
      total_line_items_price: "171.98",
      total_discounts: "45.99",
      subtotal_price: "125.99",
      discount_codes: [{ code: "FREE-WALLET", amount: "45.99", type: "fixed_amount" }],
      discount_applications: [
        {
          type: "discount_code",
          target_type: "line_item",
          value: "45.99",
          value_type: "fixed_amount",
          allocation_method: "across",
          target_selection: "entitled",
        },
      ],
    });
    expect(
      payload.line_items.map((l) => [l.name, l.discount_allocations.map((a) => a.amount)]),
    ).toEqual([
      ["Canvas Tote", []],
      ["Leather Wallet - Brown", ["45.99"]],
      ["Leather Wallet - Black", []],
    ]);
    expect(toPaidOrder(orderPayload.parse(payload), new Date())).toMatchObject({
      basisMinor: 12599,
      discountCodes: ["FREE-WALLET"],
    });

    // An amount off each item is allocated per line ("each"), each unit's worth, not in proportion.
    expect((await create("FIVE-EACH", "5.00", true, [brown, tote])).body.data).toEqual({
      discountCodeBasicCreate: { userErrors: [] },
    });
    const each = await shop.placeOrder({
      customerId,
      lines: [
        { variantId: brown, quantity: 3 },
        { variantId: tote, quantity: 1 },
      ],
      code: "FIVE-EACH",
    });
    const eachPayload = shop.orderPayload(each.order);
    expect(eachPayload.discount_applications[0]).toMatchObject({
      allocation_method: "each",
      target_selection: "entitled",
      value: "5.0",
    });
    expect(eachPayload.line_items.map((l) => l.discount_allocations.map((a) => a.amount))).toEqual([
      ["15.00"],
      ["5.00"],
    ]);
  });
});
