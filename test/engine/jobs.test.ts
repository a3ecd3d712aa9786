import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import {
  expireBalances,
  releasePendingPoints,
  reevaluateTiers,
} from "../../app/loyalty/jobs.server";
import { deliver, expectLedgerConsistent, memberOf, resetShop } from "../support/engine";
import { orderPayload, refundPayload } from "../support/payloads";
import { TEST_SHOP } from "../support/shopify";

const DAY = 24 * 60 * 60 * 1000;

beforeEach(() => resetShop());

describe("pending period", () => {
  beforeEach(async () => {
    await prisma.program.create({ data: { shop: TEST_SHOP, pendingDays: 14 } });
  });

  it("holds points as pending, then a scheduled run makes them available", async () => {
    const paidAt = new Date();
    await deliver({
      topic: "orders/paid",
      payload: orderPayload({
        customerId: 801,
        subtotal: "50.00",
        processedAt: paidAt.toISOString(),
      }),
    });
    expect(await memberOf(801)).toMatchObject({
      balance: 0,
      pendingPoints: 50,
      lifetimeEarned: 50,
    });

    expect(await releasePendingPoints(prisma, new Date(paidAt.getTime() + 13 * DAY))).toBe(0);
    expect(await releasePendingPoints(prisma, new Date(paidAt.getTime() + 14 * DAY))).toBe(1);
    expect(await releasePendingPoints(prisma, new Date(paidAt.getTime() + 15 * DAY))).toBe(0);

    expect(await memberOf(801)).toMatchObject({ balance: 50, pendingPoints: 0 });
    await expectLedgerConsistent();
  });

  it("removes pending points when the order is refunded or cancelled inside the window", async () => {
    const order = orderPayload({ customerId: 802, subtotal: "50.00" });
    await deliver({ topic: "orders/paid", payload: order });
    await deliver({ topic: "refunds/create", payload: refundPayload(order.id, "10.00") });
    expect(await memberOf(802)).toMatchObject({ balance: 0, pendingPoints: 40 });

    await deliver({
      topic: "orders/cancelled",
      payload: { ...order, cancelled_at: new Date().toISOString() },
    });
    expect(await memberOf(802)).toMatchObject({ balance: 0, pendingPoints: 0 });
    expect(await releasePendingPoints(prisma, new Date(Date.now() + 30 * DAY))).toBe(0);
    await expectLedgerConsistent();
  });
});

describe("expiry", () => {
  it("expires a balance after the configured months without activity, as a ledger entry", async () => {
    await prisma.program.create({ data: { shop: TEST_SHOP, expiryMonths: 6 } });
    await deliver({
      topic: "orders/paid",
      payload: orderPayload({ customerId: 811, subtotal: "70.00" }),
    });
    const member = await memberOf(811);
    expect(member?.expiresAt).not.toBeNull();
    const expiresAt = member!.expiresAt!;
    // Six calendar months after the activity, shown to the shopper ahead of time.
    expect(expiresAt.getTime() - member!.lastActivityAt!.getTime()).toBeGreaterThan(180 * DAY);

    expect(await expireBalances(prisma, new Date(expiresAt.getTime() - 1))).toBe(0);
    expect(await expireBalances(prisma, expiresAt)).toBe(1);
    expect(await expireBalances(prisma, new Date(expiresAt.getTime() + DAY))).toBe(0);

    expect(await memberOf(811)).toMatchObject({ balance: 0, expiresAt: null });
    const last = await prisma.ledgerEntry.findFirstOrThrow({ where: { kind: "EXPIRE" } });
    expect(last).toMatchObject({ points: -70, balanceAfter: 0, source: "SYSTEM" });
    await expectLedgerConsistent();
  });

  it("never expires when the program has no expiry", async () => {
    await deliver({ topic: "orders/paid", payload: orderPayload({ customerId: 812 }) });
    expect((await memberOf(812))?.expiresAt).toBeNull();
    expect(await expireBalances(prisma, new Date(Date.now() + 5 * 365 * DAY))).toBe(0);
  });
});

describe("tier windows", () => {
  it("drops a member's tier when the rolling 12 months move past their spend", async () => {
    await prisma.program.create({ data: { shop: TEST_SHOP, tierPeriod: "ROLLING_12_MONTHS" } });
    await prisma.tier.create({ data: { shop: TEST_SHOP, name: "Gold", threshold: 100 } });
    const paidAt = new Date();
    await deliver({
      topic: "orders/paid",
      payload: orderPayload({
        customerId: 821,
        subtotal: "150.00",
        processedAt: paidAt.toISOString(),
      }),
    });
    expect((await memberOf(821))?.tierId).not.toBeNull();

    expect(await reevaluateTiers(prisma, new Date(paidAt.getTime() + 300 * DAY))).toBe(0);
    expect(await reevaluateTiers(prisma, new Date(paidAt.getTime() + 370 * DAY))).toBe(1);

    const member = await memberOf(821);
    expect(member?.tierId).toBeNull();
    const changes = await prisma.tierChange.findMany({
      where: { memberId: member!.id },
      orderBy: { createdAt: "asc" },
    });
    expect(changes.map((c) => [c.fromName, c.toName])).toEqual([
      [null, "Gold"],
      ["Gold", null],
    ]);
  });
});
