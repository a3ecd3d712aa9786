import fc from "fast-check";
import { describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { deliver, expectLedgerConsistent } from "../support/engine";
import { orderPayload, refundPayload } from "../support/payloads";

/**
 * Random histories of a few orders — paid, partial refunds (of merchandise or of a gift card),
 * cancellations — delivered once in Shopify's order and once as real traffic: shuffled, with the
 * paid body sometimes rendered after some refunds (which it then lists), and with duplicates that
 * reuse the delivery id (a retry) or only the event id (a re-send). Both shops must end in the
 * same state, every order earns once, and no order loses more points than it earned.
 */

type Delivery = { topic: string; payload: unknown; webhookId: string; eventId: string };

interface RefundHistory {
  cents: number;
  ofGiftCard: boolean;
  /** Made before Shopify rendered the paid body, so the body lists it. */
  listed: boolean;
  /** Whether refunds/create says the line is a gift card (Shopify includes line_item). */
  saysGiftCard: boolean;
}

interface OrderHistory {
  merchCents: number;
  giftCardCents: number | null;
  refunds: RefundHistory[];
  cancelled: boolean;
}

const orderHistory: fc.Arbitrary<OrderHistory> = fc.record({
  merchCents: fc.integer({ min: 0, max: 50_000 }),
  giftCardCents: fc.option(fc.integer({ min: 500, max: 20_000 }), { nil: null }),
  refunds: fc.array(
    fc.record({
      cents: fc.integer({ min: 0, max: 20_000 }),
      ofGiftCard: fc.boolean(),
      listed: fc.boolean(),
      saysGiftCard: fc.boolean(),
    }),
    { maxLength: 3 },
  ),
  cancelled: fc.boolean(),
});

let run = 0;

/** At least 1,000 histories in every `npm test` (PROPERTY_RUNS raises it for a longer soak). */
const PROPERTY_RUNS = Math.max(1_000, Number(process.env.PROPERTY_RUNS ?? 0));

/** The deliveries of a history: in Shopify's order (`inOrder`) or as they may really arrive. */
function historyDeliveries(histories: OrderHistory[], customerId: number, realistic: boolean) {
  const deliveries: Delivery[] = [];
  histories.forEach((history, index) => {
    const id = 9_000_000_000 + run * 100 + index;
    const merchLine = id * 10 + 1;
    const giftLine = id * 10 + 2;
    const lines = [
      { id: merchLine, price: (history.merchCents / 100).toFixed(2) },
      ...(history.giftCardCents === null
        ? []
        : [{ id: giftLine, price: (history.giftCardCents / 100).toFixed(2), giftCard: true }]),
    ];
    const refundOf = (refund: RefundHistory, r: number) => ({
      id: id * 10 + 5 + r,
      line: refund.ofGiftCard && history.giftCardCents !== null ? 1 : 0,
      subtotal: (refund.cents / 100).toFixed(2),
      createdAt: new Date(Date.UTC(2026, 0, 1, 0, r)).toISOString(),
    });
    const listed = realistic
      ? history.refunds.map(refundOf).filter((_, r) => history.refunds[r]!.listed)
      : [];
    const order = orderPayload({ id, customerId, lines, refunds: listed });
    deliveries.push({
      topic: "orders/paid",
      payload: order,
      webhookId: `paid-${id}`,
      eventId: `evt-paid-${id}`,
    });
    history.refunds.forEach((refund, r) => {
      const shaped = refundOf(refund, r);
      const onGiftCard = shaped.line === 1;
      deliveries.push({
        topic: "refunds/create",
        payload: refundPayload(id, shaped.subtotal, {
          id: shaped.id,
          createdAt: shaped.createdAt,
          lineItemId: onGiftCard ? giftLine : merchLine,
          ...(refund.saysGiftCard ? { giftCard: onGiftCard } : {}),
        }),
        webhookId: `refund-${id}-${r}`,
        eventId: `evt-refund-${id}-${r}`,
      });
    });
    if (history.cancelled) {
      deliveries.push({
        topic: "orders/cancelled",
        payload: { ...order, cancelled_at: new Date(Date.UTC(2026, 0, 2)).toISOString() },
        webhookId: `cancel-${id}`,
        eventId: `evt-cancel-${id}`,
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
  const entries = await prisma.ledgerEntry.findMany({ where: { shop, orderId: { not: null } } });
  const perOrder = new Map<string, { earned: number; earnEntries: number; taken: number }>();
  for (const e of entries) {
    const order = perOrder.get(e.orderId!) ?? { earned: 0, earnEntries: 0, taken: 0 };
    if (e.kind === "EARN") {
      order.earned += e.points + e.pendingPoints;
      order.earnEntries += 1;
    } else if (e.kind === "REFUND_CLAWBACK" || e.kind === "CANCEL_REVERSAL") {
      // What the order gave back, counting what a balance floor kept us from taking.
      order.taken += -(e.points + e.pendingPoints) + e.shortfall;
    }
    perOrder.set(e.orderId!, order);
  }
  return {
    balance: member?.balance ?? 0,
    lifetime: member?.lifetimeEarned ?? 0,
    orders: orders.map((o) => ({ earned: o.earnedPoints, clawed: o.clawedBackPoints })),
    // Per order: what it earned (in one entry) and what refunds and cancellation took back in
    // all. Which of the two took what may differ when a cancellation overtakes a refund made
    // before it; the totals may not.
    perOrder: [...perOrder.entries()].sort(([a], [b]) => a.localeCompare(b)),
  };
}

describe("ledger properties", () => {
  it("ends in the in-order state whatever the delivery order and duplicates", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(orderHistory, { minLength: 1, maxLength: 2 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        async (histories, shuffleKeys, duplicatePicks) => {
          run += 1;
          const customerId = 4_000_000 + run;
          const inOrderShop = `in-order-${run}.myshopify.com`;
          const shuffledShop = `shuffled-${run}.myshopify.com`;

          for (const d of historyDeliveries(histories, customerId, false)) {
            await deliver({ ...d, shop: inOrderShop });
          }

          const deliveries = historyDeliveries(histories, customerId, true);
          const shuffled = deliveries
            .map((d, i) => ({ d, key: shuffleKeys[i] ?? i }))
            .sort((a, b) => a.key - b.key)
            .map(({ d }) => d);
          for (const pick of duplicatePicks) {
            const original = deliveries[pick % deliveries.length]!;
            // Half the duplicates reuse the delivery id (a retry); half only the event (a re-send).
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
          expect(actual.perOrder).toEqual(expected.perOrder);

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
      { numRuns: PROPERTY_RUNS },
    );
  }, 600_000);
});
