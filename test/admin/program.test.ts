import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { expireBalances } from "../../app/loyalty/jobs.server";
import { loader as dashboardLoader } from "../../app/routes/app._index";
import { action, loader } from "../../app/routes/app.program";
import { adminSandbox } from "../support/admin-sandbox";
import { load, OTHER_SHOP, post, resetShop, seedMember, shopRows, signIn } from "../support/admin";
import { TEST_SHOP } from "../support/shopify";

const sandbox = adminSandbox();

const valid = {
  enabled: "true",
  earnPoints: "5",
  earnPerAmount: "2.50",
  rounding: "NEAREST",
  awardTestOrders: "false",
  signupBonus: "100",
  pendingDays: "14",
  expiryPolicy: "NEVER",
  expiryMonths: "",
  pointsNameOne: "star",
  pointsNameOther: "stars",
  pointsName_de_one: "Stern",
  pointsName_de_other: "Sterne",
  pointsName_ja_one: "",
  pointsName_ja_other: "",
  allowNegativeBalance: "false",
  returnPointsOnExpiredCodes: "true",
  redemptionsPerHour: "3",
  maxPointsPerOrder: "25000",
  flowTriggers: "true",
  expiryNoticeDays: "10",
};

type Loaded = Awaited<ReturnType<typeof loader>>;
type Result = Awaited<ReturnType<typeof action>>;
type Dashboard = Awaited<ReturnType<typeof dashboardLoader>>;

function storefrontMetafield() {
  return [...sandbox.api.state.metafields.values()].find(
    (m) => m.namespace === "loyalty" && m.key === "program",
  );
}

beforeEach(async () => {
  await resetShop();
  await resetShop(OTHER_SHOP);
  await signIn();
});

describe("program settings page", () => {
  it("shows the default program to a shop that has never configured one", async () => {
    const data = await load<Loaded>(loader, "/app/program");

    expect(data.settings).toEqual({
      enabled: true,
      earnPoints: 1,
      earnPerAmount: "1",
      rounding: "DOWN",
      awardTestOrders: false,
      signupBonus: 0,
      pendingDays: 0,
      expiryMonths: null,
      pointsNameOne: "point",
      pointsNameOther: "points",
      pointsNames: {},
      allowNegativeBalance: false,
      returnPointsOnExpiredCodes: false,
      redemptionsPerHour: 5,
      maxPointsPerOrder: 100_000,
      flowTriggers: false,
      expiryNoticeDays: 14,
      customerSync: false,
      tierTags: false,
      referrals: false,
      referralPoints: 500,
      referralRewardId: null,
      referralPendingDays: 14,
      referralsPerMonth: 10,
      birthdayPoints: 0,
      npsSurvey: false,
      npsPoints: 0,
      npsIntervalDays: 90,
      socialFollows: [],
    });
    expect(data.currency).toBe("USD");
    expect(data.storefrontSyncError).toBeNull();
  });

  it("marks every member for customer sync when it is switched on, once", async () => {
    await seedMember("8801", 10);
    await seedMember("8802", 20);
    await prisma.member.updateMany({ data: { syncDirty: false } });
    expect(
      await post<Result>(action, "/app/program", { ...valid, customerSync: "true" }),
    ).toMatchObject({
      ok: true,
    });
    expect(await prisma.member.count({ where: { shop: TEST_SHOP, syncDirty: true } })).toBe(2);
    // Saved again while on: nothing to mark.
    await prisma.member.updateMany({ data: { syncDirty: false } });
    await post(action, "/app/program", { ...valid, customerSync: "true" });
    expect(await prisma.member.count({ where: { shop: TEST_SHOP, syncDirty: true } })).toBe(0);
  });

  it("saves valid settings and publishes the storefront metafield", async () => {
    const result = await post<Result>(action, "/app/program", valid);

    expect(result).toEqual({ ok: true, intent: "save", warning: null });
    const program = await prisma.program.findUniqueOrThrow({ where: { shop: TEST_SHOP } });
    expect(program).toMatchObject({
      earnPoints: 5,
      earnPerAmount: "2.50",
      rounding: "NEAREST",
      signupBonus: 100,
      pendingDays: 14,
      expiryMonths: null,
      pointsNameOne: "star",
      pointsNameOther: "stars",
      pointsNames: { de: { one: "Stern", other: "Sterne" } },
      returnPointsOnExpiredCodes: true,
      redemptionsPerHour: 3,
      maxPointsPerOrder: 25_000,
      flowTriggers: true,
      expiryNoticeDays: 10,
      storefrontSyncError: null,
    });
    expect(program.earnRateReviewedAt).toBeInstanceOf(Date);
    expect(program.storefrontSyncedAt).toBeInstanceOf(Date);

    const metafield = storefrontMetafield();
    expect(metafield).toMatchObject({
      ownerId: sandbox.api.state.appInstallationId,
      type: "json",
    });
    expect(JSON.parse(metafield!.value)).toEqual({
      enabled: true,
      earnPoints: 5,
      earnPerCents: 250,
      rounding: "NEAREST",
      pointsName: { one: "star", other: "stars" },
      pointsNames: {
        en: { one: "star", other: "stars" },
        fr: { one: "star", other: "stars" },
        de: { one: "Stern", other: "Sterne" },
        es: { one: "star", other: "stars" },
        ja: { one: "star", other: "stars" },
      },
    });
    expect(sandbox.api.state.calls.map((c) => c.operationName)).toContain("LoyaltySetMetafields");
  });

  it("turns the program off and says so to the storefront", async () => {
    const result = await post<Result>(action, "/app/program", { ...valid, enabled: "false" });

    expect(result.ok).toBe(true);
    expect((await prisma.program.findUniqueOrThrow({ where: { shop: TEST_SHOP } })).enabled).toBe(
      false,
    );
    expect(JSON.parse(storefrontMetafield()!.value).enabled).toBe(false);
  });

  it("returns field errors for invalid input and changes nothing", async () => {
    await load(loader, "/app/program"); // creates the default program row
    const before = await shopRows();

    const result = await post<Result>(action, "/app/program", {
      ...valid,
      earnPoints: "0",
      earnPerAmount: "1.234",
      rounding: "SIDEWAYS",
      pendingDays: "-1",
      expiryPolicy: "INACTIVITY",
      expiryMonths: "abc",
      pointsNameOne: " ",
      redemptionsPerHour: "1000",
    });

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(
      [
        "earnPerAmount",
        "earnPoints",
        "pendingDays",
        "pointsNameOne",
        "redemptionsPerHour",
        "rounding",
      ].sort(),
    );
    expect(result.errors.earnPerAmount).toMatch(/more decimals than USD allows/);
    expect(await shopRows()).toEqual(before);
    expect(sandbox.api.state.calls).toHaveLength(0);
  });

  it("reports a missing expiry period once the other fields are valid", async () => {
    const result = await post<Result>(action, "/app/program", {
      ...valid,
      expiryPolicy: "INACTIVITY",
      expiryMonths: "0",
    });
    expect(result).toEqual({
      ok: false,
      errors: { expiryMonths: "Enter a number of months from 1 to 120" },
    });
  });

  it("keeps the settings when Shopify refuses the metafield, warns, and can publish again", async () => {
    for (let i = 0; i < 3; i++) sandbox.api.state.faults.push({ kind: "http", status: 503 });

    const result = await post<Result>(action, "/app/program", valid);

    expect(result).toMatchObject({ ok: true, intent: "save" });
    expect(result.ok && result.warning).toMatch(/503/);
    const program = await prisma.program.findUniqueOrThrow({ where: { shop: TEST_SHOP } });
    expect(program.earnPoints).toBe(5);
    expect(program.storefrontSyncError).toMatch(/503/);
    expect(storefrontMetafield()).toBeUndefined();
    expect((await load<Loaded>(loader, "/app/program")).storefrontSyncError).toMatch(/503/);

    const retry = await post<Result>(action, "/app/program", { intent: "publish" });

    expect(retry).toEqual({ ok: true, intent: "publish", warning: null });
    expect(JSON.parse(storefrontMetafield()!.value).earnPoints).toBe(5);
    expect((await load<Loaded>(loader, "/app/program")).storefrontSyncError).toBeNull();
  });

  it("reports userErrors from metafieldsSet as a warning", async () => {
    sandbox.api.state.faults.push({
      kind: "userErrors",
      match: "LoyaltySetMetafields",
      userErrors: [{ field: ["metafields", "0", "value"], message: "Value is invalid JSON." }],
    });
    const result = await post<Result>(action, "/app/program", valid);
    expect(result).toEqual({ ok: true, intent: "save", warning: "Value is invalid JSON." });
  });

  it("asks for confirmation before a new expiry policy expires inactive balances", async () => {
    const longAgo = new Date(Date.now() - 400 * 24 * 3600 * 1000);
    const inactive = await seedMember("501", 300, { lastActivityAt: longAgo });
    const active = await seedMember("502", 50);
    const before = await shopRows();

    const first = await post<Result>(action, "/app/program", {
      ...valid,
      expiryPolicy: "INACTIVITY",
      expiryMonths: "12",
    });

    expect(first).toMatchObject({ ok: false, confirmExpiry: { members: 1, points: 300 } });
    expect(await shopRows()).toEqual(before);

    const confirmed = await post<Result>(action, "/app/program", {
      ...valid,
      expiryPolicy: "INACTIVITY",
      expiryMonths: "12",
      confirmExpiring: "1",
    });

    expect(confirmed.ok).toBe(true);
    const after = await prisma.member.findUniqueOrThrow({ where: { id: inactive.id } });
    expect(after.expiresAt!.getTime()).toBeLessThan(Date.now());
    const stillActive = await prisma.member.findUniqueOrThrow({ where: { id: active.id } });
    expect(stillActive.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 360 * 24 * 3600 * 1000);
    // Balances themselves are untouched until the scheduled expiry run.
    expect(after.balance).toBe(300);
  });

  it("dates a newly enabled expiry today, not back when the member was last active", async () => {
    const longAgo = new Date(Date.now() - 400 * 24 * 3600 * 1000);
    const inactive = await seedMember("504", 300, { lastActivityAt: longAgo });
    const savedFrom = new Date();
    await post<Result>(action, "/app/program", {
      ...valid,
      expiryPolicy: "INACTIVITY",
      expiryMonths: "12",
      confirmExpiring: "1",
    });

    // 12 months after the activity was 35 days ago; the merchant's policy starts now.
    const member = await prisma.member.findUniqueOrThrow({ where: { id: inactive.id } });
    expect(member.expiresAt!.getTime()).toBeGreaterThanOrEqual(savedFrom.getTime());

    const runAt = new Date(Date.now() + 60_000);
    expect(await expireBalances(prisma, runAt)).toBe(1);
    const expired = await prisma.ledgerEntry.findFirstOrThrow({
      where: { memberId: inactive.id, kind: "EXPIRE" },
    });
    expect(expired).toMatchObject({ points: -300, occurredAt: runAt });
    // So the dashboard counts it in the period it happened.
    const dashboard = await load<Dashboard>(dashboardLoader, "/app?range=7d");
    expect(dashboard.metrics.pointsExpired).toBe(300);
  });

  it("clears every cached expiry date when expiry is switched off", async () => {
    await prisma.program.create({ data: { shop: TEST_SHOP, expiryMonths: 6 } });
    const member = await seedMember("503", 80);
    expect(member.expiresAt).not.toBeNull();

    await post<Result>(action, "/app/program", valid);

    expect(
      (await prisma.member.findUniqueOrThrow({ where: { id: member.id } })).expiresAt,
    ).toBeNull();
  });

  it("never touches another shop's program", async () => {
    await prisma.program.create({ data: { shop: OTHER_SHOP, earnPoints: 9 } });

    await post<Result>(action, "/app/program", valid);

    const other = await prisma.program.findUniqueOrThrow({ where: { shop: OTHER_SHOP } });
    expect(other.earnPoints).toBe(9);
    expect(
      (await load<Loaded>(loader, "/app/program", { shop: OTHER_SHOP })).settings.earnPoints,
    ).toBe(9);
  });
});
