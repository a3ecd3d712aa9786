// What one webhook costs the database, counted in statements at the driver on both databases, so
// the write path does not quietly grow (issue #15: 14 round trips per new order when measured).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { reevaluateTiers } from "../../app/loyalty/jobs.server";
import { applyQueuedWebhooks } from "../../app/loyalty/webhook-inbox.server";
import { deliver, expectLedgerConsistent, resetShop } from "../support/engine";
import { orderPayload } from "../support/payloads";
import { TEST_SHOP } from "../support/shopify";
import { statementsOf } from "../support/statements";

beforeEach(async () => {
  await resetShop();
  await prisma.program.create({ data: { shop: TEST_SHOP } });
  await prisma.tier.create({ data: { shop: TEST_SHOP, name: "Gold", threshold: 1000 } });
  // The customer is known: a returning shopper's order, the common case in a sale.
  await deliver({
    topic: "orders/paid",
    payload: orderPayload({ customerId: 9001, subtotal: "10.00" }),
  });
});

// PostgreSQL takes the order's row lock first (SELECT … FOR UPDATE); SQLite's single writer
// needs none. The program and its tiers come from the per-process copy, checked by one read of its
// version (app/loyalty/shop-config.server.ts).
const NEW_ORDER_LIMIT = process.env.LOYALTY_TEST_DB === "postgresql" ? 12 : 11;

describe("statements per webhook", () => {
  it(`credits a returning member's new paid order in at most ${NEW_ORDER_LIMIT} statements`, async () => {
    const payload = orderPayload({ customerId: 9001, subtotal: "20.00" });
    const statements = await statementsOf(() => deliver({ topic: "orders/paid", payload }));
    expect((await prisma.member.findFirstOrThrow()).balance).toBe(30);
    expect(statements.length, statements.join("\n")).toBeLessThanOrEqual(NEW_ORDER_LIMIT);
    // The counter is hooked into this database's driver: the award's own writes are seen.
    expect(statements.filter((sql) => /^INSERT INTO \S*LedgerEntry/i.test(sql))).toHaveLength(1);
    await expectLedgerConsistent();
  });

  it("answers a redelivery after one read, writing nothing", async () => {
    const payload = orderPayload({ customerId: 9001, subtotal: "20.00" });
    const options = { topic: "orders/paid" as const, payload, webhookId: "redelivered-1" };
    await deliver(options);
    const statements = await statementsOf(() => deliver(options));
    expect(statements, statements.join("\n")).toHaveLength(1);
    expect(statements[0]).toMatch(/^SELECT/i);
  });
});

describe("statements per queued webhook (production)", () => {
  beforeEach(() => {
    process.env.WEBHOOK_PROCESSING = "queue";
  });
  afterEach(() => {
    process.env.WEBHOOK_PROCESSING = "inline";
  });

  it("stores a delivery in one INSERT, and a redelivery costs that INSERT refused", async () => {
    const payload = orderPayload({ customerId: 9001, subtotal: "20.00" });
    const options = { topic: "orders/paid" as const, payload, webhookId: "queued-1" };
    const stored = await statementsOf(() => deliver(options));
    expect(stored, stored.join("\n")).toHaveLength(1);
    expect(stored[0]).toMatch(/^INSERT INTO \S*WebhookDelivery/i);
    expect(await statementsOf(() => deliver(options))).toHaveLength(1);
  });

  it(`applies it with a claim and a read besides the order's ${NEW_ORDER_LIMIT}`, async () => {
    await deliver({
      topic: "orders/paid",
      payload: orderPayload({ customerId: 9001, subtotal: "20.00" }),
    });
    const statements = await statementsOf(() => applyQueuedWebhooks());
    expect((await prisma.member.findFirstOrThrow()).balance).toBe(30);
    // The claim, the rows claimed, the order; then the claim that finds nothing more.
    expect(statements.length, statements.join("\n")).toBeLessThanOrEqual(NEW_ORDER_LIMIT + 3);
    await expectLedgerConsistent();
  });
});

describe("statements per tier review", () => {
  // Issue #15: one transaction per member reviewed 43 members/s (6.4 h for 1M members).
  async function seedEarners(count: number, points: (i: number) => number) {
    await prisma.member.createMany({
      data: Array.from({ length: count }, (_, i) => ({
        id: `review-${String(i).padStart(4, "0")}`,
        shop: TEST_SHOP,
        customerId: String(20_000 + i),
        balance: points(i),
        lifetimeEarned: points(i),
      })),
    });
    await prisma.ledgerEntry.createMany({
      data: Array.from({ length: count }, (_, i) => ({
        shop: TEST_SHOP,
        memberId: `review-${String(i).padStart(4, "0")}`,
        kind: "EARN" as const,
        points: points(i),
        balanceAfter: points(i),
        pendingAfter: 0,
        source: "ORDER" as const,
        idempotencyKey: `review-earn-${i}`,
        description: "Order",
        occurredAt: new Date(),
      })),
    });
  }

  it("reads a batch of members' metrics at once and writes only the tiers that change", async () => {
    // More members than one batch, and more than the 999 parameters of a SQLite statement.
    await seedEarners(1_200, (i) => (i % 100 === 0 ? 1_500 : 50));
    const statements = await statementsOf(() => reevaluateTiers(prisma, new Date(), TEST_SHOP));
    // The programs; per batch of 500 the members, their tiers and grouped sums; the empty batch
    // that ends the walk: 2 + 3 × 3. Then each of the 12 changes in its own transaction (begin,
    // read, tiers, sum, change, update, commit: at most 7).
    expect(statements.length, statements.join("\n")).toBeLessThanOrEqual(2 + 3 * 3 + 12 * 7);
    expect(await prisma.member.count({ where: { tier: { name: "Gold" } } })).toBe(12);
    expect(await prisma.tierChange.count()).toBe(12);
    // Nothing changes on a second review: the same few reads, no write.
    const again = await statementsOf(() => reevaluateTiers(prisma, new Date(), TEST_SHOP));
    expect(again.length, again.join("\n")).toBeLessThanOrEqual(2 + 3 * 3);
  });
});
