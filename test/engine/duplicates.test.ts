// Every event arrives more than once. The ledger's unique keys would stop a second award on their
// own, but then the transaction fails and Shopify gets a 500 and retries for two days: each event
// must recognise its repeat before it writes, answer "duplicate", and leave the first copy as is.
import { Prisma } from "@prisma/client";
import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { parseShopifyJson } from "../../app/domain/json";
import { onOrderCancelled, onOrderPaid, onRefundCreated } from "../../app/loyalty/orders.server";
import * as payloads from "../../app/loyalty/payloads";
import { webhookHandlers } from "../../app/loyalty/webhook-topics.server";
import type { WebhookHandler } from "../../app/loyalty/webhooks.server";
import { processWebhook } from "../../app/loyalty/webhooks.server";
import { deliver, expectLedgerConsistent, memberOf, resetShop } from "../support/engine";
import { orderPayload, refundPayload, shopifyId } from "../support/payloads";
import { shopifyJson, TEST_SHOP, webhookRequest } from "../support/shopify";

beforeEach(() => resetShop());

const NOW = new Date("2026-06-01T12:00:00Z");

/** The payload as the app reads it off the wire. */
function wire(value: unknown): unknown {
  return parseShopifyJson(shopifyJson(value));
}
const paid = (order: ReturnType<typeof orderPayload>) =>
  payloads.toPaidOrder(payloads.orderPayload.parse(wire(order)), NOW);
const refundOf = (refund: ReturnType<typeof refundPayload>) =>
  payloads.toRefund(payloads.refundPayload.parse(wire(refund)), NOW);

describe("an event delivered again under a new delivery id", () => {
  it("orders/paid: answered 200, reported duplicate, awarded once", async () => {
    const order = orderPayload({ customerId: 801, subtotal: "30.00" });
    expect(await deliver({ topic: "orders/paid", payload: order })).toBe(200);
    expect(await deliver({ topic: "orders/paid", payload: order })).toBe(200);

    expect(await onOrderPaid(prisma, TEST_SHOP, paid(order), NOW)).toBe("duplicate");
    expect((await memberOf(801))?.balance).toBe(30);
    expect(await prisma.ledgerEntry.count()).toBe(1);
  });

  it("orders/paid while held for review: still one record, still held", async () => {
    await prisma.program.create({ data: { shop: TEST_SHOP, maxPointsPerOrder: 10 } });
    const order = orderPayload({ customerId: 802, subtotal: "30.00" });
    expect(await deliver({ topic: "orders/paid", payload: order })).toBe(200);

    expect(await onOrderPaid(prisma, TEST_SHOP, paid(order), NOW)).toBe("duplicate");
    expect(await prisma.orderRecord.findFirstOrThrow()).toMatchObject({ status: "HELD" });
  });

  it("refunds/create: answered 200, reported duplicate, taken back once", async () => {
    const order = orderPayload({ customerId: 803, subtotal: "30.00" });
    const refund = refundPayload(order.id, "10.00");
    await deliver({ topic: "orders/paid", payload: order });
    expect(await deliver({ topic: "refunds/create", payload: refund })).toBe(200);
    expect(await deliver({ topic: "refunds/create", payload: refund })).toBe(200);

    expect(await onRefundCreated(prisma, TEST_SHOP, refundOf(refund), NOW)).toBe("duplicate");
    expect((await memberOf(803))?.balance).toBe(20);
    expect(await prisma.refundRecord.count()).toBe(1);
  });

  it("a refund listed in a paid body that arrived first as refunds/create", async () => {
    const refund = refundPayload(0, "10.00");
    const order = orderPayload({ customerId: 804, subtotal: "30.00" });
    const early = { ...refund, order_id: order.id };
    expect(await deliver({ topic: "refunds/create", payload: early })).toBe(200);
    const listing = {
      ...order,
      refunds: [{ ...early, refund_line_items: early.refund_line_items }],
    };

    expect(await deliver({ topic: "orders/paid", payload: listing })).toBe(200);

    expect(await prisma.refundRecord.count()).toBe(1);
    expect((await memberOf(804))?.balance).toBe(20);
    await expectLedgerConsistent();
  });

  it("orders/cancelled: answered 200, reported duplicate, the first cancellation kept", async () => {
    const order = orderPayload({ customerId: 805, subtotal: "30.00" });
    await deliver({ topic: "orders/paid", payload: order });
    const first = "2026-05-01T10:00:00.000Z";
    const cancelled = { ...order, cancelled_at: first };
    expect(await deliver({ topic: "orders/cancelled", payload: cancelled })).toBe(200);
    expect(await deliver({ topic: "orders/cancelled", payload: cancelled })).toBe(200);

    const again = new Date("2026-05-02T10:00:00Z");
    expect(await onOrderCancelled(prisma, TEST_SHOP, String(order.id), again, NOW)).toBe(
      "duplicate",
    );
    expect((await prisma.orderRecord.findFirstOrThrow()).cancelledAt?.toISOString()).toBe(first);
    expect((await memberOf(805))?.balance).toBe(0);
    expect(await prisma.ledgerEntry.count({ where: { kind: "CANCEL_REVERSAL" } })).toBe(1);
  });

  it("orders/cancelled before payment, twice: deferred, then duplicate", async () => {
    const order = orderPayload({ customerId: 806 });
    const at = new Date("2026-05-01T10:00:00Z");
    expect(await onOrderCancelled(prisma, TEST_SHOP, String(order.id), at, NOW)).toBe("deferred");
    expect(await onOrderCancelled(prisma, TEST_SHOP, String(order.id), NOW, NOW)).toBe("duplicate");
    expect((await prisma.orderRecord.findFirstOrThrow()).cancelledAt).toEqual(at);
  });
});

describe("a delivery id seen before", () => {
  it("is acknowledged and ignored, whatever the body says", async () => {
    const first = orderPayload({ customerId: 811, subtotal: "30.00" });
    const other = orderPayload({ customerId: 812, subtotal: "50.00" });
    expect(await deliver({ topic: "orders/paid", payload: first, webhookId: "w-1" })).toBe(200);
    expect(await deliver({ topic: "orders/paid", payload: other, webhookId: "w-1" })).toBe(200);

    expect(await memberOf(812)).toBeNull();
    expect(await prisma.orderRecord.count()).toBe(1);
  });

  it("stays dead-lettered when Shopify resends it: only a replay applies it", async () => {
    const order = orderPayload({ customerId: 813 });
    await prisma.webhookDelivery.create({
      data: { shop: TEST_SHOP, webhookId: "dead-1", topic: "ORDERS_PAID", status: "FAILED" },
    });

    expect(await deliver({ topic: "orders/paid", payload: order, webhookId: "dead-1" })).toBe(200);

    expect(await memberOf(813)).toBeNull();
    expect(await prisma.webhookDelivery.findFirstOrThrow()).toMatchObject({ status: "FAILED" });
  });
});

describe("the same delivery in parallel", () => {
  it("a body that cannot be read is recorded once, and a copy that loses the race is acknowledged", async () => {
    const statuses = await Promise.all(
      Array.from({ length: 4 }, () =>
        deliver({ topic: "orders/paid", payload: "{not json", webhookId: "twice-bad" }),
      ),
    );
    expect(statuses).toEqual([200, 200, 200, 200]);
    expect(await prisma.failedEvent.count()).toBe(1);
    expect(await prisma.webhookDelivery.count()).toBe(1);

    // SQLite lets the copies above through one at a time, so the loser's view is staged: the
    // winner's FailedEvent is there when the loser records its own.
    await prisma.failedEvent.create({
      data: { shop: TEST_SHOP, topic: "ORDERS_PAID", webhookId: "raced", payload: "{", error: "x" },
    });
    expect(await deliver({ topic: "orders/paid", payload: "{not json", webhookId: "raced" })).toBe(
      200,
    );
    expect(await prisma.failedEvent.count({ where: { webhookId: "raced" } })).toBe(1);
  });

  it("an effect that collides with the same event committed under another id is run again", async () => {
    // What PostgreSQL does when two deliveries of one event race past each other's checks: the
    // loser's insert hits the natural key. SQLite serialises the two, so the collision is staged.
    let calls = 0;
    const collidingOnce: WebhookHandler<unknown> = {
      parse: webhookHandlers.ordersPaid.parse as WebhookHandler<unknown>["parse"],
      async apply(db, context) {
        calls += 1;
        if (calls === 1) {
          throw new Prisma.PrismaClientKnownRequestError("Unique constraint failed", {
            code: "P2002",
            clientVersion: Prisma.prismaVersion.client,
          });
        }
        return webhookHandlers.ordersPaid.apply(db, context as never);
      },
    };
    const order = orderPayload({ customerId: 821, subtotal: "30.00" });

    const response = await processWebhook(
      webhookRequest({ topic: "orders/paid", payload: order, webhookId: "collide" }),
      collidingOnce,
    );

    expect(response.status).toBe(200);
    expect(calls).toBe(2);
    expect((await memberOf(821))?.balance).toBe(30);
    expect(await prisma.failedEvent.count()).toBe(0);
  });

  it("gives up after three collisions and lets Shopify retry", async () => {
    let calls = 0;
    const alwaysColliding: WebhookHandler<unknown> = {
      parse: webhookHandlers.ordersPaid.parse as WebhookHandler<unknown>["parse"],
      async apply() {
        calls += 1;
        throw new Prisma.PrismaClientKnownRequestError("Unique constraint failed", {
          code: "P2002",
          clientVersion: Prisma.prismaVersion.client,
        });
      },
    };
    const order = orderPayload({ customerId: 822 });

    const response = await processWebhook(
      webhookRequest({ topic: "orders/paid", payload: order, webhookId: "collide-3" }),
      alwaysColliding,
    );

    expect(response.status).toBe(500);
    expect(calls).toBe(3);
    expect(await prisma.webhookDelivery.count()).toBe(0);
  });
});

/** Before NOW, so the points are available at once. */
const PAID_AT = "2026-05-30T12:00:00Z";

describe("orders.server: outcomes and stored records", () => {
  it("stores a refund's subtotal and tax totals as Shopify sent them", async () => {
    const refund = refundPayload(shopifyId(), "20.00", { tax: "1.50" });
    expect(await onRefundCreated(prisma, TEST_SHOP, refundOf(refund), NOW)).toBe("deferred");
    const stored = await prisma.refundRecord.findFirstOrThrow({
      where: { refundId: String(refund.id) },
    });
    expect(stored).toMatchObject({ subtotalMinor: 2000, taxMinor: 150 });
  });

  it("a skipped payment fills in the record a refund created first, and reports skipped", async () => {
    const order = orderPayload({ customerId: null, subtotal: "30.00" });
    await onRefundCreated(prisma, TEST_SHOP, refundOf(refundPayload(order.id, "5.00")), NOW);
    expect(await onOrderPaid(prisma, TEST_SHOP, paid(order), NOW)).toBe("skipped");
    const record = await prisma.orderRecord.findFirstOrThrow({
      where: { orderId: String(order.id) },
    });
    expect(record).toMatchObject({
      status: "SKIPPED",
      skipReason: "GUEST_CHECKOUT",
      name: order.name,
      totalMinor: 3000,
    });
    expect(record.paidAt).not.toBeNull();
  });

  it("an order above the per-order maximum is held; one earning exactly the maximum is applied", async () => {
    await prisma.program.create({ data: { shop: TEST_SHOP, maxPointsPerOrder: 30 } });
    const above = orderPayload({ customerId: 851, subtotal: "31.00" });
    expect(await onOrderPaid(prisma, TEST_SHOP, paid(above), NOW)).toBe("held");
    const exact = orderPayload({ customerId: 852, subtotal: "30.00", processedAt: PAID_AT });
    expect(await onOrderPaid(prisma, TEST_SHOP, paid(exact), NOW)).toBe("applied");
    expect((await memberOf(852))?.balance).toBe(30);
    const record = await prisma.orderRecord.findFirstOrThrow({
      where: { orderId: String(exact.id) },
    });
    expect(record).toMatchObject({ status: "EARNED", holdReason: null, earnedPoints: 30 });
    await expectLedgerConsistent();
  });

  it("an order that earns 0 points posts no entry and says why", async () => {
    const order = orderPayload({ customerId: 853, subtotal: "0.50" });
    expect(await onOrderPaid(prisma, TEST_SHOP, paid(order), NOW)).toBe("applied");
    const record = await prisma.orderRecord.findFirstOrThrow({
      where: { orderId: String(order.id) },
    });
    expect(record).toMatchObject({
      status: "EARNED",
      earnedPoints: 0,
      skipReason: "NOTHING_TO_EARN",
    });
    expect(await prisma.ledgerEntry.count()).toBe(0);
    // An order that earns points carries no skip reason.
    const earning = orderPayload({ customerId: 853, subtotal: "5.00" });
    await onOrderPaid(prisma, TEST_SHOP, paid(earning), NOW);
    const earned = await prisma.orderRecord.findFirstOrThrow({
      where: { orderId: String(earning.id) },
    });
    expect(earned.skipReason).toBeNull();
  });

  it("the EARN entry carries the order's currency and name, the tier change its reason", async () => {
    await prisma.tier.create({ data: { shop: TEST_SHOP, name: "Gold", threshold: 10 } });
    const order = orderPayload({ customerId: 854, currency: "EUR", subtotal: "20.00" });
    expect(await onOrderPaid(prisma, TEST_SHOP, paid(order), NOW)).toBe("applied");
    const member = await memberOf(854);
    const entry = await prisma.ledgerEntry.findFirstOrThrow({ where: { memberId: member!.id } });
    expect(entry).toMatchObject({
      kind: "EARN",
      currency: "EUR",
      description: `Order ${order.name}`,
    });
    const change = await prisma.tierChange.findFirstOrThrow({ where: { memberId: member!.id } });
    expect(change).toMatchObject({ toName: "Gold", reason: `order ${order.name} paid` });
  });

  it("applies only this order's early refunds, in the order Shopify created them", async () => {
    const lineA = shopifyId();
    const lineB = shopifyId();
    const a = orderPayload({
      customerId: 855,
      processedAt: PAID_AT,
      lines: [{ id: lineA, price: "50.00" }],
    });
    const b = orderPayload({
      customerId: 855,
      processedAt: PAID_AT,
      lines: [{ id: lineB, price: "40.00" }],
    });
    const later = refundPayload(a.id, "10.00", {
      lineItemId: lineA,
      createdAt: "2026-05-31T02:00:00Z",
    });
    const earlier = refundPayload(a.id, "5.00", {
      lineItemId: lineA,
      createdAt: "2026-05-31T01:00:00Z",
    });
    const ofB = refundPayload(b.id, "7.00", { lineItemId: lineB });
    // Delivered newest first, and B's before A's is paid.
    for (const refund of [later, ofB, earlier]) {
      expect(await onRefundCreated(prisma, TEST_SHOP, refundOf(refund), NOW)).toBe("deferred");
    }
    expect(await onOrderPaid(prisma, TEST_SHOP, paid(a), NOW)).toBe("applied");

    const member = await memberOf(855);
    const clawbacks = await prisma.ledgerEntry.findMany({
      where: { memberId: member!.id, kind: "REFUND_CLAWBACK" },
      orderBy: { id: "asc" },
    });
    expect(clawbacks.map((e) => [e.sourceId, e.points])).toEqual([
      [String(earlier.id), -5],
      [String(later.id), -10],
    ]);
    expect(member?.balance).toBe(35);
    const waiting = await prisma.refundRecord.findFirstOrThrow({
      where: { refundId: String(ofB.id) },
    });
    expect(waiting.appliedAt).toBeNull();

    expect(await onOrderPaid(prisma, TEST_SHOP, paid(b), NOW)).toBe("applied");
    expect((await memberOf(855))?.balance).toBe(35 + 33);
    await expectLedgerConsistent();
  });
});
