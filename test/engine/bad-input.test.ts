import { beforeEach, describe, expect, it, vi } from "vitest";
import prisma from "../../app/db.server";
import * as members from "../../app/loyalty/members.server";
import { deliver, memberOf, resetShop } from "../support/engine";
import { orderPayload } from "../support/payloads";

beforeEach(() => resetShop());

async function rowCounts() {
  return {
    members: await prisma.member.count(),
    entries: await prisma.ledgerEntry.count(),
    orders: await prisma.orderRecord.count(),
    deliveries: await prisma.webhookDelivery.count(),
  };
}

describe("bad input", () => {
  it("answers 401 to a forged signature and writes nothing", async () => {
    const status = await deliver({
      topic: "orders/paid",
      payload: orderPayload(),
      secret: "forged",
    });
    expect(status).toBe(401);
    expect(await rowCounts()).toEqual({ members: 0, entries: 0, orders: 0, deliveries: 0 });
    expect(await prisma.failedEvent.count()).toBe(0);
  });

  it("stores a signed payload that fails validation as a failed event and answers 200", async () => {
    const payload: Record<string, unknown> = { ...orderPayload({ customerId: 901 }) };
    delete payload.subtotal_price_set;

    expect(await deliver({ topic: "orders/paid", payload, webhookId: "broken-1" })).toBe(200);

    const failed = await prisma.failedEvent.findFirstOrThrow();
    expect(failed).toMatchObject({ topic: "ORDERS_PAID", webhookId: "broken-1" });
    expect(failed.error).toContain("subtotal_price_set");
    expect(JSON.parse(failed.payload).id).toBe(payload.id);
    expect(await memberOf(901)).toBeNull();
    expect(await prisma.ledgerEntry.count()).toBe(0);
  });

  it("rejects amounts that are not valid for the currency without applying anything", async () => {
    const payload = orderPayload({ customerId: 902, subtotal: "10.123" });
    expect(await deliver({ topic: "orders/paid", payload })).toBe(200);
    expect((await prisma.failedEvent.findFirstOrThrow()).error).toMatch(/more decimals/);
    expect(await prisma.ledgerEntry.count()).toBe(0);
  });

  it("leaves nothing behind when processing crashes midway, and the retry applies it", async () => {
    const order = orderPayload({ customerId: 903, subtotal: "25.00" });
    const crash = vi.spyOn(members, "evaluateTier").mockRejectedValueOnce(new Error("worker died"));
    const quiet = vi.spyOn(console, "error").mockImplementation(() => {});

    expect(await deliver({ topic: "orders/paid", payload: order, webhookId: "crashy" })).toBe(500);
    expect(await rowCounts()).toEqual({ members: 0, entries: 0, orders: 0, deliveries: 0 });

    crash.mockRestore();
    quiet.mockRestore();
    expect(await deliver({ topic: "orders/paid", payload: order, webhookId: "crashy" })).toBe(200);
    expect((await memberOf(903))?.balance).toBe(25);
  });
});
