// Loyalty events for Shopify Flow (issue #12): written with the change they report, sent by the
// worker with flowTriggerReceive to the sandbox's Admin API (the real schema), which keeps each
// call as Flow would receive it.
import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { FLOW_TRIGGERS } from "../../app/domain/flow-triggers";
import { announceExpiringPoints, sendFlowEvents } from "../../app/loyalty/flow-triggers.server";
import { releasePendingPoints } from "../../app/loyalty/jobs.server";
import { redeemReward } from "../../app/loyalty/redemptions.server";
import { unauthenticated } from "../../app/shopify.server";
import { flowTriggers } from "../../sandbox/flow";
import { adminSandbox } from "../support/admin-sandbox";
import { seedMember, seedReward } from "../support/admin";
import { deliver, expectLedgerConsistent, resetShop } from "../support/engine";
import { orderPayload } from "../support/payloads";
import { storeOfflineSession, TEST_SHOP } from "../support/shopify";
import { offlineAdmin } from "../support/worker";

const sandbox = adminSandbox();
const DAY = 24 * 60 * 60 * 1000;

const send = (now = new Date()) => sendFlowEvents(prisma, offlineAdmin, now);
const received = () => sandbox.api.state.flowTriggers.map((t) => [t.handle, t.payload]);

beforeEach(async () => {
  await resetShop();
  await storeOfflineSession(TEST_SHOP);
});

async function flowOn(data: Record<string, unknown> = {}) {
  await prisma.program.create({ data: { shop: TEST_SHOP, flowTriggers: true, ...data } });
}

describe("Flow trigger extensions", () => {
  it("declare exactly the fields the app sends", () => {
    const declared = Object.fromEntries(flowTriggers().map((t) => [t.handle, t.fields]));
    const sent = Object.fromEntries(
      Object.entries(FLOW_TRIGGERS).map(([handle, t]) => [
        handle,
        {
          customer_id: "customer_reference",
          ...Object.fromEntries(Object.entries(t.fields).map(([key, f]) => [key, f.type])),
        },
      ]),
    );
    expect(declared).toEqual(sent);
  });
});

describe("loyalty events for Shopify Flow", () => {
  it("are not written while the shop has not switched them on", async () => {
    await prisma.tier.create({ data: { shop: TEST_SHOP, name: "Gold", threshold: 10 } });
    await deliver({ topic: "orders/paid", payload: orderPayload({ customerId: 6001 }) });
    expect(await prisma.flowEvent.count()).toBe(0);
  });

  it("report points earned, a tier reached and a reward within reach, sent once", async () => {
    await flowOn();
    await prisma.tier.create({ data: { shop: TEST_SHOP, name: "Gold", threshold: 40 } });
    await seedReward({ name: "$5 off", pointsCost: 40 });
    await seedReward({ name: "$10 off", pointsCost: 45 });
    await seedReward({ name: "$50 off", pointsCost: 500 });
    const order = orderPayload({ customerId: 6002, subtotal: "45.99" });
    await deliver({ topic: "orders/paid", payload: order });

    expect(await send()).toEqual({ sent: 3, failed: 0, retrying: 0, skipped: 0 });
    expect(received()).toEqual(
      expect.arrayContaining([
        [
          "loyalty-points-earned",
          { customer_id: 6002, points: 45, points_balance: 45, reason: `Order ${order.name}` },
        ],
        [
          "loyalty-tier-changed",
          {
            customer_id: 6002,
            tier_name: "Gold",
            previous_tier_name: "",
            direction: "up",
            points_balance: 45,
          },
        ],
        // The most valuable reward the order brought within reach.
        [
          "loyalty-reward-available",
          { customer_id: 6002, reward_name: "$10 off", reward_points_cost: 45, points_balance: 45 },
        ],
      ]),
    );
    expect(received()).toHaveLength(3);
    // Sent once: the next run has nothing to send, and a redelivered webhook adds nothing.
    await deliver({ topic: "orders/paid", payload: order });
    expect(await send()).toEqual({ sent: 0, failed: 0, retrying: 0, skipped: 0 });
    expect(received()).toHaveLength(3);
  });

  it("announce a reward only to members whose tier may redeem it, and when pending points become spendable", async () => {
    await flowOn({ pendingDays: 14 });
    const gold = await prisma.tier.create({
      data: { shop: TEST_SHOP, name: "Gold", threshold: 1000 },
    });
    await seedReward({ name: "Gold gift", pointsCost: 45, tierId: gold.id });
    await seedReward({ name: "$3 off", pointsCost: 40 });
    const paidAt = new Date(Date.now() - DAY);
    await deliver({
      topic: "orders/paid",
      payload: orderPayload({
        customerId: 6009,
        subtotal: "45.00",
        processedAt: paidAt.toISOString(),
      }),
    });
    // Pending at first: nothing spendable yet, so no reward is within reach.
    await send();
    expect(received().filter(([handle]) => handle === "loyalty-reward-available")).toEqual([]);
    await releasePendingPoints(prisma, new Date(Date.now() + 14 * DAY));
    await send();
    expect(received().filter(([handle]) => handle === "loyalty-reward-available")).toEqual([
      [
        "loyalty-reward-available",
        { customer_id: 6009, reward_name: "$3 off", reward_points_cost: 40, points_balance: 45 },
      ],
    ]);
  });

  it("report a redeemed reward with its code", async () => {
    await flowOn();
    const reward = await seedReward({ name: "$5 off", pointsCost: 500 });
    sandbox.api.addCustomer({ id: "gid://shopify/Customer/6003" });
    await seedMember("6003", 600);
    const result = await redeemReward({
      prisma,
      admin: (await unauthenticated.admin(TEST_SHOP)).admin,
      shop: TEST_SHOP,
      customerId: "6003",
      rewardId: reward.id,
    });
    expect(result.status).toBe("ISSUED");
    await send();
    expect(received()).toContainEqual([
      "loyalty-reward-redeemed",
      {
        customer_id: 6003,
        reward_name: "$5 off",
        discount_code: result.status === "ISSUED" ? result.code : "",
        points_spent: 500,
        points_balance: 100,
      },
    ]);
    await expectLedgerConsistent();
  });

  it("announce points expiring within the notice period, once per expiry date", async () => {
    await flowOn({ expiryMonths: 12, expiryNoticeDays: 7, timeZone: "Pacific/Auckland" });
    const now = new Date("2026-12-04T12:00:00Z");
    const soon = await seedMember("6004", 300);
    const later = await seedMember("6005", 300);
    const empty = await seedMember("6006", 0);
    // 23:00 UTC on the 9th is the 10th in Auckland.
    await prisma.member.update({
      where: { id: soon.id },
      data: { expiresAt: new Date("2026-12-09T23:00:00Z") },
    });
    await prisma.member.update({
      where: { id: later.id },
      data: { expiresAt: new Date(now.getTime() + 30 * DAY) },
    });
    await prisma.member.update({
      where: { id: empty.id },
      data: { expiresAt: new Date(now.getTime() + DAY) },
    });
    await prisma.flowEvent.deleteMany();

    expect(await announceExpiringPoints(prisma, now)).toEqual({ queued: 1 });
    expect(await announceExpiringPoints(prisma, now)).toEqual({ queued: 0 });
    await send(now);
    expect(received()).toEqual([
      [
        "loyalty-points-expiring",
        { customer_id: 6004, points_balance: 300, expires_on: "2026-12-10", days_left: 5 },
      ],
    ]);
  });

  it("keep Flow's refusal, and try again later when Shopify cannot be reached", async () => {
    await flowOn();
    await deliver({ topic: "orders/paid", payload: orderPayload({ customerId: 6007 }) });
    // The trigger extension is not deployed: Flow refuses the handle, for good.
    sandbox.api.state.flowTriggerHandles = ["loyalty-tier-changed"];
    // (No reward is within reach: that candidate is settled without a call.)
    expect(await send()).toEqual({ sent: 0, failed: 1, retrying: 0, skipped: 1 });
    expect(
      await prisma.flowEvent.findFirstOrThrow({ where: { trigger: "loyalty-points-earned" } }),
    ).toMatchObject({
      error: "Invalid handle 'loyalty-points-earned'.",
      doneAt: expect.any(Date),
    });

    await deliver({ topic: "orders/paid", payload: orderPayload({ customerId: 6008 }) });
    const offline = () => sendFlowEvents(prisma, async () => null, new Date());
    expect(await offline()).toEqual({ sent: 0, failed: 0, retrying: 1, skipped: 1 });
    const waiting = await prisma.flowEvent.findFirstOrThrow({ where: { doneAt: null } });
    expect(waiting.attempts).toBe(1);
    for (let i = 0; i < 7; i++) await offline();
    expect(await prisma.flowEvent.findUniqueOrThrow({ where: { id: waiting.id } })).toMatchObject({
      attempts: 8,
      doneAt: expect.any(Date),
    });
    // Done events are cleared after 90 days.
    await sendFlowEvents(prisma, offlineAdmin, new Date(Date.now() + 89 * DAY));
    expect(await prisma.flowEvent.count()).toBe(4);
    await sendFlowEvents(prisma, offlineAdmin, new Date(Date.now() + 91 * DAY));
    expect(await prisma.flowEvent.count()).toBe(0);
  });
});
