/**
 * Every correctly signed body is acknowledged and recorded, never retried forever; bodies are
 * bounded before they are read; an effect that keeps failing is dead-lettered and can be
 * replayed once its cause is fixed.
 */
import { getHmac } from "@shopify/shopify-api/test-helpers";
import { beforeEach, describe, expect, it, vi } from "vitest";
import prisma from "../../app/db.server";
import * as members from "../../app/loyalty/members.server";
import { replayFailedEvent } from "../../app/loyalty/replay.server";
import { EFFECT_ATTEMPTS, TRUNCATION_MARKER } from "../../app/loyalty/webhooks.server";
import { action as ordersPaid } from "../../app/routes/webhooks.orders.paid";
import { deliver, expectLedgerConsistent, memberOf, resetShop } from "../support/engine";
import { orderPayload } from "../support/payloads";
import { routeArgs, TEST_SHOP, webhookRequest } from "../support/shopify";

beforeEach(() => resetShop());

async function failed() {
  return prisma.failedEvent.findMany({ where: { shop: TEST_SHOP }, orderBy: { createdAt: "asc" } });
}

function headers(body: string, extra: Record<string, string> = {}) {
  return {
    "Content-Type": "application/json",
    "X-Shopify-Topic": "orders/paid",
    "X-Shopify-Shop-Domain": TEST_SHOP,
    "X-Shopify-API-Version": "2026-10",
    "X-Shopify-Webhook-Id": `wh-${Math.random()}`,
    "X-Shopify-Hmac-Sha256": getHmac(body, process.env.SHOPIFY_API_SECRET!),
    ...extra,
  };
}

describe("signed bodies the app cannot use", () => {
  it("records malformed JSON and answers 200", async () => {
    const body = '{"id": 820000000001, "customer": {"id": 1';
    expect(await deliver({ topic: "orders/paid", payload: body, webhookId: "bad-json" })).toBe(200);
    const [event] = await failed();
    expect(event).toMatchObject({
      reason: "UNPARSEABLE",
      status: "DEAD",
      webhookId: "bad-json",
      payload: body,
      payloadBytes: body.length,
      truncated: false,
    });
    // Shopify's retry of the same delivery is acknowledged without a second record.
    expect(await deliver({ topic: "orders/paid", payload: body, webhookId: "bad-json" })).toBe(200);
    expect(await failed()).toHaveLength(1);
  });

  it("stores a customer name with a lone UTF-16 surrogate, replaced, and credits the order", async () => {
    const body = JSON.stringify(orderPayload({ customerId: 3601, subtotal: "10.00" })).replace(
      '"first_name":"Ada"',
      '"first_name":"Ada\\ud800"',
    );
    expect(await deliver({ topic: "orders/paid", payload: body })).toBe(200);
    expect(await memberOf(3601)).toMatchObject({ firstName: "Ada\ufffd", balance: 10 });
  });

  it("records a body nested 10,000 levels deep instead of crashing", async () => {
    const body = `{"id": 1, "note": ${"[".repeat(10_000)}${"]".repeat(10_000)}}`;
    expect(await deliver({ topic: "orders/paid", payload: body })).toBe(200);
    const [event] = await failed();
    expect(event).toMatchObject({ reason: "UNPARSEABLE", payloadBytes: body.length });
  });

  it("keeps at most 256 KB of a large signed body, marked as cut", async () => {
    const payload = { ...orderPayload({ customerId: 3602 }), note: "x".repeat(300_000) };
    delete (payload as Record<string, unknown>).subtotal_price_set;
    expect(await deliver({ topic: "orders/paid", payload })).toBe(200);
    const [event] = await failed();
    expect(event!.truncated).toBe(true);
    expect(event!.payloadBytes).toBeGreaterThan(300_000);
    expect(event!.payload.length).toBe(256 * 1024 + TRUNCATION_MARKER.length);
    expect(event!.payload.endsWith(TRUNCATION_MARKER)).toBe(true);
  });
});

describe("body limits", () => {
  it("answers 413 to a declared oversized body without reading it", async () => {
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(1024 * 1024));
      },
    });
    const request = new Request("https://my-test-app.myshopify.io/webhooks/orders/paid", {
      method: "POST",
      body: stream,
      headers: { ...headers("{}"), "Content-Length": String(50 * 1024 * 1024) },
      duplex: "half",
    } as RequestInit);
    const response = await ordersPaid(routeArgs(request));
    expect(response.status).toBe(413);
    expect(pulled).toBeLessThanOrEqual(1);
    expect(await failed()).toEqual([]);
  });

  it("stops reading a streamed body as soon as it passes the limit", async () => {
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 1024 * 1024;
        if (sent > 50 * 1024 * 1024) controller.close();
        else controller.enqueue(new Uint8Array(1024 * 1024).fill(32));
      },
    });
    const request = new Request("https://my-test-app.myshopify.io/webhooks/orders/paid", {
      method: "POST",
      body: stream,
      headers: headers("{}"),
      duplex: "half",
    } as RequestInit);
    const response = await ordersPaid(routeArgs(request));
    expect(response.status).toBe(413);
    expect(sent).toBeLessThanOrEqual(4 * 1024 * 1024);
  });

  it("still checks signatures on bodies within the limit", async () => {
    expect(await deliver({ topic: "orders/paid", payload: orderPayload(), secret: "forged" })).toBe(
      401,
    );
  });
});

describe("an effect that keeps failing", () => {
  it("is retried, then dead-lettered and acknowledged, then replayed once after the fix", async () => {
    const order = orderPayload({ customerId: 3701, subtotal: "25.00" });
    const broken = vi
      .spyOn(members, "evaluateTier")
      .mockRejectedValue(new Error("tier table locked"));
    const statuses: number[] = [];
    for (let attempt = 0; attempt < EFFECT_ATTEMPTS + 1; attempt += 1) {
      statuses.push(await deliver({ topic: "orders/paid", payload: order, webhookId: "poison" }));
    }
    broken.mockRestore();

    // Shopify sees 500 (and retries) until the last attempt, then 200; later retries are no-ops.
    expect(statuses).toEqual([500, 500, 200, 200]);
    expect(await memberOf(3701)).toBeNull();
    const [event] = await failed();
    expect(event).toMatchObject({
      reason: "EFFECT_FAILED",
      status: "DEAD",
      attempts: EFFECT_ATTEMPTS,
      customerId: "3701",
    });
    expect(event!.error).toContain("tier table locked");

    expect(await replayFailedEvent(event!, "staff:Ada")).toEqual({ ok: true });
    expect((await memberOf(3701))?.balance).toBe(25);
    expect(await prisma.failedEvent.findUniqueOrThrow({ where: { id: event!.id } })).toMatchObject({
      status: "REPLAYED",
      replayedBy: "staff:Ada",
    });
    const again = await replayFailedEvent(
      await prisma.failedEvent.findUniqueOrThrow({ where: { id: event!.id } }),
      "staff:Ada",
    );
    expect(again.ok).toBe(false);
    expect((await memberOf(3701))?.balance).toBe(25);
    await expectLedgerConsistent();
  });

  it("leaves nothing behind when one attempt fails and the next succeeds", async () => {
    const order = orderPayload({ customerId: 3702, subtotal: "9.00" });
    const once = vi.spyOn(members, "evaluateTier").mockRejectedValueOnce(new Error("blip"));
    expect(await deliver({ topic: "orders/paid", payload: order, webhookId: "blip" })).toBe(500);
    once.mockRestore();
    expect(await deliver({ topic: "orders/paid", payload: order, webhookId: "blip" })).toBe(200);
    expect((await memberOf(3702))?.balance).toBe(9);
    expect(await failed()).toEqual([]);
  });

  it("cannot replay a payload that was cut", async () => {
    const request = webhookRequest({ topic: "orders/paid", payload: "{" + " ".repeat(300_000) });
    expect((await ordersPaid(routeArgs(request))).status).toBe(200);
    const [event] = await failed();
    const result = await replayFailedEvent(event!, "staff:Ada");
    expect(result).toMatchObject({ ok: false });
    expect(!result.ok && result.error).toMatch(/larger than 256 KB/);
  });
});
