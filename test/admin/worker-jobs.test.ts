import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { eventually, offlineAdmin } from "../support/worker";
import prisma from "../../app/db.server";
import { action as batchAction, loader as batchLoader } from "../../app/routes/app.import.$id";
import { action as uploadAction } from "../../app/routes/app.import._index";
import { action as tiersAction, loader as tiersLoader } from "../../app/routes/app.tiers";
import { closeJobQueue } from "../../app/worker/queue.server";
import { startWorker, type Worker } from "../../app/worker/worker.server";
import { adminSandbox } from "../support/admin-sandbox";
import {
  expectStatus,
  load,
  post,
  resetShop,
  seedEarner,
  seedMember,
  signIn,
} from "../support/admin";
import { expectLedgerConsistent } from "../support/engine";
import { TEST_SHOP } from "../support/shopify";

/**
 * Imports and tier re-evaluation end to end with a real worker (pg-boss on PostgreSQL, the
 * QueuedJob loop on SQLite): the admin requests only change state and queue a job, and the page's
 * loader shows what the worker did. test/admin/import.test.ts and tiers.test.ts cover the details
 * by running the jobs directly.
 */

const sandbox = adminSandbox();

type Report = Awaited<ReturnType<typeof batchLoader>>;
type TiersPage = Awaited<ReturnType<typeof tiersLoader>>;

let workers: Worker[] = [];
async function worker() {
  const started = await startWorker({
    prisma,
    adminFor: offlineAdmin,
    now: () => new Date(),
    url: process.env.DATABASE_URL!,
    pollMs: 100,
  });
  workers.push(started);
  return started;
}

beforeEach(async () => {
  await resetShop();
  await signIn();
  await seedMember("4000", 5, { email: "known@example.com" });
  sandbox.api.addCustomer({
    id: "gid://shopify/Customer/5002",
    email: "new@example.com",
    firstName: "Nell",
    lastName: "New",
  });
});
afterEach(async () => {
  await Promise.all(workers.map((w) => w.stop(5_000)));
  workers = [];
});
afterAll(() => closeJobQueue());

const FILE = [
  "email,points",
  "known@example.com,100", // existing member, found locally
  "new@example.com,300", // Shopify customer by email
  "ghost@example.com,10", // no such email
].join("\n");

async function upload(text: string) {
  const form = new FormData();
  form.set("file", new File([text], "balances.csv", { type: "text/csv" }));
  const response = await post<Response>(uploadAction, "/app/import", form);
  expectStatus(response, 302);
  return response.headers.get("Location")!.split("/").pop()!;
}

function step(id: string, intent: string) {
  return post(batchAction, `/app/import/${id}`, { intent }, { params: { id } });
}

function report(id: string) {
  return load<Report>(batchLoader, `/app/import/${id}`, { params: { id } });
}

async function balance(customerId: string) {
  return (
    await prisma.member.findUniqueOrThrow({
      where: { shop_customerId: { shop: TEST_SHOP, customerId } },
    })
  ).balance;
}

describe("imports with the worker running", () => {
  it("checks, applies and undoes what the page asked for, outside the requests", async () => {
    await worker();
    const id = await upload(FILE);
    await eventually(async () => (await report(id)).batch.status === "VALIDATED");
    expect((await report(id)).batch).toMatchObject({ validRows: 2, invalidRows: 1 });

    expect(await step(id, "apply")).toEqual({ ok: true });
    await eventually(async () => (await report(id)).batch.status === "APPLIED");
    expect(await balance("5002")).toBe(300);

    expect(await step(id, "undo")).toEqual({ ok: true });
    await eventually(async () => (await report(id)).batch.status === "UNDONE");
    expect(await balance("5002")).toBe(0);
    await expectLedgerConsistent();
  });

  it("records why an import paused, and resumes after a retry", { timeout: 60_000 }, async () => {
    // More failures than the job's own lookups retry: the worker's first run fails.
    for (let i = 0; i < 3; i++) sandbox.api.state.faults.push({ kind: "http", status: 503 });
    await worker();
    const id = await upload(FILE);

    const paused = await eventually(async () => {
      const { batch } = await report(id);
      return batch.error ? batch : null;
    });
    expect(paused).toMatchObject({ status: "VALIDATING", stalled: false });
    expect(paused.error).toBe(
      "Shopify could not be reached (Admin API unavailable (503): Shopify internal error)",
    );

    // "Retry now": queued again, and the page no longer shows the old reason.
    expect(await step(id, "retry")).toEqual({ ok: true });
    expect((await report(id)).batch.error).toBeNull();
    await eventually(async () => (await report(id)).batch.status === "VALIDATED", 45_000);
    expect((await report(id)).batch).toMatchObject({ validRows: 2, error: null });
  });

  it("offers to resume a batch nobody has moved for a while", async () => {
    const id = await upload(FILE);
    await prisma.importBatch.update({
      where: { id },
      data: { updatedAt: new Date(Date.now() - 10 * 60_000) },
    });
    expect((await report(id)).batch).toMatchObject({ status: "VALIDATING", stalled: true });

    expect(await step(id, "retry")).toEqual({ ok: true });
    expect((await report(id)).batch.stalled).toBe(false);
    await worker();
    await eventually(async () => (await report(id)).batch.status === "VALIDATED");
  });
});

describe("tier re-evaluation with the worker running", () => {
  it("re-evaluates every member after a save, outside the request", async () => {
    for (let i = 0; i < 120; i++) await seedEarner(String(1000 + i), i < 30 ? 10 : 200);

    const saved = await post<{ ok: boolean; job: { status: string } | null }>(
      tiersAction,
      "/app/tiers",
      {
        intent: "save",
        tierBasis: "POINTS_EARNED",
        tierPeriod: "LIFETIME",
        tiers: JSON.stringify([
          { id: null, name: "Silver", threshold: "100", multiplier: "1", perks: "" },
        ]),
      },
    );
    expect(saved).toMatchObject({ ok: true, job: { status: "RUNNING" } });

    await worker();
    const done = await eventually(async () => {
      const { job } = await load<TiersPage>(tiersLoader, "/app/tiers");
      return job?.status === "DONE" ? job : null;
    });
    // 120 earners and the member every test starts with.
    expect(done).toMatchObject({ total: 121, processed: 121, changed: 90 });
    expect(
      await prisma.member.count({ where: { shop: TEST_SHOP, tier: { name: "Silver" } } }),
    ).toBe(90);
  });
});
