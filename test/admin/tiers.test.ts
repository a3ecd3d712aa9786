import { afterAll, beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { reevaluationBatch, saveTiers } from "../../app/admin/tiers.server";
import { action, loader } from "../../app/routes/app.tiers";
import { JOBS } from "../../app/worker/jobs.server";
import { closeJobQueue } from "../../app/worker/queue.server";
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
    perkPercent?: string;
    perkFreeShipping?: boolean;
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

/** Runs the "tier-reevaluation" job as the worker would. */
function reevaluate(jobId: string, shop = TEST_SHOP) {
  return JOBS["tier-reevaluation"].run(
    { prisma, adminFor: async () => null, now: () => new Date() },
    { shop, jobId },
  );
}

/** What the worker does with the re-evaluation the last save queued, if it queued one. */
async function finishReevaluation() {
  const job = await prisma.tierReevaluation.findFirst({
    where: { shop: TEST_SHOP, status: "RUNNING" },
    orderBy: { createdAt: "desc" },
  });
  if (job) await reevaluate(job.id);
}

async function saveLadder(body: Record<string, string>) {
  const result = await post<Result>(action, "/app/tiers", body);
  await finishReevaluation();
  return result;
}

beforeEach(async () => {
  await resetShop();
  await resetShop(OTHER_SHOP);
  await signIn();
});
// Saves queue the job (pg-boss on PostgreSQL): close the queue's connections.
afterAll(() => closeJobQueue());

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
    // The request only queued the re-evaluation: nobody has moved yet.
    expect(result.ok && result.job).toMatchObject({
      status: "RUNNING",
      total: 3,
      processed: 0,
      changed: 0,
    });
    expect([await tierOf("2"), await tierOf("3")]).toEqual([null, null]);

    await finishReevaluation();

    expect((await load<Loaded>(loader, "/app/tiers")).job).toMatchObject({
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
      ["Gold", 900, "tiers changed by Ada Admin (staff:12345)"],
      ["Silver", 150, "tiers changed by Ada Admin (staff:12345)"],
    ]);

    const page = await load<Loaded>(loader, "/app/tiers");
    expect(page.tiers.map((t) => [t.name, t.members])).toEqual([
      ["Silver", 1],
      ["Gold", 1],
    ]);
    expect(page.job?.status).toBe("DONE");
    await expectLedgerConsistent();
  });

  it("shows a finished re-evaluation for a while, never an old or an empty one", async () => {
    const HOUR = 3600 * 1000;
    const finished = (total: number, finishedAt: Date) =>
      prisma.tierReevaluation.create({
        data: {
          shop: TEST_SHOP,
          total,
          createdBy: "staff:1",
          processed: total,
          status: "DONE",
          createdAt: finishedAt,
          finishedAt,
        },
      });
    await finished(40, new Date(Date.now() - 3 * 24 * HOUR));
    expect((await load<Loaded>(loader, "/app/tiers")).job).toBeNull();

    // A save in a shop without members finishes as it starts, with nothing to report.
    await finished(0, new Date());
    expect((await load<Loaded>(loader, "/app/tiers")).job).toBeNull();

    const recent = await finished(12, new Date(Date.now() - 5 * 60 * 1000));
    expect((await load<Loaded>(loader, "/app/tiers")).job).toMatchObject({
      id: recent.id,
      status: "DONE",
      processed: 12,
    });
  });

  it("saves checkout perks, hands them to the worker, and shows why they could not be written", async () => {
    const saved = await saveLadder(
      ladder([
        { name: "Silver", threshold: "0" },
        { name: "Gold", threshold: "1000", perkPercent: "10", perkFreeShipping: true },
      ]),
    );
    expect(saved).toMatchObject({ ok: true });
    const tiers = await prisma.tier.findMany({
      where: { shop: TEST_SHOP },
      orderBy: { threshold: "asc" },
    });
    expect(tiers.map((t) => [t.name, t.perkPercent, t.perkFreeShipping])).toEqual([
      ["Silver", null, false],
      ["Gold", 10, true],
    ]);
    if (process.env.DATABASE_URL?.startsWith("file:"))
      expect(await prisma.queuedJob.findMany({ where: { name: "sync-tier-perks" } })).toMatchObject(
        [{ data: { shop: TEST_SHOP } }],
      );
    const refused = await saveLadder(
      ladder([{ name: "Gold", threshold: "0", perkPercent: "150" }]),
    );
    expect(refused).toMatchObject({
      ok: false,
      errors: {
        "tiers.0.perkPercent": "Enter a whole percentage from 1 to 100, or leave it empty",
      },
    });
    await prisma.program.update({
      where: { shop: TEST_SHOP },
      data: { tierPerksError: "The app has no access to the shop; reinstall it" },
    });
    const page = await load<Loaded>(loader, "/app/tiers");
    expect(page.tierPerksError).toBe("The app has no access to the shop; reinstall it");
    // Without customer sync no buyer carries a tier: the page warns about that too.
    expect(page.customerSync).toBe(false);
    expect(page.tiers.find((t) => t.name === "Gold")).toMatchObject({
      perkPercent: 10,
      perkFreeShipping: true,
    });
  });

  it("switches to spend-based tiers with money thresholds over a rolling year", async () => {
    await seedEarner("1", 10, 25_000); // spent 250.00
    await seedEarner("2", 10, 5_000); // spent 50.00

    const result = await saveLadder(
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
    await saveLadder(
      ladder([
        { name: "Silver", threshold: "100" },
        { name: "Gold", threshold: "500" },
      ]),
    );
    expect(await tierOf("1")).toBe("Gold");
    const silver = await prisma.tier.findFirstOrThrow({
      where: { shop: TEST_SHOP, name: "Silver" },
    });

    await saveLadder(ladder([{ id: silver.id, name: "Silver", threshold: "100" }]));

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
    expectStatus(await post(action, "/app/tiers", { intent: "resume", jobId: "nope" }), 404);
    expect(await shopRows()).toEqual(before);
    expect(await shopRows(OTHER_SHOP)).toEqual(theirsBefore);
  });

  it("re-evaluates a large shop in batches, with progress, and resumes a stalled job", async () => {
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
    );
    expect(saved.ok && saved.job).toMatchObject({ status: "RUNNING", total: 130, processed: 0 });
    const jobId = saved.ok ? saved.job!.id : "";

    await reevaluationBatch(
      await prisma.tierReevaluation.findUniqueOrThrow({ where: { id: jobId } }),
      new Date(),
    );
    expect((await load<Loaded>(loader, "/app/tiers")).job).toMatchObject({
      status: "RUNNING",
      processed: 100,
      stalled: false,
    });

    // Nobody moved it for a while (worker down): the page offers to resume it.
    await prisma.tierReevaluation.update({
      where: { id: jobId },
      data: { updatedAt: new Date(Date.now() - 10 * 60_000) },
    });
    expect((await load<Loaded>(loader, "/app/tiers")).job?.stalled).toBe(true);
    // Another shop cannot resume (or see) it, nor can a job naming another shop run it.
    expectStatus(
      await post(action, "/app/tiers", { intent: "resume", jobId }, { shop: OTHER_SHOP }),
      404,
    );
    expect(await reevaluate(jobId, OTHER_SHOP)).toBeNull();
    const resumed = await post<Result>(action, "/app/tiers", { intent: "resume", jobId });
    expect(resumed.ok && resumed.job).toMatchObject({
      status: "RUNNING",
      processed: 100,
      stalled: false,
    });

    await reevaluate(jobId);

    expect((await load<Loaded>(loader, "/app/tiers")).job).toMatchObject({
      status: "DONE",
      processed: 130,
      changed: 65,
    });
    expect(
      await prisma.member.count({ where: { shop: TEST_SHOP, tier: { name: "Silver" } } }),
    ).toBe(65);
    expect(await prisma.tierChange.count({ where: { shop: TEST_SHOP } })).toBe(65);
  });

  it("records each change once when two runs of the job overlap", async () => {
    for (let i = 0; i < 130; i++) await seedEarner(String(1000 + i), i < 65 ? 10 : 200);
    const saved = await post<Result>(
      action,
      "/app/tiers",
      ladder([{ name: "Silver", threshold: "100" }]),
    );
    const jobId = saved.ok ? saved.job!.id : "";

    // A retry overlapping a resume, or a job past its expiry running beside its replacement.
    await Promise.all([reevaluate(jobId), reevaluate(jobId)]);

    expect((await load<Loaded>(loader, "/app/tiers")).job).toMatchObject({
      status: "DONE",
      processed: 130,
    });
    expect(
      await prisma.member.count({ where: { shop: TEST_SHOP, tier: { name: "Silver" } } }),
    ).toBe(65);
    expect(await prisma.tierChange.count({ where: { shop: TEST_SHOP } })).toBe(65);
  });

  it("supersedes a running re-evaluation when the ladder changes again", async () => {
    await seedEarner("1", 150);
    await post(action, "/app/tiers", ladder([{ name: "Silver", threshold: "100" }]));
    const first = await prisma.tierReevaluation.findFirstOrThrow({ where: { shop: TEST_SHOP } });
    await saveLadder(ladder([{ name: "Gold", threshold: "120" }]));

    expect(
      await prisma.tierReevaluation.findUniqueOrThrow({ where: { id: first.id } }),
    ).toMatchObject({ status: "SUPERSEDED", processed: 0 });
    expect(await reevaluate(first.id)).toEqual({ processed: 0, changed: 0 });
    expect(await tierOf("1")).toBe("Gold");
  });
});
