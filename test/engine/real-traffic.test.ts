/**
 * Shopify-shaped payloads for what real traffic does to the ledger: refunds already listed in the
 * paid body, gift cards, 64-bit ids, tax-inclusive and multi-currency shops, zero- and
 * three-decimal currencies, shipping-only refunds, tips and duties, unknown currencies and absurd
 * amounts. Written from Shopify's documented REST shapes (test/support/payloads.ts).
 */
import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { deliver, expectLedgerConsistent, memberOf, resetShop } from "../support/engine";
import { orderPayload, refundPayload } from "../support/payloads";
import { TEST_SHOP } from "../support/shopify";

beforeEach(() => resetShop());

async function entries(customerId: number | bigint | string) {
  const member = await memberOf(String(customerId));
  return prisma.ledgerEntry.findMany({ where: { memberId: member!.id }, orderBy: { id: "asc" } });
}

async function failures() {
  return prisma.failedEvent.findMany({ where: { shop: TEST_SHOP }, orderBy: { createdAt: "asc" } });
}

describe("a refund listed in the paid body", () => {
  // Shopify's reference Order: a 597.00 subtotal, with a 391.33 refund already made when the body
  // was rendered (current_subtotal_price then nets it out, and refunds[] lists it).
  const reference = (customerId: number) => {
    const refundId = 509_562_969n;
    const order = orderPayload({
      customerId,
      lines: [
        { price: "199.00", quantity: 1 },
        { price: "398.00", quantity: 1 },
      ],
      refunds: [{ id: refundId, line: 1, subtotal: "391.33", quantity: 1 }],
    });
    const refund = refundPayload(order.id, "391.33", {
      id: refundId,
      lineItemId: order.line_items[1]!.id,
      giftCard: false,
    });
    return { order, refund };
  };

  it("is taken back once when refunds/create follows the paid body", async () => {
    const { order, refund } = reference(3101);
    expect(order.current_subtotal_price_set.shop_money.amount).toBe("205.67");

    expect(await deliver({ topic: "orders/paid", payload: order })).toBe(200);
    expect((await memberOf(3101))?.balance).toBe(206);
    expect(await deliver({ topic: "refunds/create", payload: refund })).toBe(200);

    // 597 earned; 391 (= floor(597 × 391.33 / 597)) taken back, once.
    expect((await memberOf(3101))?.balance).toBe(206);
    expect((await entries(3101)).map((e) => [e.kind, e.points])).toEqual([
      ["EARN", 597],
      ["REFUND_CLAWBACK", -391],
    ]);
    await expectLedgerConsistent();
  });

  it("is taken back once when refunds/create comes first", async () => {
    const { order, refund } = reference(3102);
    expect(await deliver({ topic: "refunds/create", payload: refund })).toBe(200);
    expect(await deliver({ topic: "orders/paid", payload: order })).toBe(200);
    expect(await deliver({ topic: "refunds/create", payload: refund })).toBe(200);
    expect((await memberOf(3102))?.balance).toBe(206);
    expect((await entries(3102)).filter((e) => e.kind === "REFUND_CLAWBACK")).toHaveLength(1);
    expect(await prisma.refundRecord.count({ where: { shop: TEST_SHOP } })).toBe(1);
    await expectLedgerConsistent();
  });

  it("earns the same as a body rendered before the refund plus refunds/create", async () => {
    const { refund } = reference(3103);
    const before = orderPayload({
      id: refund.order_id,
      customerId: 3103,
      lines: [
        { price: "199.00", quantity: 1 },
        { price: "398.00", quantity: 1 },
      ],
    });
    await deliver({ topic: "orders/paid", payload: before });
    await deliver({ topic: "refunds/create", payload: refund });
    expect((await memberOf(3103))?.balance).toBe(206);
  });
});

describe("gift cards", () => {
  it("earn nothing when bought, and their refunds take nothing back", async () => {
    const order = orderPayload({
      customerId: 3201,
      lines: [
        { price: "30.00", quantity: 1 },
        { price: "50.00", quantity: 1, giftCard: true },
      ],
    });
    await deliver({ topic: "orders/paid", payload: order });
    expect((await memberOf(3201))?.balance).toBe(30);
    const record = await prisma.orderRecord.findFirstOrThrow({ where: { shop: TEST_SHOP } });
    expect(record.rule).toMatchObject({ basisMinor: 3000, giftCardsMinor: 5000 });

    // A refund of the gift card line (the refund payload does not say it is one).
    await deliver({
      topic: "refunds/create",
      payload: refundPayload(order.id, "50.00", { lineItemId: order.line_items[1]!.id }),
    });
    expect((await memberOf(3201))?.balance).toBe(30);
    // A refund of half the merchandise takes back half.
    await deliver({
      topic: "refunds/create",
      payload: refundPayload(order.id, "15.00", { lineItemId: order.line_items[0]!.id }),
    });
    expect((await memberOf(3201))?.balance).toBe(15);
    await expectLedgerConsistent();
  });

  it("an order of only a gift card earns nothing", async () => {
    await deliver({
      topic: "orders/paid",
      payload: orderPayload({ customerId: 3202, lines: [{ price: "100.00", giftCard: true }] }),
    });
    expect((await memberOf(3202))?.balance).toBe(0);
    expect((await prisma.orderRecord.findFirstOrThrow()).skipReason).toBe("NOTHING_TO_EARN");
  });
});

describe("64-bit ids", () => {
  // As in `shopify app webhook trigger` samples and the admin's test notifications.
  const orderId = 12_345_678_901_234_567_890n;
  const customerId = 9_223_372_036_854_775_801n;

  it("keeps order, customer and line ids above 2^53 exact", async () => {
    const order = orderPayload({
      id: orderId,
      customerId,
      lines: [{ id: 9_007_199_254_740_993n, price: "20.00" }],
    });
    expect(await deliver({ topic: "orders/paid", payload: order })).toBe(200);
    expect(await failures()).toEqual([]);
    const member = await memberOf(customerId.toString());
    expect(member).toMatchObject({ customerId: "9223372036854775801", balance: 20 });
    const record = await prisma.orderRecord.findFirstOrThrow({ where: { shop: TEST_SHOP } });
    expect(record.orderId).toBe("12345678901234567890");

    await deliver({
      topic: "refunds/create",
      payload: refundPayload(orderId, "20.00", { id: 18_014_398_509_481_985n }),
    });
    expect((await memberOf(customerId.toString()))?.balance).toBe(0);
    expect(
      (await prisma.refundRecord.findFirstOrThrow({ where: { shop: TEST_SHOP } })).refundId,
    ).toBe("18014398509481985");
  });

  it("redacts a customer whose id is above 2^53", async () => {
    await deliver({ topic: "orders/paid", payload: orderPayload({ id: orderId, customerId }) });
    expect(
      await deliver({
        topic: "customers/redact",
        payload: {
          shop_domain: TEST_SHOP,
          customer: { id: customerId, email: "shopper@example.com" },
          orders_to_redact: [orderId],
        },
      }),
    ).toBe(200);
    expect(await memberOf(customerId.toString())).toBeNull();
  });

  it("accepts the GID when a body has no numeric id", async () => {
    const order: Record<string, unknown> = orderPayload({ customerId: 3301, subtotal: "12.00" });
    delete order.id;
    expect(await deliver({ topic: "orders/paid", payload: order })).toBe(200);
    expect((await prisma.orderRecord.findFirstOrThrow()).orderId).toBe(
      String(order.admin_graphql_api_id).split("/").pop(),
    );
  });
});

describe("what earns", () => {
  it("takes included tax out of the earning basis and out of refunds (a German shop)", async () => {
    const order = orderPayload({
      customerId: 3401,
      currency: "EUR",
      taxesIncluded: true,
      lines: [{ price: "119.00", tax: "19.00" }],
    });
    await deliver({ topic: "orders/paid", payload: order });
    expect((await memberOf(3401))?.balance).toBe(100);
    await deliver({
      topic: "refunds/create",
      payload: refundPayload(order.id, "59.50", {
        currency: "EUR",
        tax: "9.50",
        lineItemId: order.line_items[0]!.id,
      }),
    });
    expect((await memberOf(3401))?.balance).toBe(50);
  });

  it("earns on shop money, not the buyer's presentment currency", async () => {
    await deliver({
      topic: "orders/paid",
      payload: orderPayload({
        customerId: 3402,
        subtotal: "40.00",
        presentment: { currency: "EUR", rate: 0.92 },
      }),
    });
    expect((await memberOf(3402))?.balance).toBe(40);
  });

  it("handles zero- and three-decimal currencies", async () => {
    await deliver({
      topic: "orders/paid",
      payload: orderPayload({
        customerId: 3403,
        currency: "JPY",
        subtotal: "4980",
        shipping: "500",
      }),
    });
    expect((await memberOf(3403))?.balance).toBe(4980);
    await resetShop();
    await deliver({
      topic: "orders/paid",
      payload: orderPayload({
        customerId: 3404,
        currency: "KWD",
        subtotal: "12.750",
        shipping: "1.000",
      }),
    });
    expect((await memberOf(3404))?.balance).toBe(12);
  });

  it("never earns on shipping, tips or duties, and a shipping-only refund takes nothing", async () => {
    const order = orderPayload({
      customerId: 3405,
      subtotal: "50.00",
      shipping: "15.00",
      tip: "7.00",
      duties: "12.00",
    });
    expect(order.total_price_set.shop_money.amount).toBe("84.00");
    await deliver({ topic: "orders/paid", payload: order });
    expect((await memberOf(3405))?.balance).toBe(50);
    await deliver({ topic: "refunds/create", payload: refundPayload(order.id, "0.00") });
    expect((await memberOf(3405))?.balance).toBe(50);
  });

  it("counts line discounts and order discounts allocated to lines", async () => {
    await deliver({
      topic: "orders/paid",
      payload: orderPayload({
        customerId: 3406,
        lines: [
          { price: "25.00", quantity: 2, discount: "5.00" },
          { price: "10.00", quantity: 1, discount: "1.00" },
        ],
      }),
    });
    expect((await memberOf(3406))?.balance).toBe(54);
  });
});

describe("bodies that cannot be used", () => {
  it("refuses an unknown currency, recorded and acknowledged", async () => {
    expect(
      await deliver({
        topic: "orders/paid",
        payload: orderPayload({ customerId: 3501, currency: "ZZZ", subtotal: "10.00" }),
      }),
    ).toBe(200);
    const [failed] = await failures();
    expect(failed).toMatchObject({ reason: "INVALID", status: "DEAD", customerId: "3501" });
    expect(failed!.error).toMatch(/unknown currency "ZZZ"/);
    expect(await memberOf(3501)).toBeNull();
  });

  it("refuses an absurd amount (90 trillion dollars) instead of crediting it", async () => {
    expect(
      await deliver({
        topic: "orders/paid",
        payload: orderPayload({ customerId: 3502, subtotal: "90000000000000.00" }),
      }),
    ).toBe(200);
    expect((await failures())[0]!.error).toMatch(/beyond any real order/);
    expect(await prisma.ledgerEntry.count()).toBe(0);
  });
});
