/**
 * Queued intake (issue #15): in production a webhook is verified, stored and answered in one
 * INSERT, and the worker applies it (app/loyalty/webhook-inbox.server.ts). These tests run the
 * route with WEBHOOK_PROCESSING=queue and drive the queue by hand; the worker tests run it from
 * a started worker.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import prisma from "../../app/db.server";
import { log } from "../../app/log.server";
import * as members from "../../app/loyalty/members.server";
import {
  applyQueuedWebhooks,
  GIVE_UP_MS,
  INTAKE_PRIORITY_MS,
  INTAKE_QUIET_MS,
  LEASE_MS,
  retryDelay,
} from "../../app/loyalty/webhook-inbox.server";
import { replayFailedEvent } from "../../app/loyalty/replay.server";
import { webhookHandlers } from "../../app/loyalty/webhook-topics.server";
import { EFFECT_ATTEMPTS, settleDelivery } from "../../app/loyalty/webhooks.server";
import { deliver, expectLedgerConsistent, memberOf, resetShop } from "../support/engine";
import { orderPayload, refundPayload } from "../support/payloads";
import { TEST_SHOP } from "../support/shopify";

beforeEach(async () => {
  await resetShop();
  process.env.WEBHOOK_PROCESSING = "queue";
});
afterEach(() => {
  process.env.WEBHOOK_PROCESSING = "inline";
  vi.restoreAllMocks();
});

const SECOND = 1000;
const at = (ms: number) => () => new Date(Date.now() + ms);

function delivery(webhookId: string) {
  return prisma.webhookDelivery.findUniqueOrThrow({
    where: { shop_webhookId: { shop: TEST_SHOP, webhookId } },
  });
}

describe("intake", () => {
  it("stores the signed body and answers before anything is applied", async () => {
    const order = orderPayload({ customerId: 6101 });
    expect(await deliver({ topic: "orders/paid", payload: order, webhookId: "q-1" })).toBe(200);

    expect(await memberOf(6101)).toBeNull();
    const queued = await delivery("q-1");
    expect(queued).toMatchObject({ status: "QUEUED", topic: "ORDERS_PAID", claimedUntil: null });
    expect(JSON.parse(queued.payload!).id).toBe(order.id);
    expect(queued.payloadBytes).toBe(Buffer.byteLength(queued.payload!));

    expect(await applyQueuedWebhooks()).toEqual({ applied: 1, retrying: 0 });
    expect(await memberOf(6101)).toMatchObject({ balance: 45 });
    // Done: the row is the deduplication record again, without the body.
    expect(await delivery("q-1")).toMatchObject({
      status: "PROCESSED",
      payload: null,
      runAfter: null,
    });
    expect(await applyQueuedWebhooks()).toEqual({ applied: 0, retrying: 0 });
  });

  it("acknowledges redeliveries without storing them twice, queued or applied", async () => {
    const order = orderPayload({ customerId: 6102 });
    for (let i = 0; i < 3; i += 1) {
      expect(await deliver({ topic: "orders/paid", payload: order, webhookId: "dup" })).toBe(200);
    }
    expect(await prisma.webhookDelivery.count({ where: { shop: TEST_SHOP } })).toBe(1);
    await applyQueuedWebhooks();
    expect(await deliver({ topic: "orders/paid", payload: order, webhookId: "dup" })).toBe(200);
    // The same event under a new delivery id is queued, and its natural key makes it a no-op.
    expect(await deliver({ topic: "orders/paid", payload: order, webhookId: "dup-2" })).toBe(200);
    expect(await applyQueuedWebhooks()).toEqual({ applied: 1, retrying: 0 });
    expect(await memberOf(6102)).toMatchObject({ balance: 45 });
    expect(await prisma.ledgerEntry.count({ where: { shop: TEST_SHOP } })).toBe(1);
  });

  it("leaves the parsing to the worker: a body it cannot use becomes a failed event there", async () => {
    expect(await deliver({ topic: "orders/paid", payload: "{not json", webhookId: "bad" })).toBe(
      200,
    );
    expect(await prisma.failedEvent.count()).toBe(0);
    expect(await applyQueuedWebhooks()).toEqual({ applied: 1, retrying: 0 });
    expect(await delivery("bad")).toMatchObject({ status: "FAILED", payload: null });
    expect(await prisma.failedEvent.findFirstOrThrow()).toMatchObject({
      reason: "UNPARSEABLE",
      status: "DEAD",
      webhookId: "bad",
      payload: "{not json",
    });
  });
});

describe("applying the queue", () => {
  it("applies in the order Shopify delivered, to the same ledger inline would write", async () => {
    const order = orderPayload({ customerId: 6103 });
    const refund = refundPayload(order.id, "20.00");
    // The refund arrives first, as Shopify sometimes sends them.
    await deliver({ topic: "refunds/create", payload: refund });
    await deliver({ topic: "orders/paid", payload: order });
    // One lane: strictly in arrival order (PostgreSQL's four lanes reach the same ledger, as
    // concurrent requests did: test/engine/properties.test.ts).
    await applyQueuedWebhooks({ lanes: 1 });
    const queued = await prisma.ledgerEntry.findMany({
      where: { shop: TEST_SHOP },
      orderBy: { createdAt: "asc" },
      select: { kind: true, points: true, idempotencyKey: true },
    });

    await resetShop();
    process.env.WEBHOOK_PROCESSING = "inline";
    await deliver({ topic: "refunds/create", payload: refund });
    await deliver({ topic: "orders/paid", payload: order });
    const inline = await prisma.ledgerEntry.findMany({
      where: { shop: TEST_SHOP },
      orderBy: { createdAt: "asc" },
      select: { kind: true, points: true, idempotencyKey: true },
    });
    expect(queued).toEqual(inline);
    expect(queued.map((entry) => entry.points)).toEqual([45, -19]);
  });

  it("retries a failing effect with a backoff, then dead-letters it for a replay", async () => {
    vi.spyOn(log, "warn").mockReturnValue(undefined);
    vi.spyOn(log, "error").mockReturnValue(undefined);
    const failing = vi
      .spyOn(members, "evaluateTier")
      .mockRejectedValue(new Error("tier table locked"));
    await deliver({ topic: "orders/paid", payload: orderPayload({ customerId: 6104 }) });
    const webhookId = (await prisma.webhookDelivery.findFirstOrThrow()).webhookId;

    expect(await applyQueuedWebhooks()).toEqual({ applied: 0, retrying: 1 });
    const waiting = await delivery(webhookId);
    expect(waiting).toMatchObject({ status: "QUEUED", claimedUntil: null });
    expect(waiting.runAfter!.getTime() - Date.now()).toBeGreaterThan(9 * SECOND);
    // Not due yet.
    expect(await applyQueuedWebhooks()).toEqual({ applied: 0, retrying: 0 });
    expect(await applyQueuedWebhooks({ now: at(11 * SECOND) })).toEqual({
      applied: 0,
      retrying: 1,
    });
    expect(await applyQueuedWebhooks({ now: at(80 * SECOND) })).toEqual({
      applied: 1,
      retrying: 0,
    });
    expect(EFFECT_ATTEMPTS).toBe(3);
    expect(await delivery(webhookId)).toMatchObject({ status: "FAILED", payload: null });
    const event = await prisma.failedEvent.findFirstOrThrow();
    expect(event).toMatchObject({ status: "DEAD", attempts: 3, reason: "EFFECT_FAILED" });

    failing.mockRestore();
    expect(await replayFailedEvent(event, "staff@example.com")).toEqual({ ok: true });
    expect(await memberOf(6104)).toMatchObject({ balance: 45 });
  });

  it("takes back a delivery whose worker died once its lease ran out, and applies it once", async () => {
    await deliver({ topic: "orders/paid", payload: orderPayload({ customerId: 6105 }) });
    const { webhookId } = await prisma.webhookDelivery.findFirstOrThrow();
    // A worker claimed it and died before applying it.
    await prisma.webhookDelivery.updateMany({
      data: { claimedUntil: new Date(Date.now() + LEASE_MS) },
    });
    expect(await applyQueuedWebhooks()).toEqual({ applied: 0, retrying: 0 });
    expect(await applyQueuedWebhooks({ now: at(LEASE_MS + SECOND) })).toEqual({
      applied: 1,
      retrying: 0,
    });
    expect(await delivery(webhookId)).toMatchObject({ status: "PROCESSED" });
    expect(await memberOf(6105)).toMatchObject({ balance: 45 });
  });

  it("lets workers drain one burst side by side, each delivery applied by one of them", async () => {
    const orders = Array.from({ length: 30 }, (_, i) =>
      orderPayload({ customerId: 6200 + (i % 10) }),
    );
    // A fifth of the deliveries are Shopify sending the same one again.
    const deliveries = orders.flatMap((order, i) => {
      const one = { topic: "orders/paid", payload: order, webhookId: `burst-${i}` };
      return i % 5 === 0 ? [one, one] : [one];
    });
    const answers = await Promise.all(deliveries.map((options) => deliver(options)));
    expect(answers.every((status) => status === 200)).toBe(true);
    expect(await prisma.webhookDelivery.count({ where: { status: "QUEUED" } })).toBe(30);

    const runs = await Promise.all([1, 2, 3].map(() => applyQueuedWebhooks({ batch: 4 })));
    expect(runs.reduce((sum, run) => sum + run.applied, 0)).toBe(30);
    expect(await prisma.webhookDelivery.count({ where: { status: "PROCESSED" } })).toBe(30);
    for (let i = 0; i < 10; i += 1) {
      expect(await memberOf(6200 + i)).toMatchObject({ balance: 3 * 45 });
    }
    await expectLedgerConsistent();
  });

  it("on SQLite, leaves the write lock to intake while deliveries arrive, within a bound", async () => {
    await deliver({ topic: "orders/paid", payload: orderPayload({ customerId: 6301 }) });
    // One arrived just now: a burst is on, answering it comes first.
    expect(await applyQueuedWebhooks({ yieldToIntake: true })).toEqual({
      applied: 0,
      retrying: 0,
    });
    // Quiet for INTAKE_QUIET_MS: applied.
    expect(
      await applyQueuedWebhooks({ yieldToIntake: true, now: at(INTAKE_QUIET_MS + 50) }),
    ).toEqual({ applied: 1, retrying: 0 });

    // A burst that goes on: the backlog is applied anyway once its oldest waited
    // INTAKE_PRIORITY_MS, so points never wait on the end of a sale.
    const old = new Date(Date.now() - INTAKE_PRIORITY_MS - 1_000);
    await deliver({ topic: "orders/paid", payload: orderPayload({ customerId: 6302 }) });
    await prisma.webhookDelivery.updateMany({
      where: { status: "QUEUED" },
      data: { runAfter: old, receivedAt: old },
    });
    await deliver({ topic: "orders/paid", payload: orderPayload({ customerId: 6303 }) });
    expect(await applyQueuedWebhooks({ yieldToIntake: true })).toEqual({
      applied: 2,
      retrying: 0,
    });
  });

  it("drops a queued body about a customer Shopify asks to redact, so it cannot bring them back", async () => {
    await deliver({
      topic: "orders/paid",
      payload: orderPayload({ customerId: 6401, email: "gone@example.com" }),
      webhookId: "waiting-order",
    });
    // The order is waiting out a backoff when the redaction is applied.
    await prisma.webhookDelivery.updateMany({
      where: { webhookId: "waiting-order" },
      data: { runAfter: new Date(Date.now() + 60_000) },
    });
    await deliver({
      topic: "customers/redact",
      payload: {
        shop_domain: TEST_SHOP,
        customer: { id: 6401, email: "gone@example.com" },
        orders_to_redact: [],
      },
    });
    expect(await applyQueuedWebhooks()).toEqual({ applied: 1, retrying: 0 });
    expect(await delivery("waiting-order")).toMatchObject({ status: "FAILED", payload: null });
    expect(await applyQueuedWebhooks({ now: at(120_000) })).toEqual({ applied: 0, retrying: 0 });
    expect(await memberOf(6401)).toBeNull();
  });

  it("applies nothing for a row that is no longer queued when a worker gets to it", async () => {
    await deliver({ topic: "orders/paid", payload: orderPayload({ customerId: 6402 }) });
    const row = await prisma.webhookDelivery.findFirstOrThrow();
    // A worker loaded the row, then paused; meanwhile shop/redact removed everything of the shop.
    await prisma.webhookDelivery.deleteMany({ where: { shop: TEST_SHOP } });
    const outcome = await settleDelivery(
      webhookHandlers.ordersPaid,
      {
        shop: row.shop,
        topic: row.topic,
        webhookId: row.webhookId,
        eventId: null,
        text: row.payload!,
        bytes: row.payloadBytes!,
      },
      row.receivedAt,
      true,
    );
    expect(outcome).toEqual({ status: 200 });
    expect(await memberOf(6402)).toBeNull();
    expect(await prisma.webhookDelivery.count({ where: { shop: TEST_SHOP } })).toBe(0);
  });

  it("dead-letters a delivery the database kept refusing, once the retry window is over", async () => {
    await deliver({ topic: "orders/paid", payload: orderPayload({ customerId: 6403 }) });
    const webhookId = (await prisma.webhookDelivery.findFirstOrThrow()).webhookId;
    expect(await applyQueuedWebhooks({ now: at(GIVE_UP_MS + 60_000) })).toEqual({
      applied: 1,
      retrying: 0,
    });
    expect(await delivery(webhookId)).toMatchObject({ status: "FAILED", payload: null });
    expect(await prisma.failedEvent.findFirstOrThrow()).toMatchObject({
      status: "DEAD",
      reason: "EFFECT_FAILED",
    });
    expect(await memberOf(6403)).toBeNull();
  });

  it("backs off less often the longer the database stays away", () => {
    expect(retryDelay({ status: 503 }, 1_000)).toBe(5_000);
    expect(retryDelay({ status: 503 }, 20 * 60_000)).toBe(2 * 60_000);
    expect(retryDelay({ status: 500 }, 24 * 60 * 60_000)).toBe(10 * 60_000);
    expect(retryDelay({ status: 500, attempt: 2 }, 0)).toBe(60_000);
  });
});
