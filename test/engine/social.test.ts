// Social follows (issue #12): points for opening the shop's page on a network from the widget,
// once per network and member, honestly unverified.
import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { memberView, programSummary } from "../../app/loyalty/storefront.server";
import { action } from "../../app/routes/proxy.follow";
import { proxyRequest } from "../support/app-proxy";
import { expectLedgerConsistent, memberOf, resetShop } from "../support/engine";
import { TEST_SHOP } from "../support/shopify";

async function follow(customerId: string | null, body: unknown) {
  const request = proxyRequest({ path: "/proxy/follow", method: "POST", customerId, body });
  const response = await action({ request, params: {}, context: {} });
  return { status: response.status, body: (await response.json()) as unknown };
}

beforeEach(async () => {
  await resetShop();
  await prisma.program.create({
    data: {
      shop: TEST_SHOP,
      socialFollows: [
        { network: "instagram", url: "https://www.instagram.com/ourshop", points: 50 },
        { network: "tiktok", url: "https://www.tiktok.com/@ourshop", points: 30 },
        // A hand-edited row that is not a network's page is ignored everywhere.
        { network: "instagram", url: "javascript:alert(1)", points: 999 },
      ],
    },
  });
});

describe("social follows", () => {
  it("gives each network's points once per member", async () => {
    expect(await follow("9501", { network: "instagram" })).toEqual({
      status: 200,
      body: { points: 50, balance: 50 },
    });
    expect(await follow("9501", { network: "instagram" })).toEqual({
      status: 200,
      body: { points: 0, balance: 50 },
    });
    expect((await follow("9501", { network: "tiktok" })).body).toEqual({ points: 30, balance: 80 });
    const entry = await prisma.ledgerEntry.findFirstOrThrow({ where: { sourceId: "instagram" } });
    expect(entry).toMatchObject({ source: "SOCIAL", description: "Followed us on Instagram" });
    expect(entry.rule).toMatchObject({ verified: false });
    expect(await memberOf(9501)).toMatchObject({ balance: 80 });
    await expectLedgerConsistent();
  });

  it("shows members which follows they have earned, and guests the links", async () => {
    await follow("9502", { network: "tiktok" });
    expect((await memberView(TEST_SHOP, "9502")).follows).toEqual([
      {
        network: "instagram",
        label: "Instagram",
        url: "https://www.instagram.com/ourshop",
        points: 50,
        done: false,
      },
      {
        network: "tiktok",
        label: "TikTok",
        url: "https://www.tiktok.com/@ourshop",
        points: 30,
        done: true,
      },
    ]);
    const { program } = await programSummary(TEST_SHOP, "fr");
    expect(program.waysToEarn).toContainEqual(
      expect.objectContaining({ title: "Suivez-nous sur Instagram", points: 50 }),
    );
  });

  it("shows nothing and credits nothing while the program is paused", async () => {
    await prisma.program.update({ where: { shop: TEST_SHOP }, data: { enabled: false } });
    expect((await memberView(TEST_SHOP, "9504")).follows).toEqual([]);
    expect(await follow("9504", { network: "instagram" })).toMatchObject({
      status: 404,
      body: { error: { code: "UNKNOWN_NETWORK" } },
    });
  });

  it("refuses a network the program does not list, a guest and a malformed body", async () => {
    expect((await follow("9503", { network: "facebook" })).status).toBe(404);
    expect((await follow(null, { network: "instagram" })).status).toBe(401);
    expect((await follow("9503", { net: "instagram" })).status).toBe(400);
    expect(await prisma.ledgerEntry.count()).toBe(0);
  });
});
