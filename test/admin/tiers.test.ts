import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { saveTiers } from "../../app/admin/tiers.server";
import { action, loader } from "../../app/routes/app.tiers";
import {
  expectStatus,
  load,
  OTHER_SHOP,
  post,
  resetShop,
  seedEarner,
  shopRows,
  signIn,
} from "../support/admin";
import { expectLedgerConsistent } from "../support/engine";
import { TEST_SHOP } from "../support/shopify";

type Loaded = Awaited<ReturnType<typeof loader>>;
type Result = Awaited<ReturnType<typeof action>>;

function ladder(
  tiers: {
    id?: string | null;
    name: string;
    threshold: string;
    multiplier?: string;
    perks?: string;
  }[],
  basis = "POINTS_EARNED",
  period = "LIFETIME",
) {
  return {
    intent: "save",
    tierBasis: basis,
    tierPeriod: period,
    tiers: JSON.stringify(tiers.map((t) => ({ multiplier: "1", perks: "", id: null, ...t }))),
  };
}

async function tierOf(customerId: string) {
  const member = await prisma.member.findUniqueOrThrow({
    where: { shop_customerId: { shop: TEST_SHOP, customerId } },
    include: { tier: true },
  });
  return member.tier?.name ?? null;
}

beforeEach(async () => {
  await resetShop();
  await resetShop(OTHER_SHOP);
  await signIn();
});

describe("tiers page", () => {
  it("creates a ladder and re-evaluates every member, recording each change", async () => {
    await seedEarner("1", 50);
    await seedEarner("2", 150);
    await seedEarner("3", 900);

    const result = await post<Result>(
      action,
      "/app/tiers",
      ladder([
        { name: "Silver", threshold: "100", multiplier: "1.25", perks: "Early access" },
        { name: "Gold", threshold: "500", multiplier: "2" },
      ]),
    );

    expect(result.ok).toBe(true);
    expect(result.ok && result.job).toMatchObject({
      status: "DONE",
      total: 3,
      processed: 3,
      changed: 2,
    });
    expect([await tierOf("1"), await tierOf("2"), await tierOf("3")]).toEqual([
      null,
      "Silver",
      "Gold",
    ]);
    const tiers = await prisma.tier.findMany({
      where: { shop: TEST_SHOP },
      orderBy: { position: "asc" },
    });
    expect(
      tiers.map((t) => [t.name, t.threshold, t.multiplierPercent, t.perks, t.position]),
    ).toEqual([
      ["Silver", 100, 125, "Early access", 0],
      ["Gold", 500, 200, "", 1],
    ]);
    const changes = await prisma.tierChange.findMany({
      where: { shop: TEST_SHOP },
      orderBy: { toName: "asc" },
    });
    expect(changes.map((c) => [c.toName, c.metric, c.reason])).toEqual([
      ["Gold", 900, "tiers changed by staff:12345"],
      ["Silver", 150, "tiers changed by staff:12345"],
    ]);

    const page = await load<Loaded>(loader, "/app/tiers");
    expect(page.tiers.map((t) => [t.name, t.members])).toEqual([
      ["Silver", 1],
      ["Gold", 1],
    ]);
    expect(page.job?.status).toBe("DONE");
    await expectLedgerConsistent();
  });

  it("switches to spend-based tiers with money thresholds over a rolling year", async () => {
    await seedEarner("1", 10, 25_000); // spent 250.00
    await seedEarner("2", 10, 5_000); // spent 50.00

    const result = await post<Result>(
      action,
      "/app/tiers",
      ladder([{ name: "VIP", threshold: "200.00" }], "AMOUNT_SPENT", "ROLLING_12_MONTHS"),
    );

    expect(result.ok).toBe(true);
    expect(await prisma.program.findUniqueOrThrow({ where: { shop: TEST_SHOP } })).toMatchObject({
      tierBasis: "AMOUNT_SPENT",
      tierPeriod: "ROLLING_12_MONTHS",
    });
    expect((await prisma.tier.findFirstOrThrow({ where: { shop: TEST_SHOP } })).threshold).toBe(
      20_000,
    );
    expect([await tierOf("1"), await tierOf("2")]).toEqual(["VIP", null]);
  });

  it("reorders, renames (even swapping names) and edits without re-evaluating when thresholds stay", async () => {
    await post(
      action,
      "/app/tiers",
      ladder([
        { name: "A", threshold: "100" },
        { name: "B", threshold: "200" },
      ]),
    );
    const [a, b] = await prisma.tier.findMany({
      where: { shop: TEST_SHOP },
      orderBy: { threshold: "asc" },
    });
    const jobsBefore = await prisma.tierReevaluation.count();

    const result = await post<Result>(
      action,
      "/app/tiers",
      ladder([
        { id: a!.id, name: "B", threshold: "100", perks: "Free gift" },
        { id: b!.id, name: "A", threshold: "200", multiplier: "1.5" },
      ]),
    );

    expect(result).toEqual({ ok: true, job: null });
    expect(await prisma.tierReevaluation.count()).toBe(jobsBefore);
    const after = await prisma.tier.findMany({
      where: { shop: TEST_SHOP },
      orderBy: { threshold: "asc" },
    });
    expect(after.map((t) => [t.id, t.name, t.perks, t.multiplierPercent])).toEqual([
      [a!.id, "B", "Free gift", 100],
      [b!.id, "A", "", 150],
    ]);
  });

  it("returns field errors for an invalid ladder and leaves everything as it was", async () => {
    await post(action, "/app/tiers", ladder([{ name: "Silver", threshold: "100" }]));
    const before = await shopRows();

    const result = await post<Result>(
      action,
      "/app/tiers",
      ladder(
        [
          { name: "Gold", threshold: "500" },
          { name: "gold", threshold: "400", multiplier: "0.5" },
          { name: "", threshold: "-3" },
        ],
        "SOMETHING",
      ),
    );

    expect(result).toEqual({ ok: false, errors: { tierBasis: "Choose what tiers are based on" } });

    const ladderErrors = await post<Result>(
      action,
      "/app/tiers",
      ladder([
        { name: "Gold", threshold: "500" },
        { name: "gold", threshold: "400", multiplier: "0.5" },
        { name: "", threshold: "-3" },
      ]),
    );
    expect(ladderErrors).toEqual({
      ok: false,
      errors: {
        "tiers.1.name": "Another tier is already called gold",
        "tiers.1.multiplier": "Enter a multiplier from 1 to 10, e.g. 1.5",
        "tiers.1.threshold": "Must be higher than Gold (500)",
        "tiers.2.name": "Give the tier a name",
        "tiers.2.threshold": "Enter a whole number of points, 0 or more",
      },
    });
    const garbled = await post<Result>(action, "/app/tiers", { ...ladder([]), tiers: "{oops" });
    expect(garbled).toEqual({
      ok: false,
      errors: { form: "The tiers could not be read; reload the page" },
    });
    expect(await shopRows()).toEqual(before);
  });

  it("refuses to remove a tier a reward is restricted to", async () => {
    await post(action, "/app/tiers", ladder([{ name: "Gold", threshold: "100" }]));
    const gold = await prisma.tier.findFirstOrThrow({ where: { shop: TEST_SHOP } });
    await prisma.reward.create({
      data: {
        shop: TEST_SHOP,
        name: "Gold gift",
        type: "FREE_SHIPPING",
        pointsCost: 10,
        tierId: gold.id,
      },
    });
    const before = await shopRows();

    const result = await post<Result>(action, "/app/tiers", ladder([]));

    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.form).toMatch(
      /Gold gift \(Gold\).*Change their tier restriction first/,
    );
    expect(await shopRows()).toEqual(before);
  });

  it("removes a tier and moves its members down", async () => {
    await seedEarner("1", 600);
    await post(
      action,
      "/app/tiers",
      ladder([
        { name: "Silver", threshold: "100" },
        { name: "Gold", threshold: "500" },
      ]),
    );
    expect(await tierOf("1")).toBe("Gold");
    const silver = await prisma.tier.findFirstOrThrow({
      where: { shop: TEST_SHOP, name: "Silver" },
    });

    await post(action, "/app/tiers", ladder([{ id: silver.id, name: "Silver", threshold: "100" }]));

    expect(await tierOf("1")).toBe("Silver");
  });

  it("answers 404 when the ladder names another shop's tier, changing nothing", async () => {
    const theirs = await prisma.tier.create({
      data: { shop: OTHER_SHOP, name: "Gold", threshold: 1 },
    });
    await load(loader, "/app/tiers");
    const before = await shopRows();
    const theirsBefore = await shopRows(OTHER_SHOP);

    expectStatus(
      await post(
        action,
        "/app/tiers",
        ladder([{ id: theirs.id, name: "Mine now", threshold: "5" }]),
      ),
      404,
    );
    expectStatus(await post(action, "/app/tiers", { intent: "advance", jobId: "nope" }), 404);
    expect(await shopRows()).toEqual(before);
    expect(await shopRows(OTHER_SHOP)).toEqual(theirsBefore);
  });

  it("re-evaluates a large shop in batches that the page advances, with progress", async () => {
    for (let i = 0; i < 130; i++) await seedEarner(String(1000 + i), i < 65 ? 10 : 200);
    const saved = await saveTiers(
      TEST_SHOP,
      {
        tierBasis: "POINTS_EARNED",
        tierPeriod: "LIFETIME",
        tiers: [
          {
            id: null,
            name: "Silver",
            threshold: 100,
            multiplierPercent: 100,
            perks: "",
            position: 0,
          },
        ],
      },
      "staff:1",
      { budgetMs: 0 },
    );
    expect(saved.ok && saved.job).toMatchObject({ status: "RUNNING", total: 130, processed: 100 });
    const jobId = saved.ok ? saved.job!.id : "";

    // Another shop cannot advance (or see) it.
    expectStatus(
      await post(action, "/app/tiers", { intent: "advance", jobId }, { shop: OTHER_SHOP }),
      404,
    );
    expect((await load<Loaded>(loader, "/app/tiers")).job).toMatchObject({
      status: "RUNNING",
      processed: 100,
    });

    const step = await post<Result>(action, "/app/tiers", { intent: "advance", jobId });

    expect(step.ok && step.job).toMatchObject({ status: "DONE", processed: 130, changed: 65 });
    expect(
      await prisma.member.count({ where: { shop: TEST_SHOP, tier: { name: "Silver" } } }),
    ).toBe(65);
  });
});
