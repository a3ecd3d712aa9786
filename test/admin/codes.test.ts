import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import {
  reconcileRedemptions,
  redeemReward,
  reserveRedemption,
} from "../../app/loyalty/redemptions.server";
import { action, loader } from "../../app/routes/app.members.$id";
import type { RetryPolicy } from "../../app/shopify/admin-api.server";
import { unauthenticated } from "../../app/shopify.server";
import { availableStoreCredit, payWithStoreCredit } from "../../sandbox/shopify";
import { adminSandbox } from "../support/admin-sandbox";
import {
  load,
  OTHER_SHOP,
  post,
  resetShop,
  seedMember,
  seedReward,
  signIn,
} from "../support/admin";
import { deliver, expectLedgerConsistent } from "../support/engine";
import { orderPayload } from "../support/payloads";
import { TEST_SHOP } from "../support/shopify";

/** A member's codes on their admin page: cancel an unused one, issue again one that failed. */

const sandbox = adminSandbox();
const retry: RetryPolicy = {
  attempts: 2,
  baseDelayMs: 1,
  budgetMs: 2_000,
  attemptTimeoutMs: 1_000,
  sleep: async () => {},
};
type Detail = Awaited<ReturnType<typeof loader>>;
type Reply = { ok: boolean; message?: string; error?: string; redemptionId: string };

async function setUp(points = 600) {
  const member = await seedMember("9100", points);
  sandbox.api.addCustomer({ id: "gid://shopify/Customer/9100" });
  const reward = await seedReward();
  return { member, reward };
}

async function redeem(rewardId: string) {
  return redeemReward({
    prisma,
    admin: (await unauthenticated.admin(TEST_SHOP)).admin,
    shop: TEST_SHOP,
    customerId: "9100",
    rewardId,
    retry,
  });
}

function act(memberId: string, intent: string, redemptionId: string, shop = TEST_SHOP) {
  return post<Reply>(
    action,
    `/app/members/${memberId}`,
    { intent, redemptionId },
    { params: { id: memberId }, shop },
  );
}

function usable(code: string) {
  const discount = sandbox.api.findDiscountByCode(code);
  return !!discount && (discount.endsAt === null || Date.parse(discount.endsAt) > Date.now());
}

const balance = async (id: string) =>
  (await prisma.member.findUniqueOrThrow({ where: { id } })).balance;

beforeEach(async () => {
  await prisma.redemption.deleteMany();
  await prisma.reward.deleteMany();
  await resetShop();
  await resetShop(OTHER_SHOP);
  await signIn();
});

describe("cancelling a code", () => {
  it("deactivates the discount in Shopify, returns the points and says who did it", async () => {
    const { member, reward } = await setUp();
    const issued = await redeem(reward.id);
    expect(issued.status).toBe("ISSUED");
    const { id } = issued.redemption;

    const page = await load<Detail>(loader, `/app/members/${member.id}`, {
      params: { id: member.id },
    });
    expect(page.redemptions).toEqual([
      expect.objectContaining({ id, status: "ISSUED", code: issued.redemption.code }),
    ]);

    const reply = await act(member.id, "cancel-code", id);

    expect(reply).toMatchObject({ ok: true, message: expect.stringMatching(/cancelled; 500/) });
    const discount = sandbox.api.findDiscountByCode(issued.redemption.code)!;
    expect(Date.parse(discount.endsAt!)).toBeLessThanOrEqual(Date.now());
    const row = await prisma.redemption.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "CANCELLED", pointsReturned: true });
    expect(row.cancelledBy).toBe("Ada Admin (staff:12345)");
    expect(await balance(member.id)).toBe(600);
    const entry = await prisma.ledgerEntry.findFirstOrThrow({ orderBy: { id: "desc" } });
    expect(entry).toMatchObject({ kind: "REDEEM_RETURN", points: 500, createdBy: row.cancelledBy });
    expect(entry.description).toContain("cancelled by staff");

    // A second click (or a second tab) changes nothing more.
    expect(await act(member.id, "cancel-code", id)).toMatchObject({ ok: true });
    expect(await balance(member.id)).toBe(600);
    await expectLedgerConsistent();
  });

  it("keeps the points spent until Shopify confirms, and the worker finishes the cancel", async () => {
    const { member, reward } = await setUp();
    const issued = await redeem(reward.id);
    sandbox.api.state.faults.push({ kind: "network", times: 20 });

    const reply = await act(member.id, "cancel-code", issued.redemption.id);

    expect(reply).toMatchObject({
      ok: false,
      error: expect.stringMatching(/finishes automatically/),
    });
    const pending = await prisma.redemption.findFirstOrThrow();
    expect(pending).toMatchObject({ status: "ISSUED", pointsReturned: false });
    expect(pending.cancelledAt).not.toBeNull();
    expect(await balance(member.id)).toBe(100);

    // Shopify answers again; the worker's next run deactivates the code and returns the points.
    sandbox.api.state.faults.length = 0;
    const later = new Date(Date.now() + 5 * 60 * 1000);
    const run = await reconcileRedemptions(
      prisma,
      async () => (await unauthenticated.admin(TEST_SHOP)).admin,
      later,
      { retry },
    );
    expect(run.cancelled).toBe(1);
    expect(await prisma.redemption.findFirstOrThrow()).toMatchObject({ status: "CANCELLED" });
    expect(usable(issued.redemption.code)).toBe(false);
    expect(await balance(member.id)).toBe(600);
    await expectLedgerConsistent();
  });

  it("takes the points again when the cancelled code turns up on a paid order", async () => {
    const { member, reward } = await setUp();
    const issued = await redeem(reward.id);
    // The shopper checked out with the code; orders/paid is still on its way when staff cancel.
    expect(await act(member.id, "cancel-code", issued.redemption.id)).toMatchObject({ ok: true });
    expect(await balance(member.id)).toBe(600);

    await deliver({
      topic: "orders/paid",
      payload: orderPayload({
        customerId: 9100,
        subtotal: "40.00",
        discountCodes: [issued.redemption.code],
      }),
    });

    expect(await prisma.redemption.findFirstOrThrow()).toMatchObject({
      status: "USED",
      pointsReturned: false,
    });
    const reclaim = await prisma.ledgerEntry.findFirstOrThrow({
      where: { idempotencyKey: `redemption:${issued.redemption.id}:reclaim` },
    });
    expect(reclaim).toMatchObject({ kind: "REDEEM", points: -500, shortfall: 0 });
    // 600 back after the cancel, 500 taken again, plus what the $40 order earned.
    const earned = await prisma.ledgerEntry.findFirstOrThrow({ where: { kind: "EARN" } });
    expect(await balance(member.id)).toBe(100 + earned.points);
    await expectLedgerConsistent();
  });

  it("cancels a code the merchant already deleted in Shopify", async () => {
    const { member, reward } = await setUp();
    const issued = await redeem(reward.id);
    sandbox.api.state.discounts.clear();

    expect(await act(member.id, "cancel-code", issued.redemption.id)).toMatchObject({ ok: true });
    expect(await balance(member.id)).toBe(600);
  });

  it("refuses a used code, and a code that is not this shop's", async () => {
    const { member, reward } = await setUp();
    const issued = await redeem(reward.id);
    await prisma.redemption.update({
      where: { id: issued.redemption.id },
      data: { status: "USED", usedOrderId: "1" },
    });

    expect(await act(member.id, "cancel-code", issued.redemption.id)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/used on an order/),
    });
    // Another member's page of the same shop does not reach this member's codes.
    const neighbour = await seedMember("9300", 0);
    expect(await act(neighbour.id, "cancel-code", issued.redemption.id)).toMatchObject({
      ok: false,
      error: "This code no longer exists.",
    });
    const other = await seedMember("9200", 0, { shop: OTHER_SHOP });
    await expect(
      act(other.id, "cancel-code", issued.redemption.id, OTHER_SHOP),
    ).resolves.toMatchObject({ ok: false });
    expect(await balance(member.id)).toBe(100);
    // Shopify was asked nothing.
    expect(sandbox.api.state.calls.map((c) => c.operationName)).toEqual([
      "LoyaltyCreateAmountDiscount",
    ]);
  });
});

describe("taking store credit back", () => {
  it("debits the credit from the member's page, or says why it cannot once it is spent", async () => {
    const member = await seedMember("9100", 1_200);
    sandbox.api.addCustomer({ id: "gid://shopify/Customer/9100" });
    const reward = await seedReward({ name: "$5 credit", type: "STORE_CREDIT", amount: "5.00" });
    const first = await redeem(reward.id);
    const second = await redeem(reward.id);
    const credit = () => availableStoreCredit(sandbox.api.state, "gid://shopify/Customer/9100");
    expect(credit()).toBe("10.00");

    const reply = await act(member.id, "cancel-code", first.redemption.id);
    expect(reply).toMatchObject({ ok: true, message: expect.stringMatching(/taken back; 500/) });
    expect(credit()).toBe("5.00");
    expect(await balance(member.id)).toBe(700);

    payWithStoreCredit(sandbox.api.state, {
      customerId: "gid://shopify/Customer/9100",
      total: "1.00",
      orderId: "gid://shopify/Order/77",
    });
    expect(await act(member.id, "cancel-code", second.redemption.id)).toMatchObject({
      ok: false,
      error: expect.stringContaining("left on their account: $4.00"),
    });
    expect(await balance(member.id)).toBe(700);
    await expectLedgerConsistent();
  });
});

describe("issuing a failed code again", () => {
  it("spends the points again and creates a new code, once however often it is clicked", async () => {
    const { member, reward } = await setUp();
    sandbox.api.state.faults.push({ kind: "http", status: 403 });
    await expect(redeem(reward.id)).rejects.toMatchObject({ code: "CODE_NOT_CREATED" });
    const failed = await prisma.redemption.findFirstOrThrow();
    expect(await balance(member.id)).toBe(600);

    const [a, b] = await Promise.all([
      act(member.id, "reissue-code", failed.id),
      act(member.id, "reissue-code", failed.id),
    ]);

    expect(a.ok && b.ok).toBe(true);
    const again = await prisma.redemption.findFirstOrThrow({ where: { reissueOfId: failed.id } });
    expect(again).toMatchObject({ status: "ISSUED", pointsSpent: 500 });
    expect(await prisma.redemption.count()).toBe(2);
    expect(sandbox.api.findDiscountByCode(again.code)).toBeDefined();
    expect(await balance(member.id)).toBe(100);
    const entry = await prisma.ledgerEntry.findFirstOrThrow({ where: { sourceId: again.id } });
    expect(entry.description).toContain("issued again by staff");
    await expectLedgerConsistent();
  });

  it("refuses when the member no longer has the points, and for a code that did not fail", async () => {
    const { member, reward } = await setUp();
    const { redemption } = await reserveRedemption(
      prisma,
      TEST_SHOP,
      "9100",
      reward.id,
      new Date(),
    );
    expect(await act(member.id, "reissue-code", redemption.id)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/could not be created/),
    });
    await prisma.redemption.update({
      where: { id: redemption.id },
      data: { status: "FAILED", pointsReturned: true },
    });
    // The points were not actually returned here, so the member has 100: too few.
    expect(await act(member.id, "reissue-code", redemption.id)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/no longer has the 500 points/),
    });
    expect(await prisma.redemption.count()).toBe(1);
  });
});
