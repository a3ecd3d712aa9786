/**
 * Order effects (app/loyalty/orders.server.ts) beyond the happy path: points still pending when a
 * refund or cancellation comes, what each ledger entry says to the merchant, events for orders
 * that cannot be settled yet, refunds Shopify stamped with the same second, and the merchant's
 * decision on a held order.
 */
import type { OrderRecord } from "@prisma/client";
import { beforeEach, describe, expect, it } from "vitest";
import { reviewOrder } from "../../app/admin/orders.server";
import prisma from "../../app/db.server";
import { parseShopifyJson } from "../../app/domain/json";
import {
  onOrderCancelled,
  onOrderPaid,
  onRefundCreated,
  reviewHeldOrder,
} from "../../app/loyalty/orders.server";
import * as payloads from "../../app/loyalty/payloads";
import type { Db } from "../../app/loyalty/program.server";
import { deliver, expectLedgerConsistent, memberOf, resetShop } from "../support/engine";
import { orderPayload, refundPayload, shopifyId } from "../support/payloads";
import { shopifyJson, TEST_SHOP } from "../support/shopify";

beforeEach(() => resetShop());

const NOW = new Date("2026-06-01T12:00:00Z");
/** Two days before NOW: within a 14-day pending period, past a program without one. */
const PAID_AT = "2026-05-30T12:00:00Z";

const paid = (order: ReturnType<typeof orderPayload>) =>
  payloads.toPaidOrder(payloads.orderPayload.parse(parseShopifyJson(shopifyJson(order))), NOW);
const refundOf = (refund: ReturnType<typeof refundPayload>) =>
  payloads.toRefund(payloads.refundPayload.parse(parseShopifyJson(shopifyJson(refund))), NOW);

function recordOf(order: { id: number | bigint }) {
  return prisma.orderRecord.findFirstOrThrow({ where: { orderId: String(order.id) } });
}

function entries(kind: "EARN" | "REFUND_CLAWBACK" | "CANCEL_REVERSAL") {
  return prisma.ledgerEntry.findMany({ where: { kind }, orderBy: { id: "asc" } });
}

describe("an order whose points are still pending", () => {
  it("earns into the pending bucket from the payment date; a refund and then the cancellation take from there", async () => {
    await prisma.program.create({ data: { shop: TEST_SHOP, pendingDays: 14 } });
    const order = orderPayload({
      customerId: 861,
      currency: "EUR",
      subtotal: "30.00",
      processedAt: PAID_AT,
    });
    expect(await onOrderPaid(prisma, TEST_SHOP, paid(order), NOW)).toBe("applied");

    const [earn] = await entries("EARN");
    expect(earn).toMatchObject({
      points: 0,
      pendingPoints: 30,
      occurredAt: new Date(PAID_AT),
      availableAt: new Date("2026-06-13T12:00:00Z"),
    });
    expect(await memberOf(861)).toMatchObject({ balance: 0, pendingPoints: 30 });

    const refundedAt = "2026-05-31T09:00:00.000Z";
    const refund = refundPayload(order.id, "10.00", { currency: "EUR", createdAt: refundedAt });
    expect(await onRefundCreated(prisma, TEST_SHOP, refundOf(refund), NOW)).toBe("applied");
    const [clawback] = await entries("REFUND_CLAWBACK");
    expect(clawback).toMatchObject({
      points: 0,
      pendingPoints: -10,
      shortfall: 0,
      amountMinor: -1000,
      currency: "EUR",
      description: `Refund on order ${order.name}`,
      occurredAt: new Date(refundedAt),
    });
    // The clawback is explained under the rule the order earned by.
    const record = await recordOf(order);
    expect(clawback!.rule).toEqual(record.rule);
    expect(record).toMatchObject({ pendingRemaining: 20, clawedBackPoints: 10 });

    const cancelledAt = new Date("2026-05-31T10:00:00Z");
    expect(await onOrderCancelled(prisma, TEST_SHOP, String(order.id), cancelledAt, NOW)).toBe(
      "applied",
    );
    const [reversal] = await entries("CANCEL_REVERSAL");
    expect(reversal).toMatchObject({
      points: 0,
      pendingPoints: -20,
      amountMinor: -2000,
      currency: "EUR",
      description: `Order ${order.name} cancelled`,
      occurredAt: cancelledAt,
    });
    expect(await memberOf(861)).toMatchObject({ balance: 0, pendingPoints: 0 });
    await expectLedgerConsistent();
  });
});

describe("events for an order that cannot be settled yet", () => {
  it("a cancellation of an order held for review waits for the decision, then reverses it", async () => {
    await prisma.program.create({ data: { shop: TEST_SHOP, maxPointsPerOrder: 100 } });
    await deliver({
      topic: "orders/paid",
      payload: orderPayload({ customerId: 862, subtotal: "40.00", processedAt: PAID_AT }),
    });
    const held = orderPayload({ customerId: 862, subtotal: "150.00", processedAt: PAID_AT });
    expect(await onOrderPaid(prisma, TEST_SHOP, paid(held), NOW)).toBe("held");

    const cancelledAt = new Date("2026-05-31T10:00:00Z");
    expect(await onOrderCancelled(prisma, TEST_SHOP, String(held.id), cancelledAt, NOW)).toBe(
      "deferred",
    );
    // Nothing was credited for the held order, so nothing is taken from the member's 40.
    expect(await entries("CANCEL_REVERSAL")).toEqual([]);
    expect((await memberOf(862))?.balance).toBe(40);
    expect(await recordOf(held)).toMatchObject({ status: "HELD", cancelledAt });

    expect(
      await reviewHeldOrder(prisma, TEST_SHOP, String(held.id), "approve", "staff:Ada", NOW),
    ).toEqual({ ok: true, status: "EARNED" });
    expect((await entries("CANCEL_REVERSAL")).map((e) => e.points)).toEqual([-150]);
    expect((await memberOf(862))?.balance).toBe(40);
    await expectLedgerConsistent();
  });

  // The order still names its customer but the member row is gone (a redaction committing
  // between the two reads): the event is kept and waits instead of failing the delivery.
  it("a refund or cancellation whose member row is gone is kept, deferred", async () => {
    const order = orderPayload({ customerId: 863, subtotal: "30.00", processedAt: PAID_AT });
    expect(await onOrderPaid(prisma, TEST_SHOP, paid(order), NOW)).toBe("applied");
    await prisma.member.deleteMany({ where: { customerId: "863" } });

    const refund = refundPayload(order.id, "10.00");
    expect(await onRefundCreated(prisma, TEST_SHOP, refundOf(refund), NOW)).toBe("deferred");
    const at = new Date("2026-05-31T10:00:00Z");
    expect(await onOrderCancelled(prisma, TEST_SHOP, String(order.id), at, NOW)).toBe("deferred");

    expect(
      await prisma.refundRecord.findFirstOrThrow({ where: { refundId: String(refund.id) } }),
    ).toMatchObject({ appliedAt: null, clawedBack: 0 });
    expect(await recordOf(order)).toMatchObject({
      status: "EARNED",
      cancelledAt: at,
      clawedBackPoints: 0,
    });
    expect(await prisma.ledgerEntry.count()).toBe(0);
  });

  // Rows written before orders kept their rule snapshot have none: refunds then fall back to a
  // tax-exclusive basis (the refund's tax is not part of it) and the entry carries no rule.
  it("a refund of an earned order without a rule snapshot is taken on the tax-exclusive basis", async () => {
    const order = orderPayload({ customerId: 864, subtotal: "20.00", processedAt: PAID_AT });
    expect(await onOrderPaid(prisma, TEST_SHOP, paid(order), NOW)).toBe("applied");
    // Raw SQL: each database's client has its own Prisma.DbNull, and only one is imported here.
    await prisma.$executeRaw`UPDATE "OrderRecord" SET "rule" = NULL WHERE "orderId" = ${String(order.id)}`;

    const refund = refundPayload(order.id, "10.00", { tax: "2.00" });
    expect(await onRefundCreated(prisma, TEST_SHOP, refundOf(refund), NOW)).toBe("applied");
    const [clawback] = await entries("REFUND_CLAWBACK");
    expect(clawback).toMatchObject({ points: -10, amountMinor: -1000, rule: null });
    expect((await memberOf(864))?.balance).toBe(10);
    await expectLedgerConsistent();
  });
});

describe("refunds that overtook the payment", () => {
  it("with the same created_at, are applied in refund id order", async () => {
    const line = shopifyId();
    const order = orderPayload({
      customerId: 865,
      processedAt: PAID_AT,
      lines: [{ id: line, price: "10.00" }],
    });
    const createdAt = "2026-05-31T01:00:00Z";
    const first = refundPayload(order.id, "3.33", {
      id: 820_500_000_001,
      lineItemId: line,
      createdAt,
    });
    const second = refundPayload(order.id, "6.67", {
      id: 820_500_000_002,
      lineItemId: line,
      createdAt,
    });
    // Delivered (and stored) in the opposite order.
    for (const refund of [second, first]) {
      expect(await onRefundCreated(prisma, TEST_SHOP, refundOf(refund), NOW)).toBe("deferred");
    }
    expect(await onOrderPaid(prisma, TEST_SHOP, paid(order), NOW)).toBe("applied");

    // 10 points on 10.00: the first refund takes floor(10 × 3.33 / 10) = 3, the second, which
    // completes the refund of the whole basis, the remaining 7.
    expect((await entries("REFUND_CLAWBACK")).map((e) => [e.sourceId, e.points])).toEqual([
      ["820500000001", -3],
      ["820500000002", -7],
    ]);
    expect((await memberOf(865))?.balance).toBe(0);
    await expectLedgerConsistent();
  });
});

describe("the merchant's decision on a held order", () => {
  beforeEach(async () => {
    await prisma.program.create({ data: { shop: TEST_SHOP, maxPointsPerOrder: 100 } });
  });

  async function heldOrder(customerId: number) {
    const order = orderPayload({ customerId, subtotal: "150.00", processedAt: PAID_AT });
    expect(await onOrderPaid(prisma, TEST_SHOP, paid(order), NOW)).toBe("held");
    return order;
  }

  it("on an order that is not held, or not known, changes nothing", async () => {
    const earned = orderPayload({ customerId: 871, subtotal: "50.00", processedAt: PAID_AT });
    expect(await onOrderPaid(prisma, TEST_SHOP, paid(earned), NOW)).toBe("applied");

    for (const decision of ["approve", "reject"] as const) {
      expect(
        await reviewHeldOrder(prisma, TEST_SHOP, String(earned.id), decision, "staff:Ada", NOW),
      ).toEqual({ ok: false, error: "NOT_HELD" });
      expect(
        await reviewHeldOrder(prisma, TEST_SHOP, "820999999999", decision, "staff:Ada", NOW),
      ).toEqual({ ok: false, error: "NOT_HELD" });
    }
    expect(await reviewOrder(TEST_SHOP, String(earned.id), "approve", "staff:Ada", NOW)).toEqual({
      ok: false,
      error: "This order is not waiting for review any more.",
    });
    expect(await recordOf(earned)).toMatchObject({ status: "EARNED", reviewedBy: null });
    expect((await memberOf(871))?.balance).toBe(50);
  });

  it("cannot approve once the customer's data was erased, but can still reject", async () => {
    const order = await heldOrder(872);
    expect(
      await deliver({
        topic: "customers/redact",
        payload: { shop_domain: TEST_SHOP, customer: { id: 872 }, orders_to_redact: [] },
      }),
    ).toBe(200);

    expect(await reviewOrder(TEST_SHOP, String(order.id), "approve", "staff:Ada", NOW)).toEqual({
      ok: false,
      error: "The customer of this order is no longer a member (their data was erased).",
    });
    expect(await recordOf(order)).toMatchObject({ status: "HELD", reviewedBy: null });

    expect(await reviewOrder(TEST_SHOP, String(order.id), "reject", "staff:Ada", NOW)).toEqual({
      ok: true,
      status: "SKIPPED",
    });
    expect(await recordOf(order)).toMatchObject({
      status: "SKIPPED",
      skipReason: "REJECTED",
      reviewedBy: "staff:Ada",
    });
    expect(await prisma.ledgerEntry.count()).toBe(0);
  });

  it("decides that order only, not the others waiting", async () => {
    const rejected = await heldOrder(873);
    const waiting = await heldOrder(874);
    expect(
      await reviewHeldOrder(prisma, TEST_SHOP, String(rejected.id), "reject", "staff:Ada", NOW),
    ).toEqual({ ok: true, status: "SKIPPED" });
    expect(await recordOf(waiting)).toMatchObject({
      status: "HELD",
      holdReason: "ABOVE_CEILING",
      skipReason: null,
      reviewedBy: null,
      reviewedAt: null,
    });
  });

  // Without the row lock (or with a read taken before another decision committed), the order
  // is read as held after it was decided: the conditional update is what makes it count once.
  it("a second decision based on a stale read changes nothing", async () => {
    const order = await heldOrder(875);
    const stale = await recordOf(order);
    expect(
      await reviewHeldOrder(prisma, TEST_SHOP, String(order.id), "approve", "staff:Ada", NOW),
    ).toEqual({ ok: true, status: "EARNED" });

    for (const decision of ["approve", "reject"] as const) {
      expect(
        await reviewHeldOrder(
          staleRead(stale),
          TEST_SHOP,
          stale.orderId,
          decision,
          "staff:Bob",
          NOW,
        ),
      ).toEqual({ ok: false, error: "NOT_HELD" });
    }
    expect(await recordOf(order)).toMatchObject({ status: "EARNED", reviewedBy: "staff:Ada" });
    expect((await memberOf(875))?.balance).toBe(150);
    await expectLedgerConsistent();
  });
});

/** The database as seen by a process that read `record` before it changed. */
function staleRead(record: OrderRecord): Db {
  const orderRecord = new Proxy(prisma.orderRecord, {
    get: (target, key) =>
      key === "findUnique" ? () => Promise.resolve(record) : Reflect.get(target, key),
  });
  return new Proxy(prisma, {
    get: (target, key) => (key === "orderRecord" ? orderRecord : Reflect.get(target, key)),
  }) as unknown as Db;
}
