import { afterEach, beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import {
  redeemFailure,
  redeemReward,
  RedemptionError,
  reissueRedemption,
  reserveRedemption,
} from "../../app/loyalty/redemptions.server";
import { memberView, redemptionResponse } from "../../app/loyalty/storefront.server";
import { rewardTerms } from "../../app/domain/snapshots";
import type { RetryPolicy } from "../../app/shopify/admin-api.server";
import { unauthenticated } from "../../app/shopify.server";
import { applyDiscountCode, type Fault } from "../../sandbox/shopify";
import { adminCatalog } from "../../sandbox/shop";
import { adminSandbox } from "../support/admin-sandbox";
import { seedMember, seedReward } from "../support/admin";
import { expectLedgerConsistent, resetShop } from "../support/engine";
import { storeOfflineSession, TEST_SHOP } from "../support/shopify";

/**
 * Free product rewards through the Admin API simulation on the real schema: the variant's price
 * is read when a member redeems, before any point is taken, and the code takes exactly one unit
 * of that variant off, however many the cart holds.
 */

const sandbox = adminSandbox();
const CUSTOMER = "6201";
const GID = `gid://shopify/Customer/${CUSTOMER}`;
const PRICE_QUERY = "LoyaltyFreeProductVariant";
const retry: RetryPolicy = {
  attempts: 3,
  baseDelayMs: 1,
  budgetMs: 2_000,
  attemptTimeoutMs: 100,
  sleep: async () => {},
};

// The sandbox catalogue's Trail Mug ($18.00) and Canvas Tote ($28.00).
const MUG = {
  product: "gid://shopify/Product/8800000000003",
  variant: "gid://shopify/ProductVariant/4400000000030",
};
const TOTE = {
  product: "gid://shopify/Product/8800000000001",
  variant: "gid://shopify/ProductVariant/4400000000010",
};

async function admin() {
  return (await unauthenticated.admin(TEST_SHOP)).admin;
}

function freeMug(overrides: Parameters<typeof seedReward>[0] = {}) {
  return seedReward({
    name: "Free mug",
    type: "FREE_PRODUCT",
    amount: null,
    pointsCost: 400,
    variant: { id: MUG.variant, title: "Trail Mug - Default Title" },
    ...overrides,
  });
}

async function redeem(rewardId: string) {
  return redeemReward({
    prisma,
    admin: await admin(),
    shop: TEST_SHOP,
    customerId: CUSTOMER,
    rewardId,
    retry,
  });
}

/** What redeeming answers the widget: its status and error code. */
async function refusal(rewardId: string) {
  const caught = await redeem(rewardId).then(
    () => null,
    (error: unknown) => error,
  );
  expect(caught).toBeInstanceOf(RedemptionError);
  return redeemFailure(caught);
}

const mugPrice = (price: string) => {
  const mug = sandbox.api.state.products.get(MUG.product)!;
  mug.variants = mug.variants!.map((v) => (v.id === MUG.variant ? { ...v, price } : v));
};
const points = async () =>
  (await prisma.member.findFirstOrThrow({ where: { shop: TEST_SHOP, customerId: CUSTOMER } }))
    .balance;
const priceReads = () =>
  sandbox.api.state.calls.filter((c) => c.operationName === PRICE_QUERY).length;
const inject = (...faults: Fault[]) => sandbox.api.state.faults.push(...faults);

/** A checkout of `mugs` mugs and a tote with the code, as Shopify prices it. */
function checkout(code: string, mugs: number, variant = MUG.variant) {
  const line = (ids: typeof MUG, quantity: number, unit: number) => ({
    productId: ids.product,
    variantId: ids.variant,
    quantity,
    subtotal: (quantity * unit).toFixed(2),
  });
  const lines = [
    ...(mugs ? [{ ...line(MUG, mugs, 18), variantId: variant }] : []),
    line(TOTE, 1, 28),
  ];
  const subtotal = lines.reduce((sum, l) => sum + Number(l.subtotal), 0).toFixed(2);
  return applyDiscountCode(sandbox.api.state, { code, customerId: GID, subtotal, lines });
}

beforeEach(async () => {
  await prisma.redemption.deleteMany();
  await prisma.reward.deleteMany();
  await resetShop();
  await prisma.session.deleteMany();
  await storeOfflineSession();
  for (const product of adminCatalog().products)
    sandbox.api.state.products.set(product.id, product);
  sandbox.api.addCustomer({ id: GID, email: "mug@example.com" });
  await seedMember(CUSTOMER, 1_000);
});

afterEach(async () => {
  await expectLedgerConsistent();
});

describe("redeeming a free product", () => {
  it("makes a code worth one unit at today's price, for that variant only", async () => {
    const reward = await freeMug();
    const result = await redeem(reward.id);

    expect(result.status).toBe("ISSUED");
    if (result.status !== "ISSUED") return;
    expect(await points()).toBe(600);
    expect(rewardTerms(result.redemption.rewardSnapshot)).toMatchObject({
      type: "FREE_PRODUCT",
      amount: "18.00",
      variant: { id: MUG.variant },
    });
    // The link applies the code, then puts one mug in the cart.
    expect(result.applyUrl).toBe(
      `https://${TEST_SHOP}/discount/${result.code}?redirect=/cart/add%3Fid%3D4400000000030%26quantity%3D1`,
    );
    const discount = sandbox.api.findDiscountByCode(result.code);
    expect(discount).toMatchObject({
      usageLimit: 1,
      items: [MUG.variant],
      minimumQuantity: "1",
      value: { kind: "amount", amount: "18.00", appliesOnEachItem: false },
    });

    // Two mugs and a tote: one mug is free, the rest is paid.
    const two = checkout(result.code, 2);
    expect(two).toMatchObject({
      ok: true,
      discount: { amount: "18.00", subtotalAfterDiscount: "46.00" },
    });
    expect(checkout(result.code, 1)).toMatchObject({
      ok: true,
      discount: { subtotalAfterDiscount: "28.00" },
    });
    // Without the mug, or with another variant on the line, the code does nothing.
    expect(checkout(result.code, 0)).toMatchObject({ ok: false });
    expect(checkout(result.code, 1, TOTE.variant)).toMatchObject({ ok: false });

    // The widget shows the held code with the same link after a reload.
    const view = await memberView(TEST_SHOP, CUSTOMER);
    expect(JSON.stringify(view)).toContain("cart/add%3Fid%3D4400000000030%26quantity%3D1");
  });

  it("prices each redemption when it is made: a price change leaves earlier codes as they were", async () => {
    const reward = await freeMug();
    const first = await redeem(reward.id);
    mugPrice("21.5");
    const second = await redeem(reward.id);
    if (first.status !== "ISSUED" || second.status !== "ISSUED") throw new Error("not issued");
    expect(sandbox.api.findDiscountByCode(first.code)?.value).toMatchObject({ amount: "18.00" });
    expect(sandbox.api.findDiscountByCode(second.code)?.value).toMatchObject({ amount: "21.50" });
    expect(rewardTerms(second.redemption.rewardSnapshot).amount).toBe("21.50");
    expect(await points()).toBe(200);
  });

  it("refuses a product the shop does not sell now, or no longer has, taking nothing", async () => {
    const reward = await freeMug();
    const mug = () => sandbox.api.state.products.get(MUG.product)!;
    const unavailable = { status: 409, code: "REWARD_DISABLED" };
    // Sold out (and not to be oversold): the link could not add it to a cart.
    mug().variants![0]!.availableForSale = false;
    expect(await refusal(reward.id)).toEqual(unavailable);
    mug().variants![0]!.availableForSale = true;
    for (const status of ["DRAFT", "ARCHIVED"] as const) {
      mug().status = status;
      expect(await refusal(reward.id)).toEqual(unavailable);
    }
    mug().status = "ACTIVE";
    mugPrice("0.00");
    expect(await refusal(reward.id)).toEqual(unavailable);
    sandbox.api.state.products.delete(MUG.product);
    expect(await refusal(reward.id)).toEqual({ status: 404, code: "REWARD_NOT_FOUND" });

    expect(await points()).toBe(1_000);
    expect(await prisma.redemption.count()).toBe(0);
    expect(sandbox.api.state.discounts.size).toBe(0);
  });

  it("asks the shopper to try again when Shopify cannot say the price, taking nothing", async () => {
    const reward = await freeMug();
    inject({ kind: "network", match: PRICE_QUERY, times: 5 });
    expect(await refusal(reward.id)).toEqual({ status: 503, code: "TRY_AGAIN" });
    expect(await points()).toBe(1_000);
    expect(await prisma.redemption.count()).toBe(0);

    // Shopify back: the same reward redeems.
    sandbox.api.state.faults.length = 0;
    expect((await redeem(reward.id)).status).toBe("ISSUED");
    const response = redemptionResponse(await redeem(reward.id));
    expect(response.status).toBe(200);
    expect(await points()).toBe(200);
  });

  it("creates the code once when Shopify's answer to it is lost", async () => {
    const reward = await freeMug();
    inject({ kind: "lostResponse", match: "discountCodeBasicCreate" });
    const result = await redeem(reward.id);
    expect(result.status).toBe("ISSUED");
    expect(sandbox.api.state.discounts.size).toBe(1);
    expect(await points()).toBe(600);
  });

  it("refuses what it would refuse anyway as it always does, without asking Shopify", async () => {
    // Even with the product gone, the shopper hears the reason that is theirs to act on.
    sandbox.api.state.products.delete(MUG.product);
    const reward = await freeMug({ pointsCost: 5_000 });
    expect(await refusal(reward.id)).toEqual({ status: 409, code: "INSUFFICIENT_POINTS" });
    const gold = await prisma.tier.create({
      data: { shop: TEST_SHOP, name: "Gold", threshold: 5_000 },
    });
    await prisma.reward.update({
      where: { id: reward.id },
      data: { pointsCost: 400, tierId: gold.id },
    });
    expect(await refusal(reward.id)).toEqual({ status: 403, code: "TIER_REQUIRED" });
    await prisma.reward.update({ where: { id: reward.id }, data: { tierId: null } });
    await prisma.program.update({ where: { shop: TEST_SHOP }, data: { enabled: false } });
    expect(await refusal(reward.id)).toEqual({ status: 409, code: "PROGRAM_PAUSED" });
    await prisma.program.update({ where: { shop: TEST_SHOP }, data: { enabled: true } });
    await prisma.reward.update({ where: { id: reward.id }, data: { enabled: false } });
    expect(await refusal(reward.id)).toEqual({ status: 409, code: "REWARD_DISABLED" });
    expect(priceReads()).toBe(0);
  });

  it("issues a failed code again at today's price, and not for a product that is gone", async () => {
    const reward = await freeMug();
    inject({
      kind: "userErrors",
      match: "discountCodeBasicCreate",
      userErrors: [{ field: ["basicCodeDiscount"], message: "Something went wrong" }],
    });
    await expect(redeem(reward.id)).rejects.toMatchObject({ code: "CODE_NOT_CREATED" });
    const failed = await prisma.redemption.findFirstOrThrow();
    expect(failed).toMatchObject({ status: "FAILED", pointsReturned: true });
    expect(await points()).toBe(1_000);

    const again = async () =>
      reissueRedemption({
        prisma,
        admin: await admin(),
        shop: TEST_SHOP,
        redemptionId: failed.id,
        staff: "Ada",
        retry,
      });
    sandbox.api.state.products.delete(MUG.product);
    expect(await again()).toEqual({
      ok: false,
      error: "Trail Mug - Default Title is no longer in your shop.",
    });
    for (const product of adminCatalog().products)
      sandbox.api.state.products.set(product.id, product);
    mugPrice("25.00");
    const reissued = await again();
    expect(reissued).toMatchObject({ ok: true });
    expect(sandbox.api.findDiscountByCode(reissued.redemption!.code)?.value).toMatchObject({
      amount: "25.00",
    });
    expect(await points()).toBe(600);
  });

  it("refuses a reserve priced for another variant than the reward now names", async () => {
    const reward = await freeMug();
    const reserve = (freeProduct: { variantId: string; amount: string } | null) =>
      reserveRedemption(prisma, TEST_SHOP, CUSTOMER, reward.id, new Date(), null, freeProduct);
    await expect(reserve({ variantId: TOTE.variant, amount: "28.00" })).rejects.toMatchObject({
      code: "TRY_AGAIN",
    });
    await expect(reserve(null)).rejects.toMatchObject({ code: "TRY_AGAIN" });
    expect(await points()).toBe(1_000);
    expect(await prisma.redemption.count()).toBe(0);
  });
});
