/**
 * Replaying a dead-lettered FailedEvent, as the merchant sees it: the exact message for each
 * outcome, the delivery record and REPLAYED mark written in the same transaction, and who did it.
 */
import { beforeEach, describe, expect, it, vi } from "vitest";
import prisma from "../../app/db.server";
import { log } from "../../app/log.server";
import * as members from "../../app/loyalty/members.server";
import { replayFailedEvent } from "../../app/loyalty/replay.server";
import { expectLedgerConsistent, memberOf, resetShop } from "../support/engine";
import { orderPayload } from "../support/payloads";
import { TEST_SHOP } from "../support/shopify";

beforeEach(() => resetShop());

// The replay time; later than every order below, as it is in the app.
const NOW = new Date(Date.now() + 60_000);

function deadEvent(payload: unknown, data: { topic?: string; webhookId?: string | null } = {}) {
  return prisma.failedEvent.create({
    data: {
      shop: TEST_SHOP,
      topic: data.topic ?? "ORDERS_PAID",
      webhookId: data.webhookId === undefined ? null : data.webhookId,
      reason: "EFFECT_FAILED",
      status: "DEAD",
      attempts: 3,
      payload: typeof payload === "string" ? payload : JSON.stringify(payload),
      error: "tier table locked",
    },
  });
}

function row(id: string) {
  return prisma.failedEvent.findUniqueOrThrow({ where: { id } });
}

/** What Prisma throws when a natural key (unique index) refuses a second write. */
function uniqueViolation() {
  const error = new Error("Unique constraint failed on the fields: (`idempotencyKey`)");
  error.name = "PrismaClientKnownRequestError";
  Object.assign(error, { code: "P2002" });
  return error;
}

describe("replay refusals the merchant reads", () => {
  it("names why an event cannot be replayed, without touching it", async () => {
    const event = await deadEvent(orderPayload({ customerId: 5101, subtotal: "10.00" }));

    expect(await replayFailedEvent({ ...event, status: "REPLAYED" }, "staff:Ada", NOW)).toEqual({
      ok: false,
      error: "This event was replayed already.",
    });
    expect(await replayFailedEvent({ ...event, status: "FAILING" }, "staff:Ada", NOW)).toEqual({
      ok: false,
      error: "This webhook is still being retried; wait for its retries.",
    });
    expect(
      await replayFailedEvent({ ...event, topic: "PRODUCTS_UPDATE" }, "staff:Ada", NOW),
    ).toEqual({ ok: false, error: "The app does not handle PRODUCTS_UPDATE webhooks." });
    // None of them applied the order: no member, the row is still DEAD with its old error.
    expect(await memberOf(5101)).toBeNull();
    expect(await row(event.id)).toMatchObject({ status: "DEAD", error: "tier table locked" });
  });

  it("lists each schema issue by field path (the body itself as `payload`) and stores it", async () => {
    // Three issues: a nested field (dotted path) and two missing amounts, in schema order.
    const order: Record<string, unknown> = {
      ...orderPayload({ customerId: 5102 }),
      customer: { id: "not-a-number", admin_graphql_api_id: null },
    };
    delete order.subtotal_price_set;
    delete order.total_price_set;
    const missing = await deadEvent(order);
    const result = await replayFailedEvent(missing, "staff:Ada", NOW);
    expect(result.ok).toBe(false);
    const error = !result.ok ? result.error : "";
    expect(error).toMatch(
      /^Still not a payload the app can use: customer\.id: [^;]+; subtotal_price_set: [^;]+; total_price_set: [^;]+$/,
    );
    expect((await row(missing.id)).error).toBe(
      error.replace("Still not a payload the app can use: ", ""),
    );

    // Two issues, one of them on the body as a whole (empty path).
    const notAnObject = await deadEvent("[1]", { webhookId: "wh-array" });
    const second = await replayFailedEvent(notAnObject, "staff:Ada", NOW);
    expect(!second.ok && second.error).toMatch(/^Still not a payload the app can use: payload: \S/);

    // Not a zod error at all (broken JSON): its own message, not a crash.
    const broken = await deadEvent('{"id": 1', { webhookId: "wh-broken" });
    const third = await replayFailedEvent(broken, "staff:Ada", NOW);
    expect(third.ok).toBe(false);
    expect(!third.ok && third.error).toMatch(/^Still not a payload the app can use: \S/);
    expect(!third.ok && third.error).not.toMatch(/undefined/);
    expect((await row(broken.id)).status).toBe("DEAD");
  });
});

describe("a replay that works", () => {
  it("credits once, records a delivery under a replay id, and marks only this event", async () => {
    const info = vi.spyOn(log, "info");
    const event = await deadEvent(orderPayload({ customerId: 5103, subtotal: "25.00" }));
    const other = await deadEvent(orderPayload({ customerId: 5104 }), { webhookId: "wh-other" });

    expect(await replayFailedEvent(event, "staff:Ada", NOW)).toEqual({ ok: true });
    expect((await memberOf(5103))?.balance).toBe(25);
    expect(await row(event.id)).toMatchObject({
      status: "REPLAYED",
      replayedBy: "staff:Ada",
      replayedAt: NOW,
    });
    // An event without a webhook id still gets a delivery record, keyed by the event.
    expect(
      await prisma.webhookDelivery.findMany({
        where: { shop: TEST_SHOP },
        select: { webhookId: true },
      }),
    ).toEqual([{ webhookId: `replay:${event.id}` }]);
    // The other dead event is untouched.
    expect(await row(other.id)).toMatchObject({
      status: "DEAD",
      replayedBy: null,
      replayedAt: null,
    });
    expect(info).toHaveBeenCalledWith("webhook replayed", {
      shop: TEST_SHOP,
      topic: "ORDERS_PAID",
      failedEventId: event.id,
    });
    info.mockRestore();
    await expectLedgerConsistent();
  });

  it("keeps the delivery's own webhook id when it has one", async () => {
    const event = await deadEvent(orderPayload({ customerId: 5105 }), { webhookId: "wh-5105" });
    expect(await replayFailedEvent(event, "staff:Ada", NOW)).toEqual({ ok: true });
    expect(
      await prisma.webhookDelivery.findMany({
        where: { shop: TEST_SHOP },
        select: { webhookId: true },
      }),
    ).toEqual([{ webhookId: "wh-5105" }]);
  });

  it("applies nothing when another click replayed the event meanwhile", async () => {
    // The page still shows the event DEAD; the row was replayed by a colleague since.
    const event = await deadEvent(orderPayload({ customerId: 5106, subtotal: "30.00" }));
    const earlier = new Date("2026-03-01T00:00:00.000Z");
    await prisma.failedEvent.update({
      where: { id: event.id },
      data: { status: "REPLAYED", replayedBy: "staff:Grace", replayedAt: earlier },
    });
    expect(await replayFailedEvent(event, "staff:Ada", NOW)).toEqual({
      ok: false,
      error: "This event was replayed already.",
    });
    // The whole transaction rolled back: no points, no delivery record, the colleague's mark.
    expect(await memberOf(5106)).toBeNull();
    expect(await prisma.webhookDelivery.count({ where: { shop: TEST_SHOP } })).toBe(0);
    expect(await row(event.id)).toMatchObject({ replayedBy: "staff:Grace", replayedAt: earlier });
  });
});

describe("a replay whose effect is refused", () => {
  it("counts an effect applied meanwhile (natural key taken) as replayed by this user", async () => {
    const event = await deadEvent(orderPayload({ customerId: 5107 }));
    const other = await deadEvent(orderPayload({ customerId: 5108 }), { webhookId: "wh-5108" });
    const taken = vi.spyOn(members, "evaluateTier").mockRejectedValue(uniqueViolation());
    expect(await replayFailedEvent(event, "staff:Ada", NOW)).toEqual({ ok: true });
    taken.mockRestore();
    expect(await row(event.id)).toMatchObject({
      status: "REPLAYED",
      replayedBy: "staff:Ada",
      replayedAt: NOW,
    });
    expect(await row(other.id)).toMatchObject({ status: "DEAD", replayedBy: null });
  });

  it("does not overwrite who replayed it when the key was taken by that earlier replay", async () => {
    const event = await deadEvent(orderPayload({ customerId: 5109 }));
    const earlier = new Date("2026-03-01T00:00:00.000Z");
    await prisma.failedEvent.update({
      where: { id: event.id },
      data: { status: "REPLAYED", replayedBy: "staff:Grace", replayedAt: earlier },
    });
    const taken = vi.spyOn(members, "evaluateTier").mockRejectedValue(uniqueViolation());
    expect(await replayFailedEvent(event, "staff:Ada", NOW)).toEqual({ ok: true });
    taken.mockRestore();
    expect(await row(event.id)).toMatchObject({ replayedBy: "staff:Grace", replayedAt: earlier });
  });

  it("says it failed again, why, and counts the attempt, leaving the event DEAD", async () => {
    const warn = vi.spyOn(log, "warn");
    const event = await deadEvent(orderPayload({ customerId: 5110 }));
    const broken = vi.spyOn(members, "evaluateTier").mockRejectedValue(new Error("still locked"));
    expect(await replayFailedEvent(event, "staff:Ada", NOW)).toEqual({
      ok: false,
      error: "Replaying failed again: still locked",
    });
    broken.mockRestore();
    expect(await row(event.id)).toMatchObject({
      status: "DEAD",
      error: "still locked",
      attempts: 4,
      replayedBy: null,
    });
    expect(await memberOf(5110)).toBeNull();
    expect(warn).toHaveBeenCalledWith("replay failed", {
      shop: TEST_SHOP,
      topic: "ORDERS_PAID",
      failedEventId: event.id,
      error: "still locked",
    });
    warn.mockRestore();
  });
});
