import { afterEach, beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import {
  cancelRedemption,
  expireRewardCodes,
  finishCancels,
  reconcileRedemptions,
  redeemReward,
  RedemptionError,
  redemptionStatus,
  reissueRedemption,
} from "../../app/loyalty/redemptions.server";
import { redemptionResponse } from "../../app/loyalty/storefront.server";
import { NEVER } from "../../app/domain/rewards";
import type { RetryPolicy } from "../../app/shopify/admin-api.server";
import { unauthenticated } from "../../app/shopify.server";
import {
  availableStoreCredit,
  creditStoreCredit,
  payWithStoreCredit,
  storeCreditAccountsOf,
  type Fault,
} from "../../sandbox/shopify";
import { adminSandbox } from "../support/admin-sandbox";
import { seedMember, seedReward } from "../support/admin";
import { expectLedgerConsistent, resetShop } from "../support/engine";
import { storeOfflineSession, TEST_SHOP } from "../support/shopify";

/**
 * Store credit rewards through the Admin API simulation on the real schema: the points become
 * credit on the shopper's Shopify account, exactly once, whatever answers are lost, and staff can
 * take back credit none of which is spent.
 */

const sandbox = adminSandbox();
const CUSTOMER = "6101";
const GID = `gid://shopify/Customer/${CUSTOMER}`;
const CREDIT = "storeCreditAccountCredit";
const DEBIT = "storeCreditAccountDebit";
const ATTEMPT_MS = 100;
const retry: RetryPolicy = {
  attempts: 3,
  baseDelayMs: 1,
  budgetMs: 2_000,
  attemptTimeoutMs: ATTEMPT_MS,
  sleep: async () => {},
};

async function admin() {
  return (await unauthenticated.admin(TEST_SHOP)).admin;
}

async function member(points = 1_000) {
  sandbox.api.addCustomer({ id: GID, email: "credit@example.com" });
  return seedMember(CUSTOMER, points);
}

function storeCredit(overrides: Parameters<typeof seedReward>[0] = {}) {
  return seedReward({
    name: "$5 store credit",
    type: "STORE_CREDIT",
    amount: "5.00",
    pointsCost: 500,
    codeLifetimeDays: 90,
    ...overrides,
  });
}

async function redeem(rewardId: string, now = new Date()) {
  return redeemReward({
    prisma,
    admin: await admin(),
    shop: TEST_SHOP,
    customerId: CUSTOMER,
    rewardId,
    retry,
    now,
  });
}

const balance = () => availableStoreCredit(sandbox.api.state, GID);
const credits = () =>
  storeCreditAccountsOf(sandbox.api.state, GID).flatMap((a) =>
    a.transactions.filter((t) => t.kind === "credit"),
  );
const points = async () =>
  (await prisma.member.findFirstOrThrow({ where: { shop: TEST_SHOP, customerId: CUSTOMER } }))
    .balance;
const inject = (...faults: Fault[]) => sandbox.api.state.faults.push(...faults);
const row = (id: string) => prisma.redemption.findUniqueOrThrow({ where: { id } });
/** The worker's pass `ms` from now, with no settle window: whatever is absent has failed. */
const reconcileIn = (ms: number) =>
  reconcileRedemptions(prisma, admin, new Date(Date.now() + ms), { retry, settleWindowMs: 0 });

beforeEach(async () => {
  await prisma.redemption.deleteMany();
  await prisma.reward.deleteMany();
  await resetShop();
  await prisma.session.deleteMany();
  await storeOfflineSession();
});

afterEach(async () => {
  await expectLedgerConsistent();
});

describe("redeeming store credit", () => {
  it("takes the points and credits the shopper's account once, with the reward's expiry", async () => {
    await member();
    const reward = await storeCredit();
    const now = new Date();
    const result = await redeem(reward.id, now);

    expect(result.status).toBe("ISSUED");
    expect(await points()).toBe(500);
    expect(balance()).toBe("5.00");
    const [credit] = credits();
    expect(credits()).toHaveLength(1);
    expect(credit).toMatchObject({ notify: true, event: "ADJUSTMENT" });
    const redemption = await row(result.redemption.id);
    expect(redemption).toMatchObject({ status: "ISSUED", creditTransactionId: credit!.id });
    expect(redemption.code).toMatch(/^CREDIT-/);
    expect(Date.parse(credit!.expiresAt!)).toBe(redemption.endsAt.getTime());
    expect(redemption.endsAt.getTime() - now.getTime()).toBeGreaterThan(89.9 * 86_400_000);
    // No code: the widget is told where the credit went, and when it ends.
    const body = await redemptionResponse(result, "en").json();
    expect(body).not.toHaveProperty("applyUrl");
    expect(body.message).toMatch(
      /^\$5\.00 store credit is on your account\. It is applied at checkout when you are signed in\. Use it by /,
    );
    const entry = await prisma.ledgerEntry.findFirstOrThrow({ where: { kind: "REDEEM" } });
    expect(entry.description).toBe("Redeemed $5 store credit");
  });

  it("credits without an expiry when the reward's credit never expires", async () => {
    await member();
    const reward = await storeCredit({ codeLifetimeDays: 0 });
    const result = await redeem(reward.id);
    expect(credits()[0]?.expiresAt).toBeNull();
    expect((await row(result.redemption.id)).endsAt).toEqual(NEVER);
    expect(result.status === "ISSUED" && result.expiresAt).toBeNull();
    const body = await redemptionResponse(result, "de").json();
    // German puts a no-break space between the amount and its sign.
    expect(body.message.replace(/\u00a0/g, " ")).toBe(
      "5,00 $ Guthaben wurde deinem Konto gutgeschrieben. Es wird an der Kasse angerechnet, wenn du angemeldet bist.",
    );
  });

  it("returns the points when Shopify refuses the credit", async () => {
    await member();
    const reward = await storeCredit();
    inject({
      kind: "userErrors",
      match: CREDIT,
      userErrors: [
        {
          field: ["creditInput", "creditAmount"],
          message: "The credit limit has been exceeded",
          code: "CREDIT_LIMIT_EXCEEDED",
        },
      ],
    });
    const error = await redeem(reward.id).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RedemptionError);
    expect(error).toMatchObject({ code: "CREDIT_NOT_ADDED", status: 503 });
    expect(await points()).toBe(1_000);
    expect(balance()).toBe("0.00");
    const failed = await prisma.redemption.findFirstOrThrow();
    expect(failed).toMatchObject({ status: "FAILED", pointsReturned: true });
    expect(failed.error).toContain("The credit limit has been exceeded");
    const back = await prisma.ledgerEntry.findFirstOrThrow({ where: { kind: "REDEEM_RETURN" } });
    expect(back.description).toBe("Points returned: the store credit could not be added");
  });

  it("finds the credit a lost answer made, and never credits twice", async () => {
    await member();
    const reward = await storeCredit();
    inject({ kind: "lostResponse", match: CREDIT });
    const result = await redeem(reward.id);
    expect(result.status).toBe("ISSUED");
    expect(credits()).toHaveLength(1);
    expect(balance()).toBe("5.00");
    expect((await row(result.redemption.id)).creditTransactionId).toBe(credits()[0]!.id);
    // The mutation went once; the lookup found what it did.
    const sent = sandbox.api.state.calls.filter((c) => c.rootFields.includes(CREDIT));
    expect(sent).toHaveLength(1);
  });

  it("tells two lost credits of the same amount apart by which redemption claimed which", async () => {
    await member();
    const reward = await storeCredit();
    inject({ kind: "lostResponse", match: CREDIT });
    const first = await redeem(reward.id);
    inject({ kind: "lostResponse", match: CREDIT });
    const second = await redeem(reward.id);
    const ids = [first, second].map((r) => r.redemption.id);
    const rows = await Promise.all(ids.map(row));
    expect(rows.map((r) => r.status)).toEqual(["ISSUED", "ISSUED"]);
    expect(new Set(rows.map((r) => r.creditTransactionId)).size).toBe(2);
    expect(balance()).toBe("10.00");
  });

  it("does not take a merchant's credit of another amount for its own", async () => {
    await member();
    const reward = await storeCredit();
    inject({ kind: "network", match: CREDIT });
    creditStoreCredit(sandbox.api.state, {
      id: GID,
      creditAmount: { amount: "7.00", currencyCode: "USD" },
    });
    const result = await redeem(reward.id);
    // Nothing of ours on the account, but a lost call could still land: wait, then give back.
    expect(result.status).toBe("PROCESSING");
    const settled = await reconcileIn(10 * 60_000);
    expect(settled.refunded).toBe(1);
    expect(await points()).toBe(1_000);
    expect(balance()).toBe("7.00");
  });

  it("answers 'processing' while a credit is late, then settles it when it lands", async () => {
    await member();
    const reward = await storeCredit();
    // Outlasts the attempt: Shopify carries the credit out after the app stopped waiting.
    inject({ kind: "delay", ms: 600, match: CREDIT });
    const result = await redeem(reward.id);
    expect(result.status).toBe("PROCESSING");
    expect(credits()).toHaveLength(0);
    // One at a time: a second store credit waits for this one to be confirmed.
    const again = await redeem(reward.id).catch((caught: unknown) => caught);
    expect(again).toMatchObject({ code: "CREDIT_PENDING", status: 409 });

    await new Promise((resolve) => setTimeout(resolve, 700));
    const status = await redemptionStatus({
      prisma,
      admin: await admin(),
      shop: TEST_SHOP,
      customerId: CUSTOMER,
      redemptionId: result.redemption.id,
    });
    expect(status?.status).toBe("ISSUED");
    expect(credits()).toHaveLength(1);
    expect(await points()).toBe(500);
  });

  it("takes the points again when the credit lands after they were returned", async () => {
    await member();
    const reward = await storeCredit();
    inject({ kind: "delay", ms: 600, match: CREDIT });
    const result = await redeem(reward.id);
    // The worker gives up on it before the credit lands (a settle window of nothing).
    const settled = await reconcileIn(61_000);
    expect(settled.refunded).toBe(1);
    expect(await points()).toBe(1_000);

    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(balance()).toBe("5.00");
    const checked = await reconcileIn(120_000);
    expect(checked.completed).toBe(1);
    const recovered = await row(result.redemption.id);
    expect(recovered).toMatchObject({ status: "ISSUED", pointsReturned: false });
    expect(recovered.creditTransactionId).toBe(credits()[0]!.id);
    expect(await points()).toBe(500);
    const taken = await prisma.ledgerEntry.findFirstOrThrow({
      where: { idempotencyKey: `redemption:${result.redemption.id}:reclaim` },
    });
    expect(taken.description).toBe(
      "Points taken again: $5 store credit reached your account after its points were returned",
    );
  });

  it("lets one of two redemptions at once through, the other told to wait", async () => {
    await member();
    const reward = await storeCredit();
    inject({ kind: "delay", ms: 600, match: CREDIT });
    const seen = await Promise.all(
      [redeem(reward.id), redeem(reward.id)].map((p) =>
        p.then(
          (r) => r.status,
          (e: RedemptionError) => e.code,
        ),
      ),
    );
    expect(seen.sort()).toEqual(["CREDIT_PENDING", "PROCESSING"]);
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(credits()).toHaveLength(1);
  });

  it("issues store credit again for staff, once, after the app checked the first never arrived", async () => {
    await member();
    const reward = await storeCredit();
    inject({ kind: "userErrors", match: CREDIT, userErrors: [{ field: null, message: "No" }] });
    await redeem(reward.id).catch(() => null);
    const failed = await prisma.redemption.findFirstOrThrow();
    const early = await reissueRedemption({
      prisma,
      admin: await admin(),
      shop: TEST_SHOP,
      redemptionId: failed.id,
      staff: "Ada",
      retry,
    });
    expect(early).toMatchObject({ ok: false, error: expect.stringContaining("may still add") });
    const checked = await reconcileIn(61_000);
    expect(checked.skipped).toBe(0);
    const options = {
      prisma,
      admin: await admin(),
      shop: TEST_SHOP,
      redemptionId: failed.id,
      staff: "Ada",
      retry,
    };
    const first = await reissueRedemption(options);
    const second = await reissueRedemption(options);
    expect(first).toMatchObject({ ok: true });
    expect(second.redemption?.id).toBe(first.redemption?.id);
    expect(first.redemption?.code).toMatch(/^CREDIT-/);
    expect(balance()).toBe("5.00");
    expect(await points()).toBe(500);
  });

  it("keeps its points when the credit expires", async () => {
    await member();
    await prisma.program.update({
      where: { shop: TEST_SHOP },
      data: { returnPointsOnExpiredCodes: true },
    });
    const reward = await storeCredit({ codeLifetimeDays: 1 });
    const result = await redeem(reward.id);
    expect(await expireRewardCodes(prisma, new Date(Date.now() + 3 * 86_400_000))).toBe(1);
    expect(await row(result.redemption.id)).toMatchObject({
      status: "EXPIRED",
      pointsReturned: false,
    });
    expect(await points()).toBe(500);
  });
});

describe("staff taking store credit back", () => {
  async function credited() {
    await member();
    const reward = await storeCredit();
    const result = await redeem(reward.id);
    return result.redemption.id;
  }
  const cancel = async (redemptionId: string, now = new Date()) =>
    cancelRedemption({
      prisma,
      admin: await admin(),
      shop: TEST_SHOP,
      redemptionId,
      staff: "Ada",
      now,
    });

  it("debits the whole credit and returns the points", async () => {
    const id = await credited();
    expect(await cancel(id)).toEqual({
      ok: true,
      message: expect.stringMatching(/^Store credit CREDIT-.+ taken back; 500 points returned$/),
    });
    expect(balance()).toBe("0.00");
    expect(await points()).toBe(1_000);
    const cancelled = await row(id);
    expect(cancelled).toMatchObject({ status: "CANCELLED", cancelledBy: "Ada" });
    expect(cancelled.debitTransactionId).toMatch(/StoreCreditAccountDebitTransaction/);
    const back = await prisma.ledgerEntry.findFirstOrThrow({ where: { kind: "REDEEM_RETURN" } });
    expect(back.description).toBe("Points returned: $5 store credit taken back by staff");
  });

  it("refuses once any of it is spent, and leaves the credit and the points as they are", async () => {
    const id = await credited();
    const paid = payWithStoreCredit(sandbox.api.state, {
      customerId: GID,
      total: "2.00",
      orderId: "gid://shopify/Order/1",
    });
    expect(paid.ok).toBe(true);
    const result = await cancel(id);
    expect(result).toEqual({
      ok: false,
      error:
        "The shopper has spent or lost part of this store credit (left on their account: $3.00), so it can't be taken back. Its points stay spent.",
    });
    expect(await row(id)).toMatchObject({ status: "ISSUED", cancelledAt: null });
    expect(balance()).toBe("3.00");
    expect(await points()).toBe(500);
  });

  it("finishes a cancel whose debit answer was lost without debiting twice", async () => {
    const id = await credited();
    inject({ kind: "lostResponse", match: DEBIT });
    const now = new Date();
    const result = await cancel(id, now);
    expect(result.ok).toBe(false);
    expect(balance()).toBe("0.00");
    expect((await row(id)).status).toBe("ISSUED");

    // The worker looks before it acts: the lost debit is found and the cancel completes.
    const done = await finishCancels(prisma, admin, new Date(now.getTime() + 61_000), {
      retry,
      settleWindowMs: 10 * 60_000,
    });
    expect(done).toBe(1);
    expect(await row(id)).toMatchObject({ status: "CANCELLED" });
    expect(balance()).toBe("0.00");
    const debits = sandbox.api.state.calls.filter((c) => c.rootFields.includes(DEBIT));
    expect(debits).toHaveLength(1);
    expect(await points()).toBe(1_000);
  });

  it("returns the points again when staff take back a credit that arrived after its points came back", async () => {
    await member();
    const reward = await storeCredit();
    inject({ kind: "delay", ms: 600, match: CREDIT });
    const result = await redeem(reward.id);
    await reconcileIn(61_000);
    await new Promise((resolve) => setTimeout(resolve, 700));
    await reconcileIn(120_000);
    expect(await points()).toBe(500);
    expect(await cancel(result.redemption.id)).toMatchObject({ ok: true });
    expect(await row(result.redemption.id)).toMatchObject({ status: "CANCELLED" });
    expect(balance()).toBe("0.00");
    expect(await points()).toBe(1_000);
  });

  it("never takes the shopper's own checkout payment for a debit whose answer was lost", async () => {
    const id = await credited();
    inject({ kind: "network", match: DEBIT });
    const now = new Date();
    expect((await cancel(id, now)).ok).toBe(false);
    // The shopper spends the credit at checkout: a debit of the same amount, but a payment.
    payWithStoreCredit(sandbox.api.state, {
      customerId: GID,
      total: "5.00",
      orderId: "gid://shopify/Order/2",
    });
    const window = 5 * 60_000;
    expect(
      await finishCancels(prisma, admin, new Date(now.getTime() + window + 61_000), {
        retry,
        settleWindowMs: window,
      }),
    ).toBe(0);
    // Spent: it cannot be taken back, and its points stay spent.
    expect(await row(id)).toMatchObject({ status: "ISSUED", cancelledAt: null });
    expect(await points()).toBe(500);
    expect(balance()).toBe("0.00");
  });

  it("tries a debit again only once no earlier one can still land", async () => {
    const id = await credited();
    inject({ kind: "network", match: DEBIT });
    const now = new Date();
    expect((await cancel(id, now)).ok).toBe(false);
    const window = 5 * 60_000;
    // Within the settle window nothing is sent again.
    expect(
      await finishCancels(prisma, admin, new Date(now.getTime() + 61_000), {
        retry,
        settleWindowMs: window,
      }),
    ).toBe(0);
    expect(sandbox.api.state.calls.filter((c) => c.rootFields.includes(DEBIT))).toHaveLength(1);
    // After it, the debit goes again and the cancel completes.
    expect(
      await finishCancels(prisma, admin, new Date(now.getTime() + window + 61_000), {
        retry,
        settleWindowMs: window,
      }),
    ).toBe(1);
    expect(balance()).toBe("0.00");
    expect(await points()).toBe(1_000);
  });
});
