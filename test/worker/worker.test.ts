import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { eventually } from "../support/worker";
import prisma from "../../app/db.server";
import { action as runJobs } from "../../app/routes/jobs.run";
import { SCHEDULED_JOBS } from "../../app/worker/jobs.server";
import { closeJobQueue } from "../../app/worker/queue.server";
import { nextRun, startWorker, type Worker } from "../../app/worker/worker.server";
import { deliver, expectLedgerConsistent, memberOf, resetShop } from "../support/engine";
import { orderPayload } from "../support/payloads";
import { TEST_SHOP } from "../support/shopify";

const DAY = 24 * 60 * 60 * 1000;
const SECRET = "a-cron-secret-long-enough";

function trigger(authorization?: string) {
  return runJobs({
    request: new Request("https://my-test-app.myshopify.io/jobs/run", {
      method: "POST",
      headers: authorization ? { Authorization: authorization } : {},
    }),
    params: {},
    context: {},
  });
}

let workers: Worker[] = [];
beforeEach(() => resetShop());
afterEach(async () => {
  delete process.env.CRON_SECRET;
  await Promise.all(workers.map((w) => w.stop(5_000)));
  workers = [];
});
afterAll(() => closeJobQueue());

function worker(now: () => Date) {
  return startWorker({
    prisma,
    adminFor: async () => null,
    now,
    url: process.env.DATABASE_URL!,
    pollMs: 100,
  }).then((started) => {
    workers.push(started);
    return started;
  });
}

describe("POST /jobs/run", () => {
  it("queues every scheduled job for the worker and answers at once", async () => {
    process.env.CRON_SECRET = SECRET;
    const response = await trigger(`Bearer ${SECRET}`);
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ queued: SCHEDULED_JOBS });
  });

  it("refuses other callers, and everyone when no secret is configured", async () => {
    process.env.CRON_SECRET = SECRET;
    expect((await trigger("Bearer wrong-value")).status).toBe(401);
    expect((await trigger()).status).toBe(401);
    delete process.env.CRON_SECRET;
    expect((await trigger("Bearer ")).status).toBe(401);
  });
});

describe("the worker", () => {
  it("runs what a trigger queued, outside the request, once however often it was asked", async () => {
    await prisma.program.create({ data: { shop: TEST_SHOP, pendingDays: 14 } });
    await deliver({ topic: "orders/paid", payload: orderPayload({ customerId: 8801 }) });
    expect(await memberOf(8801)).toMatchObject({ balance: 0, pendingPoints: 45 });

    process.env.CRON_SECRET = SECRET;
    for (let i = 0; i < 3; i += 1) expect((await trigger(`Bearer ${SECRET}`)).status).toBe(202);
    // The request only queued: nothing moved yet.
    expect(await memberOf(8801)).toMatchObject({ balance: 0, pendingPoints: 45 });

    // Two workers, as two instances would run, fifteen days later.
    const later = () => new Date(Date.now() + 15 * DAY);
    await worker(later);
    await worker(later);
    await eventually(async () => (await memberOf(8801))?.balance === 45);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await prisma.ledgerEntry.count({ where: { shop: TEST_SHOP, kind: "RELEASE" } })).toBe(1);
    await expectLedgerConsistent();
  });

  it("stops taking jobs when stopped, and a stopped worker leaves queued work for the next", async () => {
    await prisma.program.create({ data: { shop: TEST_SHOP, pendingDays: 14 } });
    await deliver({ topic: "orders/paid", payload: orderPayload({ customerId: 8802 }) });
    const first = await worker(() => new Date(Date.now() + 15 * DAY));
    await first.stop(5_000);
    workers = [];

    process.env.CRON_SECRET = SECRET;
    expect((await trigger(`Bearer ${SECRET}`)).status).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await memberOf(8802))?.balance).toBe(0);

    await worker(() => new Date(Date.now() + 15 * DAY));
    await eventually(async () => (await memberOf(8802))?.balance === 45);
  });
});

describe("shop/redact", () => {
  it("is carried out by the worker's redact-shops job, not inside the webhook", async () => {
    await deliver({ topic: "orders/paid", payload: orderPayload({ customerId: 8804 }) });
    await deliver({ topic: "shop/redact", payload: { shop_domain: TEST_SHOP } });
    expect(await prisma.shopRedaction.count({ where: { shop: TEST_SHOP } })).toBe(1);
    expect(await memberOf(8804)).not.toBeNull();

    process.env.CRON_SECRET = SECRET;
    expect((await trigger(`Bearer ${SECRET}`)).status).toBe(202);
    await worker(() => new Date());
    await eventually(async () => (await prisma.shopRedaction.count()) === 0);
    expect(await memberOf(8804)).toBeNull();
    expect(await prisma.ledgerEntry.count({ where: { shop: TEST_SHOP } })).toBe(0);
  });
});

describe("queued webhooks", () => {
  afterEach(() => {
    process.env.WEBHOOK_PROCESSING = "inline";
  });

  it("are applied by a running worker moments after the route stored them", async () => {
    process.env.WEBHOOK_PROCESSING = "queue";
    await worker(() => new Date());
    const started = Date.now();
    expect(
      await deliver({ topic: "orders/paid", payload: orderPayload({ customerId: 8803 }) }),
    ).toBe(200);
    await eventually(async () => (await memberOf(8803))?.balance === 45);
    // Polled every 200 ms when idle: well inside the "a second or two" a shopper waits.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await prisma.webhookDelivery.findFirst()).toMatchObject({ status: "PROCESSED" });
  });
});

describe("schedules", () => {
  it("computes the next run of each schedule in UTC", () => {
    const from = new Date("2026-12-02T10:03:00Z");
    expect(nextRun("*/5 * * * *", from).toISOString()).toBe("2026-12-02T10:05:00.000Z");
    expect(nextRun("17 3 * * *", from).toISOString()).toBe("2026-12-03T03:17:00.000Z");
  });
});
