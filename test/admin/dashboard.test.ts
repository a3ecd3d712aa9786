import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { postEntry } from "../../app/loyalty/ledger.server";
import { action, loader } from "../../app/routes/app._index";
import { adminSandbox } from "../support/admin-sandbox";
import { load, OTHER_SHOP, post, resetShop, seedMember, shopRows, signIn } from "../support/admin";
import { deliver } from "../support/engine";
import { orderPayload } from "../support/payloads";
import { TEST_SHOP } from "../support/shopify";

type Loaded = Awaited<ReturnType<typeof loader>>;

// Shopify, for the shop's time zone.
const sandbox = adminSandbox();

const DAY = 24 * 3600 * 1000;

beforeEach(async () => {
  await resetShop();
  await resetShop(OTHER_SHOP);
  await signIn();
});

async function entry(memberId: string, kind: string, points: number, at: Date, key: string) {
  await prisma.$transaction(async (tx) => {
    const member = await tx.member.findUniqueOrThrow({ where: { id: memberId } });
    const program = await tx.program.findUniqueOrThrow({ where: { shop: member.shop } });
    await postEntry(
      tx,
      program,
      member,
      {
        kind: kind as "MANUAL",
        points,
        source: "SYSTEM",
        idempotencyKey: key,
        description: kind,
        occurredAt: at,
      },
      at,
    );
  });
}

describe("dashboard", () => {
  it("adds up members, points, liability and revenue for the period", async () => {
    // Orders through the real webhooks: two member orders, one guest order.
    await deliver({
      topic: "orders/paid",
      payload: orderPayload({ customerId: 1, subtotal: "100.00" }),
    });
    await deliver({
      topic: "orders/paid",
      payload: orderPayload({ customerId: 2, subtotal: "50.00", total: "55.00" }),
    });
    await deliver({
      topic: "orders/paid",
      payload: orderPayload({ customerId: null, subtotal: "30.00" }),
    });
    const one = await prisma.member.findFirstOrThrow({
      where: { shop: TEST_SHOP, customerId: "1" },
    });
    await entry(one.id, "REDEEM", -40, new Date(), "r1");
    await entry(one.id, "EXPIRE", -10, new Date(), "e1");
    // Old activity, outside the last 30 days.
    const old = await seedMember("3", 500, { lastActivityAt: new Date(Date.now() - 90 * DAY) });
    expect(old.balance).toBe(500);
    const reward = await prisma.reward.create({
      data: {
        shop: TEST_SHOP,
        name: "$5 off",
        type: "FIXED_AMOUNT",
        amount: "5.00",
        pointsCost: 500,
      },
    });
    await prisma.reward.create({
      data: {
        shop: TEST_SHOP,
        name: "10% off",
        type: "PERCENTAGE",
        percentage: 10,
        pointsCost: 100,
      },
    });
    await prisma.redemption.create({
      data: {
        shop: TEST_SHOP,
        memberId: one.id,
        customerId: "1",
        rewardId: reward.id,
        pointsSpent: 40,
        code: "LOYAL-USED",
        status: "USED",
        rewardSnapshot: {},
        startsAt: new Date(),
        endsAt: new Date(),
        usedOrderId: "o1",
        usedOrderTotalMinor: 5500,
        usedAt: new Date(),
      },
    });
    await seedMember("9", 10_000, { shop: OTHER_SHOP });

    const data = await load<Loaded>(loader, "/app?range=30d");

    expect(data.metrics).toEqual({
      members: 3,
      newMembers: 3,
      activeMembers: 2,
      pointsIssued: 150,
      pointsRedeemed: 40,
      pointsExpired: 10,
      pointsTakenBack: 0,
      outstandingPoints: 600,
      liability: "$6.00",
      liabilityBasis: "$5 off: $5.00 for 500 points",
      redemptionRate: 267,
      memberOrders: 2,
      memberRevenue: "$155.00",
      guestOrders: 1,
      guestRevenue: "$30.00",
      rewardOrders: 1,
      rewardRevenue: "$55.00",
    });
    expect(data.charts.labels).toHaveLength(30);
    expect(data.charts.issued.reduce((a, b) => a + b, 0)).toBe(150);
    expect(data.charts.issued.at(-1)).toBe(150);
    expect(data.charts.memberRevenueMinor.at(-1)).toBe(15500);
    expect(data.charts.guestRevenueMinor.at(-1)).toBe(3000);

    const wider = await load<Loaded>(loader, "/app?range=12m");
    expect(wider.metrics.pointsIssued).toBe(650);
    expect(wider.metrics.activeMembers).toBe(3);
    expect(wider.charts.labels[0]).toMatch(/^Week of /);
  });

  it("counts the shop's days in its own time zone, asked of Shopify once", async () => {
    sandbox.api.state.shop.ianaTimezone = "America/Los_Angeles";
    const member = await seedMember("7", 0);
    // 11pm in Los Angeles, yesterday there; already today in UTC.
    const losAngelesToday = new Intl.DateTimeFormat("en-CA", {
      timeZone: "America/Los_Angeles",
    }).format(new Date());
    const lateYesterday = new Date(
      new Date(`${losAngelesToday}T00:00:00Z`).getTime() - 60 * 60 * 1000,
    );
    const offset =
      new Date(
        lateYesterday.toLocaleString("en-US", { timeZone: "America/Los_Angeles" }) + " UTC",
      ).getTime() - lateYesterday.getTime();
    const at = new Date(lateYesterday.getTime() - offset);
    await entry(member.id, "MANUAL", 40, at, "late-evening");

    const data = await load<Loaded>(loader, "/app?range=7d");

    expect(data.range).toMatchObject({ endDay: losAngelesToday, timeZone: "America/Los_Angeles" });
    // Yesterday's bar, not today's.
    expect(data.charts.issued.slice(-2)).toEqual([40, 0]);
    expect((await prisma.program.findUniqueOrThrow({ where: { shop: TEST_SHOP } })).timeZone).toBe(
      "America/Los_Angeles",
    );
    const lookups = () =>
      sandbox.api.state.calls.filter((c) => c.operationName === "LoyaltyShopTimeZone").length;
    expect(lookups()).toBe(1);
    await load<Loaded>(loader, "/app?range=7d");
    expect(lookups()).toBe(1);
  });

  it("stays in UTC, and says so, while Shopify cannot tell the time zone", async () => {
    for (let i = 0; i < 2; i++) sandbox.api.state.faults.push({ kind: "http", status: 503 });
    const data = await load<Loaded>(loader, "/app?range=7d");
    expect(data.range.timeZone).toBe("UTC");
    expect(
      (await prisma.program.findUniqueOrThrow({ where: { shop: TEST_SHOP } })).timeZone,
    ).toBeNull();
  });

  it("takes a custom range and explains an unusable one", async () => {
    const custom = await load<Loaded>(loader, "/app?range=custom&start=2026-01-01&end=2026-01-10");
    expect(custom.range).toEqual({
      preset: "custom",
      startDay: "2026-01-01",
      endDay: "2026-01-10",
      error: null,
      timeZone: "UTC",
    });
    expect(custom.charts.labels).toHaveLength(10);

    const reversed = await load<Loaded>(
      loader,
      "/app?range=custom&start=2026-02-01&end=2026-01-01",
    );
    expect(reversed.range).toMatchObject({
      preset: "30d",
      error: "The end date is before the start date",
    });
  });

  it("shows the liability without a money value when no amount-off reward exists", async () => {
    await seedMember("1", 70);
    const data = await load<Loaded>(loader, "/app");
    expect(data.metrics).toMatchObject({
      outstandingPoints: 70,
      liability: null,
      redemptionRate: 0,
    });
  });
});

describe("onboarding checklist", () => {
  const states = (data: Loaded) => data.checklist?.map((i) => [i.id, i.done]);

  it("starts with three steps and ticks them off as the merchant goes", async () => {
    const fresh = await load<Loaded>(loader, "/app");
    expect(states(fresh)).toEqual([
      ["embed", false],
      ["reward", false],
      ["earn", false],
    ]);
    expect(fresh.checklist?.[0]?.url).toBe(
      `https://${TEST_SHOP}/admin/themes/current/editor?context=apps&template=index&activateAppId=${process.env.SHOPIFY_API_KEY}/launcher`,
    );

    expect(await post(action, "/app", { intent: "confirmEmbed" })).toEqual({ ok: true });
    await prisma.reward.create({
      data: { shop: TEST_SHOP, name: "Free shipping", type: "FREE_SHIPPING", pointsCost: 100 },
    });
    await prisma.program.update({
      where: { shop: TEST_SHOP },
      data: { earnRateReviewedAt: new Date() },
    });
    expect(states(await load<Loaded>(loader, "/app"))).toEqual([
      ["embed", true],
      ["reward", true],
      ["earn", true],
    ]);
  });

  it("can be hidden and shown again; unknown intents change nothing", async () => {
    await load(loader, "/app");
    const before = await shopRows();
    expect(await post(action, "/app", { intent: "dropTables" })).toEqual({
      ok: false,
      errors: { form: "Unknown request" },
    });
    expect(await shopRows()).toEqual(before);

    await post(action, "/app", { intent: "dismissSetup" });
    expect((await load<Loaded>(loader, "/app")).checklist).toBeNull();
    await post(action, "/app", { intent: "showSetup" });
    expect((await load<Loaded>(loader, "/app")).checklist).toHaveLength(3);
    // Another shop's checklist is its own.
    expect((await load<Loaded>(loader, "/app", { shop: OTHER_SHOP })).checklist?.[0]?.done).toBe(
      false,
    );
  });
});
