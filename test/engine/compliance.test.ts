import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { redactShops } from "../../app/loyalty/compliance.server";
import { action as uninstalled } from "../../app/routes/webhooks.app.uninstalled";
import { deliver, memberOf, resetShop } from "../support/engine";
import { orderPayload } from "../support/payloads";
import { routeArgs, storeOfflineSession, TEST_SHOP, webhookRequest } from "../support/shopify";

beforeEach(async () => {
  await resetShop();
  await prisma.session.deleteMany();
  await deliver({
    topic: "orders/paid",
    payload: orderPayload({ customerId: 1001, subtotal: "30.00" }),
  });
  await deliver({
    topic: "orders/paid",
    payload: orderPayload({ customerId: 1002, subtotal: "40.00" }),
  });
});

describe("compliance", () => {
  it("keeps loyalty data when the app is uninstalled", async () => {
    await storeOfflineSession();
    const response = await uninstalled(
      routeArgs(webhookRequest({ topic: "app/uninstalled", payload: {} })),
    );
    expect(response.status).toBe(200);
    expect(await prisma.session.count()).toBe(0);
    expect((await memberOf(1001))?.balance).toBe(30);
  });

  it("shop/redact deletes everything the shop had", async () => {
    const status = await deliver({
      topic: "shop/redact",
      payload: { shop_id: 1, shop_domain: TEST_SHOP },
    });
    expect(status).toBe(200);
    await redactShops(prisma);
    for (const count of [
      prisma.member.count({ where: { shop: TEST_SHOP } }),
      prisma.ledgerEntry.count({ where: { shop: TEST_SHOP } }),
      prisma.orderRecord.count({ where: { shop: TEST_SHOP } }),
      prisma.program.count({ where: { shop: TEST_SHOP } }),
    ]) {
      expect(await count).toBe(0);
    }
  });

  it("customers/redact removes the member and their ledger, keeping only anonymous order figures", async () => {
    const referrer = await memberOf(1002);
    const invitation = {
      shop: TEST_SHOP,
      referrerId: referrer!.id,
      rewardSnapshot: {},
      startsAt: new Date(),
      endsAt: new Date(),
    };
    // 1001 was invited by 1002 and ordered: 1002's points are still pending. Someone else's
    // invitation, not used yet, stays as it is.
    await prisma.referral.createMany({
      data: [
        {
          ...invitation,
          email: "shopper@example.com",
          customerId: "1001",
          code: "FRIEND-A",
          status: "PENDING",
          points: 500,
          orderName: "#1001",
          availableAt: new Date(Date.now() + 86_400_000),
        },
        { ...invitation, customerId: "1003", email: "someone@example.com", code: "FRIEND-C" },
      ],
    });
    const status = await deliver({
      topic: "customers/redact",
      payload: {
        shop_domain: TEST_SHOP,
        customer: { id: 1001, email: "shopper@example.com" },
        orders_to_redact: [],
      },
    });
    expect(status).toBe(200);
    expect(await memberOf(1001)).toBeNull();
    expect(await prisma.orderRecord.count({ where: { customerId: "1001" } })).toBe(0);
    expect(await prisma.orderRecord.count({ where: { customerId: null, status: "EARNED" } })).toBe(
      1,
    );
    expect((await memberOf(1002))?.balance).toBe(40);
    const left = await prisma.referral.findMany({ orderBy: { code: "asc" } });
    // Nothing of 1001 is left in it, but the referral still completes for 1002.
    expect(left.map((r) => [r.code, r.status, r.email, r.orderName])).toEqual([
      ["FRIEND-A", "PENDING", null, null],
      ["FRIEND-C", "OFFERED", "someone@example.com", null],
    ]);
    expect(left[0]!.customerId).not.toContain("1001");
  });

  it("customers/data_request stores the member's data for the merchant", async () => {
    const status = await deliver({
      topic: "customers/data_request",
      payload: {
        shop_domain: TEST_SHOP,
        customer: { id: 1002 },
        orders_requested: [],
        data_request: { id: 55 },
      },
    });
    expect(status).toBe(200);
    const request = await prisma.dataRequest.findFirstOrThrow({ where: { customerId: "1002" } });
    const data = request.data as { member: { ledger: unknown[] }; orders: unknown[] };
    expect(request.requestId).toBe("55");
    expect(data.member).toMatchObject({ balance: 40, email: "shopper@example.com" });
    expect(data.member.ledger).toHaveLength(1);
    expect(data.orders[0]).toMatchObject({ earnedPoints: 40 });
  });
});
