/**
 * The webhook intake pipeline (app/loyalty/webhooks.server.ts) at its edges: what is answered to
 * requests that are not webhooks, what a stored FailedEvent says (its error text is what the
 * merchant reads on the Failed events page, its customer what a redaction looks for), which
 * failures are acknowledged and which are left for Shopify to retry, and what the logs tell an
 * operator (identifiers only, never the body).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import prisma from "../../app/db.server";
import { log } from "../../app/log.server";
import * as members from "../../app/loyalty/members.server";
import { webhookHandlers } from "../../app/loyalty/webhook-topics.server";
import type { WebhookHandler } from "../../app/loyalty/webhooks.server";
import {
  EFFECT_ATTEMPTS,
  processWebhook,
  STORED_PAYLOAD_LIMIT,
} from "../../app/loyalty/webhooks.server";
import { action as ordersPaid } from "../../app/routes/webhooks.orders.paid";
import { deliver, memberOf, resetShop } from "../support/engine";
import { customerPayload, orderPayload, refundPayload } from "../support/payloads";
import { routeArgs, TEST_SHOP, webhookRequest } from "../support/shopify";

beforeEach(() => resetShop());

const restorers: (() => void)[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const restore of restorers.splice(0)) restore();
});

/**
 * Makes the next call of a Prisma client method fail as the database would. (vi.spyOn cannot be
 * used: the client's members are proxied and would not come back after mockRestore.)
 */
function failNextCall(target: object, key: string, error: Error) {
  const methods = target as Record<string, (...args: unknown[]) => unknown>;
  const real = methods[key]!.bind(target);
  let failed = false;
  methods[key] = (...args) => {
    if (failed) return real(...args);
    failed = true;
    return Promise.reject(error);
  };
  restorers.push(() => {
    methods[key] = real;
  });
}

function failedEvents() {
  return prisma.failedEvent.findMany({ where: { shop: TEST_SHOP }, orderBy: { createdAt: "asc" } });
}

/** An orders/paid body Shopify signed but that cannot be read as an order. */
function invalidOrder(options: Parameters<typeof orderPayload>[0] = {}) {
  const payload: Record<string, unknown> = { ...orderPayload(options) };
  delete payload.total_price_set;
  return payload;
}

async function nothingRecorded() {
  expect(await prisma.failedEvent.count()).toBe(0);
  expect(await prisma.webhookDelivery.count()).toBe(0);
  expect(await prisma.orderRecord.count()).toBe(0);
}

describe("requests that are not deliveries", () => {
  it("answers 405 to a GET and records nothing", async () => {
    const response = await ordersPaid(
      routeArgs(new Request("https://my-test-app.myshopify.io/webhooks/orders/paid")),
    );
    expect(response.status).toBe(405);
    await nothingRecorded();
  });

  it("answers 400 to a correctly signed body without a webhook id header", async () => {
    const request = webhookRequest({ topic: "orders/paid", payload: orderPayload() });
    request.headers.delete("X-Shopify-Webhook-Id");
    expect((await ordersPaid(routeArgs(request))).status).toBe(400);
    await nothingRecorded();
  });
});

describe("the error a merchant reads on a rejected body", () => {
  it("names every problem by its path, nested fields with dots, separated by semicolons", async () => {
    const payload = invalidOrder({ customerId: 3801 });
    const lines = payload.line_items as Record<string, unknown>[];
    lines[0] = { ...lines[0], quantity: -1 };

    expect(await deliver({ topic: "orders/paid", payload })).toBe(200);

    const [event] = await failedEvents();
    expect(event).toMatchObject({ reason: "INVALID", status: "DEAD", attempts: 1 });
    expect(event!.error).toBe(
      "total_price_set: Invalid input: expected object, received undefined; " +
        "line_items.0.quantity: Too small: expected number to be >=0",
    );
  });

  it('says "payload" for a problem with the body as a whole', async () => {
    expect(await deliver({ topic: "orders/paid", payload: [orderPayload()] })).toBe(200);
    const [event] = await failedEvents();
    expect(event).toMatchObject({ reason: "INVALID", customerId: null });
    expect(event!.error).toBe("payload: Invalid input: expected object, received array");
  });

  // Handlers are ordinary code: a library may throw a bare string, a promise may reject with
  // nothing. The delivery must still be recorded, with whatever text there is.
  it("records a parser that throws a string, with that string", async () => {
    const throwsText: WebhookHandler<unknown> = {
      parse() {
        throw "API version 2023-01 is no longer supported";
      },
      apply: () => Promise.resolve(),
    };
    const request = webhookRequest({ topic: "orders/paid", payload: orderPayload() });
    expect((await processWebhook(request, throwsText)).status).toBe(200);
    const [event] = await failedEvents();
    expect(event).toMatchObject({
      reason: "INVALID",
      error: "API version 2023-01 is no longer supported",
    });
  });

  it("records an effect that rejects without a reason as a failed attempt", async () => {
    const rejectsEmpty: WebhookHandler<unknown> = {
      parse: webhookHandlers.ordersPaid.parse as WebhookHandler<unknown>["parse"],
      apply: () => Promise.reject(null),
    };
    const request = webhookRequest({
      topic: "orders/paid",
      payload: orderPayload({ customerId: 3802 }),
      webhookId: "empty-rejection",
    });
    expect((await processWebhook(request, rejectsEmpty)).status).toBe(500);
    const [event] = await failedEvents();
    expect(event).toMatchObject({
      reason: "EFFECT_FAILED",
      status: "FAILING",
      attempts: 1,
      error: "null",
      customerId: "3802",
    });
  });

  it("keeps a body of exactly 256 KB whole", async () => {
    const base = JSON.stringify(invalidOrder());
    const body = `${base.slice(0, -1)},"note":"${"x".repeat(STORED_PAYLOAD_LIMIT - base.length - 10)}"}`;
    expect(body.length).toBe(STORED_PAYLOAD_LIMIT);

    expect(await deliver({ topic: "orders/paid", payload: body })).toBe(200);
    const [event] = await failedEvents();
    expect(event).toMatchObject({ truncated: false, payloadBytes: STORED_PAYLOAD_LIMIT });
    expect(event!.payload).toBe(body);
  });
});

describe("the customer a rejected body is recorded against", () => {
  it.each([
    ["an order with a customer", "orders/paid", () => invalidOrder({ customerId: 3811 }), "3811"],
    [
      "an order whose customer id is beyond 2^53 (read as digits)",
      "orders/paid",
      () => invalidOrder({ customerId: 9_007_199_254_740_993n }),
      "9007199254740993",
    ],
    [
      "a customer created with a malformed date",
      "customers/create",
      () => ({ ...customerPayload(3812), created_at: 1_718_000_000 }),
      "3812",
    ],
    [
      "a privacy request (it names its customer under customer, as orders do)",
      "customers/data_request",
      () => ({
        shop_id: 1,
        shop_domain: "test-shop.myshopify.com",
        customer: { id: 3814, email: "c3814@example.com", phone: null },
        orders_requested: "none",
        data_request: { id: 9001 },
      }),
      "3814",
    ],
    [
      "a refund (it names no customer)",
      "refunds/create",
      () => ({ ...refundPayload(820_000_000_999, "5.00"), refund_line_items: "none" }),
      null,
    ],
    [
      "an order whose customer id is not an id",
      "orders/paid",
      () => ({ ...invalidOrder(), customer: { id: { value: 3813 } } }),
      null,
    ],
  ])("%s", async (_case, topic, body, customerId) => {
    expect(await deliver({ topic, payload: body() })).toBe(200);
    const [event] = await failedEvents();
    expect(event).toMatchObject({ reason: "INVALID", customerId });
  });

  it("records a guest order that cannot be read, and acknowledges it", async () => {
    expect(
      await deliver({ topic: "orders/paid", payload: invalidOrder({ customerId: null }) }),
    ).toBe(200);
    expect(await failedEvents()).toEqual([expect.objectContaining({ reason: "INVALID" })]);
  });

  // A guest order has an email but no customer: its own id is not a customer id.
  it("records no customer for a guest order", async () => {
    const payload = invalidOrder({ customerId: null });
    expect(await deliver({ topic: "orders/paid", payload })).toBe(200);
    const [event] = await failedEvents();
    expect(event!.customerId).toBeNull();
  });
});

describe("failures Shopify is left to retry", () => {
  it("does not acknowledge a rejected body it could not record, and records it on the retry", async () => {
    const payload = invalidOrder({ customerId: 3821 });
    failNextCall(prisma, "$transaction", new Error("disk I/O error"));

    await expect(deliver({ topic: "orders/paid", payload, webhookId: "io" })).rejects.toThrow(
      "disk I/O error",
    );
    await nothingRecorded();

    expect(await deliver({ topic: "orders/paid", payload, webhookId: "io" })).toBe(200);
    expect(await failedEvents()).toEqual([
      expect.objectContaining({ webhookId: "io", reason: "INVALID", customerId: "3821" }),
    ]);
  });

  it("answers 503 while the database is busy, without counting an attempt", async () => {
    const order = orderPayload({ customerId: 3822, subtotal: "12.00" });
    const warn = vi.spyOn(log, "warn").mockReturnValue(undefined);
    const busy = vi
      .spyOn(members, "evaluateTier")
      .mockRejectedValue(new Error("SQLITE_BUSY: database is locked"));
    for (let attempt = 0; attempt < EFFECT_ATTEMPTS + 1; attempt += 1) {
      expect(await deliver({ topic: "orders/paid", payload: order, webhookId: "busy" })).toBe(503);
    }
    expect(await failedEvents()).toEqual([]);
    expect(warn).toHaveBeenLastCalledWith(
      "webhook not applied: database unavailable; it will be retried",
      expect.objectContaining({
        shop: TEST_SHOP,
        topic: "ORDERS_PAID",
        webhookId: "busy",
        error: "SQLITE_BUSY: database is locked",
      }),
    );

    busy.mockRestore();
    expect(await deliver({ topic: "orders/paid", payload: order, webhookId: "busy" })).toBe(200);
    expect((await memberOf(3822))?.balance).toBe(12);
  });

  it("answers 500 when a failed effect cannot even be counted, and logs both errors", async () => {
    const order = orderPayload({ customerId: 3823 });
    const error = vi.spyOn(log, "error").mockReturnValue(undefined);
    vi.spyOn(members, "evaluateTier").mockRejectedValueOnce(new Error("tier table locked"));
    failNextCall(prisma.failedEvent, "upsert", new Error("disk I/O error"));

    expect(await deliver({ topic: "orders/paid", payload: order, webhookId: "uncounted" })).toBe(
      500,
    );
    await nothingRecorded();
    expect(error).toHaveBeenCalledWith(
      "webhook failed and could not be recorded; it will be retried",
      expect.objectContaining({
        shop: TEST_SHOP,
        topic: "ORDERS_PAID",
        webhookId: "uncounted",
        error: "tier table locked",
        recordError: "disk I/O error",
      }),
    );
  });
});

describe("what the logs tell an operator", () => {
  it("a rejected body: a warning with its identifiers and error, without the body", async () => {
    const warn = vi.spyOn(log, "warn").mockReturnValue(undefined);
    const payload = invalidOrder({ customerId: 3831, email: "private@example.com" });
    await deliver({ topic: "orders/paid", payload, webhookId: "logged" });
    expect(warn).toHaveBeenCalledWith("webhook rejected", {
      shop: TEST_SHOP,
      topic: "ORDERS_PAID",
      webhookId: "logged",
      reason: "INVALID",
      error: "total_price_set: Invalid input: expected object, received undefined",
    });
    expect(JSON.stringify(warn.mock.calls)).not.toContain("private@example.com");
  });

  it("a failing effect: a warning per retried attempt, an error when dead-lettered", async () => {
    const warn = vi.spyOn(log, "warn").mockReturnValue(undefined);
    const error = vi.spyOn(log, "error").mockReturnValue(undefined);
    vi.spyOn(members, "evaluateTier").mockRejectedValue(new Error("tier table locked"));
    const order = orderPayload({ customerId: 3832 });
    for (let attempt = 0; attempt < EFFECT_ATTEMPTS; attempt += 1) {
      await deliver({ topic: "orders/paid", payload: order, webhookId: "dying" });
    }
    const identifiers = { shop: TEST_SHOP, topic: "ORDERS_PAID", webhookId: "dying" };
    expect(warn.mock.calls.map(([msg, fields]) => [msg, fields?.attempt])).toEqual([
      ["webhook failed; it will be retried", 1],
      ["webhook failed; it will be retried", 2],
    ]);
    expect(warn).toHaveBeenCalledWith(
      "webhook failed; it will be retried",
      expect.objectContaining({ ...identifiers, error: "tier table locked" }),
    );
    expect(error.mock.calls).toEqual([
      [
        "webhook dead-lettered",
        expect.objectContaining({ ...identifiers, attempt: 3, error: "tier table locked" }),
      ],
    ]);
  });
});
