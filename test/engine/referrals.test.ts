// Refer a friend (issue #12): the landing page's welcome code through the Admin API, the
// referrer's pending reward from the friend's first order, its guards and its clawback.
import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { welcomeCodesIn } from "../../app/domain/referrals";
import { reviewHeldOrder } from "../../app/loyalty/orders.server";
import { releaseReferralPoints, settleWelcomeCodes } from "../../app/loyalty/referrals.server";
import { memberView } from "../../app/loyalty/storefront.server";
import { action as submit, loader as landing } from "../../app/routes/proxy.refer.$code";
import { unauthenticated } from "../../app/shopify.server";
import { adminSandbox } from "../support/admin-sandbox";
import { seedReward } from "../support/admin";
import { proxyRequest } from "../support/app-proxy";
import { deliver, expectLedgerConsistent, memberOf, resetShop } from "../support/engine";
import { orderPayload, refundPayload } from "../support/payloads";
import { storeOfflineSession, TEST_SHOP } from "../support/shopify";

const sandbox = adminSandbox();
const DAY = 24 * 60 * 60 * 1000;
const REFERRER = 5101;
const REFERRER_EMAIL = "rita@example.com";
const HOME = { address1: "1 Elm Street", zip: "94107", country_code: "US" };

async function linkCode(customerId = REFERRER) {
  const view = await memberView(TEST_SHOP, String(customerId));
  const path = view.referral?.path;
  if (!path) throw new Error("no referral link");
  return path.replace("/refer/", "");
}

async function page(
  handler: typeof landing | typeof submit,
  code: string,
  customerId: string | null,
) {
  // Shopify knows every signed-in shopper; a code can only be restricted to a known customer.
  const gid = `gid://shopify/Customer/${customerId}`;
  if (customerId && !sandbox.api.state.customers.has(gid)) sandbox.api.addCustomer({ id: gid });
  const request = proxyRequest({
    path: `/proxy/refer/${code}`,
    method: handler === landing ? "GET" : "POST",
    customerId,
    ...(handler === landing ? {} : { body: "", contentType: "application/x-www-form-urlencoded" }),
  });
  const response = await handler({ request, params: { code }, context: {} });
  return {
    status: response.status,
    type: response.headers.get("content-type"),
    html: await response.text(),
  };
}

/** The signed-in friend asks for a welcome code on the referrer's link; returns the code shown. */
async function welcome(customerId: number | string) {
  const code = await linkCode();
  const { html } = await page(submit, code, String(customerId));
  const shown = /data-lw-welcome-code>([^<]+)</.exec(html)?.[1];
  if (!shown) throw new Error(`no code on the page: ${html}`);
  return shown;
}

async function paidWith(
  customerId: number,
  code: string | null,
  options: Parameters<typeof orderPayload>[0] = {},
) {
  const order = orderPayload({
    customerId,
    email: `c${customerId}@example.com`,
    subtotal: "60.00",
    discountCodes: code ? [code] : [],
    ...options,
  });
  expect(await deliver({ topic: "orders/paid", payload: order })).toBe(200);
  return order;
}

const referral = () => prisma.referral.findFirstOrThrow({ orderBy: { createdAt: "desc" } });

beforeEach(async () => {
  await resetShop();
  await prisma.reward.deleteMany();
  await prisma.session.deleteMany();
  await storeOfflineSession();
  const offer = await seedReward({ name: "$10 off", amount: "10.00", enabled: false });
  await prisma.program.create({
    data: { shop: TEST_SHOP, referrals: true, referralRewardId: offer.id, referralPoints: 500 },
  });
  // The referrer has shopped before, shipping to HOME.
  await paidWith(REFERRER, null, { email: REFERRER_EMAIL, shippingAddress: HOME });
});

describe("the referral link and the welcome code", () => {
  it("gives a member a link whose page offers the friend the reward's terms, in the theme", async () => {
    const code = await linkCode();
    expect(code).toMatch(/^[2-9a-z]{10}$/);
    expect(await linkCode()).toBe(code); // made once

    const guest = await page(landing, code, null);
    expect(guest.status).toBe(200);
    expect(guest.type).toBe("application/liquid");
    expect(guest.html).toContain(
      "You&#39;re invited to {{ shop.name | escape }}: $10 off on your first order.",
    );
    // A guest signs in or creates an account first: the code will be theirs alone.
    expect(guest.html).toContain('href="{{ routes.account_register_url }}"');
    expect(guest.html).not.toContain("<form");
    const friend = await page(landing, code, "5201");
    expect(friend.html).toContain('<form method="post"');
    expect(await prisma.referral.count()).toBe(0); // nothing made on a GET
  });

  it("creates a single-use code for the signed-in friend only, and shows it again on a reload", async () => {
    const code = await welcome(5202);
    expect(welcomeCodesIn([code])).toEqual([code]);
    const discount = sandbox.api.findDiscountByCode(code);
    expect(discount).toMatchObject({ usageLimit: 1, appliesOncePerCustomer: true });
    expect(JSON.stringify(discount)).toContain("Customer/5202");
    expect(await welcome(5202)).toBe(code);
    expect(await prisma.referral.count()).toBe(1);
    expect(await referral()).toMatchObject({ customerId: "5202", codeStatus: "ISSUED" });
  });

  it("refuses the referrer, a customer who has ordered, and a guest; 404 for an unknown link", async () => {
    const code = await linkCode();
    expect((await page(submit, code, String(REFERRER))).html).toContain(
      "This invitation is for your friends",
    );
    await paidWith(5303, null);
    expect((await page(submit, code, "5303")).html).toContain("This offer is for new customers.");
    expect((await page(submit, code, null)).html).toContain("Sign in or create an account");
    expect(await prisma.referral.count()).toBe(0);
    expect(sandbox.api.state.discounts.size).toBe(0);

    expect((await page(landing, "zzzzzzzzzz", null)).status).toBe(404);
    expect((await page(submit, "zzzzzzzzzz", "5304")).status).toBe(404);
  });

  it("offers nothing when the saved offer is store credit, which no code can carry", async () => {
    const code = await linkCode();
    // Programs saved before store credit was refused as the friends' offer.
    await prisma.reward.updateMany({ data: { type: "STORE_CREDIT" } });
    expect((await page(landing, code, "5305")).status).toBe(404);
    expect((await page(submit, code, "5305")).status).toBe(404);
    expect(sandbox.api.state.discounts.size).toBe(0);
    expect(await prisma.referral.count()).toBe(0);
  });

  it("stops a link after 20 codes in a day", async () => {
    for (let i = 0; i < 20; i++) await welcome(5400 + i);
    const { html } = await page(submit, await linkCode(), "5499");
    expect(html).toContain("This invitation has been used a lot today.");
  });

  it("keeps what merchants write from running as Liquid", async () => {
    await prisma.reward.updateMany({ data: { name: "{{ customer.email }} off" } });
    const { html } = await page(landing, await linkCode(), "5205");
    expect(html).not.toMatch(/\{\{ customer/);
    expect(html).toContain("&#123;&#123; customer.email &#125;&#125; off");
  });

  it("settles a code whose creation's answer was lost, through the worker", async () => {
    sandbox.api.state.faults.push(
      { kind: "lostResponse" },
      ...Array.from({ length: 10 }, () => ({ kind: "http" as const, status: 503 })),
    );
    const { html } = await page(submit, await linkCode(), "5206");
    expect(html).toContain("Your code is being prepared.");
    expect(await referral()).toMatchObject({ codeStatus: "PENDING" });
    sandbox.api.state.faults.length = 0;

    const admin = async () => (await unauthenticated.admin(TEST_SHOP)).admin;
    const settled = await settleWelcomeCodes(prisma, admin, new Date(Date.now() + 5 * 60_000));
    expect(settled).toMatchObject({ issued: 1 });
    const after = await referral();
    expect(after.codeStatus).toBe("ISSUED");
    expect(after.discountId).toBe(sandbox.api.findDiscountByCode(after.code)?.id);
    // The page now shows the code.
    expect(await welcome(5206)).toBe(after.code);
  });

  it("makes a new code in place of one Shopify refused or one that expired unused", async () => {
    sandbox.api.state.faults.push({
      kind: "userErrors",
      userErrors: [
        { field: ["basicCodeDiscount", "code"], message: "Code is invalid", code: "INVALID" },
      ],
    });
    expect((await page(submit, await linkCode(), "5207")).html).toContain(
      "We could not create your code.",
    );
    expect(await referral()).toMatchObject({ codeStatus: "FAILED" });
    const first = await welcome(5207);
    await prisma.referral.updateMany({ data: { endsAt: new Date(Date.now() - 1000) } });
    const second = await welcome(5207);
    expect(second).not.toBe(first);
    expect(await prisma.referral.count()).toBe(1);
  });
});

describe("the referrer's reward", () => {
  it("is pending from the friend's first order, then spendable, once whatever Shopify redelivers", async () => {
    const code = await welcome(5401);
    const order = await paidWith(5401, code);
    expect(await deliver({ topic: "orders/paid", payload: order })).toBe(200);

    expect(await referral()).toMatchObject({
      status: "PENDING",
      points: 500,
      customerId: "5401",
      orderId: String(order.id),
    });
    expect(await memberOf(REFERRER)).toMatchObject({ pendingPoints: 500 });
    const view = await memberView(TEST_SHOP, String(REFERRER));
    expect(view.referral).toMatchObject({ points: 500, offer: "$10 off", pending: 1 });
    expect(view.history[0]?.description).toBe("Referral: a friend placed their first order");

    expect(await releaseReferralPoints(prisma, new Date(Date.now() + 13 * DAY))).toBe(0);
    expect(await releaseReferralPoints(prisma, new Date(Date.now() + 15 * DAY))).toBe(1);
    expect(await releaseReferralPoints(prisma, new Date(Date.now() + 16 * DAY))).toBe(0);
    const referrer = await memberOf(REFERRER);
    // 60 points from the referrer's own $60 order, 500 for the friend.
    expect(referrer).toMatchObject({ balance: 560, pendingPoints: 0 });
    expect(await referral()).toMatchObject({ status: "REWARDED" });
    await expectLedgerConsistent();
  });

  it("is spendable at once when the program has no referral pending period", async () => {
    await prisma.program.update({ where: { shop: TEST_SHOP }, data: { referralPendingDays: 0 } });
    await paidWith(5402, await welcome(5402));
    expect(await memberOf(REFERRER)).toMatchObject({ balance: 560, pendingPoints: 0 });
    expect(await referral()).toMatchObject({ status: "REWARDED" });
  });

  it.each([
    ["the referrer's own account", { customerId: REFERRER }],
    ["the referrer's email", { email: REFERRER_EMAIL.toUpperCase() }],
    [
      "the referrer's shipping address",
      { shippingAddress: { ...HOME, address1: "1 elm street." } },
    ],
  ])("is refused to an order from %s", async (_, options) => {
    const code = await welcome(5403);
    await paidWith(5403, code, options);
    expect(await referral()).toMatchObject({ status: "VOID", voidReason: "SELF_REFERRAL" });
    expect(await memberOf(REFERRER)).toMatchObject({ pendingPoints: 0 });
  });

  it("is refused for a friend who had ordered before", async () => {
    const code = await welcome(5404);
    // An order the welcome page could not know of: paid earlier, its webhook late.
    await paidWith(5404, null, { processedAt: new Date(Date.now() - DAY).toISOString() });
    await paidWith(5404, code);
    expect(await referral()).toMatchObject({ status: "VOID", voidReason: "NOT_NEW_CUSTOMER" });
  });

  it("stops at the program's referrals per month", async () => {
    await prisma.program.update({ where: { shop: TEST_SHOP }, data: { referralsPerMonth: 1 } });
    await paidWith(5405, await welcome(5405));
    await paidWith(5406, await welcome(5406));
    const statuses = await prisma.referral.findMany({ orderBy: { orderedAt: "asc" } });
    expect(statuses.map((r) => [r.status, r.voidReason])).toEqual([
      ["PENDING", null],
      ["VOID", "CAPPED"],
    ]);
    expect(await memberOf(REFERRER)).toMatchObject({ pendingPoints: 500 });
  });

  it("goes back with a full refund or a cancellation in the pending period, not a partial refund", async () => {
    const first = await paidWith(5407, await welcome(5407));
    const second = await paidWith(5408, await welcome(5408));
    expect(await memberOf(REFERRER)).toMatchObject({ pendingPoints: 1000 });

    await deliver({ topic: "refunds/create", payload: refundPayload(first.id, "20.00") });
    expect(await memberOf(REFERRER)).toMatchObject({ pendingPoints: 1000 });
    await deliver({ topic: "refunds/create", payload: refundPayload(first.id, "40.00") });
    expect(await memberOf(REFERRER)).toMatchObject({ pendingPoints: 500 });

    await deliver({
      topic: "orders/cancelled",
      payload: { ...second, cancelled_at: new Date().toISOString() },
    });
    expect(await memberOf(REFERRER)).toMatchObject({ balance: 60, pendingPoints: 0 });
    const referrals = await prisma.referral.findMany();
    expect(referrals.map((r) => [r.status, r.voidReason])).toEqual([
      ["VOID", "ORDER_REVERSED"],
      ["VOID", "ORDER_REVERSED"],
    ]);
    await expectLedgerConsistent();
  });

  it("stays after the pending period, whatever happens to the order", async () => {
    const order = await paidWith(5409, await welcome(5409));
    await releaseReferralPoints(prisma, new Date(Date.now() + 15 * DAY));
    await deliver({ topic: "refunds/create", payload: refundPayload(order.id, "60.00") });
    expect(await memberOf(REFERRER)).toMatchObject({ balance: 560 });
    expect(await referral()).toMatchObject({ status: "REWARDED" });
  });

  it("names nothing while referrals are off: the code was only a discount", async () => {
    const code = await welcome(5410);
    await prisma.program.update({ where: { shop: TEST_SHOP }, data: { referrals: false } });
    await paidWith(5410, code);
    expect(await referral()).toMatchObject({ status: "OFFERED" });
    expect(await memberOf(REFERRER)).toMatchObject({ pendingPoints: 0 });
  });

  it("is refused for an order the welcome code paid in full", async () => {
    await paidWith(5411, await welcome(5411), { subtotal: "0.00" });
    expect(await referral()).toMatchObject({ status: "VOID", voidReason: "NO_SPEND" });
  });

  it("waits for the approval of an order held for review", async () => {
    await prisma.program.update({ where: { shop: TEST_SHOP }, data: { maxPointsPerOrder: 10 } });
    const order = await paidWith(5412, await welcome(5412));
    expect(await referral()).toMatchObject({ status: "OFFERED" });
    await prisma.$transaction((tx) =>
      reviewHeldOrder(tx, TEST_SHOP, String(order.id), "approve", "staff", new Date()),
    );
    expect(await referral()).toMatchObject({ status: "PENDING", points: 500 });
    expect(await memberOf(REFERRER)).toMatchObject({ pendingPoints: 500 });
  });

  it("shows the referrer when the pending points become spendable", async () => {
    await paidWith(5413, await welcome(5413));
    const view = await memberView(TEST_SHOP, String(REFERRER));
    expect(view.nextRelease).toMatchObject({ points: 500 });
    expect(new Date(view.nextRelease!.date).getTime()).toBeGreaterThan(Date.now() + 13 * DAY);
  });
});
