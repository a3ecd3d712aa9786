// Spend taken back by refunds and cancellations: it drives spend-based tiers (the ledger's
// amountMinor) and how much of an order is still refundable (OrderRecord.refundedMinor).
import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { deliver, expectLedgerConsistent, memberOf, resetShop } from "../support/engine";
import { orderPayload, refundPayload } from "../support/payloads";
import { TEST_SHOP } from "../support/shopify";

beforeEach(() => resetShop());

async function spendEntries(customerId: number) {
  const member = await memberOf(customerId);
  const entries = await prisma.ledgerEntry.findMany({
    where: { memberId: member!.id },
    orderBy: { id: "asc" },
  });
  return entries.map((e) => [e.kind, e.points, e.amountMinor]);
}

describe("refunded spend", () => {
  it("never takes back more spend than the order counted", async () => {
    const order = orderPayload({ customerId: 901, subtotal: "30.00" });
    await deliver({ topic: "orders/paid", payload: order });
    for (const amount of ["20.00", "20.00", "5.00"]) {
      await deliver({ topic: "refunds/create", payload: refundPayload(order.id, amount) });
    }

    expect(await spendEntries(901)).toEqual([
      ["EARN", 30, 3000],
      ["REFUND_CLAWBACK", -20, -2000],
      ["REFUND_CLAWBACK", -10, -1000],
    ]);
    const record = await prisma.orderRecord.findFirstOrThrow();
    expect(record).toMatchObject({ refundedMinor: 3000, clawedBackPoints: 30 });
    await expectLedgerConsistent();
  });

  it("a cancellation takes back the spend refunds left", async () => {
    const order = orderPayload({ customerId: 902, subtotal: "30.00" });
    await deliver({ topic: "orders/paid", payload: order });
    await deliver({ topic: "refunds/create", payload: refundPayload(order.id, "10.00") });
    await deliver({
      topic: "orders/cancelled",
      payload: { ...order, cancelled_at: "2026-05-01T10:00:00Z" },
    });

    expect(await spendEntries(902)).toEqual([
      ["EARN", 30, 3000],
      ["REFUND_CLAWBACK", -10, -1000],
      ["CANCEL_REVERSAL", -20, -2000],
    ]);
    expect(await prisma.orderRecord.findFirstOrThrow()).toMatchObject({ refundedMinor: 3000 });
  });
});

describe("a refund stored before refunds kept their lines", () => {
  // Such a refund has only Shopify's totals; it is applied when its order's payment arrives.
  async function storeLegacyRefund(orderId: number | bigint, subtotalMinor: number, tax: number) {
    await prisma.refundRecord.create({
      data: {
        shop: TEST_SHOP,
        refundId: `legacy-${orderId}`,
        orderId: String(orderId),
        subtotalMinor,
        taxMinor: tax,
        createdAtShopify: new Date("2026-05-01T10:00:00Z"),
      },
    });
    await prisma.orderRecord.create({ data: { shop: TEST_SHOP, orderId: String(orderId) } });
  }

  it("takes back its subtotal without the tax the prices included", async () => {
    const order = orderPayload({
      customerId: 911,
      currency: "EUR",
      subtotal: "119.00",
      taxesIncluded: true,
      lineTax: "19.00",
    });
    await storeLegacyRefund(order.id, 5950, 950);

    await deliver({ topic: "orders/paid", payload: order });

    expect(await spendEntries(911)).toEqual([
      ["EARN", 100, 10000],
      ["REFUND_CLAWBACK", -50, -5000],
    ]);
  });

  it("takes back its subtotal alone when tax was added on top", async () => {
    const order = orderPayload({ customerId: 912, subtotal: "30.00" });
    await storeLegacyRefund(order.id, 1000, 100);

    await deliver({ topic: "orders/paid", payload: order });

    expect(await spendEntries(912)).toEqual([
      ["EARN", 30, 3000],
      ["REFUND_CLAWBACK", -10, -1000],
    ]);
  });
});
