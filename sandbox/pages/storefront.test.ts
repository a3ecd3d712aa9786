// The storefront's checkout with store credit, driven through Storefront.handle without a browser
// (test/e2e drives the same pages in Chromium).
import { beforeEach, describe, expect, it } from "vitest";
import { orderPayload, toPaidOrder } from "../../app/loyalty/payloads";
import { STORE_CREDIT_GATEWAY, Shop } from "../shop";
import { createAdminApi, creditStoreCredit, type AdminApi } from "../shopify";
import { WebhookSender } from "../webhooks";
import { Storefront } from "./storefront";

const ORIGIN = "http://127.0.0.1:9";
const MUG = 4_400_000_000_000 + 30; // Trail Mug, $18.00
const TOTE = 4_400_000_000_000 + 10; // Canvas Tote, $28.00

let api: AdminApi;
let webhooks: WebhookSender;
let shop: Shop;
let storefront: Storefront;
let ada: string;

beforeEach(async () => {
  api = createAdminApi({ shop: "demo-shop.myshopify.com" });
  webhooks = new WebhookSender({
    appUrl: ORIGIN,
    shop: api.shopDomain,
    secret: "secret",
    apiVersion: "2026-10",
    subscriptions: [
      {
        topics: ["orders/paid"],
        uri: "/webhooks/orders/paid",
        includeFields: null,
        filter: null,
        compliance: false,
      },
    ],
  });
  // Held deliveries keep their bodies and never leave the process.
  webhooks.holdAll = true;
  shop = new Shop(api, webhooks);
  const { customer } = await shop.createCustomer({ firstName: "Ada", email: "ada@example.com" });
  ada = customer.id;
  storefront = new Storefront({
    shop,
    theme: { apps: false },
    adminUrl: `${ORIGIN}/admin`,
    proxy: {
      appUrl: ORIGIN,
      proxyPath: "/proxy",
      pathPrefix: "/apps/loyalty",
      prefix: "apps",
      subpath: "loyalty",
      shop: api.shopDomain,
      secret: "secret",
    },
  });
});

function give(amount: string) {
  const result = creditStoreCredit(api.state, {
    id: ada,
    creditAmount: { amount, currencyCode: "USD" },
  });
  expect(result.userErrors).toEqual([]);
}

function paidPayload(orderId: number) {
  const delivery = webhooks.log.filter((d) => d.topic === "orders/paid").at(-1);
  const body = JSON.parse(delivery?.body ?? "{}") as { id: number };
  expect(body.id).toBe(orderId);
  return body as ReturnType<Shop["orderPayload"]>;
}

describe("placeOrder with store credit", () => {
  it("pays part of the order: a payment gateway, totals unchanged", async () => {
    give("12.00");
    const { order } = await shop.placeOrder({
      customerId: ada.split("/").pop()!,
      lines: [{ variantId: MUG, quantity: 1 }],
      storeCredit: true,
    });
    expect(order.storeCredit).toMatchObject({ amount: "12.00" });
    const payload = paidPayload(order.id);
    expect(payload).toMatchObject({
      payment_gateway_names: [STORE_CREDIT_GATEWAY, "bogus"],
      subtotal_price: "18.00",
      total_price: "23.00",
      total_discounts: "0.00",
      financial_status: "paid",
    });
    expect(STORE_CREDIT_GATEWAY).toBe("shopify_store_credit");
    // The app's own parser still earns on the full amount.
    expect(toPaidOrder(orderPayload.parse(payload), new Date())).toMatchObject({
      basisMinor: 1800,
      totalMinor: 2300,
    });
    expect(shop.storeCreditBalance(ada)).toBe("0.00");
    const [account] = [...api.state.storeCreditAccounts.values()];
    expect(account?.transactions.at(-1)).toMatchObject({
      kind: "debit",
      amount: "-12.00",
      event: "ORDER_PAYMENT",
      orderId: `gid://shopify/Order/${order.id}`,
    });
  });

  it("pays a whole order, shipping included, after its discount", async () => {
    give("100.00");
    const { order } = await shop.placeOrder({
      customerId: ada.split("/").pop()!,
      lines: [{ variantId: TOTE, quantity: 2 }],
      storeCredit: true,
    });
    expect(order.storeCredit?.amount).toBe("61.00");
    expect(paidPayload(order.id)).toMatchObject({
      payment_gateway_names: [STORE_CREDIT_GATEWAY],
      total_price: "61.00",
    });
    expect(shop.storeCreditBalance(ada)).toBe("39.00");
  });

  it("refuses a guest, and a customer without credit, before recording anything", async () => {
    give("10.00");
    await expect(
      shop.placeOrder({ lines: [{ variantId: MUG, quantity: 1 }], storeCredit: true }),
    ).rejects.toThrow("Log in to use your store credit");
    const { customer: bob } = await shop.createCustomer({ email: "bob@example.com" });
    await expect(
      shop.placeOrder({
        customerId: bob.id.split("/").pop()!,
        lines: [{ variantId: MUG, quantity: 1 }],
        storeCredit: true,
      }),
    ).rejects.toThrow("No store credit available");
    expect(shop.orders).toEqual([]);
    expect(shop.storeCreditBalance(ada)).toBe("10.00");
  });

  it("leaves the credit alone when the order does not ask for it", async () => {
    give("10.00");
    const { order } = await shop.placeOrder({
      customerId: ada.split("/").pop()!,
      lines: [{ variantId: MUG, quantity: 1 }],
    });
    expect(paidPayload(order.id).payment_gateway_names).toEqual(["bogus"]);
    expect(shop.storeCreditBalance(ada)).toBe("10.00");
  });
});

describe("storefront checkout page", () => {
  async function visit(path: string, init: RequestInit & { customer?: boolean } = {}) {
    const { customer = true, ...rest } = init;
    const cart = [...shop.carts.values()][0]!;
    const cookie = [`cart=${cart.token}`];
    if (customer) cookie.push(`sandbox_customer=${ada.split("/").pop()}`);
    const response = await storefront.handle(
      new Request(`${ORIGIN}${path}`, {
        ...rest,
        headers: { cookie: cookie.join("; "), ...(rest.headers ?? {}) },
      }),
    );
    expect(response).not.toBeNull();
    return response!;
  }

  function text(html: string) {
    return html
      .replace(/<[^>]+>/g, " ")
      .replace(/\s+/g, " ")
      .trim();
  }

  function totals(html: string) {
    return text(/<div class="totals">([\s\S]*?)<\/section>/.exec(html)?.[1] ?? "");
  }

  beforeEach(() => {
    shop.carts.set("c1", { token: "c1", lines: [{ variantId: MUG, quantity: 1 }], code: null });
  });

  it("offers the signed-in shopper's store credit, ticked, and takes it off what is left to pay", async () => {
    give("12.00");
    const html = await (await visit("/checkout")).text();
    expect(html).toMatch(
      /<input\s+id="store-credit"\s+name="apply"\s+type="checkbox"\s+checked\s*\/><label for="store-credit"\s*>Apply store credit\s+\(\$12\.00\s+available\)<\/label/,
    );
    expect(totals(html)).toBe(
      "Subtotal $18.00 Shipping $5.00 Total $23.00 Store credit −$12.00 To pay $11.00",
    );

    const paid = await visit("/checkout/pay", { method: "POST" });
    expect(paid.status).toBe(303);
    const [order] = shop.orders;
    expect(paid.headers.get("location")).toBe(`/checkout/thank-you/${order!.id}`);
    expect(order?.storeCredit?.amount).toBe("12.00");
    expect(shop.storeCreditBalance(ada)).toBe("0.00");
    const thanks = text(await (await visit(`/checkout/thank-you/${order!.id}`)).text());
    expect(thanks).toContain("Total paid $23.00 Paid with store credit $12.00");
  });

  it("covers the whole order when the balance is enough", async () => {
    give("30.00");
    const html = await (await visit("/checkout")).text();
    expect(totals(html)).toContain("Store credit −$23.00 To pay $0.00");
    expect(text(html)).toContain("Your store credit pays the whole order.");
    await visit("/checkout/pay", { method: "POST" });
    expect(shop.storeCreditBalance(ada)).toBe("7.00");
  });

  it("pays without it once the shopper unticks it", async () => {
    give("12.00");
    const untick = await visit("/checkout/store-credit", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "",
    });
    expect(untick.headers.get("location")).toBe("/checkout");
    const html = await (await visit("/checkout")).text();
    expect(html).toMatch(/<input\s+id="store-credit"\s+name="apply"\s+type="checkbox"\s*\/>/);
    expect(totals(html)).toBe("Subtotal $18.00 Shipping $5.00 Total $23.00");
    await visit("/checkout/pay", { method: "POST" });
    expect(shop.orders[0]?.storeCredit).toBeNull();
    expect(shop.storeCreditBalance(ada)).toBe("12.00");
  });

  it("shows nothing of store credit to a guest or a shopper without any", async () => {
    give("12.00");
    const guest = await (await visit("/checkout", { customer: false })).text();
    expect(guest).not.toMatch(/store credit/i);
    await visit("/checkout/pay", { method: "POST", customer: false });
    expect(shop.orders[0]?.storeCredit).toBeNull();
    expect(shop.storeCreditBalance(ada)).toBe("12.00");
  });
});

describe("cart links", () => {
  const BROWN = 4_400_000_000_000 + 60; // Leather Wallet - Brown, $45.99
  const BLACK = 4_400_000_000_000 + 61; // Leather Wallet - Black, $52.00

  beforeEach(() => {
    shop.carts.set("c2", { token: "c2", lines: [], code: null });
  });

  const cart = () => shop.carts.get("c2")!;

  async function get(path: string) {
    const response = await storefront.handle(
      new Request(`${ORIGIN}${path}`, {
        headers: { cookie: `cart=c2; sandbox_customer=${ada.split("/").pop()}` },
        redirect: "manual",
      }),
    );
    expect(response).not.toBeNull();
    return response!;
  }

  it("adds with GET /cart/add?id=…&quantity=…, then shows the cart", async () => {
    const added = await get(`/cart/add?id=${BLACK}&quantity=2`);
    expect([added.status, added.headers.get("location")]).toEqual([302, "/cart"]);
    expect(cart().lines).toEqual([{ variantId: BLACK, quantity: 2 }]);
    // Again: the same line grows; no quantity means one.
    await get(`/cart/add?id=${BLACK}`);
    expect(cart().lines).toEqual([{ variantId: BLACK, quantity: 3 }]);
    // Under a locale root, it lands on that locale's cart.
    expect((await get(`/de/cart/add?id=${BROWN}&quantity=1`)).headers.get("location")).toBe(
      "/de/cart",
    );
  });

  it("answers a variant the shop does not sell with a cart error page, and adds nothing", async () => {
    for (const id of ["999", "", "abc"]) {
      const response = await get(`/cart/add?id=${id}&quantity=1`);
      expect(response.status).toBe(404);
      expect(await response.text()).toContain("Cannot find variant");
    }
    expect(cart().lines).toEqual([]);
  });

  it("follows /discount/CODE to /cart/add and lands on the cart with the code: one unit free", async () => {
    const created = await api.graphql<{ discountCodeBasicCreate: { userErrors: unknown[] } }>(
      `mutation($d: DiscountCodeBasicInput!) { discountCodeBasicCreate(basicCodeDiscount: $d) { userErrors { message } } }`,
      {
        variables: {
          d: {
            title: "Free Leather Wallet - Brown",
            code: "FREE-WALLET",
            startsAt: "2020-01-01T00:00:00Z",
            context: { customers: { add: [ada] } },
            customerGets: {
              value: { discountAmount: { amount: "45.99", appliesOnEachItem: false } },
              items: {
                products: { productVariantsToAdd: [`gid://shopify/ProductVariant/${BROWN}`] },
              },
            },
            minimumRequirement: { quantity: { greaterThanOrEqualToQuantity: "1" } },
            usageLimit: 1,
            appliesOncePerCustomer: true,
          },
        },
      },
    );
    expect(created.body.data?.discountCodeBasicCreate.userErrors).toEqual([]);
    cart().lines.push({ variantId: MUG, quantity: 1 });

    // The widget's "Apply to cart" link, as the app builds it.
    const link = `/discount/FREE-WALLET?redirect=%2Fcart%2Fadd%3Fid%3D${BROWN}%26quantity%3D1`;
    const applied = await get(link);
    expect([applied.status, applied.headers.get("location")]).toEqual([
      302,
      `/cart/add?id=${BROWN}&quantity=1`,
    ]);
    expect(cart().code).toBe("FREE-WALLET");
    const added = await get(applied.headers.get("location")!);
    expect(added.headers.get("location")).toBe("/cart");
    expect(cart()).toMatchObject({
      code: "FREE-WALLET",
      lines: [
        { variantId: MUG, quantity: 1 },
        { variantId: BROWN, quantity: 1 },
      ],
    });
    expect(await (await get("/cart")).text()).toMatch(
      /Discount code <strong>FREE-WALLET<\/strong> will be applied at checkout/,
    );
    // A second wallet in the cart: still one unit free.
    await get(`/cart/add?id=${BROWN}&quantity=1`);
    const checkout = (await (await get("/checkout")).text())
      .replace(/<[^>]+>/g, " ")
      .replace(/\s+/g, " ");
    expect(checkout).toContain("Discount FREE-WALLET applied.");
    expect(checkout).toContain(
      "Subtotal $109.98 Discount (FREE-WALLET) −$45.99 Shipping $5.00 Total $68.99",
    );

    const paid = await storefront.handle(
      new Request(`${ORIGIN}/checkout/pay`, {
        method: "POST",
        headers: { cookie: `cart=c2; sandbox_customer=${ada.split("/").pop()}` },
      }),
    );
    expect(paid?.status).toBe(303);
    const payload = paidPayload(shop.orders[0]!.id);
    expect(payload.total_discounts).toBe("45.99");
    expect(
      payload.line_items.map((l) => [l.variant_id, l.discount_allocations.map((a) => a.amount)]),
    ).toEqual([
      [MUG, []],
      [BROWN, ["45.99"]],
    ]);
  });

  it("redirects only to a path of this shop", async () => {
    for (const target of [
      "//evil.com/cart",
      "/\\evil.com",
      "https://evil.com/cart",
      "javascript:alert(1)",
      "cart",
    ]) {
      const response = await get(`/discount/SAVE?redirect=${encodeURIComponent(target)}`);
      expect([target, response.headers.get("location")]).toEqual([target, "/cart"]);
    }
    expect(
      (await get("/discount/SAVE?redirect=%2Fproducts%2Ftrail-mug")).headers.get("location"),
    ).toBe("/products/trail-mug");
    expect((await get("/discount/SAVE")).headers.get("location")).toBe("/cart");
    expect(
      (
        await get(`/de/discount/SAVE?redirect=${encodeURIComponent(`/cart/add?id=${BROWN}`)}`)
      ).headers.get("location"),
    ).toBe(`/de/cart/add?id=${BROWN}`);
  });
});
