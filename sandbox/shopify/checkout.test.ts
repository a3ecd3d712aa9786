import { beforeEach, describe, expect, it } from "vitest";
import { createAdminApi, type AdminApi } from "./admin-api";
import {
  applyDiscountCode,
  applyStoreCredit,
  availableStoreCredit,
  payWithStoreCredit,
  recordOrderWithCode,
} from "./checkout";
import { NotSimulatedError } from "./discounts";
import { creditStoreCredit } from "./store-credit";
import { createManualClock, type ManualClock } from "./state";

let clock: ManualClock;
let api: AdminApi;
let alice: string;
let bob: string;

const CREATE = `mutation($input: DiscountCodeBasicInput!) { discountCodeBasicCreate(basicCodeDiscount: $input) { userErrors { field message } } }`;

async function createCode(input: Record<string, unknown>) {
  const reply = await api.graphql<{ discountCodeBasicCreate: { userErrors: unknown[] } }>(CREATE, {
    variables: {
      input: {
        title: "Reward",
        startsAt: "2026-10-01T00:00:00Z",
        customerGets: {
          value: { discountAmount: { amount: "5.00", appliesOnEachItem: false } },
          items: { all: true },
        },
        context: { all: "ALL" },
        ...input,
      },
    },
  });
  expect(reply.body.data?.discountCodeBasicCreate.userErrors).toEqual([]);
}

beforeEach(() => {
  clock = createManualClock(Date.UTC(2026, 9, 15, 12, 0, 0));
  api = createAdminApi({ clock: clock.now });
  alice = api.addCustomer({ email: "alice@example.com" }).id;
  bob = api.addCustomer({ email: "bob@example.com" }).id;
});

describe("applyDiscountCode", () => {
  it("takes a fixed amount off, never more than the subtotal", async () => {
    await createCode({ code: "FIVE" });
    expect(
      applyDiscountCode(api.state, { code: "five", customerId: null, subtotal: "42.50" }),
    ).toEqual({
      ok: true,
      discount: {
        discountId: expect.stringMatching(/^gid:\/\/shopify\/DiscountCodeNode\//),
        code: "FIVE",
        kind: "amount",
        amount: "5.00",
        amountMinorUnits: 500,
        subtotalAfterDiscount: "37.50",
        freeShipping: false,
        eligibleLines: null,
        lineAmounts: null,
      },
    });
    const small = applyDiscountCode(api.state, {
      code: "FIVE",
      customerId: null,
      subtotal: "3.20",
    });
    expect(small.ok && [small.discount.amount, small.discount.subtotalAfterDiscount]).toEqual([
      "3.20",
      "0.00",
    ]);
  });

  it("takes a discount on collections off their products' lines only", async () => {
    const tote = "gid://shopify/Product/1";
    const mug = "gid://shopify/Product/2";
    api.state.products.set(tote, { id: tote, title: "Tote", handle: "tote" });
    api.state.products.set(mug, { id: mug, title: "Mug", handle: "mug" });
    const outdoor = "gid://shopify/Collection/7";
    api.state.collections.set(outdoor, {
      id: outdoor,
      title: "Outdoor",
      handle: "outdoor",
      productIds: [mug],
    });
    await createCode({
      code: "OUTDOOR20",
      customerGets: { value: { percentage: 0.2 }, items: { collections: { add: [outdoor] } } },
    });
    const cart = (...lines: Array<[string | null, string]>) => ({
      code: "OUTDOOR20",
      customerId: null,
      subtotal: lines
        .reduce((sum, [, amount]) => sum + Math.round(Number(amount) * 100), 0)
        .toString()
        .replace(/(\d\d)$/, ".$1"),
      lines: lines.map(([productId, subtotal]) => ({ productId, subtotal })),
    });
    // 20% of the $18.00 mug, not of the $46.00 cart.
    const mixed = applyDiscountCode(api.state, cart([tote, "28.00"], [mug, "18.00"]));
    expect(mixed).toMatchObject({
      ok: true,
      discount: { amount: "3.60", subtotalAfterDiscount: "42.40", eligibleLines: [1] },
    });
    expect(applyDiscountCode(api.state, cart([tote, "28.00"], [null, "5.00"]))).toEqual({
      ok: false,
      reason: "NOT_APPLICABLE",
    });
    // Its minimum counts the collection's items alone: $28.00 of tote does not help the mug.
    await createCode({
      code: "OUTDOOR20MIN",
      customerGets: { value: { percentage: 0.2 }, items: { collections: { add: [outdoor] } } },
      minimumRequirement: { subtotal: { greaterThanOrEqualToSubtotal: "20.00" } },
    });
    expect(
      applyDiscountCode(api.state, {
        ...cart([tote, "28.00"], [mug, "18.00"]),
        code: "OUTDOOR20MIN",
      }),
    ).toEqual({ ok: false, reason: "MINIMUM_SUBTOTAL_NOT_MET" });
    expect(
      applyDiscountCode(api.state, {
        ...cart([tote, "28.00"], [mug, "18.00"], [mug, "18.00"]),
        code: "OUTDOOR20MIN",
      }),
    ).toMatchObject({ ok: true, discount: { amount: "7.20" } });
    // Without the cart's lines, checkout could not price it: the simulation says so.
    expect(() =>
      applyDiscountCode(api.state, { code: "OUTDOOR20", customerId: null, subtotal: "46.00" }),
    ).toThrow("needs the cart's lines");
  });

  it("computes percentages exactly in minor units, rounding half up", async () => {
    await createCode({
      code: "TENPCT",
      customerGets: { value: { percentage: 0.1 }, items: { all: true } },
    });
    const result = applyDiscountCode(api.state, {
      code: "TENPCT",
      customerId: null,
      subtotal: "19.95",
    });
    // 10% of 19.95 is 1.995 → 2.00 (a float would give 1.9949999…)
    expect(result.ok && result.discount).toMatchObject({
      kind: "percentage",
      amount: "2.00",
      subtotalAfterDiscount: "17.95",
    });
  });

  it("enforces the customer restriction", async () => {
    await createCode({ code: "ALICE-ONLY", context: { customers: { add: [alice] } } });
    expect(
      applyDiscountCode(api.state, { code: "ALICE-ONLY", customerId: bob, subtotal: "10.00" }),
    ).toEqual({ ok: false, reason: "CUSTOMER_NOT_ELIGIBLE" });
    expect(
      applyDiscountCode(api.state, { code: "ALICE-ONLY", customerId: null, subtotal: "10.00" }),
    ).toEqual({ ok: false, reason: "CUSTOMER_REQUIRED" });
    expect(
      applyDiscountCode(api.state, { code: "ALICE-ONLY", customerId: alice, subtotal: "10.00" }).ok,
    ).toBe(true);
  });

  it("enforces the minimum subtotal at the boundary", async () => {
    await createCode({
      code: "MIN50",
      minimumRequirement: { subtotal: { greaterThanOrEqualToSubtotal: "50.00" } },
    });
    expect(
      applyDiscountCode(api.state, { code: "MIN50", customerId: null, subtotal: "49.99" }),
    ).toEqual({ ok: false, reason: "MINIMUM_SUBTOTAL_NOT_MET" });
    expect(
      applyDiscountCode(api.state, { code: "MIN50", customerId: null, subtotal: "50.00" }).ok,
    ).toBe(true);
  });

  it("enforces startsAt and endsAt", async () => {
    await createCode({
      code: "WINDOW",
      startsAt: "2026-11-01T00:00:00Z",
      endsAt: "2026-11-30T00:00:00Z",
    });
    expect(
      applyDiscountCode(api.state, { code: "WINDOW", customerId: null, subtotal: "10.00" }),
    ).toEqual({ ok: false, reason: "NOT_YET_ACTIVE" });
    expect(
      applyDiscountCode(api.state, {
        code: "WINDOW",
        customerId: null,
        subtotal: "10.00",
        now: new Date("2026-11-15T00:00:00Z"),
      }).ok,
    ).toBe(true);
    expect(
      applyDiscountCode(api.state, {
        code: "WINDOW",
        customerId: null,
        subtotal: "10.00",
        now: new Date("2026-11-30T00:00:00Z"),
      }),
    ).toEqual({
      ok: false,
      reason: "EXPIRED",
    });
  });

  it("says NOT_FOUND for unknown codes", () => {
    expect(
      applyDiscountCode(api.state, { code: "NOPE", customerId: alice, subtotal: "10.00" }),
    ).toEqual({ ok: false, reason: "NOT_FOUND" });
  });
});

describe("a discount on one product variant (the free-product reward)", () => {
  const WALLET = "gid://shopify/Product/6";
  const BROWN = "gid://shopify/ProductVariant/60"; // $45.99
  const BLACK = "gid://shopify/ProductVariant/61"; // $52.00
  const TOTE = "gid://shopify/Product/1";
  const TOTE_DEFAULT = "gid://shopify/ProductVariant/10"; // $28.00
  const PRICES: Record<string, string> = {
    [BROWN]: "45.99",
    [BLACK]: "52.00",
    [TOTE_DEFAULT]: "28.00",
  };

  /** Lines of [variant, quantity], as the storefront's cart gives them to checkout. */
  function cart(code: string, ...items: Array<[string, number]>) {
    const lines = items.map(([variantId, quantity]) => ({
      productId: variantId === TOTE_DEFAULT ? TOTE : WALLET,
      variantId,
      quantity,
      subtotal: (Number(PRICES[variantId]) * quantity).toFixed(2),
    }));
    const cents = lines.reduce((sum, l) => sum + Math.round(Number(l.subtotal) * 100), 0);
    return { code, customerId: alice, subtotal: (cents / 100).toFixed(2), lines };
  }

  /** What the app sends for a free Leather Wallet - Brown. */
  async function freeProduct(code: string, overrides: Record<string, unknown> = {}) {
    await createCode({
      code,
      context: { customers: { add: [alice] } },
      customerGets: {
        value: { discountAmount: { amount: "45.99", appliesOnEachItem: false } },
        items: { products: { productVariantsToAdd: [BROWN] } },
      },
      minimumRequirement: { quantity: { greaterThanOrEqualToQuantity: "1" } },
      usageLimit: 1,
      appliesOncePerCustomer: true,
      ...overrides,
    });
  }

  it("takes one unit's price off that variant's line, however many the cart holds", async () => {
    await freeProduct("FREE-WALLET");
    expect(
      applyDiscountCode(api.state, cart("FREE-WALLET", [TOTE_DEFAULT, 1], [BROWN, 2])),
    ).toEqual({
      ok: true,
      discount: expect.objectContaining({
        kind: "amount",
        amount: "45.99",
        subtotalAfterDiscount: "73.99",
        eligibleLines: [1],
        lineAmounts: null,
      }),
    });
    const order = recordOrderWithCode(api.state, cart("FREE-WALLET", [BROWN, 1]));
    expect(order).toMatchObject({ ok: true, discount: { subtotalAfterDiscount: "0.00" } });
    expect(recordOrderWithCode(api.state, cart("FREE-WALLET", [BROWN, 1]))).toEqual({
      ok: false,
      reason: "USAGE_LIMIT_REACHED",
    });
  });

  it("does not apply without that variant: another product, or another variant of the same product", async () => {
    await freeProduct("FREE-WALLET");
    for (const items of [
      [[TOTE_DEFAULT, 3]],
      [[BLACK, 1]],
      [
        [BLACK, 2],
        [TOTE_DEFAULT, 1],
      ],
    ] as Array<Array<[string, number]>>)
      expect(applyDiscountCode(api.state, cart("FREE-WALLET", ...items))).toEqual({
        ok: false,
        reason: "NOT_APPLICABLE",
      });
    // A product gid takes in every variant of the product.
    await createCode({
      code: "WALLETS",
      customerGets: {
        value: { percentage: 0.5 },
        items: { products: { productsToAdd: [WALLET] } },
      },
    });
    expect(
      applyDiscountCode(api.state, cart("WALLETS", [BLACK, 1], [TOTE_DEFAULT, 1])),
    ).toMatchObject({
      ok: true,
      discount: { amount: "26.00", eligibleLines: [0] },
    });
    // Lines without their variant cannot be told apart: the simulation says so instead of guessing.
    const { lines, ...rest } = cart("FREE-WALLET", [BROWN, 1]);
    expect(() =>
      applyDiscountCode(api.state, {
        ...rest,
        lines: lines.map(({ productId, subtotal }) => ({ productId, subtotal })),
      }),
    ).toThrow("needs each line's variantId");
  });

  it("counts a minimum quantity on the items the discount applies to", async () => {
    await freeProduct("TWO-WALLETS", {
      minimumRequirement: { quantity: { greaterThanOrEqualToQuantity: "2" } },
    });
    // Three totes do not make up for a single wallet.
    expect(
      applyDiscountCode(api.state, cart("TWO-WALLETS", [BROWN, 1], [TOTE_DEFAULT, 3])),
    ).toEqual({ ok: false, reason: "MINIMUM_QUANTITY_NOT_MET" });
    expect(applyDiscountCode(api.state, cart("TWO-WALLETS", [BROWN, 2])).ok).toBe(true);
    // On all items, the whole cart counts.
    await createCode({
      code: "THREE-ITEMS",
      minimumRequirement: { quantity: { greaterThanOrEqualToQuantity: "3" } },
    });
    expect(
      applyDiscountCode(api.state, cart("THREE-ITEMS", [BROWN, 1], [TOTE_DEFAULT, 1])),
    ).toEqual({ ok: false, reason: "MINIMUM_QUANTITY_NOT_MET" });
    expect(
      applyDiscountCode(api.state, cart("THREE-ITEMS", [BROWN, 1], [TOTE_DEFAULT, 2])).ok,
    ).toBe(true);
    expect(() =>
      applyDiscountCode(api.state, { code: "THREE-ITEMS", customerId: null, subtotal: "90.00" }),
    ).toThrow("minimum quantity needs the cart's lines");
  });

  it("takes an amount off each item when appliesOnEachItem says so, never more than a unit's price", async () => {
    await createCode({
      code: "TEN-EACH",
      customerGets: {
        value: { discountAmount: { amount: "10.00", appliesOnEachItem: true } },
        items: { products: { productVariantsToAdd: [BROWN, TOTE_DEFAULT] } },
      },
    });
    expect(
      applyDiscountCode(api.state, cart("TEN-EACH", [BROWN, 2], [BLACK, 1], [TOTE_DEFAULT, 1])),
    ).toMatchObject({
      ok: true,
      discount: {
        amount: "30.00",
        eligibleLines: [0, 2],
        lineAmounts: [
          { line: 0, amount: "20.00" },
          { line: 2, amount: "10.00" },
        ],
      },
    });
    await createCode({
      code: "FIFTY-EACH",
      customerGets: {
        value: { discountAmount: { amount: "50.00", appliesOnEachItem: true } },
        items: { products: { productVariantsToAdd: [BROWN] } },
      },
    });
    expect(applyDiscountCode(api.state, cart("FIFTY-EACH", [BROWN, 2]))).toMatchObject({
      ok: true,
      discount: { amount: "91.98", subtotalAfterDiscount: "0.00" },
    });
    // Each item of a whole order is not modelled: refused rather than priced as "across".
    await createCode({
      code: "ALL-EACH",
      customerGets: {
        value: { discountAmount: { amount: "1.00", appliesOnEachItem: true } },
        items: { all: true },
      },
    });
    expect(() => applyDiscountCode(api.state, cart("ALL-EACH", [BROWN, 2]))).toThrow(
      NotSimulatedError,
    );
  });
});

describe("recordOrderWithCode", () => {
  it("counts usage: a single-use code works exactly once", async () => {
    await createCode({ code: "ONCE", usageLimit: 1 });
    const order = recordOrderWithCode(api.state, {
      code: "ONCE",
      customerId: alice,
      subtotal: "30.00",
    });
    expect(order).toMatchObject({
      ok: true,
      orderId: expect.stringMatching(/^gid:\/\/shopify\/Order\//),
    });
    expect(api.findDiscountByCode("ONCE")?.asyncUsageCount).toBe(1);
    expect(
      recordOrderWithCode(api.state, { code: "ONCE", customerId: bob, subtotal: "30.00" }),
    ).toEqual({ ok: false, reason: "USAGE_LIMIT_REACHED" });

    // The usage is visible through the Admin API too.
    const reply = await api.graphql(
      `{ codeDiscountNodeByCode(code: "ONCE") { codeDiscount { ... on DiscountCodeBasic { asyncUsageCount codes(first: 1) { nodes { asyncUsageCount } } } } } }`,
    );
    expect(reply.body.data).toEqual({
      codeDiscountNodeByCode: {
        codeDiscount: { asyncUsageCount: 1, codes: { nodes: [{ asyncUsageCount: 1 }] } },
      },
    });
  });

  it("enforces one use per customer and updates the customer's order stats", async () => {
    await createCode({ code: "PERCUST", appliesOncePerCustomer: true });
    expect(
      recordOrderWithCode(api.state, { code: "PERCUST", customerId: alice, subtotal: "30.00" }).ok,
    ).toBe(true);
    expect(
      recordOrderWithCode(api.state, { code: "PERCUST", customerId: alice, subtotal: "30.00" }),
    ).toEqual({ ok: false, reason: "ALREADY_USED_BY_CUSTOMER" });
    expect(
      recordOrderWithCode(api.state, { code: "PERCUST", customerId: bob, subtotal: "30.00" }).ok,
    ).toBe(true);
    expect(api.state.customers.get(alice)).toMatchObject({
      numberOfOrders: 1,
      amountSpent: "25.00",
    });
    expect(api.state.orders).toHaveLength(2);
  });

  it("refuses subtotals with more precision than the currency has instead of rounding silently", async () => {
    await createCode({ code: "FIVE" });
    expect(() =>
      applyDiscountCode(api.state, { code: "FIVE", customerId: null, subtotal: "10.001" }),
    ).toThrow(RangeError);
  });
});

describe("store credit at checkout", () => {
  function give(customerId: string, amount: string, expiresAt?: string) {
    const result = creditStoreCredit(api.state, {
      id: customerId,
      creditAmount: { amount, currencyCode: "USD" },
      ...(expiresAt ? { expiresAt } : {}),
    });
    expect(result.userErrors).toEqual([]);
  }

  it("pays part of an order and debits the account with ORDER_PAYMENT", () => {
    give(alice, "12.00");
    expect(applyStoreCredit(api.state, { customerId: alice, total: "33.00" })).toEqual({
      ok: true,
      amount: "12.00",
      available: "12.00",
      remaining: "21.00",
    });
    const paid = payWithStoreCredit(api.state, {
      customerId: alice,
      total: "33.00",
      orderId: "gid://shopify/Order/1",
    });
    expect(paid).toMatchObject({ ok: true, amount: "12.00", remaining: "21.00" });
    expect(availableStoreCredit(api.state, alice)).toBe("0.00");
    const [account] = [...api.state.storeCreditAccounts.values()];
    expect(account?.transactions.at(-1)).toMatchObject({
      id: paid.ok ? paid.transactionId : "",
      kind: "debit",
      amount: "-12.00",
      balanceAfterTransaction: "0.00",
      event: "ORDER_PAYMENT",
      orderId: "gid://shopify/Order/1",
    });
  });

  it("pays a whole order and keeps the rest of the balance", () => {
    give(alice, "50.00");
    const paid = payWithStoreCredit(api.state, {
      customerId: alice,
      total: "23.00",
      orderId: "gid://shopify/Order/2",
    });
    expect(paid).toMatchObject({ ok: true, amount: "23.00", remaining: "0.00" });
    expect(availableStoreCredit(api.state, alice)).toBe("27.00");
  });

  it("is not offered to a guest, nor to a customer without credit or whose credit expired", () => {
    give(alice, "10.00", "2026-10-20T00:00:00Z");
    expect(applyStoreCredit(api.state, { customerId: null, total: "10.00" })).toEqual({
      ok: false,
      reason: "CUSTOMER_REQUIRED",
    });
    expect(applyStoreCredit(api.state, { customerId: bob, total: "10.00" })).toEqual({
      ok: false,
      reason: "NO_STORE_CREDIT",
    });
    expect(applyStoreCredit(api.state, { customerId: alice, total: "10.00" }).ok).toBe(true);
    clock.advance(5 * 24 * 60 * 60 * 1000);
    expect(applyStoreCredit(api.state, { customerId: alice, total: "10.00" })).toEqual({
      ok: false,
      reason: "NO_STORE_CREDIT",
    });
  });

  it("only offers the account in the shop currency", () => {
    api.state.presentmentCurrencies.push("CAD");
    const result = creditStoreCredit(api.state, {
      id: alice,
      creditAmount: { amount: "10.00", currencyCode: "CAD" },
    });
    expect(result.userErrors).toEqual([]);
    expect(applyStoreCredit(api.state, { customerId: alice, total: "10.00" })).toEqual({
      ok: false,
      reason: "NO_STORE_CREDIT",
    });
  });
});
