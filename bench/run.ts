/**
 * `npm run bench`: latency of the hot paths on this machine, written to docs/benchmarks.md.
 * Webhooks must be answered well inside Shopify's 5 s; the storefront member read is on the
 * shopper's critical path. Figures are percentiles over many requests through the real routes
 * on a real SQLite file, so they move with the code, not with a mock.
 */
import { execFileSync } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const SECRET = "bench-secret";
const SHOP = "bench-shop.myshopify.com";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "loyalty-bench-"));
const databaseUrl = `file:${path.join(dir, "bench.sqlite")}`;
Object.assign(process.env, {
  DATABASE_URL: databaseUrl,
  SHOPIFY_API_KEY: "bench-key",
  SHOPIFY_API_SECRET: SECRET,
  SHOPIFY_APP_URL: "https://bench.example.com",
  SCOPES: "read_orders,read_customers,write_customers,write_discounts,write_app_proxy",
  NODE_ENV: "production",
});
execFileSync(path.resolve("node_modules/.bin/prisma"), ["migrate", "deploy"], {
  env: process.env,
  stdio: "ignore",
});

const { action: ordersPaid } = await import("../app/routes/webhooks.orders.paid");
const { action: refundsCreate } = await import("../app/routes/webhooks.refunds.create");
const { loader: member } = await import("../app/routes/proxy.member");
const { default: prisma } = await import("../app/db.server");

function webhook(topic: string, payload: unknown): Request {
  const body = JSON.stringify(payload);
  return new Request(`https://bench.example.com/webhooks/${topic}`, {
    method: "POST",
    body,
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Topic": topic,
      "X-Shopify-Shop-Domain": SHOP,
      "X-Shopify-API-Version": "2026-10",
      "X-Shopify-Webhook-Id": randomUUID(),
      "X-Shopify-Hmac-Sha256": createHmac("sha256", SECRET).update(body).digest("base64"),
    },
  });
}

function proxy(customerId: string): Request {
  const params = new URLSearchParams({
    shop: SHOP,
    logged_in_customer_id: customerId,
    path_prefix: "/apps/loyalty",
    timestamp: String(Math.floor(Date.now() / 1000)),
  });
  const message = [...params.entries()]
    .map(([k, v]) => `${k}=${v}`)
    .sort()
    .join("");
  params.set("signature", createHmac("sha256", SECRET).update(message).digest("hex"));
  return new Request(`https://bench.example.com/proxy/member?${params}`);
}

const money = (amount: string) => ({ shop_money: { amount, currency_code: "USD" } });
function order(id: number, customerId: number) {
  return {
    id,
    name: `#${id}`,
    customer: { id: customerId, email: `c${customerId}@example.com` },
    current_subtotal_price_set: money("59.90"),
    subtotal_price_set: money("59.90"),
    total_price_set: money("64.90"),
    line_items: [],
    processed_at: new Date().toISOString(),
  };
}

function percentiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
  return { n: sorted.length, p50: at(50), p95: at(95), p99: at(99), max: sorted.at(-1)! };
}

async function time(run: () => Promise<unknown>) {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const args = { params: {}, context: {} };
const CUSTOMERS = 500;
const ORDERS = 2_000;

// Warm-up: module init, prepared statements, the shop's program row.
for (let i = 0; i < 50; i++)
  await ordersPaid({ request: webhook("orders/paid", order(1 + i, 1 + (i % CUSTOMERS))), ...args });

const paid: number[] = [];
for (let i = 0; i < ORDERS; i++) {
  const request = webhook("orders/paid", order(10_000 + i, 1 + (i % CUSTOMERS)));
  paid.push(await time(() => ordersPaid({ request, ...args })));
}
const duplicate: number[] = [];
for (let i = 0; i < 500; i++) {
  const request = webhook("orders/paid", order(10_000 + i, 1 + (i % CUSTOMERS)));
  duplicate.push(await time(() => ordersPaid({ request, ...args })));
}
const refunds: number[] = [];
for (let i = 0; i < 500; i++) {
  const payload = {
    id: 90_000 + i,
    order_id: 10_000 + i,
    refund_line_items: [{ quantity: 1, subtotal_set: money("19.90") }],
  };
  const request = webhook("refunds/create", payload);
  refunds.push(await time(() => refundsCreate({ request, ...args })));
}
const reads: number[] = [];
for (let i = 0; i < 2_000; i++) {
  const request = proxy(String(1 + (i % CUSTOMERS)));
  reads.push(await time(() => member({ request, ...args })));
}
const entries = await prisma.ledgerEntry.count();
await prisma.$disconnect();
fs.rmSync(dir, { recursive: true, force: true });

const rows = [
  ["orders/paid (new order, earn + tier check)", percentiles(paid)],
  ["orders/paid (redelivery, deduplicated)", percentiles(duplicate)],
  ["refunds/create (partial clawback)", percentiles(refunds)],
  ["GET /proxy/member (signed, logged in)", percentiles(reads)],
] as const;
const cpu = os.cpus()[0]?.model ?? "unknown CPU";
const table = rows
  .map(
    ([name, p]) =>
      `| ${name} | ${p.n} | ${p.p50.toFixed(2)} | ${p.p95.toFixed(2)} | ${p.p99.toFixed(2)} | ${p.max.toFixed(2)} |`,
  )
  .join("\n");
const report = `# Benchmarks

Generated by \`npm run bench\` (bench/run.ts) on ${new Date().toISOString().slice(0, 10)}.
Machine: ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, SQLite (libSQL) on local disk.
Every request goes through the real route: signature check, zod validation, one transaction.
${CUSTOMERS} members, ${entries} ledger entries at the end. Times in milliseconds, sequential requests.

| path | n | p50 | p95 | p99 | max |
| --- | --- | --- | --- | --- | --- |
${table}

Shopify wants webhooks answered within 5 s; the p99 above is the margin we keep. The storefront
member read makes no Admin API call.
`;
fs.writeFileSync("docs/benchmarks.md", report);
console.log(report);
