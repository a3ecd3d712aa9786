import { readFileSync } from "node:fs";
// Checkout running the app's tier-perks Discount Function, with a stand-in function module until
// extensions/tier-perks exists (the sandbox loads the real one by default).
import { beforeEach, describe, expect, it } from "vitest";
import { Shop } from "../shop";
import { Storefront } from "../pages/storefront";
import { WebhookSender } from "../webhooks";
import { createAdminApi, type AdminApi } from "./admin-api";
import { quoteCheckout } from "./checkout";
import { createManualClock, type DiscountFunctionModule, type ManualClock } from "./state";

interface LinesInput {
  cart: { buyerIdentity: { customer: { metafield: { value: string } | null } | null } | null };
  discount: {
    discountClasses: string[];
    metafield: {
      jsonValue: { tiers: Record<string, { percentage?: number; freeShipping?: boolean }> };
    } | null;
  };
}
type DeliveryInput = LinesInput & { cart: { deliveryGroups: Array<{ id: string }> } };

function perk(input: LinesInput) {
  const tier = input.cart.buyerIdentity?.customer?.metafield?.value;
  return tier ? { tier, ...input.discount.metafield?.jsonValue.tiers[tier] } : null;
}

/** The real extension's input queries: the fake below is given exactly what the function is. */
const inputQueries = {
  linesInputQuery: readFileSync(
    new URL(
      "../../extensions/tier-perks/src/cart_lines_discounts_generate_run.graphql",
      import.meta.url,
    ),
    "utf8",
  ),
  deliveryInputQuery: readFileSync(
    new URL(
      "../../extensions/tier-perks/src/cart_delivery_options_discounts_generate_run.graphql",
      import.meta.url,
    ),
    "utf8",
  ),
};

/** What the tier-perks function is specified to do, for the sandbox's own tests. */
const fakeTierPerks: DiscountFunctionModule = {
  ...inputQueries,
  cartLinesDiscountsGenerateRun: ((input: LinesInput) => {
    const found = perk(input);
    if (!found?.percentage || !input.discount.discountClasses.includes("ORDER"))
      return { operations: [] };
    return {
      operations: [
        {
          orderDiscountsAdd: {
            candidates: [
              {
                message: `${found.tier} perk: ${found.percentage}% off`,
                targets: [{ orderSubtotal: { excludedCartLineIds: [] } }],
                value: { percentage: { value: found.percentage } },
              },
            ],
            selectionStrategy: "FIRST",
          },
        },
      ],
    };
  }) as DiscountFunctionModule["cartLinesDiscountsGenerateRun"],
  cartDeliveryOptionsDiscountsGenerateRun: ((input: DeliveryInput) => {
    const found = perk(input);
    if (!found?.freeShipping) return { operations: [] };
    return {
      operations: [
        {
          deliveryDiscountsAdd: {
            candidates: input.cart.deliveryGroups.map((group) => ({
              message: `${found.tier} perk: free shipping`,
              targets: [{ deliveryGroup: { id: group.id } }],
              value: { percentage: { value: 100 } },
            })),
            selectionStrategy: "ALL",
          },
        },
      ],
    };
  }) as DiscountFunctionModule["cartDeliveryOptionsDiscountsGenerateRun"],
};

const CONFIG = '{"version":1,"tiers":{"Gold":{"percentage":10,"freeShipping":true}}}';
const MUG = 4_400_000_000_000 + 30; // Trail Mug, $18.00
const TOTE = 4_400_000_000_000 + 10; // Canvas Tote, $28.00

let clock: ManualClock;
let api: AdminApi;
let shop: Shop;
let gold: string;
let member: string;
let discountId: string;

async function gql<T>(query: string, variables: Record<string, unknown>) {
  const reply = await api.graphql<T>(query, { variables });
  expect(reply.body.errors).toBeUndefined();
  return reply.body.data!;
}

async function setTier(customerId: string, tier: string) {
  await gql(
    `mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { userErrors { message } } }`,
    {
      m: [
        {
          ownerId: customerId,
          namespace: "$app",
          key: "tier",
          type: "single_line_text_field",
          value: tier,
        },
      ],
    },
  );
}

async function createCode(code: string, combinesWith: Record<string, boolean>, amount = "5.00") {
  const data = await gql<{ discountCodeBasicCreate: { userErrors: unknown[] } }>(
    `mutation($d: DiscountCodeBasicInput!) { discountCodeBasicCreate(basicCodeDiscount: $d) { userErrors { message } } }`,
    {
      d: {
        title: code,
        code,
        startsAt: "2026-10-01T00:00:00Z",
        context: { all: "ALL" },
        customerGets: {
          value: { discountAmount: { amount, appliesOnEachItem: false } },
          items: { all: true },
        },
        combinesWith,
      },
    },
  );
  expect(data.discountCodeBasicCreate.userErrors).toEqual([]);
}

beforeEach(async () => {
  clock = createManualClock(Date.UTC(2026, 9, 15, 12, 0, 0));
  api = createAdminApi({ clock: clock.now, discountFunctions: { "tier-perks": fakeTierPerks } });
  const webhooks = new WebhookSender({
    appUrl: "http://127.0.0.1:9",
    shop: api.shopDomain,
    secret: "secret",
    apiVersion: "2026-10",
    subscriptions: [],
  });
  shop = new Shop(api, webhooks);
  gold = (await shop.createCustomer({ firstName: "Gil", email: "gil@example.com" })).customer.id;
  member = (await shop.createCustomer({ firstName: "Mo", email: "mo@example.com" })).customer.id;
  await setTier(gold, "Gold");
  await setTier(member, "Bronze");
  const created = await gql<{
    discountAutomaticAppCreate: { automaticAppDiscount: { discountId: string } };
  }>(
    `mutation($d: DiscountAutomaticAppInput!) { discountAutomaticAppCreate(automaticAppDiscount: $d) { automaticAppDiscount { discountId } userErrors { message } } }`,
    {
      d: {
        title: "Loyalty tier perks",
        functionHandle: "tier-perks",
        discountClasses: ["ORDER", "SHIPPING"],
        startsAt: "2026-10-01T00:00:00Z",
        combinesWith: { orderDiscounts: false, productDiscounts: true, shippingDiscounts: true },
        metafields: [{ namespace: "$app", key: "tier-perks", type: "json", value: CONFIG }],
      },
    },
  );
  discountId = created.discountAutomaticAppCreate.automaticAppDiscount.discountId;
});

const numeric = (id: string) => id.split("/").pop()!;
const cart = [
  { variantId: MUG, quantity: 2 },
  { variantId: TOTE, quantity: 1 },
]; // $64.00

describe("checkout with the tier-perks function", () => {
  it("gives a Gold customer 10% off and free shipping, and the order and orders/paid show it", async () => {
    const quote = await shop.quote(numeric(gold), cart, null);
    expect(quote).toMatchObject({
      subtotal: "64.00",
      merchandiseDiscount: "6.40",
      shipping: "0.00",
      total: "57.60",
      automatic: [
        { target: "order", message: "Gold perk: 10% off", amount: "6.40", value: "10.0" },
        { target: "shipping", message: "Gold perk: free shipping", amount: "5.00", value: "100.0" },
      ],
    });
    // The function got exactly what its input query selects.
    expect(api.state.functionRuns[0]?.input).toEqual({
      cart: { buyerIdentity: { customer: { metafield: { value: "Gold" } } } },
      discount: {
        discountClasses: ["ORDER", "SHIPPING"],
        metafield: {
          jsonValue: { version: 1, tiers: { Gold: { percentage: 10, freeShipping: true } } },
        },
      },
    });
    expect(api.state.functionRuns[1]?.input).toMatchObject({
      cart: { deliveryGroups: [{ id: "gid://shopify/CartDeliveryGroup/1" }] },
    });

    const { order } = await shop.placeOrder({ customerId: numeric(gold), lines: cart });
    expect(order.automaticDiscounts).toEqual([
      {
        discountId,
        title: "Loyalty tier perks",
        message: "Gold perk: 10% off",
        target: "line_item",
        valueType: "percentage",
        value: "10.0",
        amount: "6.40",
      },
      {
        discountId,
        title: "Loyalty tier perks",
        message: "Gold perk: free shipping",
        target: "shipping_line",
        valueType: "percentage",
        value: "100.0",
        amount: "5.00",
      },
    ]);
    const payload = shop.orderPayload(order);
    expect(payload).toMatchObject({
      subtotal_price: "57.60",
      total_discounts: "11.40",
      total_price: "57.60",
      discount_codes: [],
      discount_applications: [
        {
          target_type: "line_item",
          type: "automatic",
          value: "10.0",
          value_type: "percentage",
          allocation_method: "across",
          target_selection: "all",
          title: "Loyalty tier perks",
        },
        {
          target_type: "shipping_line",
          type: "automatic",
          value: "100.0",
          value_type: "percentage",
          allocation_method: "each",
          target_selection: "all",
          title: "Loyalty tier perks",
        },
      ],
    });
    expect(
      payload.line_items.map((l) =>
        l.discount_allocations.map((a) => [a.amount, a.discount_application_index]),
      ),
    ).toEqual([[["3.60", 0]], [["2.80", 0]]]);
    expect(payload.shipping_lines[0]?.discount_allocations).toEqual([
      expect.objectContaining({ amount: "5.00", discount_application_index: 1 }),
    ]);
    expect(api.state.automaticDiscounts.get(discountId)?.asyncUsageCount).toBe(1);
    expect(shop.customer(gold)?.amountSpent).toBe("57.60");
  });

  it("gives a guest or a member of a tier without perks nothing", async () => {
    for (const customerId of [null, numeric(member)]) {
      const quote = await shop.quote(customerId, cart, null);
      expect(quote).toMatchObject({ automatic: [], total: "69.00", shipping: "5.00" });
    }
    expect(api.state.functionRuns.find((r) => r.input !== null)?.input).toMatchObject({
      cart: { buyerIdentity: null },
    });
    const { order } = await shop.placeOrder({ lines: cart });
    expect(shop.orderPayload(order).discount_applications).toEqual([]);
  });

  it("does nothing once the discount is deactivated, expired, or not yet started", async () => {
    await gql(
      `mutation($id: ID!) { discountAutomaticDeactivate(id: $id) { userErrors { message } } }`,
      {
        id: discountId,
      },
    );
    expect((await shop.quote(numeric(gold), cart, null)).automatic).toEqual([]);
    await gql(
      `mutation($id: ID!) { discountAutomaticActivate(id: $id) { userErrors { message } } }`,
      {
        id: discountId,
      },
    );
    expect((await shop.quote(numeric(gold), cart, null)).automatic).toHaveLength(2);
    api.state.automaticDiscounts.get(discountId)!.endsAt = "2026-10-20T00:00:00.000Z";
    clock.set(Date.UTC(2026, 9, 21));
    expect((await shop.quote(numeric(gold), cart, null)).automatic).toEqual([]);
    expect(api.state.functionRuns).toHaveLength(2);
  });

  it("keeps the better of a reward code and the perks when they do not combine", async () => {
    // Both are order discounts and neither combines with order discounts.
    await createCode(
      "SMALL",
      { orderDiscounts: false, productDiscounts: false, shippingDiscounts: true },
      "5.00",
    );
    await createCode(
      "BIG",
      { orderDiscounts: false, productDiscounts: false, shippingDiscounts: true },
      "20.00",
    );
    const small = await shop.quote(numeric(gold), cart, "SMALL");
    expect(small.code).toEqual({ ok: false, reason: "NOT_COMBINABLE" });
    expect(small.total).toBe("57.60");
    await expect(
      shop.placeOrder({ customerId: numeric(gold), lines: cart, code: "SMALL" }),
    ).rejects.toThrow("SMALL discount code couldn’t be used with your existing discounts");
    expect(api.findDiscountByCode("SMALL")?.asyncUsageCount).toBe(0);

    const big = await shop.quote(numeric(gold), cart, "BIG");
    expect(big).toMatchObject({ code: { ok: true }, automatic: [], total: "49.00" });
  });

  it("stacks a reward code that combines both ways: shipping stays free, the percentage is off the subtotal", async () => {
    const data = await gql<{ discountAutomaticAppUpdate: { userErrors: unknown[] } }>(
      `mutation($id: ID!, $d: DiscountAutomaticAppInput!) { discountAutomaticAppUpdate(id: $id, automaticAppDiscount: $d) { userErrors { message } } }`,
      {
        id: discountId,
        d: {
          combinesWith: { orderDiscounts: true, productDiscounts: true, shippingDiscounts: true },
        },
      },
    );
    expect(data.discountAutomaticAppUpdate.userErrors).toEqual([]);
    await createCode("STACK", {
      orderDiscounts: true,
      productDiscounts: false,
      shippingDiscounts: true,
    });
    const { order } = await shop.placeOrder({
      customerId: numeric(gold),
      lines: cart,
      code: "STACK",
    });
    const payload = shop.orderPayload(order);
    expect(payload).toMatchObject({
      subtotal_price: "52.60",
      total_price: "52.60",
      total_discounts: "16.40",
      discount_codes: [{ code: "STACK", amount: "5.00" }],
    });
    expect(payload.discount_applications.map((a) => [a.type, a.target_type])).toEqual([
      ["discount_code", "line_item"],
      ["automatic", "line_item"],
      ["automatic", "shipping_line"],
    ]);
    expect(
      payload.line_items[0]?.discount_allocations.map((a) => a.discount_application_index),
    ).toEqual([0, 1]);
    expect(payload.shipping_lines[0]?.discount_allocations[0]?.discount_application_index).toBe(2);
  });

  it("records a function error and applies nothing when the function throws", async () => {
    api.state.discountFunctions = () =>
      Promise.resolve({
        ...inputQueries,
        cartLinesDiscountsGenerateRun: () => {
          throw new Error("boom");
        },
      });
    const quote = await quoteCheckout(api.state, {
      customerId: gold,
      lines: [
        { productId: null, variantId: null, title: "Custom", quantity: 1, subtotal: "10.00" },
      ],
      shipping: "5.00",
    });
    expect(quote.automatic).toEqual([]);
    expect(api.state.functionRuns.at(-1)).toMatchObject({ error: "boom", output: null });
  });

  it("shows the perks in the storefront checkout totals", async () => {
    const storefront = new Storefront({
      shop,
      theme: { apps: false },
      adminUrl: "http://127.0.0.1:9/admin",
      proxy: {
        appUrl: "http://127.0.0.1:9",
        proxyPath: "/proxy",
        pathPrefix: "/apps/loyalty",
        prefix: "apps",
        subpath: "loyalty",
        shop: api.shopDomain,
        secret: "secret",
      },
    });
    shop.carts.set("c1", { token: "c1", lines: [{ variantId: MUG, quantity: 1 }], code: null });
    const visit = (path: string) =>
      storefront.handle(
        new Request(`http://127.0.0.1:9${path}`, {
          headers: { cookie: `cart=c1; sandbox_customer=${numeric(gold)}` },
        }),
      );
    const html = (await (await visit("/checkout"))!.text())
      .replace(/<[^>]+>/g, " ")
      .replace(/\s+/g, " ");
    expect(html).toContain("Gold perk: 10% off −$1.80");
    expect(html).toContain("Gold perk: free shipping −$5.00");
    expect(html).toContain("Total $16.20");
  });
});
