import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { deliver, expectLedgerConsistent, memberOf, resetShop } from "../support/engine";
import { orderPayload, refundPayload } from "../support/payloads";
import { TEST_SHOP } from "../support/shopify";

beforeEach(() => resetShop());

async function entriesFor(customerId: number) {
  const member = await memberOf(customerId);
  return prisma.ledgerEntry.findMany({ where: { memberId: member!.id }, orderBy: { id: "asc" } });
}

describe("refunds/create", () => {
  it("claws back in proportion to the refunded subtotal", async () => {
    const order = orderPayload({ customerId: 701, subtotal: "100.00" });
    await deliver({ topic: "orders/paid", payload: order });

    await deliver({ topic: "refunds/create", payload: refundPayload(order.id, "25.00") });

    expect((await memberOf(701))?.balance).toBe(75);
    const clawback = (await entriesFor(701)).at(-1);
    expect(clawback).toMatchObject({
      kind: "REFUND_CLAWBACK",
      points: -25,
      balanceAfter: 75,
      amountMinor: -2500,
    });
    await expectLedgerConsistent();
  });

  it("never claws back more than was earned over several partial refunds", async () => {
    const order = orderPayload({ customerId: 702, subtotal: "99.99" });
    await deliver({ topic: "orders/paid", payload: order });
    for (const amount of ["33.33", "33.33", "33.33", "10.00"]) {
      await deliver({ topic: "refunds/create", payload: refundPayload(order.id, amount) });
    }
    const entries = await entriesFor(702);
    const clawed = entries
      .filter((e) => e.kind === "REFUND_CLAWBACK")
      .reduce((s, e) => s - e.points, 0);
    expect(clawed).toBe(99);
    expect((await memberOf(702))?.balance).toBe(0);
    await expectLedgerConsistent();
  });

  it("claws back at the rate the order earned at, not today's", async () => {
    const order = orderPayload({ customerId: 703, subtotal: "100.00" });
    await deliver({ topic: "orders/paid", payload: order });
    await prisma.program.update({ where: { shop: TEST_SHOP }, data: { earnPoints: 10 } });

    await deliver({ topic: "refunds/create", payload: refundPayload(order.id, "50.00") });

    expect((await memberOf(703))?.balance).toBe(50);
  });

  it("ignores shipping-only refunds", async () => {
    const order = orderPayload({ customerId: 704, subtotal: "40.00" });
    await deliver({ topic: "orders/paid", payload: order });
    const shippingOnly = { ...refundPayload(order.id, "0.00"), refund_line_items: [] };
    await deliver({ topic: "refunds/create", payload: shippingOnly });
    expect((await memberOf(704))?.balance).toBe(40);
  });

  it("keeps the balance at zero when the points were already spent, and records the shortfall", async () => {
    const order = orderPayload({ customerId: 705, subtotal: "100.00" });
    await deliver({ topic: "orders/paid", payload: order });
    const member = await memberOf(705);
    // The shopper spent 80 of the 100 points before refunding.
    await prisma.$transaction(async (tx) => {
      const { postEntry } = await import("../../app/loyalty/ledger.server");
      const program = await tx.program.findUniqueOrThrow({ where: { shop: TEST_SHOP } });
      await postEntry(
        tx,
        program,
        member!,
        {
          kind: "REDEEM",
          points: -80,
          source: "REDEMPTION",
          idempotencyKey: "test-redeem",
          description: "Redeemed",
          occurredAt: new Date(),
        },
        new Date(),
      );
    });

    await deliver({ topic: "refunds/create", payload: refundPayload(order.id, "100.00") });

    const last = (await entriesFor(705)).at(-1);
    expect(last).toMatchObject({
      kind: "REFUND_CLAWBACK",
      points: -20,
      shortfall: 80,
      balanceAfter: 0,
    });
    expect((await memberOf(705))?.balance).toBe(0);
    await expectLedgerConsistent();
  });
});

describe("orders/cancelled", () => {
  it("reverses what the order still holds", async () => {
    const order = orderPayload({ customerId: 711, subtotal: "60.00" });
    await deliver({ topic: "orders/paid", payload: order });
    await deliver({ topic: "refunds/create", payload: refundPayload(order.id, "15.00") });

    await deliver({
      topic: "orders/cancelled",
      payload: { ...order, cancelled_at: new Date().toISOString() },
    });

    const entries = await entriesFor(711);
    expect(entries.map((e) => [e.kind, e.points])).toEqual([
      ["EARN", 60],
      ["REFUND_CLAWBACK", -15],
      ["CANCEL_REVERSAL", -45],
    ]);
    expect((await memberOf(711))?.balance).toBe(0);
    await expectLedgerConsistent();
  });
});

describe("out-of-order delivery", () => {
  it("applies a refund that arrived before orders/paid once the order is paid", async () => {
    const order = orderPayload({ customerId: 721, subtotal: "80.00" });
    const refund = refundPayload(order.id, "20.00");

    await deliver({ topic: "refunds/create", payload: refund });
    expect(await memberOf(721)).toBeNull();
    await deliver({ topic: "orders/paid", payload: order });

    const entries = await entriesFor(721);
    expect(entries.map((e) => [e.kind, e.points, e.balanceAfter])).toEqual([
      ["EARN", 80, 80],
      ["REFUND_CLAWBACK", -20, 60],
    ]);
    await expectLedgerConsistent();
  });

  it("reverses an order whose cancellation arrived before its payment", async () => {
    const order = orderPayload({ customerId: 722, subtotal: "30.00" });
    await deliver({
      topic: "orders/cancelled",
      payload: { ...order, cancelled_at: new Date().toISOString() },
    });
    await deliver({ topic: "orders/paid", payload: order });

    const entries = await entriesFor(722);
    expect(entries.map((e) => [e.kind, e.points])).toEqual([
      ["EARN", 30],
      ["CANCEL_REVERSAL", -30],
    ]);
    expect((await memberOf(722))?.balance).toBe(0);
  });
});

describe("exactly once", () => {
  it("ignores a redelivery with the same webhook id", async () => {
    const order = orderPayload({ customerId: 731 });
    await deliver({ topic: "orders/paid", payload: order, webhookId: "same-delivery" });
    await deliver({ topic: "orders/paid", payload: order, webhookId: "same-delivery" });
    expect((await memberOf(731))?.balance).toBe(45);
    expect(await prisma.webhookDelivery.count({ where: { webhookId: "same-delivery" } })).toBe(1);
  });

  it("counts the same order once when it arrives under different webhook ids", async () => {
    const order = orderPayload({ customerId: 732 });
    const refund = refundPayload(order.id, "10.00");
    for (let i = 0; i < 3; i++) {
      await deliver({ topic: "orders/paid", payload: order });
      await deliver({ topic: "refunds/create", payload: refund });
    }
    const entries = await entriesFor(732);
    expect(entries.map((e) => e.kind)).toEqual(["EARN", "REFUND_CLAWBACK"]);
    // 45 points on 45.99; 10.00 refunded takes floor(45 × 10.00 / 45.99) = 9.
    expect((await memberOf(732))?.balance).toBe(36);
  });

  it("produces one award from 20 parallel deliveries of one order", async () => {
    const order = orderPayload({ customerId: 733, subtotal: "20.00" });
    const statuses = await Promise.all(
      Array.from({ length: 20 }, () => deliver({ topic: "orders/paid", payload: order })),
    );
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(await prisma.ledgerEntry.count({ where: { orderId: String(order.id) } })).toBe(1);
    expect((await memberOf(733))?.balance).toBe(20);
    await expectLedgerConsistent();
  });

  it("takes back no more than an order earned when its refund and cancellation arrive at once", async () => {
    // On PostgreSQL two instances would both read "nothing taken back yet" without a row lock.
    const orders = Array.from({ length: 8 }, (_, i) =>
      orderPayload({ customerId: 740 + i, subtotal: "60.00" }),
    );
    for (const order of orders) await deliver({ topic: "orders/paid", payload: order });
    await Promise.all(
      orders.flatMap((order) => [
        deliver({ topic: "refunds/create", payload: refundPayload(order.id, "20.00") }),
        deliver({
          topic: "orders/cancelled",
          payload: { ...order, cancelled_at: new Date().toISOString() },
        }),
      ]),
    );
    for (const [i, order] of orders.entries()) {
      const record = await prisma.orderRecord.findFirstOrThrow({
        where: { orderId: String(order.id) },
      });
      expect(record.clawedBackPoints).toBe(60);
      expect((await memberOf(740 + i))?.balance).toBe(0);
      const taken = await prisma.ledgerEntry.aggregate({
        where: { orderId: String(order.id), kind: { in: ["REFUND_CLAWBACK", "CANCEL_REVERSAL"] } },
        _sum: { points: true, shortfall: true },
      });
      expect(-(taken._sum.points ?? 0) + (taken._sum.shortfall ?? 0)).toBe(60);
    }
    await expectLedgerConsistent();
  });

  it("processes deliveries without any stored session (before install finished, after uninstall)", async () => {
    await prisma.session.deleteMany();
    expect(
      await deliver({ topic: "orders/paid", payload: orderPayload({ customerId: 734 }) }),
    ).toBe(200);
    expect((await memberOf(734))?.balance).toBe(45);
  });
});
