// Referrals in the admin (issue #12): the Program page's referral settings, saved whole or not at
// all, and the Referrals page listing the shop's invitations by status.
import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { loader as programLoader, action as saveProgram } from "../../app/routes/app.program";
import { loader as listLoader } from "../../app/routes/app.referrals._index";
import { action as rewardAction } from "../../app/routes/app.rewards.$id";
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
import { TEST_SHOP } from "../support/shopify";

adminSandbox();

const form = {
  enabled: "true",
  earnPoints: "1",
  earnPerAmount: "1",
  rounding: "DOWN",
  signupBonus: "0",
  pendingDays: "0",
  expiryPolicy: "NEVER",
  pointsNameOne: "point",
  pointsNameOther: "points",
  redemptionsPerHour: "5",
  maxPointsPerOrder: "100000",
  referrals: "true",
  referralPoints: "750",
  referralPendingDays: "21",
  referralsPerMonth: "3",
};

type Saved = { ok: boolean; errors?: Record<string, string> };
type Listed = Awaited<ReturnType<typeof listLoader>>;

beforeEach(async () => {
  await resetShop();
  await resetShop(OTHER_SHOP);
  await prisma.reward.deleteMany();
  await signIn();
});

describe("referral settings", () => {
  it("saves the offer, the points, the pending period and the monthly limit", async () => {
    const offer = await seedReward({ name: "$10 off", amount: "10.00", enabled: false });
    const saved = await post<Saved>(saveProgram, "/app/program", {
      ...form,
      referralRewardId: offer.id,
    });
    expect(saved).toMatchObject({ ok: true });
    expect(await prisma.program.findUniqueOrThrow({ where: { shop: TEST_SHOP } })).toMatchObject({
      referrals: true,
      referralRewardId: offer.id,
      referralPoints: 750,
      referralPendingDays: 21,
      referralsPerMonth: 3,
    });
  });

  it("asks for the friends' reward, and refuses another shop's, saving nothing", async () => {
    const missing = await post<Saved>(saveProgram, "/app/program", { ...form, earnPoints: "9" });
    expect(missing).toMatchObject({
      ok: false,
      errors: { referralRewardId: "Choose the reward your friends get" },
    });
    const theirs = await prisma.reward.create({
      data: { shop: OTHER_SHOP, name: "Theirs", type: "FIXED_AMOUNT", amount: "5", pointsCost: 1 },
    });
    const foreign = await post<Saved>(saveProgram, "/app/program", {
      ...form,
      earnPoints: "9",
      referralRewardId: theirs.id,
    });
    expect(foreign).toMatchObject({
      ok: false,
      errors: { referralRewardId: "Choose one of your rewards" },
    });
    const program = await prisma.program.findUnique({ where: { shop: TEST_SHOP } });
    expect(program?.earnPoints ?? 1).toBe(1);
    expect(program?.referrals ?? false).toBe(false);
  });

  it("offers friends only rewards a code can carry, and refuses store credit", async () => {
    const credit = await seedReward({ name: "$10 credit", type: "STORE_CREDIT", amount: "10.00" });
    const code = await seedReward({ name: "$5 off" });
    const page = await load<Awaited<ReturnType<typeof programLoader>>>(
      programLoader,
      "/app/program",
    );
    expect(page.referralRewards.map((r) => r.name)).toEqual(["$5 off"]);

    const saved = await post<Saved>(saveProgram, "/app/program", {
      ...form,
      earnPoints: "9",
      referralRewardId: credit.id,
    });
    expect(saved).toMatchObject({
      ok: false,
      errors: {
        referralRewardId:
          "Friends get a single-use code: choose an amount off, a percentage off or free shipping",
      },
    });
    const program = await prisma.program.findUnique({ where: { shop: TEST_SHOP } });
    expect(program?.referrals ?? false).toBe(false);
    expect(code.type).toBe("FIXED_AMOUNT");
  });
});

describe("the friends' offer kept a code", () => {
  it("refuses to make the offer store credit or a free product, and shows an offer saved so", async () => {
    const offer = await seedReward({ name: "$10 off", amount: "10.00" });
    await post<Saved>(saveProgram, "/app/program", { ...form, referralRewardId: offer.id });
    const edit = (fields: Record<string, string>) =>
      post<Saved>(
        rewardAction,
        `/app/rewards/${offer.id}`,
        {
          intent: "save",
          name: "$10 off",
          pointsCost: "500",
          codeLifetimeDays: "30",
          enabled: "true",
          ...fields,
        },
        { params: { id: offer.id } },
      );
    const refused = {
      ok: false,
      errors: {
        type: "Referred friends get this reward as a code: choose another offer for them in Program settings first",
      },
    };
    expect(await edit({ type: "STORE_CREDIT", amount: "10.00" })).toEqual(refused);
    const mug = JSON.stringify([
      { id: "gid://shopify/ProductVariant/4400000000030", title: "Mug" },
    ]);
    expect(await edit({ type: "FREE_PRODUCT", variant: mug })).toEqual(refused);
    expect(await prisma.reward.findUniqueOrThrow({ where: { id: offer.id } })).toMatchObject({
      type: "FIXED_AMOUNT",
    });
    // Another code type is fine.
    expect(await edit({ type: "PERCENTAGE", percentage: "10" })).toMatchObject({ ok: true });

    // Saved before that was refused: the page still names it, and says it cannot be the offer.
    await prisma.reward.update({ where: { id: offer.id }, data: { type: "STORE_CREDIT" } });
    const page = await load<Awaited<ReturnType<typeof programLoader>>>(
      programLoader,
      "/app/program",
    );
    expect(page.referralRewards).toEqual([
      { id: offer.id, name: "$10 off", enabled: true, offerable: false },
    ]);
  });
});

describe("referrals page", () => {
  it("lists this shop's invitations, newest first, filtered by status", async () => {
    const rita = await seedMember("7001", 0);
    const invite = (email: string, status: "OFFERED" | "PENDING" | "VOID", minutesAgo: number) =>
      prisma.referral.create({
        data: {
          shop: TEST_SHOP,
          referrerId: rita.id,
          customerId: `c-${email}`,
          email,
          code: `FRIEND-${email}`,
          codeStatus: "ISSUED",
          rewardSnapshot: {},
          startsAt: new Date(),
          endsAt: new Date(),
          status,
          ...(status === "VOID" ? { voidReason: "SELF_REFERRAL" as const } : {}),
          createdAt: new Date(Date.now() - minutesAgo * 60_000),
        },
      });
    await invite("a@example.com", "OFFERED", 30);
    await invite("b@example.com", "PENDING", 20);
    await invite("c@example.com", "VOID", 10);
    const other = await seedMember("7002", 0, { shop: OTHER_SHOP });
    await prisma.referral.create({
      data: {
        shop: OTHER_SHOP,
        referrerId: other.id,
        customerId: "7003",
        email: "x@example.com",
        code: "FRIEND-X",
        rewardSnapshot: {},
        startsAt: new Date(),
        endsAt: new Date(),
      },
    });

    const all = await load<Listed>(listLoader, "/app/referrals");
    expect(all.referrals.map((r) => r.friend)).toEqual([
      "c@example.com",
      "b@example.com",
      "a@example.com",
    ]);
    expect(all.counts).toEqual({ OFFERED: 1, PENDING: 1, REWARDED: 0, VOID: 1 });
    expect(all.referrals[0]).toMatchObject({
      status: "VOID",
      reason: "Self-referral (same customer, email or shipping address)",
    });

    const pending = await load<Listed>(listLoader, "/app/referrals?status=PENDING");
    expect(pending.referrals.map((r) => r.friend)).toEqual(["b@example.com"]);
  });
});
