// The storefront's copy of a shop's program, tiers, rewards and campaigns (app/loyalty/shop-config.server.ts):
// read once, then only its version, and never shown stale whatever path changed them.
import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { memberView, programSummary } from "../../app/loyalty/storefront.server";
import { seedReward } from "../support/admin";
import { deliver, resetShop } from "../support/engine";
import { orderPayload } from "../support/payloads";
import { TEST_SHOP } from "../support/shopify";
import { statementsOf } from "../support/statements";

const CUSTOMER = "8201";

beforeEach(async () => {
  await prisma.redemption.deleteMany();
  await prisma.reward.deleteMany();
  await resetShop();
  await prisma.program.create({ data: { shop: TEST_SHOP } });
  await prisma.tier.create({ data: { shop: TEST_SHOP, name: "Gold", threshold: 1000 } });
  await seedReward();
  await deliver({
    topic: "orders/paid",
    payload: orderPayload({ customerId: Number(CUSTOMER), subtotal: "620.00" }),
  });
});

const view = () => memberView(TEST_SHOP, CUSTOMER);
const settingsTable = /\bFROM\s+(\S+\.)?"?(Program|Tier|Reward|Campaign)"?(\s|$)/i;

describe("the storefront's copy of a shop's settings", () => {
  it("is read once; later widget loads read only its version", async () => {
    await view();
    const statements = await statementsOf(view);

    const settingsReads = statements.filter((sql) => settingsTable.test(sql));
    expect(settingsReads, statements.join("\n")).toHaveLength(1);
    expect(settingsReads[0]).toMatch(/"configVersion"/);
    // The member's own reads stay: the member with their tier metric, history, held codes.
    expect(statements.length, statements.join("\n")).toBeLessThanOrEqual(4);
  });

  it("shows a change made by any path on the next load", async () => {
    expect((await view()).nextTier).toMatchObject({ name: "Gold", remaining: 380 });

    // No code of the app runs for these, so nothing but the database can say they happened.
    await prisma.$executeRaw`UPDATE "Tier" SET "threshold" = 2000 WHERE "shop" = ${TEST_SHOP}`;
    expect((await view()).nextTier).toMatchObject({ name: "Gold", remaining: 1380 });

    await prisma.tier.create({ data: { shop: TEST_SHOP, name: "Silver", threshold: 700 } });
    expect((await view()).nextTier).toMatchObject({ name: "Silver", remaining: 80 });

    await prisma.tier.deleteMany({ where: { shop: TEST_SHOP, name: "Silver" } });
    expect((await view()).nextTier).toMatchObject({ name: "Gold" });

    await prisma.$executeRaw`UPDATE "Reward" SET "name" = 'Five off' WHERE "shop" = ${TEST_SHOP}`;
    expect((await view()).rewards.map((r) => r.name)).toEqual(["Five off"]);

    await prisma.reward.updateMany({ where: { shop: TEST_SHOP }, data: { enabled: false } });
    expect((await view()).rewards).toEqual([]);

    await prisma.reward.create({
      data: { shop: TEST_SHOP, name: "Free tote", type: "FREE_SHIPPING", pointsCost: 100 },
    });
    expect((await view()).rewards.map((r) => r.name)).toEqual(["Free tote"]);

    await prisma.reward.deleteMany({ where: { shop: TEST_SHOP } });
    expect((await view()).rewards).toEqual([]);

    const campaignTitles = async () =>
      (await view()).program.waysToEarn.filter((w) => w.id === "campaign").map((w) => w.title);
    const hour = 60 * 60 * 1000;
    await prisma.campaign.create({
      data: {
        shop: TEST_SHOP,
        name: "Double points",
        kind: "MULTIPLIER",
        multiplierPercent: 200,
        tierIds: [],
        startsAt: new Date(Date.now() - hour),
        endsAt: new Date(Date.now() + hour),
      },
    });
    expect(await campaignTitles()).toEqual(["Double points"]);
    await prisma.$executeRaw`UPDATE "Campaign" SET "name" = 'Triple' WHERE "shop" = ${TEST_SHOP}`;
    expect(await campaignTitles()).toEqual(["Triple"]);
    await prisma.campaign.deleteMany({ where: { shop: TEST_SHOP } });
    expect(await campaignTitles()).toEqual([]);

    await prisma.$executeRaw`UPDATE "Program" SET "pointsNameOther" = 'stars' WHERE "shop" = ${TEST_SHOP}`;
    expect((await view()).pointsName).toMatchObject({ other: "stars" });
    expect((await programSummary(TEST_SHOP)).pointsName).toMatchObject({ other: "stars" });
  });

  it("starts over when the shop's program is deleted and created again", async () => {
    await prisma.program.update({ where: { shop: TEST_SHOP }, data: { pointsNameOther: "stars" } });
    expect((await view()).pointsName).toMatchObject({ other: "stars" });

    // shop/redact deletes the program; a later visit creates the default one, at version 0 again.
    await prisma.program.delete({ where: { shop: TEST_SHOP } });
    expect((await programSummary(TEST_SHOP)).pointsName).toMatchObject({ other: "points" });
    expect((await view()).pointsName).toMatchObject({ other: "points" });
  });
});
