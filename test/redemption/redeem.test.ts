import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import prisma from "../../app/db.server";
import {
  createDiscountCode,
  expireRewardCodes,
  reconcileRedemptions,
  redeemReward,
  RedemptionError,
  reserveRedemption,
} from "../../app/loyalty/redemptions.server";
import type { RetryPolicy } from "../../app/shopify/admin-api.server";
import { unauthenticated } from "../../app/shopify.server";
import { applyDiscountCode } from "../../sandbox/shopify";
import { adminSandbox } from "../support/admin-sandbox";
import { seedMember, seedReward } from "../support/admin";
import { deliver, expectLedgerConsistent, resetShop } from "../support/engine";
import { orderPayload } from "../support/payloads";
import { storeOfflineSession, TEST_SHOP } from "../support/shopify";

const sandbox = adminSandbox();
const sleeps: number[] = [];
const retry: RetryPolicy = {
  attempts: 4,
  baseDelayMs: 100,
  budgetMs: 10_000,
  attemptTimeoutMs: 4_000,
  sleep: async (ms) => {
    sleeps.push(ms);
  },
};

const CUSTOMER = "6001";

async function admin() {
  return (await unauthenticated.admin(TEST_SHOP)).admin;
}

async function memberWith(points: number, customerId = CUSTOMER) {
  sandbox.api.addCustomer({
    id: `gid://shopify/Customer/${customerId}`,
    email: `${customerId}@example.com`,
  });
  return seedMember(customerId, points);
}

function fiveOff(overrides: Parameters<typeof seedReward>[0] = {}) {
  return seedReward({ minimumSubtotal: "20.00", ...overrides });
}

function attempt(rewardId: string, customerId = CUSTOMER, now?: Date) {
  return admin().then((client) =>
    redeemReward({ prisma, admin: client, shop: TEST_SHOP, customerId, rewardId, retry, now }),
  );
}

/** A redemption that must have issued its code at once. */
async function redeem(rewardId: string, customerId = CUSTOMER, now?: Date) {
  const result = await attempt(rewardId, customerId, now);
  if (result.status !== "ISSUED") throw new Error(`expected a code, got ${result.status}`);
  return result;
}

beforeEach(async () => {
  sleeps.length = 0;
  await prisma.redemption.deleteMany();
  await prisma.reward.deleteMany();
  await resetShop();
  await prisma.session.deleteMany();
  await storeOfflineSession();
});

afterEach(async () => {
  await expectLedgerConsistent();
});

describe("redeeming a reward", () => {
  it("takes the points and creates a single-use code for that customer only", async () => {
    await memberWith(600);
    const reward = await fiveOff();

    const result = await redeem(reward.id);

    expect(result.points).toBe(100);
    expect(result.code).toMatch(/^LOYAL-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
    expect(result.applyUrl).toBe(`https://${TEST_SHOP}/discount/${result.code}?redirect=/cart`);
    const discount = sandbox.api.findDiscountByCode(result.code)!;
    expect(discount).toBeDefined();
    expect(discount).toMatchObject({
      usageLimit: 1,
      appliesOncePerCustomer: true,
      eligibility: [`gid://shopify/Customer/${CUSTOMER}`],
    });
    const redemption = await prisma.redemption.findFirstOrThrow();
    expect(redemption).toMatchObject({ status: "ISSUED", pointsSpent: 500, code: result.code });
    expect(redemption.discountId).toMatch(/^gid:\/\/shopify\/DiscountCodeNode\//);
    const entries = await prisma.ledgerEntry.findMany({ orderBy: { id: "asc" } });
    expect(entries.at(-1)).toMatchObject({
      kind: "REDEEM",
      points: -500,
      balanceAfter: 100,
      sourceId: redemption.id,
    });
  });

  it("issues percentage and free-shipping rewards through their own mutations", async () => {
    await memberWith(1000);
    const percent = await prisma.reward.create({
      data: {
        shop: TEST_SHOP,
        name: "10% off",
        type: "PERCENTAGE",
        percentage: 10,
        pointsCost: 300,
      },
    });
    const shipping = await prisma.reward.create({
      data: {
        shop: TEST_SHOP,
        name: "Free shipping",
        type: "FREE_SHIPPING",
        pointsCost: 200,
        codeLifetimeDays: 7,
      },
    });

    const a = await redeem(percent.id);
    const b = await redeem(shipping.id);

    const ops = sandbox.api.state.calls.map((c) => c.operationName);
    expect(ops).toEqual(["LoyaltyCreateAmountDiscount", "LoyaltyCreateShippingDiscount"]);
    expect(sandbox.api.findDiscountByCode(a.code)).toMatchObject({
      value: { kind: "percentage", percentage: 0.1 },
    });
    expect(sandbox.api.findDiscountByCode(b.code)).toMatchObject({
      kind: "freeShipping",
      destination: "all",
    });
    expect(b.expiresAt!.getTime() - Date.now()).toBeGreaterThan(6.9 * 24 * 3600 * 1000);
    expect(b.points).toBe(500);
  });

  it("limits the code of a reward on collections to them, and checkout prices it so", async () => {
    await memberWith(1000);
    const outdoor = "gid://shopify/Collection/9900000000001";
    const mug = "gid://shopify/Product/8800000000003";
    sandbox.api.state.products.set(mug, { id: mug, title: "Trail Mug", handle: "trail-mug" });
    sandbox.api.state.collections.set(outdoor, {
      id: outdoor,
      title: "Outdoor",
      handle: "outdoor",
      productIds: [mug],
    });
    const reward = await prisma.reward.create({
      data: {
        shop: TEST_SHOP,
        name: "20% off Outdoor",
        type: "PERCENTAGE",
        percentage: 20,
        pointsCost: 300,
        collections: [{ id: outdoor, title: "Outdoor" }],
      },
    });

    const { code } = await redeem(reward.id);

    expect(sandbox.api.findDiscountByCode(code)).toMatchObject({
      value: { kind: "percentage", percentage: 0.2 },
      items: [outdoor],
    });
    expect(
      applyDiscountCode(sandbox.api.state, {
        code,
        customerId: `gid://shopify/Customer/${CUSTOMER}`,
        subtotal: "46.00",
        lines: [
          { productId: "gid://shopify/Product/8800000000001", subtotal: "28.00" },
          { productId: mug, subtotal: "18.00" },
        ],
      }),
    ).toMatchObject({ ok: true, discount: { amount: "3.60" } });
    expect((await prisma.redemption.findFirstOrThrow()).rewardSnapshot).toMatchObject({
      collections: [{ id: outdoor, title: "Outdoor" }],
    });
  });

  it("lets exactly one of 50 concurrent redeems spend a balance that covers one", async () => {
    await memberWith(500);
    const reward = await fiveOff();
    await prisma.program.update({ where: { shop: TEST_SHOP }, data: { redemptionsPerHour: 100 } });

    const results = await Promise.allSettled(Array.from({ length: 50 }, () => redeem(reward.id)));

    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(
      lost.every(
        (r) => r.reason instanceof RedemptionError && r.reason.code === "INSUFFICIENT_POINTS",
      ),
    ).toBe(true);
    expect(sandbox.api.state.discounts.size).toBe(1);
    expect((await prisma.member.findFirstOrThrow()).balance).toBe(0);
  });

  it("refuses without enough points, for a disabled reward, below the required tier, while the program is paused, and past the hourly limit", async () => {
    await memberWith(400);
    await expect(redeem((await fiveOff()).id)).rejects.toMatchObject({
      code: "INSUFFICIENT_POINTS",
      status: 409,
    });
    await expect(
      redeem((await fiveOff({ enabled: false, pointsCost: 1 })).id),
    ).rejects.toMatchObject({ code: "REWARD_DISABLED" });
    const gold = await prisma.tier.create({
      data: { shop: TEST_SHOP, name: "Gold", threshold: 1000 },
    });
    await expect(
      redeem((await fiveOff({ tierId: gold.id, pointsCost: 1 })).id),
    ).rejects.toMatchObject({ code: "TIER_REQUIRED" });
    await expect(redeem("nope")).rejects.toMatchObject({ code: "REWARD_NOT_FOUND", status: 404 });
    await expect(redeem((await fiveOff({ pointsCost: 1 })).id, "999")).rejects.toMatchObject({
      code: "NOT_A_MEMBER",
    });

    await prisma.program.update({ where: { shop: TEST_SHOP }, data: { enabled: false } });
    await expect(redeem((await fiveOff({ pointsCost: 1 })).id)).rejects.toMatchObject({
      code: "PROGRAM_PAUSED",
      status: 409,
    });
    await prisma.program.update({ where: { shop: TEST_SHOP }, data: { enabled: true } });

    await prisma.program.update({ where: { shop: TEST_SHOP }, data: { redemptionsPerHour: 2 } });
    const cheap = await fiveOff({ pointsCost: 10 });
    await redeem(cheap.id);
    await redeem(cheap.id);
    await expect(redeem(cheap.id)).rejects.toMatchObject({ code: "RATE_LIMITED", status: 429 });
    expect((await prisma.member.findFirstOrThrow()).balance).toBe(380);
    expect(sandbox.api.state.discounts.size).toBe(2);
  });
});

describe("when Shopify does not create the code", () => {
  it("returns the points when Shopify refuses the discount with userErrors", async () => {
    await memberWith(600);
    const reward = await fiveOff();
    sandbox.api.state.faults.push({
      kind: "userErrors",
      userErrors: [
        {
          field: ["basicCodeDiscount", "endsAt"],
          message: "Ends at needs to be after starts_at",
          code: "INVALID",
        },
      ],
    });

    await expect(redeem(reward.id)).rejects.toMatchObject({
      code: "CODE_NOT_CREATED",
      status: 503,
    });

    expect((await prisma.member.findFirstOrThrow()).balance).toBe(600);
    expect(await prisma.redemption.findFirstOrThrow()).toMatchObject({
      status: "FAILED",
      pointsReturned: true,
    });
    const kinds = (await prisma.ledgerEntry.findMany({ orderBy: { id: "asc" } })).map((e) => [
      e.kind,
      e.points,
    ]);
    expect(kinds.slice(1)).toEqual([
      ["REDEEM", -500],
      ["REDEEM_RETURN", 500],
    ]);
  });

  it("waits out THROTTLED using throttleStatus and then succeeds", async () => {
    await memberWith(600);
    const reward = await fiveOff();
    sandbox.api.state.faults.push({ kind: "throttled", currentlyAvailable: 0 });

    const result = await redeem(reward.id);

    expect(result.points).toBe(100);
    expect(sandbox.api.state.calls.map((c) => c.fault)).toEqual(["throttled", null]);
    // Cost ~10 with an empty bucket restoring 100/s: about a tenth of a second, not a blind guess.
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThanOrEqual(100);
    expect(sleeps[0]).toBeLessThan(2_000);
  });

  it("retries 5xx and network errors with back-off", async () => {
    await memberWith(600);
    const reward = await fiveOff();
    sandbox.api.state.faults.push({ kind: "http", status: 503 }, { kind: "network" });

    const result = await redeem(reward.id);

    expect(result.code).toBeTruthy();
    expect(sleeps).toEqual([100, 200]);
  });

  it("gives the points back at once when Shopify certainly did not act (4xx)", async () => {
    await memberWith(600);
    const reward = await fiveOff();
    sandbox.api.state.faults.push({ kind: "http", status: 403 });

    await expect(attempt(reward.id)).rejects.toBeInstanceOf(RedemptionError);

    expect((await prisma.member.findFirstOrThrow()).balance).toBe(600);
    expect(sandbox.api.state.discounts.size).toBe(0);
  });

  it("keeps the points reserved while a 5xx leaves the outcome unknown, then settles", async () => {
    await memberWith(600);
    const reward = await fiveOff();
    for (let i = 0; i < 4; i++) sandbox.api.state.faults.push({ kind: "http", status: 500 });

    const result = await attempt(reward.id);

    // Shopify may have created it: no points back yet, and the shopper is told to wait.
    expect(result).toMatchObject({ status: "PROCESSING", points: 100 });
    expect(sleeps).toHaveLength(3);
    const settled = await reconcileRedemptions(prisma, async () => admin(), later(), { retry });
    expect(settled).toMatchObject({ refunded: 1 });
    expect((await prisma.member.findFirstOrThrow()).balance).toBe(600);
    expect(sandbox.api.state.discounts.size).toBe(0);
  });
});

const later = () => new Date(Date.now() + 10 * 60 * 1000);

describe("reconciliation after a crash", () => {
  it("completes a redemption whose code Shopify created before the process died", async () => {
    await memberWith(600);
    const reward = await fiveOff();
    const { redemption } = await reserveRedemption(
      prisma,
      TEST_SHOP,
      CUSTOMER,
      reward.id,
      new Date(),
    );
    await createDiscountCode(await admin(), redemption, retry);
    // ...and the process died before recording it.

    const settled = await reconcileRedemptions(prisma, async () => admin(), later(), { retry });

    expect(settled).toMatchObject({ completed: 1, refunded: 0, skipped: 0 });
    const after = await prisma.redemption.findUniqueOrThrow({ where: { id: redemption.id } });
    expect(after.status).toBe("ISSUED");
    expect(after.discountId).toBe(sandbox.api.findDiscountByCode(redemption.code)?.id);
    expect((await prisma.member.findFirstOrThrow()).balance).toBe(100);
  });

  it("returns the points of a redemption whose code was never created", async () => {
    await memberWith(600);
    const reward = await fiveOff();
    const { redemption } = await reserveRedemption(
      prisma,
      TEST_SHOP,
      CUSTOMER,
      reward.id,
      new Date(),
    );

    // A request may still be creating it: not touched yet.
    expect(
      await reconcileRedemptions(prisma, async () => admin(), new Date(), { retry }),
    ).toMatchObject({ completed: 0, refunded: 0, stillPending: 0 });
    const settled = await reconcileRedemptions(prisma, async () => admin(), later(), { retry });
    const again = await reconcileRedemptions(prisma, async () => admin(), later(), { retry });

    expect(settled.refunded).toBe(1);
    expect(again.refunded).toBe(0);
    expect(
      await prisma.redemption.findUniqueOrThrow({ where: { id: redemption.id } }),
    ).toMatchObject({ status: "FAILED", pointsReturned: true });
    expect((await prisma.member.findFirstOrThrow()).balance).toBe(600);
  });
});

describe("after the code is issued", () => {
  it("marks the redemption used when a paid order carries the code", async () => {
    await memberWith(600);
    const result = await redeem((await fiveOff()).id);

    await deliver({
      topic: "orders/paid",
      payload: orderPayload({
        customerId: Number(CUSTOMER),
        subtotal: "40.00",
        total: "42.50",
        discountCodes: [result.code.toLowerCase()],
      }),
    });

    const redemption = await prisma.redemption.findFirstOrThrow();
    expect(redemption).toMatchObject({ status: "USED", usedOrderTotalMinor: 4250 });
    expect(redemption.usedOrderId).not.toBeNull();
  });

  it("expires unused codes after their end date, returning the points when the program says so", async () => {
    await memberWith(1000);
    const reward = await fiveOff({ codeLifetimeDays: 3 });
    await redeem(reward.id);
    const afterEnd = new Date(Date.now() + 3 * 24 * 3600 * 1000 + 1);
    const pastGrace = new Date(Date.now() + 4 * 24 * 3600 * 1000 + 1);

    expect(await expireRewardCodes(prisma, afterEnd)).toBe(0); // orders/paid may still be on its way
    expect(await expireRewardCodes(prisma, pastGrace)).toBe(1);
    expect((await prisma.redemption.findFirstOrThrow()).status).toBe("EXPIRED");
    expect((await prisma.member.findFirstOrThrow()).balance).toBe(500);

    await prisma.program.update({
      where: { shop: TEST_SHOP },
      data: { returnPointsOnExpiredCodes: true },
    });
    await redeem(reward.id);
    expect(await expireRewardCodes(prisma, new Date(Date.now() + 5 * 24 * 3600 * 1000))).toBe(1);
    expect((await prisma.member.findFirstOrThrow()).balance).toBe(500);
    const last = await prisma.ledgerEntry.findFirstOrThrow({ orderBy: { id: "desc" } });
    expect(last).toMatchObject({ kind: "REDEEM_RETURN", points: 500 });
  });
});

vi.setConfig({ testTimeout: 60_000 });
