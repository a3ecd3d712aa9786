/**
 * What the scheduled jobs write into the ledger, field by field: a merchant reads these
 * descriptions in the member's history, and the keys and dates decide idempotency and reports.
 */
import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import {
  expireBalances,
  releasePendingPoints,
  reevaluateTiers,
} from "../../app/loyalty/jobs.server";
import { deliver, expectLedgerConsistent, memberOf, resetShop } from "../support/engine";
import { orderPayload } from "../support/payloads";
import { TEST_SHOP } from "../support/shopify";

const DAY = 24 * 60 * 60 * 1000;
const OTHER_SHOP = "second-shop.myshopify.com";

beforeEach(async () => {
  await resetShop();
  await resetShop(OTHER_SHOP);
});

describe("releasing pending points", () => {
  it("writes the release under the order's key, named after the order, dated when it became due", async () => {
    await prisma.program.create({ data: { shop: TEST_SHOP, pendingDays: 14 } });
    const paidAt = new Date();
    const order = orderPayload({
      customerId: 5201,
      subtotal: "40.00",
      processedAt: paidAt.toISOString(),
    });
    await deliver({ topic: "orders/paid", payload: order });
    const record = await prisma.orderRecord.findFirstOrThrow({ where: { shop: TEST_SHOP } });
    expect(record.availableAt).not.toBeNull();

    // A run long after the due date: the entry still belongs to the day the points became due.
    expect(await releasePendingPoints(prisma, new Date(paidAt.getTime() + 20 * DAY))).toBe(1);
    const release = await prisma.ledgerEntry.findFirstOrThrow({ where: { kind: "RELEASE" } });
    expect(release).toMatchObject({
      points: 40,
      pendingPoints: -40,
      idempotencyKey: `order:${order.id}:release`,
      description: `Points from order ${order.name} are now available`,
      occurredAt: record.availableAt,
      orderId: String(order.id),
    });
    expect(await memberOf(5201)).toMatchObject({ balance: 40, pendingPoints: 0 });
    await expectLedgerConsistent();
  });
});

describe("expiring balances", () => {
  it("writes the expiry under the member's expiry date, with the policy and today's date", async () => {
    await prisma.program.create({ data: { shop: TEST_SHOP, expiryMonths: 6 } });
    await deliver({
      topic: "orders/paid",
      payload: orderPayload({ customerId: 5202, subtotal: "70.00" }),
    });
    const member = (await memberOf(5202))!;
    const expiresAt = member.expiresAt!;
    const late = new Date(expiresAt.getTime() + 3 * DAY);

    expect(await expireBalances(prisma, late)).toBe(1);
    const entry = await prisma.ledgerEntry.findFirstOrThrow({ where: { kind: "EXPIRE" } });
    expect(entry).toMatchObject({
      points: -70,
      idempotencyKey: `member:${member.id}:expire:${expiresAt.toISOString()}`,
      rule: { expiryMonths: 6 },
      description: "Points expired after 6 months without activity",
      // The day the run took the points, not the (earlier) expiry date.
      occurredAt: late,
    });
    await expectLedgerConsistent();
  });

  it("leaves a member with nothing to expire alone (and finishes)", async () => {
    await prisma.program.create({ data: { shop: TEST_SHOP, expiryMonths: 6 } });
    // Spent down to zero before the expiry date came: nothing to take, nothing to write.
    await prisma.member.create({
      data: {
        shop: TEST_SHOP,
        customerId: "5203",
        balance: 0,
        expiresAt: new Date(Date.now() - DAY),
      },
    });
    expect(await expireBalances(prisma, new Date())).toBe(0);
    expect(await prisma.ledgerEntry.count({ where: { shop: TEST_SHOP } })).toBe(0);
  });
});

describe("tier review", () => {
  it("reviews only the shop it is asked about, and says why the tier changed", async () => {
    for (const shop of [TEST_SHOP, OTHER_SHOP]) {
      await prisma.program.create({ data: { shop, tierPeriod: "ROLLING_12_MONTHS" } });
    }
    await prisma.tier.create({ data: { shop: TEST_SHOP, name: "Gold", threshold: 100 } });
    const otherGold = await prisma.tier.create({
      data: { shop: OTHER_SHOP, name: "Gold", threshold: 100 },
    });
    const paidAt = new Date();
    await deliver({
      topic: "orders/paid",
      payload: orderPayload({
        customerId: 5204,
        subtotal: "150.00",
        processedAt: paidAt.toISOString(),
      }),
    });
    // A member of another shop who would drop too, if that shop were reviewed.
    const other = await prisma.member.create({
      data: { shop: OTHER_SHOP, customerId: "5204", tierId: otherGold.id },
    });

    expect(await reevaluateTiers(prisma, new Date(paidAt.getTime() + 370 * DAY), TEST_SHOP)).toBe(
      1,
    );
    expect((await memberOf(5204))?.tierId).toBeNull();
    expect((await prisma.member.findUniqueOrThrow({ where: { id: other.id } })).tierId).toBe(
      otherGold.id,
    );
    const drop = await prisma.tierChange.findFirstOrThrow({
      where: { shop: TEST_SHOP, toName: null },
    });
    expect(drop).toMatchObject({ fromName: "Gold", reason: "tier review" });
  });
});
