import { afterAll, beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { loader as listLoader } from "../../app/routes/app.campaigns._index";
import { action, loader } from "../../app/routes/app.campaigns.$id";
import { closeJobQueue } from "../../app/worker/queue.server";
import { expectStatus, load, OTHER_SHOP, post, resetShop, signIn } from "../support/admin";
import { TEST_SHOP } from "../support/shopify";

type Loaded = Awaited<ReturnType<typeof loader>>;
type Listed = Awaited<ReturnType<typeof listLoader>>;
type Result = { ok: boolean; errors?: Record<string, string>; message?: string };

const weekend = {
  intent: "save",
  name: "Double points weekend",
  kind: "MULTIPLIER",
  multiplier: "2",
  bonusPoints: "",
  minimumSpend: "",
  startsAt: "2026-12-05T00:00",
  endsAt: "2026-12-07T00:00",
  tierIds: "",
  enabled: "true",
};

function saved(shop = TEST_SHOP, overrides: Record<string, unknown> = {}) {
  return prisma.campaign.create({
    data: {
      shop,
      name: "Triple Tuesday",
      kind: "MULTIPLIER",
      multiplierPercent: 300,
      tierIds: [],
      startsAt: new Date("2026-12-01T05:00:00Z"),
      endsAt: new Date("2026-12-02T05:00:00Z"),
      ...overrides,
    },
  });
}

// A save with collections sends the worker a job (on PostgreSQL, pg-boss holds a connection).
afterAll(() => closeJobQueue());

beforeEach(async () => {
  await resetShop();
  await resetShop(OTHER_SHOP);
  await signIn();
  // Known zones: the pages then never ask Shopify for them.
  await prisma.program.create({ data: { shop: TEST_SHOP, timeZone: "America/New_York" } });
  await prisma.program.create({ data: { shop: OTHER_SHOP, timeZone: "UTC" } });
});

describe("campaign form", () => {
  it("creates a campaign from times in the shop's zone and redirects to it", async () => {
    const gold = await prisma.tier.create({
      data: { shop: TEST_SHOP, name: "Gold", threshold: 1 },
    });
    const created = await post<Response>(
      action,
      "/app/campaigns/new",
      { ...weekend, tierIds: gold.id },
      { params: { id: "new" } },
    );
    expectStatus(created, 302);
    const row = await prisma.campaign.findFirstOrThrow({ where: { shop: TEST_SHOP } });
    expect(created.headers.get("Location")).toBe(`/app/campaigns/${row.id}?done=campaign-created`);
    expect(row).toMatchObject({
      name: "Double points weekend",
      kind: "MULTIPLIER",
      multiplierPercent: 200,
      bonusPoints: null,
      tierIds: [gold.id],
      // Midnight in New York.
      startsAt: new Date("2026-12-05T05:00:00Z"),
      endsAt: new Date("2026-12-07T05:00:00Z"),
      enabled: true,
    });

    const page = await load<Loaded>(loader, `/app/campaigns/${row.id}`, { params: { id: row.id } });
    expect(page.campaign).toMatchObject({
      startsAt: "2026-12-05T00:00",
      endsAt: "2026-12-07T00:00",
      tierIds: [gold.id],
    });
    expect(page).toMatchObject({ timeZone: "America/New_York", currency: "USD" });
  });

  it("shows field errors and saves nothing, for a bad value or another shop's tier", async () => {
    const theirs = await prisma.tier.create({
      data: { shop: OTHER_SHOP, name: "Gold", threshold: 1 },
    });
    const bad = await post<Result>(
      action,
      "/app/campaigns/new",
      { ...weekend, multiplier: "0.5", endsAt: "2026-12-04T00:00" },
      { params: { id: "new" } },
    );
    expect(bad).toEqual({
      ok: false,
      errors: {
        multiplier: "Enter a multiplier above 1 and up to 10, such as 2 for double points",
        endsAt: "End the campaign after it starts",
      },
    });
    const foreign = await post<Result>(
      action,
      "/app/campaigns/new",
      { ...weekend, tierIds: theirs.id },
      { params: { id: "new" } },
    );
    expect(foreign).toEqual({
      ok: false,
      errors: { tierIds: "Choose among your tiers, or every member" },
    });
    // Times typed on a page that showed another zone than the shop's now.
    expect(
      await post<Result>(
        action,
        "/app/campaigns/new",
        { ...weekend, timeZone: "Europe/Berlin" },
        { params: { id: "new" } },
      ),
    ).toEqual({
      ok: false,
      errors: {
        form: "The shop's time zone is America/New_York, not Europe/Berlin as the page showed. Check the start and end, then save again.",
      },
    });
    expect(await prisma.campaign.count()).toBe(0);
  });

  it("saves, switches off and deletes a campaign, and never another shop's", async () => {
    const mine = await saved();
    const theirs = await saved(OTHER_SHOP);
    const path = `/app/campaigns/${mine.id}`;

    expect(
      await post<Result>(
        action,
        path,
        { ...weekend, kind: "BONUS", bonusPoints: "150", minimumSpend: "75" },
        { params: { id: mine.id } },
      ),
    ).toEqual({ ok: true, message: "Campaign saved" });
    expect(await prisma.campaign.findUniqueOrThrow({ where: { id: mine.id } })).toMatchObject({
      kind: "BONUS",
      multiplierPercent: null,
      bonusPoints: 150,
      minimumSpend: "75",
    });

    expect(
      await post<Result>(
        action,
        path,
        { intent: "toggle", enabled: "false" },
        { params: { id: mine.id } },
      ),
    ).toEqual({ ok: true, message: "Campaign switched off" });

    const bodies: Record<string, string>[] = [
      weekend,
      { intent: "toggle", enabled: "false" },
      { intent: "delete" },
    ];
    for (const body of bodies) {
      expectStatus(
        await post(action, `/app/campaigns/${theirs.id}`, body, { params: { id: theirs.id } }),
        404,
      );
    }
    expect(await prisma.campaign.findUniqueOrThrow({ where: { id: theirs.id } })).toMatchObject({
      name: "Triple Tuesday",
      enabled: true,
    });
    expectStatus(
      await load(loader, `/app/campaigns/${theirs.id}`, { params: { id: theirs.id } }),
      404,
    );

    const deleted = await post<Response>(
      action,
      path,
      { intent: "delete" },
      { params: { id: mine.id } },
    );
    expectStatus(deleted, 302);
    expect(await prisma.campaign.count({ where: { shop: TEST_SHOP } })).toBe(0);
  });

  it("limits a campaign to picked products and collections, and has the collections read", async () => {
    const tote = { id: "gid://shopify/Product/8800000000001", title: "Canvas Tote" };
    const outdoor = { id: "gid://shopify/Collection/9900000000001", title: "Outdoor" };
    const mine = await saved(TEST_SHOP, {
      collections: [outdoor],
      collectionProductIds: ["gid://shopify/Product/8800000000003"],
      collectionsReadAt: new Date(),
    });
    const path = `/app/campaigns/${mine.id}`;
    const save = (products: unknown[], collections: unknown[]) =>
      post<Result>(
        action,
        path,
        {
          ...weekend,
          products: JSON.stringify(products),
          collections: JSON.stringify(collections),
        },
        { params: { id: mine.id } },
      );
    const row = () => prisma.campaign.findUniqueOrThrow({ where: { id: mine.id } });

    const sqlite = process.env.DATABASE_URL?.startsWith("file:");
    const queued = () =>
      prisma.queuedJob.findMany({ where: { name: "read-campaign-collections" } });
    // The same collection: what was read of it stays, and nothing is read again.
    expect(await save([tote], [outdoor])).toEqual({ ok: true, message: "Campaign saved" });
    if (sqlite) expect(await queued()).toEqual([]);
    expect(await row()).toMatchObject({
      products: [tote],
      collections: [outdoor],
      collectionProductIds: ["gid://shopify/Product/8800000000003"],
    });
    // Another collection: read again from scratch, by the worker, now.
    const sale = { id: "gid://shopify/Collection/9900000000002", title: "Sale" };
    await save([tote], [sale]);
    expect(await row()).toMatchObject({
      collections: [sale],
      collectionProductIds: [],
      collectionsReadAt: null,
    });
    if (sqlite) {
      expect(await queued()).toMatchObject([{ data: { unreadOnly: true }, startedAt: null }]);
    }

    await prisma.campaign.update({
      where: { id: mine.id },
      data: { collectionsError: "Shopify did not answer; the app tries again every 15 minutes" },
    });
    const page = await load<Loaded>(loader, path, { params: { id: mine.id } });
    expect(page.campaign).toMatchObject({
      products: [tote],
      collections: [sale],
      collectionsError: "Shopify did not answer; the app tries again every 15 minutes",
    });

    // Something other than the picker's answer saves nothing.
    expect(await save([{ id: "gid://shopify/Collection/1", title: "Not a product" }], [])).toEqual({
      ok: false,
      errors: { products: "Choose the products again" },
    });
    expect((await row()).products).toEqual([tote]);

    const list = await load<Listed>(listLoader, "/app/campaigns");
    expect(list.campaigns[0]?.summary).toBe("2× points on 1 product and 1 collection");
  });

  it("offers a new campaign from the shop's next midnight, for three days", async () => {
    const page = await load<Loaded>(loader, "/app/campaigns/new", { params: { id: "new" } });
    expect(page.campaign).toBeNull();
    expect(page.defaults?.startsAt).toMatch(/^\d{4}-\d{2}-\d{2}T00:00$/);
    const days =
      (Date.parse(`${page.defaults!.endsAt}Z`) - Date.parse(`${page.defaults!.startsAt}Z`)) /
      86_400_000;
    expect(days).toBe(3);
  });
});

describe("campaigns list", () => {
  it("lists this shop's campaigns, running first, with what they give and to whom", async () => {
    const gold = await prisma.tier.create({
      data: { shop: TEST_SHOP, name: "Gold", threshold: 1 },
    });
    const hour = 60 * 60 * 1000;
    const now = Date.now();
    await saved(TEST_SHOP, { name: "Ended" });
    await saved(TEST_SHOP, {
      name: "Big baskets",
      kind: "BONUS",
      multiplierPercent: null,
      bonusPoints: 100,
      minimumSpend: "50",
      tierIds: [gold.id],
      startsAt: new Date(now - hour),
      endsAt: new Date(now + hour),
    });
    await saved(TEST_SHOP, {
      name: "Next week",
      startsAt: new Date(now + 7 * 24 * hour),
      endsAt: new Date(now + 8 * 24 * hour),
    });
    await saved(OTHER_SHOP, { name: "Not yours" });

    const { campaigns, timeZone } = await load<Listed>(listLoader, "/app/campaigns");
    expect(timeZone).toBe("America/New_York");
    expect(campaigns.map((c) => [c.name, c.summary, c.tiers, c.status])).toEqual([
      ["Big baskets", "100 bonus points per order of $50.00 or more", ["Gold"], "ACTIVE"],
      ["Next week", "3× points", [], "SCHEDULED"],
      ["Ended", "3× points", [], "ENDED"],
    ]);
    expect(campaigns.at(-1)).toMatchObject({
      startsAt: "2026-12-01 00:00",
      endsAt: "2026-12-02 00:00",
    });
  });
});
