import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { loader as dataRequestLoader } from "../../app/routes/app.data-requests.$id";
import { loader as payloadLoader } from "../../app/routes/app.failed-events.$id";
import { action, loader } from "../../app/routes/app.failed-events";
import { expectStatus, load, OTHER_SHOP, post, resetShop, signIn } from "../support/admin";
import { deliver, memberOf } from "../support/engine";
import { orderPayload } from "../support/payloads";
import { TEST_SHOP } from "../support/shopify";

type Loaded = Awaited<ReturnType<typeof loader>>;

beforeEach(async () => {
  await resetShop();
  await resetShop(OTHER_SHOP);
  await signIn();
});

async function brokenOrder(shop = TEST_SHOP, webhookId = `bad-${Math.random()}`) {
  const payload: Record<string, unknown> = { ...orderPayload({ customerId: 77 }) };
  delete payload.total_price_set;
  expect(await deliver({ topic: "orders/paid", payload, shop, webhookId })).toBe(200);
  return payload;
}

describe("failed events page", () => {
  it("lists this shop's failed webhooks with their error, newest first", async () => {
    const payload = await brokenOrder(TEST_SHOP, "wh-1");
    await brokenOrder(OTHER_SHOP, "wh-other");

    const data = await load<Loaded>(loader, "/app/failed-events");

    expect(data.failed.total).toBe(1);
    expect(data.failed.events).toEqual([
      expect.objectContaining({
        topic: "ORDERS_PAID",
        webhookId: "wh-1",
        reason: "INVALID",
        status: "DEAD",
        truncated: false,
        replayable: true,
      }),
    ]);
    expect(data.failed.events[0]!.error).toContain("total_price_set");
    // The list never carries payloads (they can be large); the download does.
    expect(JSON.stringify(data.failed)).not.toContain(String(payload.id));
  });

  it("pages through many failures", async () => {
    for (let i = 0; i < 27; i++) {
      await prisma.failedEvent.create({
        data: { shop: TEST_SHOP, topic: "ORDERS_PAID", payload: "{}", error: `e${i}` },
      });
    }
    const first = await load<Loaded>(loader, "/app/failed-events");
    const second = await load<Loaded>(loader, "/app/failed-events?page=2");
    expect([first.failed.events.length, first.failed.hasNext]).toEqual([25, true]);
    expect([second.failed.events.length, second.failed.hasNext]).toEqual([2, false]);
  });

  it("downloads a payload as JSON, and 404s for another shop's event", async () => {
    await brokenOrder(TEST_SHOP, "wh-2");
    await brokenOrder(OTHER_SHOP, "wh-3");
    const mine = await prisma.failedEvent.findFirstOrThrow({ where: { shop: TEST_SHOP } });
    const theirs = await prisma.failedEvent.findFirstOrThrow({ where: { shop: OTHER_SHOP } });

    const response = await load<Response>(payloadLoader, `/app/failed-events/${mine.id}`, {
      params: { id: mine.id },
    });

    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Disposition")).toBe(
      `attachment; filename="failed-event-${mine.id}.json"`,
    );
    const body = (await response.json()) as {
      webhookId: string;
      error: string;
      payload: { id: number };
    };
    expect(body.webhookId).toBe("wh-2");
    expect(body.error).toContain("total_price_set");
    expect(body.payload.id).toBeTypeOf("number");
    expectStatus(
      await load(payloadLoader, `/app/failed-events/${theirs.id}`, { params: { id: theirs.id } }),
      404,
    );
  });
});

describe("replaying a failed event", () => {
  it("applies it once the cause is fixed, once, and refuses another shop's event", async () => {
    // The body lacked its total when it came; support fixes the stored copy's cause (here: the
    // app learns to read it) — simulated by storing a complete body as a dead event.
    const order = orderPayload({ customerId: 78, subtotal: "12.00" });
    const event = await prisma.failedEvent.create({
      data: {
        shop: TEST_SHOP,
        topic: "ORDERS_PAID",
        webhookId: "wh-replay",
        reason: "EFFECT_FAILED",
        status: "DEAD",
        attempts: 3,
        payload: JSON.stringify(order),
        error: "database was read-only",
      },
    });
    const theirs = await prisma.failedEvent.create({
      data: {
        ...{ topic: "ORDERS_PAID", payload: JSON.stringify(order), error: "x" },
        shop: OTHER_SHOP,
      },
    });

    const first = await post<{ ok: boolean }>(action, "/app/failed-events", {
      intent: "replay",
      id: event.id,
    });
    expect(first).toEqual({ ok: true });
    expect((await memberOf(78))?.balance).toBe(12);
    const again = await post<{ ok: boolean; error?: string }>(action, "/app/failed-events", {
      intent: "replay",
      id: event.id,
    });
    expect(again).toMatchObject({ ok: false, error: "This event was replayed already." });
    expect((await memberOf(78))?.balance).toBe(12);

    const data = await load<Loaded>(loader, "/app/failed-events");
    expect(data.failed.events[0]).toMatchObject({ status: "REPLAYED", replayable: false });
    expectStatus(
      await post(action, "/app/failed-events", { intent: "replay", id: theirs.id }),
      404,
    );
  });
});

describe("customer data requests", () => {
  it("lists data requests and downloads the stored report; another shop's is not found", async () => {
    await deliver({ topic: "orders/paid", payload: orderPayload({ customerId: 88 }) });
    expect(
      await deliver({
        topic: "customers/data_request",
        payload: {
          shop_id: 1,
          shop_domain: TEST_SHOP,
          customer: { id: 88, email: "shopper@example.com" },
          orders_requested: [],
          data_request: { id: 9999 },
        },
      }),
    ).toBe(200);
    const theirs = await prisma.dataRequest.create({
      data: { shop: OTHER_SHOP, customerId: "1", data: {} },
    });

    const data = await load<Loaded>(loader, "/app/failed-events");

    expect(data.dataRequests.requests).toEqual([
      expect.objectContaining({ customerId: "88", requestId: "9999" }),
    ]);
    const id = data.dataRequests.requests[0]!.id;
    const response = await load<Response>(dataRequestLoader, `/app/data-requests/${id}`, {
      params: { id },
    });
    const report = (await response.json()) as { customerId: string; member: { balance: number } };
    expect(report.customerId).toBe("88");
    expect(report.member.balance).toBe(45);
    expectStatus(
      await load(dataRequestLoader, `/app/data-requests/${theirs.id}`, {
        params: { id: theirs.id },
      }),
      404,
    );
  });
});
