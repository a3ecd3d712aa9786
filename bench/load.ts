/**
 * Load through autocannon over real HTTP: signed Shopify deliveries (a fifth of them Shopify
 * sending one again), signed app-proxy reads, and the same requests signed with the wrong secret,
 * which the app refuses right after its HMAC check — the "no-op signed route" every figure is
 * compared with: the same server, framework and route, stopping where the app's own work starts.
 */
import autocannon from "autocannon";
import { createHmac, randomUUID } from "node:crypto";
import { orderPayload } from "../test/support/payloads";
import { SECRET } from "./processes";

export const SHOP = "bench-shop.myshopify.com";
export const CUSTOMERS = 2_000;
/** Each order's subtotal; at the default earn rate it is worth POINTS_PER_ORDER. */
const SUBTOTAL = "59.90";
export const POINTS_PER_ORDER = 59;

interface Delivery {
  webhookId: string;
  body: string;
}

/** Orders for CUSTOMERS customers; every fifth delivery repeats an earlier one (same id). */
export class Deliveries {
  #sent: Delivery[] = [];
  #nextOrder = 1;
  #count = 0;
  /** Unique orders per customer: what every balance must come to. */
  readonly ordersOf = new Map<string, number>();

  constructor(private readonly orderBase: number) {}

  next(): Delivery {
    this.#count += 1;
    if (this.#count % 5 === 0 && this.#sent.length > 0) {
      return this.#sent[Math.floor(Math.random() * this.#sent.length)]!;
    }
    const id = this.orderBase + this.#nextOrder++;
    const customerId = 1 + (id % CUSTOMERS);
    const body = JSON.stringify(orderPayload({ id, customerId, subtotal: SUBTOTAL }));
    const delivery = { webhookId: randomUUID(), body };
    this.#sent.push(delivery);
    this.ordersOf.set(String(customerId), (this.ordersOf.get(String(customerId)) ?? 0) + 1);
    return delivery;
  }

  get unique() {
    return this.#sent.length;
  }
}

function webhookHeaders(delivery: Delivery, secret: string) {
  return {
    "content-type": "application/json",
    "x-shopify-topic": "orders/paid",
    "x-shopify-shop-domain": SHOP,
    "x-shopify-api-version": "2026-10",
    "x-shopify-webhook-id": delivery.webhookId,
    "x-shopify-event-id": delivery.webhookId,
    "x-shopify-triggered-at": new Date().toISOString(),
    "x-shopify-hmac-sha256": createHmac("sha256", secret).update(delivery.body).digest("base64"),
  };
}

export function proxyPath(customerId: string, secret = SECRET) {
  const params = new URLSearchParams({
    shop: SHOP,
    logged_in_customer_id: customerId,
    path_prefix: "/apps/loyalty",
    timestamp: String(Math.floor(Date.now() / 1000)),
  });
  const message = [...params.entries()]
    .map(([key, value]) => `${key}=${value}`)
    .sort()
    .join("");
  params.set("signature", createHmac("sha256", secret).update(message).digest("hex"));
  return `/proxy/member?${params}`;
}

export interface LoadResult {
  requests: number;
  /** Requests per second over the whole run. */
  rps: number;
  p50: number;
  p99: number;
  max: number;
  /** Answers other than the expected status, plus connection errors and timeouts. */
  unexpected: number;
  /** Answers that took longer than Shopify's 5 s webhook timeout. */
  over5s: number;
  startedAt: number;
  endedAt: number;
}

type RequestOf = () => {
  method: "GET" | "POST";
  path: string;
  headers?: Record<string, string>;
  body?: string;
};

function run(options: autocannon.Options, onResponse: (status: number, ms: number) => void) {
  return new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(options, (error, result) =>
      error ? reject(error) : resolve(result),
    );
    instance.on("response", (_client, status, _bytes, ms) => onResponse(status, ms));
  });
}

export function percentile(sorted: readonly number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/**
 * `amount` requests at `connections` concurrency, split evenly across `urls` (one autocannon per
 * instance, run together, every response time kept for exact percentiles).
 */
export async function load(
  urls: string[],
  options: { connections: number; amount: number; expect: number; request: RequestOf },
): Promise<LoadResult> {
  const targets = urls.slice(0, Math.min(urls.length, options.connections));
  const times: number[] = [];
  let unexpected = 0;
  const startedAt = Date.now();
  const results = await Promise.all(
    targets.map((url, i) => {
      const share = (n: number) =>
        Math.floor(n / targets.length) + (i < n % targets.length ? 1 : 0);
      return run(
        {
          url,
          connections: share(options.connections),
          amount: share(options.amount),
          timeout: 30,
          requests: [{ setupRequest: (request) => ({ ...request, ...options.request() }) }],
        },
        (status, ms) => {
          times.push(ms);
          if (status !== options.expect) unexpected += 1;
        },
      );
    }),
  );
  const endedAt = Date.now();
  times.sort((a, b) => a - b);
  return {
    requests: times.length,
    rps: times.length / ((endedAt - startedAt) / 1000),
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    max: times.at(-1) ?? 0,
    unexpected: unexpected + results.reduce((sum, r) => sum + r.errors + r.timeouts, 0),
    over5s: times.filter((ms) => ms > 5_000).length,
    startedAt,
    endedAt,
  };
}

/** Signed orders/paid deliveries; `secret` other than the app's gives the no-op baseline. */
export function webhookLoad(deliveries: Deliveries, secret = SECRET): RequestOf {
  return () => {
    const delivery = deliveries.next();
    return {
      method: "POST",
      path: "/webhooks/orders/paid",
      headers: webhookHeaders(delivery, secret),
      body: delivery.body,
    };
  };
}

export function memberLoad(secret = SECRET): RequestOf {
  let i = 0;
  return () => ({ method: "GET", path: proxyPath(String(1 + (i++ % CUSTOMERS)), secret) });
}

export const WRONG_SECRET = `not-${SECRET}`;
