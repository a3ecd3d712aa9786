import fc from "fast-check";
import { describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { deliver, expectLedgerConsistent } from "../support/engine";
import { orderPayload, refundPayload } from "../support/payloads";

/**
 * Random histories of a few orders — paid, partial refunds, cancellations — delivered once in
 * Shopify's order and once shuffled with duplicates. Both shops must end in the same state, and
 * no order may lose more points than it earned.
 */

type Delivery = { topic: string; payload: unknown; webhookId: string };

interface OrderHistory {
  subtotalCents: number;
  refundCents: number[];
  cancelled: boolean;
}

const orderHistory: fc.Arbitrary<OrderHistory> = fc.record({
  subtotalCents: fc.integer({ min: 0, max: 50_000 }),
  refundCents: fc.array(fc.integer({ min: 0, max: 20_000 }), { maxLength: 4 }),
  cancelled: fc.boolean(),
});

let run = 0;

function historyDeliveries(histories: OrderHistory[], customerId: number) {
  run += 1;
  const deliveries: Delivery[] = [];
  histories.forEach((history, index) => {
    const id = 9_000_000_000 + run * 100 + index;
    const subtotal = (history.subtotalCents / 100).toFixed(2);
    const order = orderPayload({ id, customerId, subtotal });
    deliveries.push({ topic: "orders/paid", payload: order, webhookId: `paid-${id}` });
    history.refundCents.forEach((cents, r) => {
      const refund = refundPayload(id, (cents / 100).toFixed(2), {
        id: id * 10 + r,
        createdAt: new Date(Date.UTC(2026, 0, 1, 0, r)).toISOString(),
      });
      deliveries.push({ topic: "refunds/create", payload: refund, webhookId: `refund-${id}-${r}` });
    });
    if (history.cancelled) {
      deliveries.push({
        topic: "orders/cancelled",
        payload: { ...order, cancelled_at: new Date(Date.UTC(2026, 0, 2)).toISOString() },
        webhookId: `cancel-${id}`,
      });
    }
  });
  return deliveries;
}

async function finalState(shop: string) {
  const member = await prisma.member.findFirst({ where: { shop } });
  const orders = await prisma.orderRecord.findMany({
    where: { shop },
    orderBy: { orderId: "asc" },
  });
  const perOrder = await prisma.ledgerEntry.groupBy({
    by: ["orderId", "kind"],
    where: { shop },
    _sum: { points: true, pendingPoints: true },
    _count: true,
  });
  return {
    balance: member?.balance ?? 0,
    lifetime: member?.lifetimeEarned ?? 0,
    orders: orders.map((o) => ({ earned: o.earnedPoints, clawed: o.clawedBackPoints })),
    perOrder,
  };
}

describe("ledger properties", () => {
  it("ends in the in-order state whatever the delivery order and duplicates", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(orderHistory, { minLength: 1, maxLength: 3 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        async (histories, shuffleKeys, duplicatePicks) => {
          const customerId = 4_000_000 + run;
          const deliveries = historyDeliveries(histories, customerId);
          const inOrderShop = `in-order-${run}.myshopify.com`;
          const shuffledShop = `shuffled-${run}.myshopify.com`;

          for (const d of deliveries) await deliver({ ...d, shop: inOrderShop });

          const shuffled = deliveries
            .map((d, i) => ({ d, key: shuffleKeys[i] ?? i }))
            .sort((a, b) => a.key - b.key)
            .map(({ d }) => d);
          for (const pick of duplicatePicks) {
            const original = deliveries[pick % deliveries.length]!;
            // Half the duplicates reuse the delivery id (a retry), half get a new one (a re-send).
            shuffled.splice(pick % (shuffled.length + 1), 0, {
              ...original,
              webhookId: pick % 2 ? original.webhookId : `${original.webhookId}-again-${pick}`,
            });
          }
          for (const d of shuffled) expect(await deliver({ ...d, shop: shuffledShop })).toBe(200);

          const expected = await finalState(inOrderShop);
          const actual = await finalState(shuffledShop);
          expect(actual.balance).toBe(expected.balance);
          expect(actual.lifetime).toBe(expected.lifetime);
          expect(actual.orders).toEqual(expected.orders);

          for (const shop of [inOrderShop, shuffledShop]) {
            await expectLedgerConsistent(shop);
            const earns = await prisma.ledgerEntry.groupBy({
              by: ["orderId"],
              where: { shop, kind: "EARN" },
              _count: true,
            });
            expect(earns.every((e) => e._count === 1)).toBe(true);
            for (const order of await prisma.orderRecord.findMany({ where: { shop } })) {
              expect(order.clawedBackPoints).toBeLessThanOrEqual(order.earnedPoints);
            }
          }
          expect(
            (await prisma.member.findFirst({ where: { shop: shuffledShop } }))?.balance ?? 0,
          ).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);
});
