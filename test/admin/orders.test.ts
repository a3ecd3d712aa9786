import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { action, loader } from "../../app/routes/app.orders.$orderId";
import { loader as lookupLoader } from "../../app/routes/app.orders._index";
import { expectStatus, load, OTHER_SHOP, post, resetShop, signIn } from "../support/admin";
import { deliver, expectLedgerConsistent, memberOf } from "../support/engine";
import { orderPayload, refundPayload } from "../support/payloads";
import { TEST_SHOP } from "../support/shopify";

type Explained = Awaited<ReturnType<typeof loader>>;
type Lookup = Awaited<ReturnType<typeof lookupLoader>>;

function explain(orderId: number | string, shop = TEST_SHOP) {
  return load<Explained>(loader, `/app/orders/${orderId}`, {
    shop,
    params: { orderId: String(orderId) },
  });
}

const titles = (data: Explained) => data.explanation.lines.map((l) => l.title);

beforeEach(async () => {
  await resetShop();
  await resetShop(OTHER_SHOP);
  await signIn();
});

describe("explain this order", () => {
  it("walks through an earned order: amount, rule, points", async () => {
    await deliver({
      topic: "orders/paid",
      payload: orderPayload({ id: 900_001, customerId: 61, subtotal: "45.99" }),
    });

    const data = await explain(900_001);

    expect(data.explanation).toMatchObject({
      headline: "Earned 45 points",
      net: 45,
      tone: "success",
    });
    expect(titles(data)).toEqual(["Earning amount", "Rule at the time", "Earned 45 points"]);
    expect(data.explanation.lines[0]!.detail).toMatch(/^\$45\.99: the subtotal after discounts/);
    expect(data.explanation.lines[1]!.detail).toBe(
      "1 point per $1.00, rounded down once per order.",
    );
    expect(data.member?.name).toBe("Ada Lovelace");
  });

  it("says guest checkout, test order and program off in words", async () => {
    await deliver({
      topic: "orders/paid",
      payload: orderPayload({ id: 900_002, customerId: null }),
    });
    await deliver({
      topic: "orders/paid",
      payload: orderPayload({ id: 900_003, customerId: 62, test: true }),
    });
    await prisma.program.update({ where: { shop: TEST_SHOP }, data: { enabled: false } });
    await deliver({ topic: "orders/paid", payload: orderPayload({ id: 900_004, customerId: 63 }) });

    expect((await explain(900_002)).explanation.headline).toBe("No points: guest checkout");
    expect((await explain(900_002)).member).toBeNull();
    expect((await explain(900_003)).explanation.headline).toBe("No points: test order");
    const off = await explain(900_004);
    expect(off.explanation.headline).toBe("No points: the program was off");
    expect(off.explanation.lines[0]!.detail).toMatch(/switched off when this order was paid/);
  });

  it("explains refunds, the floor's shortfall and a cancellation", async () => {
    await deliver({
      topic: "orders/paid",
      payload: orderPayload({ id: 900_010, customerId: 64, subtotal: "100.00" }),
    });
    await deliver({ topic: "refunds/create", payload: refundPayload(900_010, "40.00") });
    await deliver({
      topic: "orders/cancelled",
      payload: {
        ...orderPayload({ id: 900_010, customerId: 64, subtotal: "100.00" }),
        cancelled_at: new Date().toISOString(),
      },
    });

    const data = await explain(900_010);

    expect(data.explanation).toMatchObject({
      headline: "Earned 100 points, 100 points taken back",
      net: 0,
      tone: "critical",
    });
    expect(titles(data)).toEqual([
      "Earning amount",
      "Rule at the time",
      "Earned 100 points",
      "Refund took back 40 points",
      "Cancelled: 60 points reversed",
    ]);
  });

  it("explains an order we heard about only through an early refund", async () => {
    await deliver({ topic: "refunds/create", payload: refundPayload(900_020, "10.00") });
    const data = await explain(900_020);
    expect(data.explanation.headline).toBe("No points yet: not paid");
  });

  it("answers 404 for another shop's order and for orders we never saw", async () => {
    await deliver({
      topic: "orders/paid",
      payload: orderPayload({ id: 900_030, customerId: 65 }),
      shop: OTHER_SHOP,
    });
    expectStatus(await explain(900_030), 404);
    expect((await explain(900_030, OTHER_SHOP)).explanation.headline).toMatch(/^Earned/);
    expectStatus(await explain(123), 404);
  });
});

describe("order lookup", () => {
  it("finds an order by number with its outcome, and only this shop's", async () => {
    await deliver({
      topic: "orders/paid",
      payload: orderPayload({ id: 900_101, customerId: null }),
    });
    await deliver({
      topic: "orders/paid",
      payload: orderPayload({ id: 900_102, customerId: 66, subtotal: "12.00" }),
    });
    await deliver({
      topic: "orders/paid",
      payload: orderPayload({ id: 900_103, customerId: 67 }),
      shop: OTHER_SHOP,
    });

    const all = await load<Lookup>(lookupLoader, "/app/orders");
    expect(all.orders.map((o) => [o.orderId, o.outcome, o.customer]).sort()).toEqual([
      ["900101", "No points: guest checkout", "Guest"],
      ["900102", "Earned 12", "Ada Lovelace"],
    ]);

    const byName = await load<Lookup>(lookupLoader, "/app/orders?q=%231102");
    expect(byName.orders.map((o) => o.orderId)).toEqual(["900102"]);
    const byId = await load<Lookup>(lookupLoader, "/app/orders?q=900101");
    expect(byId.orders.map((o) => o.orderId)).toEqual(["900101"]);
    const theirs = await load<Lookup>(lookupLoader, "/app/orders?q=900103");
    expect(theirs.orders).toEqual([]);
  });
});

describe("orders above the ceiling", () => {
  beforeEach(async () => {
    await prisma.program.create({ data: { shop: TEST_SHOP, maxPointsPerOrder: 1_000 } });
  });

  const review = (orderId: number, intent: string, shop = TEST_SHOP) =>
    post<{ ok: boolean; status?: string; error?: string }>(
      action,
      `/app/orders/${orderId}`,
      { intent },
      { shop, params: { orderId: String(orderId) } },
    );

  it("are held instead of credited, then credited once when approved, refunds included", async () => {
    const order = orderPayload({ id: 900_101, customerId: 71, subtotal: "2500.00" });
    await deliver({ topic: "orders/paid", payload: order });
    await deliver({ topic: "refunds/create", payload: refundPayload(order.id, "500.00") });
    expect((await memberOf(71))?.balance).toBe(0);

    const lookup = await load<Lookup>(lookupLoader, "/app/orders?status=held");
    expect(lookup).toMatchObject({ held: 1, heldOnly: true });
    expect(lookup.orders.map((o) => o.outcome)).toEqual(["Held for review: 2500"]);
    const held = await explain(900_101);
    expect(held.explanation.headline).toBe("Held for review");
    expect(held.order).toMatchObject({ held: true, points: 2500 });

    const [first, second] = await Promise.all([
      review(900_101, "approve"),
      review(900_101, "approve"),
    ]);
    expect([first, second].filter((r) => r.ok)).toEqual([{ ok: true, status: "EARNED" }]);
    expect((await memberOf(71))?.balance).toBe(2000);
    const after = await explain(900_101);
    expect(after.order).toMatchObject({ held: false, reviewedBy: expect.any(String) });
    await expectLedgerConsistent();
  });

  it("record a rejection as not credited", async () => {
    await deliver({
      topic: "orders/paid",
      payload: orderPayload({ id: 900_102, customerId: 72, subtotal: "1500.00" }),
    });
    expect(await review(900_102, "reject")).toEqual({ ok: true, status: "SKIPPED" });
    expect((await memberOf(72))?.balance).toBe(0);
    expect((await explain(900_102)).explanation.headline).toBe("No points: not approved");
    expect(await review(900_102, "approve")).toMatchObject({ ok: false });
    expectStatus(await review(900_102, "approve", OTHER_SHOP), 404);
  });

  it("leave orders under the ceiling alone", async () => {
    await deliver({
      topic: "orders/paid",
      payload: orderPayload({ id: 900_103, customerId: 73, subtotal: "999.00" }),
    });
    expect((await memberOf(73))?.balance).toBe(999);
  });
});
