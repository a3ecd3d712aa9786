/**
 * Several stateless app instances and a worker on one PostgreSQL database, as deployed behind a
 * load balancer: the production build, started by scripts/serve.mjs and scripts/worker.mjs.
 * Concurrent, duplicated and reordered webhooks and concurrent redemptions reach every instance
 * while jobs run; one instance is killed mid-flood and what it did not answer is retried
 * elsewhere, as Shopify retries. Every balance must still be the sum of its ledger and of what
 * its orders earned, and no code may be issued twice.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { API_KEY, API_SECRET_KEY, APP_URL } from "@shopify/shopify-api/test-helpers";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { clawbackForRefund } from "../../app/domain/clawback";
import { ensureBuild } from "../../sandbox/build";
import { listen, type RunningServer } from "../../sandbox/http";
import { createAdminApi, type AdminApi } from "../../sandbox/shopify";
import { proxyRequest } from "../support/app-proxy";
import { testDatabaseKind } from "../support/databases";
import { orderPayload, refundPayload } from "../support/payloads";
import { eventually } from "../support/worker";
import {
  storeOfflineSession,
  TEST_SHOP,
  webhookRequest,
  type WebhookOptions,
} from "../support/shopify";

const postgres = testDatabaseKind() === "postgresql";
const CRON_SECRET = "instances-cron-secret-0123456789";

interface Instance {
  child: ChildProcess;
  url: string;
  output: () => string;
  alive: boolean;
}

function start(kind: "web" | "worker", port: number, simulation: string): Instance {
  const child = spawn(
    process.execPath,
    ["test/support/app-instance.mjs", ...(kind === "worker" ? ["worker"] : [])],
    {
      env: {
        ...process.env,
        NODE_ENV: "production",
        PORT: String(port),
        SHOPIFY_API_KEY: API_KEY,
        SHOPIFY_API_SECRET: API_SECRET_KEY,
        SHOPIFY_APP_URL: APP_URL,
        SHOPIFY_SIMULATION_URL: simulation,
        CRON_SECRET,
        DATABASE_POOL_SIZE: "5",
        LOG_LEVEL: "warn",
        // As deployed: the instances store webhooks, the worker applies them.
        WEBHOOK_PROCESSING: "queue",
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
  const instance = { child, url: `http://127.0.0.1:${port}`, output: () => output, alive: true };
  child.on("exit", () => (instance.alive = false));
  return instance;
}

async function freePort(): Promise<number> {
  const server = await listen(0);
  await server.close();
  return server.port;
}

async function waitHealthy(instance: Instance) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (!instance.alive) throw new Error(`instance exited:\n${instance.output()}`);
    try {
      if ((await fetch(`${instance.url}/healthz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`instance not healthy in time:\n${instance.output()}`);
}

/** Sends a request built for the app to an instance, over HTTP. */
async function sendTo(instance: Instance, request: Request): Promise<number> {
  const url = new URL(request.url);
  const response = await fetch(`${instance.url}${url.pathname}${url.search}`, {
    method: request.method,
    headers: request.headers,
    body: request.method === "POST" ? await request.text() : undefined,
    signal: AbortSignal.timeout(15_000),
  });
  await response.arrayBuffer();
  return response.status;
}

describe.runIf(postgres)("three app instances and a worker on one PostgreSQL database", () => {
  let simulation: RunningServer;
  let api: AdminApi;
  const web: Instance[] = [];
  let worker: Instance;

  beforeAll(async () => {
    await ensureBuild(() => {});
    api = createAdminApi({
      shop: TEST_SHOP,
      apiKey: API_KEY,
      apiSecretKey: API_SECRET_KEY,
      accessTokens: ["totally_real_token"],
    });
    simulation = await listen(0, async (request) => {
      const url = new URL(request.url);
      const host = request.headers.get("x-forwarded-host") ?? TEST_SHOP;
      return api.handle(
        new Request(`https://${host}${url.pathname}${url.search}`, {
          method: request.method,
          headers: request.headers,
          body: request.method === "POST" ? await request.arrayBuffer() : undefined,
        }),
      );
    });
    for (let c = 0; c < 24; c += 1) api.addCustomer({ id: `gid://shopify/Customer/${5_500 + c}` });
    await storeOfflineSession(TEST_SHOP);
    for (let i = 0; i < 3; i += 1) web.push(start("web", await freePort(), simulation.internalUrl));
    worker = start("worker", 0, simulation.internalUrl);
    await Promise.all(web.map(waitHealthy));
  }, 180_000);

  afterAll(async () => {
    for (const instance of [...web, worker]) if (instance?.alive) instance.child.kill("SIGTERM");
    await simulation?.close();
  });

  it("ends with every balance equal to its ledger and its orders, and no code issued twice", async () => {
    const reward = await prisma.reward.create({
      data: {
        shop: TEST_SHOP,
        name: "$5 off",
        type: "FIXED_AMOUNT",
        amount: "5.00",
        pointsCost: 40,
      },
    });

    // 24 customers, 96 orders; some partly refunded, some cancelled.
    const orders = fc
      .sample(
        fc.record({
          cents: fc.integer({ min: 500, max: 30_000 }),
          refundCents: fc.option(fc.integer({ min: 100, max: 20_000 }), { nil: null }),
          cancelled: fc.boolean(),
        }),
        { numRuns: 96, seed: 20261202 },
      )
      .map((o, i) => ({ ...o, id: 7_700_000_000 + i, customerId: 5_500 + (i % 24) }));

    const deliveries: WebhookOptions[] = [];
    for (const order of orders) {
      const payload = orderPayload({
        id: order.id,
        customerId: order.customerId,
        subtotal: (order.cents / 100).toFixed(2),
      });
      // Every event twice, under different delivery ids, as Shopify's retries and duplicates do.
      for (const copy of [1, 2]) {
        deliveries.push({ topic: "orders/paid", payload, webhookId: `paid-${order.id}-${copy}` });
        if (order.refundCents) {
          deliveries.push({
            topic: "refunds/create",
            payload: refundPayload(order.id, (order.refundCents / 100).toFixed(2), {
              id: order.id + 1,
            }),
            webhookId: `refund-${order.id}-${copy}`,
          });
        }
        if (order.cancelled) {
          deliveries.push({
            topic: "orders/cancelled",
            payload: { ...payload, cancelled_at: new Date().toISOString() },
            webhookId: `cancel-${order.id}-${copy}`,
          });
        }
      }
    }
    // Any order of arrival: refunds and cancellations often come before the payment.
    const shuffled = fc.sample(fc.shuffledSubarray(deliveries, { minLength: deliveries.length }), {
      numRuns: 1,
      seed: 7,
    })[0]!;

    let next = 0;
    let answered = 0;
    const pickAlive = (attempt: number) => {
      const alive = web.filter((w) => w.alive);
      return alive[(next++ + attempt) % alive.length]!;
    };
    // Shopify retries a delivery that was not answered 200 (here at once, to a live instance).
    const deliver = async (delivery: WebhookOptions) => {
      for (let attempt = 0; attempt < 30; attempt += 1) {
        const instance = pickAlive(attempt);
        try {
          if ((await sendTo(instance, webhookRequest(delivery))) === 200) {
            answered += 1;
            return;
          }
        } catch {
          // connection refused or reset: the instance died under us
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`${delivery.topic} ${delivery.webhookId} was never accepted`);
    };

    const redeemResults: number[] = [];
    // As the widget does: one key per click, sent again after a dropped connection or a 503.
    const redeem = async (customerId: number, results = redeemResults) => {
      const requestId = crypto.randomUUID();
      for (let attempt = 0; attempt < 10; attempt += 1) {
        try {
          const status = await sendTo(
            pickAlive(attempt),
            proxyRequest({
              path: "/proxy/redeem",
              method: "POST",
              customerId: String(customerId),
              body: { rewardId: reward.id, requestId },
            }),
          );
          if (status !== 503) {
            results.push(status);
            return;
          }
        } catch {
          // the instance died under us
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };

    const queue = [...shuffled];
    const workers = Array.from({ length: 16 }, async () => {
      for (let delivery = queue.shift(); delivery; delivery = queue.shift()) {
        await deliver(delivery);
        if (answered === Math.floor(shuffled.length / 3) && web[1]!.alive) {
          web[1]!.child.kill("SIGKILL"); // mid-flood, with requests in flight
        }
        if (answered === Math.floor(shuffled.length / 2)) {
          // Jobs run while the flood goes on, and every customer tries to redeem three times at once.
          void fetch(`${web[0]!.url}/jobs/run`, {
            method: "POST",
            headers: { Authorization: `Bearer ${CRON_SECRET}` },
          });
          for (let c = 0; c < 24; c += 1) for (let k = 0; k < 3; k += 1) void redeem(5_500 + c);
        }
      }
    });
    await Promise.all(workers);
    // Every delivery was stored before it was answered; the worker applies what is left.
    await eventually(
      async () => (await prisma.webhookDelivery.count({ where: { status: "QUEUED" } })) === 0,
      60_000,
    );
    const settled: number[] = [];
    for (let c = 0; c < 24; c += 1) {
      for (let k = 0; k < 2; k += 1) await redeem(5_500 + c, settled);
    }
    expect(answered).toBe(shuffled.length);
    expect(web[1]!.alive).toBe(false);
    // Mid-flood, a customer whose first order is still queued is not a member yet (404); once
    // the queue is applied every customer is, and redeems or lacks the points.
    expect([...new Set(settled)].sort()).toEqual([200, 409]);
    expect(redeemResults.every((status) => [200, 404, 409].includes(status))).toBe(true);

    // Every balance is the sum of its ledger, and never below zero.
    const members = await prisma.member.findMany({ where: { shop: TEST_SHOP } });
    expect(members).toHaveLength(24);
    for (const member of members) {
      const sums = await prisma.ledgerEntry.aggregate({
        where: { memberId: member.id },
        _sum: { points: true, pendingPoints: true },
      });
      expect(member.balance).toBe(sums._sum.points ?? 0);
      expect(member.pendingPoints).toBe(sums._sum.pendingPoints ?? 0);
      expect(member.balance).toBeGreaterThanOrEqual(0);
    }

    // Each order earned once, and kept what its refund and cancellation leave it.
    for (const order of orders) {
      const entries = await prisma.ledgerEntry.findMany({
        where: { shop: TEST_SHOP, orderId: String(order.id) },
      });
      expect(entries.filter((e) => e.kind === "EARN")).toHaveLength(1);
      const earned = Math.floor(order.cents / 100);
      const refunded = order.refundCents
        ? clawbackForRefund(
            {
              earnedPoints: earned,
              basisMinor: order.cents,
              clawedBackPoints: 0,
              refundedMinor: 0,
            },
            order.refundCents,
          )
        : 0;
      const kept = order.cancelled ? 0 : earned - refunded;
      const net = entries.reduce((sum, e) => sum + e.points + e.pendingPoints - e.shortfall, 0);
      expect(net, `order ${order.id}`).toBe(kept);
    }

    // Spent points match issued codes; every code exists once in Shopify and once here.
    const redemptions = await prisma.redemption.findMany({ where: { shop: TEST_SHOP } });
    const issued = redemptions.filter((r) => r.status === "ISSUED");
    expect(issued.length).toBe([...redeemResults, ...settled].filter((s) => s === 200).length);
    expect(new Set(issued.map((r) => r.code)).size).toBe(issued.length);
    expect(new Set(issued.map((r) => r.discountId)).size).toBe(issued.length);
    const spent = await prisma.ledgerEntry.aggregate({
      where: { shop: TEST_SHOP, kind: { in: ["REDEEM", "REDEEM_RETURN"] } },
      _sum: { points: true },
    });
    expect(-(spent._sum.points ?? 0)).toBe(issued.length * reward.pointsCost);
    const codesInShopify = [...api.state.discounts.values()].map((d) => d.code);
    expect(codesInShopify.sort()).toEqual(issued.map((r) => r.code).sort());
  }, 240_000);
});
