import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { action as listAction, loader as listLoader } from "../../app/routes/app.rewards._index";
import { action, loader } from "../../app/routes/app.rewards.$id";
import {
  expectStatus,
  load,
  OTHER_SHOP,
  post,
  resetShop,
  seedMember,
  shopRows,
  signIn,
} from "../support/admin";
import { TEST_SHOP } from "../support/shopify";
import { adminSandbox } from "../support/admin-sandbox";
import { adminCatalog } from "../../sandbox/shop";

const sandbox = adminSandbox();

type Loaded = Awaited<ReturnType<typeof loader>>;
type Listed = Awaited<ReturnType<typeof listLoader>>;
type Result = { ok: boolean; errors?: Record<string, string>; message?: string };

const fixed = {
  intent: "save",
  name: "$5 off",
  type: "FIXED_AMOUNT",
  pointsCost: "500",
  amount: "5.00",
  percentage: "",
  minimumSubtotal: "20",
  codeLifetimeDays: "30",
  combinesWithOrder: "false",
  combinesWithProduct: "true",
  combinesWithShipping: "true",
  tierId: "",
  enabled: "true",
};

function reward(shop = TEST_SHOP, overrides: Record<string, unknown> = {}) {
  return prisma.reward.create({
    data: {
      shop,
      name: "10% off",
      type: "PERCENTAGE",
      percentage: 10,
      pointsCost: 300,
      ...overrides,
    },
  });
}

beforeEach(async () => {
  await resetShop();
  await resetShop(OTHER_SHOP);
  await signIn();
});

describe("rewards list", () => {
  it("lists only this shop's rewards with a readable value, tier and usage", async () => {
    const gold = await prisma.tier.create({
      data: { shop: TEST_SHOP, name: "Gold", threshold: 1000 },
    });
    await reward(TEST_SHOP, { tierId: gold.id });
    await reward(TEST_SHOP, {
      name: "Ship free",
      type: "FREE_SHIPPING",
      percentage: null,
      pointsCost: 200,
      minimumSubtotal: "50.00",
      enabled: false,
    });
    await reward(OTHER_SHOP, { name: "Not yours" });

    const data = await load<Listed>(listLoader, "/app/rewards");

    expect(data.rewards.map((r) => [r.name, r.summary, r.tier, r.enabled])).toEqual([
      ["10% off", "10% off", "Gold", true],
      ["Ship free", "Free shipping on orders of $50.00 or more", null, false],
    ]);
  });

  it("enables and disables from the list, and 404s for another shop's reward", async () => {
    const mine = await reward();
    const theirs = await reward(OTHER_SHOP);

    const result = await post(listAction, "/app/rewards", {
      intent: "toggle",
      id: mine.id,
      enabled: "false",
    });
    expect(result).toEqual({ ok: true, id: mine.id, enabled: false });
    expect((await prisma.reward.findUniqueOrThrow({ where: { id: mine.id } })).enabled).toBe(false);

    expectStatus(
      await post(listAction, "/app/rewards", { intent: "toggle", id: theirs.id, enabled: "false" }),
      404,
    );
    expect((await prisma.reward.findUniqueOrThrow({ where: { id: theirs.id } })).enabled).toBe(
      true,
    );
  });
});

describe("rewards list input", () => {
  it("refuses a malformed toggle and changes nothing", async () => {
    const mine = await reward();
    const before = await shopRows();
    expect(
      await post(listAction, "/app/rewards", { intent: "toggle", id: mine.id, enabled: "maybe" }),
    ).toEqual({ ok: false, errors: { form: "Unknown request" } });
    expect(await post(listAction, "/app/rewards", { intent: "delete", id: mine.id })).toEqual({
      ok: false,
      errors: { form: "Unknown request" },
    });
    expect(await shopRows()).toEqual(before);
  });
});

describe("reward form", () => {
  it("creates each reward type and redirects to the new reward", async () => {
    const created = await post<Response>(action, "/app/rewards/new", fixed, {
      params: { id: "new" },
    });
    expectStatus(created, 302);
    const row = await prisma.reward.findFirstOrThrow({ where: { shop: TEST_SHOP } });
    expect(created.headers.get("Location")).toBe(`/app/rewards/${row.id}?done=reward-created`);
    expect(row).toMatchObject({
      name: "$5 off",
      type: "FIXED_AMOUNT",
      pointsCost: 500,
      amount: "5.00",
      percentage: null,
      minimumSubtotal: "20",
      codeLifetimeDays: 30,
      combinesWithOrder: false,
      combinesWithProduct: true,
      tierId: null,
      enabled: true,
    });

    await post(
      action,
      "/app/rewards/new",
      { ...fixed, name: "15% off", type: "PERCENTAGE", percentage: "15", amount: "9" },
      { params: { id: "new" } },
    );
    await post(
      action,
      "/app/rewards/new",
      { ...fixed, name: "Free shipping", type: "FREE_SHIPPING", minimumSubtotal: "" },
      { params: { id: "new" } },
    );
    const all = await prisma.reward.findMany({
      where: { shop: TEST_SHOP },
      orderBy: { createdAt: "asc" },
    });
    expect(all.map((r) => [r.type, r.amount, r.percentage, r.minimumSubtotal])).toEqual([
      ["FIXED_AMOUNT", "5.00", null, "20"],
      ["PERCENTAGE", null, 15, "20"],
      ["FREE_SHIPPING", null, null, null],
    ]);
    // Off the whole order.
    expect(all.map((r) => r.collections)).toEqual([[], [], []]);
  });

  it("creates a store credit reward that never expires, and lists it by its amount", async () => {
    const created = await post<Response>(
      action,
      "/app/rewards/new",
      { ...fixed, name: "$10 credit", type: "STORE_CREDIT", amount: "10", codeLifetimeDays: "0" },
      { params: { id: "new" } },
    );
    expectStatus(created, 302);
    const row = await prisma.reward.findFirstOrThrow({ where: { shop: TEST_SHOP } });
    // The minimum the form still held from "amount off" is not a store credit's.
    expect(row).toMatchObject({
      type: "STORE_CREDIT",
      amount: "10",
      minimumSubtotal: null,
      codeLifetimeDays: 0,
    });
    const listed = await load<Listed>(listLoader, "/app/rewards");
    expect(listed.rewards[0]).toMatchObject({ name: "$10 credit", summary: "$10.00 store credit" });
    const refused = await post<Result>(
      action,
      "/app/rewards/new",
      { ...fixed, type: "STORE_CREDIT", amount: "", codeLifetimeDays: "400" },
      { params: { id: "new" } },
    );
    expect(refused).toMatchObject({
      ok: false,
      errors: {
        amount: "Enter an amount in USD, greater than zero",
        codeLifetimeDays:
          "Credit must last between 1 and 365 days, or 0 for credit that never expires",
      },
    });
    expect(await prisma.reward.count({ where: { shop: TEST_SHOP } })).toBe(1);
  });

  it("creates a free product reward for the variant picked, and lists it by its name", async () => {
    const wallet = {
      id: "gid://shopify/ProductVariant/4400000000061",
      title: "Leather Wallet - Black",
    };
    const created = await post<Response>(
      action,
      "/app/rewards/new",
      {
        ...fixed,
        name: "Free wallet",
        type: "FREE_PRODUCT",
        // What the form still held from "amount off": not a free product's.
        amount: "5.00",
        minimumSubtotal: "",
        collections: JSON.stringify([{ id: "gid://shopify/Collection/1", title: "Outdoor" }]),
        variant: JSON.stringify([wallet]),
      },
      { params: { id: "new" } },
    );
    expectStatus(created, 302);
    const row = await prisma.reward.findFirstOrThrow({ where: { shop: TEST_SHOP } });
    expect(row).toMatchObject({
      type: "FREE_PRODUCT",
      amount: null,
      minimumSubtotal: null,
      collections: [],
      variant: wallet,
    });
    const page = await load<Loaded>(loader, `/app/rewards/${row.id}`, { params: { id: row.id } });
    expect(page.reward?.variant).toEqual(wallet);
    const listed = await load<Listed>(listLoader, "/app/rewards");
    expect(listed.rewards[0]).toMatchObject({ summary: "Free Leather Wallet - Black" });

    // Switched to an amount off, it keeps no variant.
    await post(
      action,
      `/app/rewards/${row.id}`,
      { ...fixed, variant: JSON.stringify([wallet]) },
      {
        params: { id: row.id },
      },
    );
    expect((await prisma.reward.findUniqueOrThrow({ where: { id: row.id } })).variant).toBeNull();
  });

  it("says on a free product reward's page what one costs now, or that the product is gone", async () => {
    const mug = { id: "gid://shopify/ProductVariant/4400000000030", title: "Trail Mug" };
    for (const product of adminCatalog().products)
      sandbox.api.state.products.set(product.id, product);
    const row = await reward(TEST_SHOP, { type: "FREE_PRODUCT", percentage: null, variant: mug });
    const open = () => load<Loaded>(loader, `/app/rewards/${row.id}`, { params: { id: row.id } });
    expect((await open()).product).toEqual({ kind: "price", amount: "18.00" });
    sandbox.api.state.products.delete("gid://shopify/Product/8800000000003");
    expect((await open()).product).toEqual({ kind: "gone" });
    // Shopify not answering: the page opens, saying nothing of the price.
    sandbox.api.state.faults.push({
      kind: "http",
      status: 503,
      match: "LoyaltyFreeProductVariant",
      times: 10,
    });
    expect((await open()).product).toEqual({ kind: "unknown" });
    // Other rewards ask Shopify nothing.
    const other = await reward();
    const calls = sandbox.api.state.calls.length;
    expect(
      (await load<Loaded>(loader, `/app/rewards/${other.id}`, { params: { id: other.id } }))
        .product,
    ).toBeNull();
    expect(sandbox.api.state.calls.length).toBe(calls);
  });

  it("asks for the free product's variant, and refuses a product, saving nothing", async () => {
    await load(loader, "/app/rewards/new", { params: { id: "new" } }); // the page was open
    const before = await shopRows();
    const free = { ...fixed, type: "FREE_PRODUCT", minimumSubtotal: "20" };
    expect(await post<Result>(action, "/app/rewards/new", free, { params: { id: "new" } })).toEqual(
      {
        ok: false,
        // The minimum the form still held from "amount off" is not a free product's.
        errors: { variant: "Choose the product shoppers get" },
      },
    );
    const product = await post<Result>(
      action,
      "/app/rewards/new",
      {
        ...free,
        minimumSubtotal: "",
        variant: JSON.stringify([{ id: "gid://shopify/Product/8800000000006", title: "Wallet" }]),
      },
      { params: { id: "new" } },
    );
    expect(product).toEqual({ ok: false, errors: { variant: "Choose the product again" } });
    const two = await post<Result>(
      action,
      "/app/rewards/new",
      {
        ...free,
        minimumSubtotal: "",
        variant: JSON.stringify([
          { id: "gid://shopify/ProductVariant/1", title: "A" },
          { id: "gid://shopify/ProductVariant/2", title: "B" },
        ]),
      },
      { params: { id: "new" } },
    );
    expect(two.ok).toBe(false);
    expect(await shopRows()).toEqual(before);
  });

  it("limits a reward to collections picked in the resource picker", async () => {
    const outdoor = { id: "gid://shopify/Collection/9900000000001", title: "Outdoor" };
    await post(
      action,
      "/app/rewards/new",
      { ...fixed, name: "$5 off Outdoor", collections: JSON.stringify([outdoor]) },
      { params: { id: "new" } },
    );
    const row = await prisma.reward.findFirstOrThrow({ where: { shop: TEST_SHOP } });
    expect(row.collections).toEqual([outdoor]);
    const page = await load<Loaded>(loader, `/app/rewards/${row.id}`, { params: { id: row.id } });
    expect(page.reward?.collections).toEqual([outdoor]);
    // Removing them all makes it a reward off the whole order again.
    await post(
      action,
      `/app/rewards/${row.id}`,
      { ...fixed, collections: "[]" },
      {
        params: { id: row.id },
      },
    );
    expect((await prisma.reward.findUniqueOrThrow({ where: { id: row.id } })).collections).toEqual(
      [],
    );
  });

  it("returns field errors from the redemption rules and saves nothing", async () => {
    await load(loader, "/app/rewards/new", { params: { id: "new" } }); // the page was open
    const before = await shopRows();

    const result = await post<Result>(
      action,
      "/app/rewards/new",
      {
        ...fixed,
        name: " ",
        amount: "0",
        pointsCost: "1.5",
        minimumSubtotal: "abc",
        codeLifetimeDays: "400",
      },
      { params: { id: "new" } },
    );

    expect(result).toEqual({
      ok: false,
      errors: {
        name: "Give the reward a name shoppers will recognise",
        pointsCost: "Cost must be a whole number of points, at least 1",
        codeLifetimeDays: "Codes must last between 1 and 365 days",
        amount: "Enter an amount in USD, greater than zero",
        minimumSubtotal: "Enter a minimum in USD, or leave it empty",
      },
    });
    expect(await shopRows()).toEqual(before);
  });

  it("rejects a percentage outside 1–100 and an unknown type", async () => {
    const percent = await post<Result>(
      action,
      "/app/rewards/new",
      { ...fixed, type: "PERCENTAGE", percentage: "101" },
      { params: { id: "new" } },
    );
    expect(percent.errors).toEqual({ percentage: "Enter a whole percentage from 1 to 100" });
    const type = await post<Result>(
      action,
      "/app/rewards/new",
      { ...fixed, type: "GIFT_CARD" },
      { params: { id: "new" } },
    );
    expect(type.errors).toEqual({ type: "Choose a reward type" });
    expect(await prisma.reward.count()).toBe(0);
  });

  it("refuses a tier restriction naming another shop's tier", async () => {
    const foreign = await prisma.tier.create({
      data: { shop: OTHER_SHOP, name: "Gold", threshold: 10 },
    });
    const result = await post<Result>(
      action,
      "/app/rewards/new",
      { ...fixed, tierId: foreign.id },
      { params: { id: "new" } },
    );
    expect(result.errors).toEqual({ tierId: "Choose one of your tiers, or everyone" });
    expect(await prisma.reward.count()).toBe(0);
  });

  it("edits a reward, restricted to a tier, and keeps issued codes' terms", async () => {
    const existing = await reward();
    const silver = await prisma.tier.create({
      data: { shop: TEST_SHOP, name: "Silver", threshold: 100 },
    });

    const data = await load<Loaded>(loader, `/app/rewards/${existing.id}`, {
      params: { id: existing.id },
    });
    expect(data.reward?.name).toBe("10% off");
    expect(data.tiers).toEqual([{ id: silver.id, name: "Silver" }]);

    const result = await post<Result>(
      action,
      `/app/rewards/${existing.id}`,
      {
        ...fixed,
        name: "20% off",
        type: "PERCENTAGE",
        percentage: "20",
        tierId: silver.id,
        enabled: "false",
      },
      { params: { id: existing.id } },
    );

    expect(result).toEqual({ ok: true, message: "Reward saved" });
    expect(await prisma.reward.findUniqueOrThrow({ where: { id: existing.id } })).toMatchObject({
      name: "20% off",
      percentage: 20,
      amount: null,
      tierId: silver.id,
      enabled: false,
    });
  });

  it("answers 404 to another shop's reward on load, save, toggle and delete", async () => {
    const theirs = await reward(OTHER_SHOP);
    const before = await shopRows(OTHER_SHOP);
    const params = { id: theirs.id };

    expectStatus(await load(loader, `/app/rewards/${theirs.id}`, { params }), 404);
    expectStatus(await post(action, `/app/rewards/${theirs.id}`, fixed, { params }), 404);
    expectStatus(
      await post(
        action,
        `/app/rewards/${theirs.id}`,
        { intent: "toggle", enabled: "false" },
        { params },
      ),
      404,
    );
    expectStatus(
      await post(action, `/app/rewards/${theirs.id}`, { intent: "delete" }, { params }),
      404,
    );
    expect(await shopRows(OTHER_SHOP)).toEqual(before);
  });

  it("deletes an unused reward but only disables-not-deletes one with redemptions", async () => {
    const unused = await reward();
    const deleted = await post<Response>(
      action,
      `/app/rewards/${unused.id}`,
      { intent: "delete" },
      { params: { id: unused.id } },
    );
    expectStatus(deleted, 302);
    expect(await prisma.reward.findUnique({ where: { id: unused.id } })).toBeNull();

    const used = await reward();
    const member = await seedMember("9001", 0);
    await prisma.redemption.create({
      data: {
        shop: TEST_SHOP,
        memberId: member.id,
        customerId: "9001",
        rewardId: used.id,
        pointsSpent: 300,
        code: "LOYAL-TEST",
        status: "USED",
        rewardSnapshot: {},
        startsAt: new Date(),
        endsAt: new Date(),
      },
    });
    const refused = await post<Result>(
      action,
      `/app/rewards/${used.id}`,
      { intent: "delete" },
      { params: { id: used.id } },
    );
    expect(refused.ok).toBe(false);
    expect(refused.errors?.form).toMatch(/redeemed 1 time.*Disable it instead/);
    expect(await prisma.reward.findUnique({ where: { id: used.id } })).not.toBeNull();
  });

  it("404s for a reward id that does not exist", async () => {
    expectStatus(await load(loader, "/app/rewards/nope", { params: { id: "nope" } }), 404);
  });
});
