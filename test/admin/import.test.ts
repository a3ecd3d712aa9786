import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { offlineAdmin } from "../support/worker";
import prisma from "../../app/db.server";
import { importChunk } from "../../app/admin/imports.server";
import { redactShops } from "../../app/loyalty/compliance.server";
import { action as batchAction, loader as batchLoader } from "../../app/routes/app.import.$id";
import { action as uploadAction, loader as importLoader } from "../../app/routes/app.import._index";
import { JOBS } from "../../app/worker/jobs.server";
import { closeJobQueue } from "../../app/worker/queue.server";
import { adminSandbox } from "../support/admin-sandbox";
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
import { deliver, expectLedgerConsistent } from "../support/engine";
import { TEST_SHOP } from "../support/shopify";

const sandbox = adminSandbox();

type Report = Awaited<ReturnType<typeof batchLoader>>;
type Step = { ok: boolean; errors?: Record<string, string> };

/** The worker's view of the shop: its offline session, or null without one. */
const context = {
  prisma,
  adminFor: offlineAdmin,
  now: () => new Date(),
};

/** Runs the "import-batch" job as the worker would, to the end of the batch's current phase. */
function work(id: string, shop = TEST_SHOP) {
  return JOBS["import-batch"].run(context, { shop, batchId: id });
}

// Uploads and transitions queue the job (pg-boss on PostgreSQL): close the queue's connections.
afterAll(() => closeJobQueue());

function csvForm(text: string, name = "balances.csv") {
  const form = new FormData();
  form.set("file", new File([text], name, { type: "text/csv" }));
  return form;
}

async function upload(text: string, shop = TEST_SHOP) {
  const response = await post<Response>(uploadAction, "/app/import", csvForm(text), { shop });
  expectStatus(response, 302);
  return response.headers.get("Location")!.split("/").pop()!;
}

function step(id: string, intent: string, shop = TEST_SHOP) {
  return post<Step>(batchAction, `/app/import/${id}`, { intent }, { shop, params: { id } });
}

function report(id: string, query = "") {
  return load<Report>(batchLoader, `/app/import/${id}${query}`, { params: { id } });
}

async function balance(customerId: string) {
  return (
    await prisma.member.findUniqueOrThrow({
      where: { shop_customerId: { shop: TEST_SHOP, customerId } },
    })
  ).balance;
}

const FILE = [
  "Email,Customer ID,Points,Tier",
  "known@example.com,,100,", // existing member, found locally
  ",5001,200,gold", // Shopify customer by id, not a member yet; tier by name, any case
  "new@example.com,,300,", // Shopify customer by email
  "not-an-email,,10,", // format
  "x@example.com,,12.5,", // points
  "y@example.com,,10,Platinum", // unknown tier
  ",999999,10,", // no such customer
  "ghost@example.com,,10,", // no such email
  ",gid://shopify/Customer/5001,50,", // same customer as line 3
].join("\n");

beforeEach(async () => {
  await resetShop();
  await resetShop(OTHER_SHOP);
  await signIn();
  await prisma.tier.create({ data: { shop: TEST_SHOP, name: "Gold", threshold: 10_000 } });
  await seedMember("4000", 5, { email: "known@example.com" });
  sandbox.api.addCustomer({
    id: "gid://shopify/Customer/5001",
    email: "byid@example.com",
    firstName: "Ida",
    lastName: "Byid",
  });
  sandbox.api.addCustomer({
    id: "gid://shopify/Customer/5002",
    email: "new@example.com",
    firstName: "Nell",
    lastName: "New",
  });
});

async function dryRun() {
  const id = await upload(FILE);
  await work(id);
  return id;
}

/** Applies a dry-run batch: the request only starts it, the worker posts the entries. */
async function apply(id: string) {
  expect(await step(id, "apply")).toEqual({ ok: true });
  await work(id);
}

describe("import dry run", () => {
  it("checks every row and lists valid and invalid rows with reasons, changing no balance", async () => {
    const before = await shopRows();
    const id = await dryRun();

    const data = await report(id);
    expect(data.batch).toMatchObject({
      status: "VALIDATED",
      totalRows: 9,
      validRows: 3,
      invalidRows: 6,
      validPoints: 600,
    });
    expect(data.rows.map((r) => [r.line, r.status, r.customerId, r.error])).toEqual([
      [2, "VALID", "4000", null],
      [3, "VALID", "5001", null],
      [4, "VALID", "5002", null],
      [5, "INVALID", null, "“not-an-email” is not an email address"],
      [6, "INVALID", null, "Points “12.5” should be a whole number, 0 or more, without separators"],
      [
        7,
        "INVALID",
        null,
        "No tier called “Platinum”; create it on the Tiers page or leave the cell empty",
      ],
      [8, "INVALID", "999999", "No customer with ID 999999 in your store"],
      [9, "INVALID", null, "No customer with the email ghost@example.com in your store"],
      [10, "INVALID", "5001", "Same customer as line 3"],
    ]);
    const invalidOnly = await report(id, "?rows=invalid");
    expect(invalidOnly.rows.map((r) => r.line)).toEqual([5, 6, 7, 8, 9, 10]);

    const after = await shopRows();
    expect(after.members).toEqual(before.members);
    expect(after.entries).toEqual(before.entries);
    expect(after.tierChanges).toEqual(before.tierChanges);
  });

  it("rejects a file without the needed columns or rows, storing nothing", async () => {
    const before = await shopRows();
    for (const [text, message] of [
      ["name,amount\nAda,5\n", /must name the columns: email or customer_id, points/],
      ["email,points\n", /header but no rows/],
      ['email,points\n"unclosed,5\n', /never closed/],
    ] as const) {
      const result = await post<Step>(uploadAction, "/app/import", csvForm(text));
      expect(result.ok).toBe(false);
      expect(result.errors?.file).toMatch(message);
    }
    const missing = await post<Step>(uploadAction, "/app/import", new FormData());
    expect(missing.errors).toEqual({ file: "Choose a CSV file to upload" });
    expect(await shopRows()).toEqual(before);
  });

  it("pauses when Shopify cannot be reached, records why, and carries on when run again", async () => {
    const id = await upload(FILE);
    expect((await report(id)).batch).toMatchObject({ status: "VALIDATING", error: null });
    for (let i = 0; i < 3; i++) sandbox.api.state.faults.push({ kind: "http", status: 503 });

    // The job fails, so the queue retries it with backoff; the batch says why meanwhile.
    await expect(work(id)).rejects.toThrow(/Admin API unavailable/);
    const paused = await report(id);
    expect(paused.batch.status).toBe("VALIDATING");
    expect(paused.batch.error).toBe(
      "Shopify could not be reached (Admin API unavailable (503): Shopify internal error)",
    );

    await work(id);
    expect((await report(id)).batch).toMatchObject({
      status: "VALIDATED",
      validRows: 3,
      error: null,
    });
  });

  it("fails the job while the shop has no offline session, and carries on once it has", async () => {
    const id = await upload(FILE);
    await prisma.session.deleteMany({ where: { shop: TEST_SHOP } });

    await expect(work(id)).rejects.toThrow(/No Admin API access/);
    expect(await prisma.importBatch.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "VALIDATING",
      error: "The app could not connect to your store",
    });

    await signIn();
    await work(id);
    expect((await report(id)).batch).toMatchObject({ status: "VALIDATED", error: null });
  });

  it("warns when the same file was already imported", async () => {
    const first = await dryRun();
    await apply(first);
    const second = await dryRun();
    expect((await report(second)).alreadyImported?.id).toBe(first);
  });
});

describe("applying and undoing an import", () => {
  it("posts IMPORT entries once, creates members, grants the tier, and re-applying is a no-op", async () => {
    const id = await dryRun();

    expect(await step(id, "apply")).toEqual({ ok: true });
    // The request only started it: the worker posts the entries.
    expect((await report(id)).batch).toMatchObject({ status: "APPLYING", appliedRows: 0 });
    expect(await balance("4000")).toBe(5);
    await work(id);

    expect((await report(id)).batch).toMatchObject({ status: "APPLIED", appliedRows: 3 });
    expect(await balance("4000")).toBe(105);
    expect(await balance("5001")).toBe(200);
    expect(await balance("5002")).toBe(300);
    const ida = await prisma.member.findUniqueOrThrow({
      where: { shop_customerId: { shop: TEST_SHOP, customerId: "5001" } },
      include: { tier: true },
    });
    expect(ida).toMatchObject({
      email: "byid@example.com",
      firstName: "Ida",
      grantedTierSource: `import:${id}`,
      grantedTierUntil: null,
    });
    expect(ida.tier?.name).toBe("Gold");
    const entries = await prisma.ledgerEntry.findMany({
      where: { shop: TEST_SHOP, kind: "IMPORT" },
      orderBy: { id: "asc" },
    });
    expect(entries.map((e) => [e.idempotencyKey, e.points, e.createdBy])).toEqual([
      [`import:${id}:line:2`, 100, "Ada Admin (staff:12345)"],
      [`import:${id}:line:3`, 200, "Ada Admin (staff:12345)"],
      [`import:${id}:line:4`, 300, "Ada Admin (staff:12345)"],
    ]);

    expect(await step(id, "apply")).toEqual({ ok: true });
    await work(id);
    expect((await report(id)).batch.status).toBe("APPLIED");
    expect(await prisma.ledgerEntry.count({ where: { shop: TEST_SHOP, kind: "IMPORT" } })).toBe(3);
    await expectLedgerConsistent();
  });

  it("applies each row once when clicks and workers race", async () => {
    const id = await dryRun();

    const clicks = await Promise.all([step(id, "apply"), step(id, "apply")]);
    expect(clicks).toEqual([{ ok: true }, { ok: true }]);
    // Workers on the same batch at once, as after a crash or with two instances.
    await Promise.all([work(id), work(id), work(id)]);

    expect((await report(id)).batch).toMatchObject({ status: "APPLIED", appliedRows: 3 });
    expect([await balance("4000"), await balance("5001"), await balance("5002")]).toEqual([
      105, 200, 300,
    ]);
    expect(await prisma.ledgerEntry.count({ where: { shop: TEST_SHOP, kind: "IMPORT" } })).toBe(3);
    await expectLedgerConsistent();
  });

  it("keeps the imported tier when later events re-evaluate the member", async () => {
    const id = await dryRun();
    await apply(id);
    await deliver({
      topic: "orders/paid",
      payload: (await import("../support/payloads")).orderPayload({
        customerId: 5001,
        subtotal: "10.00",
      }),
    });
    const member = await prisma.member.findUniqueOrThrow({
      where: { shop_customerId: { shop: TEST_SHOP, customerId: "5001" } },
      include: { tier: true },
    });
    expect(member.tier?.name).toBe("Gold");
  });

  it("gives members back the expiry date they had before the undone import", async () => {
    const DAY = 24 * 3600 * 1000;
    await prisma.program.update({ where: { shop: TEST_SHOP }, data: { expiryMonths: 12 } });
    // Member 4000's own last activity was 100 days ago.
    const active = new Date(Date.now() - 100 * DAY);
    const known = await prisma.member.findUniqueOrThrow({
      where: { shop_customerId: { shop: TEST_SHOP, customerId: "4000" } },
    });
    await prisma.ledgerEntry.updateMany({
      where: { memberId: known.id },
      data: { occurredAt: active, createdAt: active },
    });
    await prisma.member.update({ where: { id: known.id }, data: { lastActivityAt: active } });
    // Points that expired since are the member losing points, not doing something.
    const { postEntry } = await import("../../app/loyalty/ledger.server");
    await prisma.$transaction(async (tx) =>
      postEntry(
        tx,
        await tx.program.findUniqueOrThrow({ where: { shop: TEST_SHOP } }),
        await tx.member.findUniqueOrThrow({ where: { id: known.id } }),
        {
          kind: "EXPIRE",
          points: -1,
          source: "SYSTEM",
          idempotencyKey: "expired-before-import",
          description: "Expired",
          occurredAt: new Date(Date.now() - 50 * DAY),
        },
        new Date(Date.now() - 50 * DAY),
      ),
    );
    const id = await dryRun();
    await apply(id);
    // The import counts as activity while it stands…
    const applied = await prisma.member.findUniqueOrThrow({ where: { id: known.id } });
    expect(applied.lastActivityAt!.getTime()).toBeGreaterThan(active.getTime());

    expect(await step(id, "undo")).toEqual({ ok: true });
    await work(id);

    // …and once undone, the dates are what they were, not moved to the time of the undo.
    const after = await prisma.member.findUniqueOrThrow({ where: { id: known.id } });
    expect(after.lastActivityAt).toEqual(active);
    const expected = new Date(active);
    expected.setUTCMonth(expected.getUTCMonth() + 12);
    expect(after.expiresAt).toEqual(expected);
    // A member who only had the import has no activity left, so nothing to expire.
    const ida = await prisma.member.findUniqueOrThrow({
      where: { shop_customerId: { shop: TEST_SHOP, customerId: "5001" } },
    });
    expect([ida.balance, ida.lastActivityAt, ida.expiresAt]).toEqual([0, null, null]);

    // A second import, undone too: the first batch's entries and its undo are not activity either.
    const again = await dryRun();
    await apply(again);
    expect(await step(again, "undo")).toEqual({ ok: true });
    await work(again);
    const afterBoth = await prisma.member.findUniqueOrThrow({ where: { id: known.id } });
    expect([afterBoth.lastActivityAt, afterBoth.expiresAt]).toEqual([active, expected]);
    await expectLedgerConsistent();
  });

  it("undoes the whole batch with compensating entries, recording points already spent", async () => {
    const id = await dryRun();
    await apply(id);
    // Member 5002 spends 250 of the 300 imported points before the undo.
    const spender = await prisma.member.findUniqueOrThrow({
      where: { shop_customerId: { shop: TEST_SHOP, customerId: "5002" } },
    });
    const { postEntry } = await import("../../app/loyalty/ledger.server");
    await prisma.$transaction(async (tx) =>
      postEntry(
        tx,
        await tx.program.findUniqueOrThrow({ where: { shop: TEST_SHOP } }),
        spender,
        {
          kind: "REDEEM",
          points: -250,
          source: "REDEMPTION",
          idempotencyKey: "spend-before-undo",
          description: "Spent",
          occurredAt: new Date(),
        },
        new Date(),
      ),
    );

    expect(await step(id, "undo")).toEqual({ ok: true });
    expect((await report(id)).batch.status).toBe("UNDOING");
    await Promise.all([work(id), work(id)]);

    expect((await report(id)).batch).toMatchObject({
      status: "UNDONE",
      undoneRows: 3,
      undoShortfall: 250,
    });
    expect(await balance("4000")).toBe(5);
    expect(await balance("5001")).toBe(0);
    expect(await balance("5002")).toBe(0);
    const ida = await prisma.member.findUniqueOrThrow({
      where: { shop_customerId: { shop: TEST_SHOP, customerId: "5001" } },
    });
    expect([ida.tierId, ida.grantedTierId]).toEqual([null, null]);
    const undoEntries = await prisma.ledgerEntry.findMany({
      where: { shop: TEST_SHOP, idempotencyKey: { endsWith: ":undo" } },
      orderBy: { id: "asc" },
    });
    expect(undoEntries.map((e) => [e.points, e.shortfall])).toEqual([
      [-100, 0],
      [-200, 0],
      [-50, 250],
    ]);
    expect((await report(id, "?rows=valid")).rows.find((r) => r.line === 4)?.shortfall).toBe(250);

    // Undoing again, or applying an undone batch, changes nothing.
    const before = await shopRows();
    expect(await step(id, "undo")).toEqual({ ok: true });
    await work(id);
    expect((await report(id)).batch.status).toBe("UNDONE");
    expect(await step(id, "apply")).toEqual({
      ok: false,
      errors: { form: "This import was undone. Upload the file again to import it anew." },
    });
    expect(await shopRows()).toEqual(before);
    await expectLedgerConsistent();
  });

  it("checks and applies in chunks, showing progress between them", async () => {
    const rows = ["customer_id,points"];
    for (let i = 0; i < 120; i++) rows.push(`${6000 + i},1`);
    for (let i = 0; i < 120; i++) {
      await prisma.member.create({ data: { shop: TEST_SHOP, customerId: String(6000 + i) } });
    }
    const id = await upload(rows.join("\n"));
    const chunk = async () =>
      importChunk(await prisma.importBatch.findUniqueOrThrow({ where: { id } }), context);

    await chunk();
    expect(await report(id)).toMatchObject({ batch: { status: "VALIDATING" }, rowsToCheck: 20 });
    await work(id);
    expect((await report(id)).batch).toMatchObject({ status: "VALIDATED", validRows: 120 });

    expect(await step(id, "apply")).toEqual({ ok: true });
    await chunk();
    expect((await report(id)).batch).toMatchObject({ status: "APPLYING", appliedRows: 50 });
    await chunk();
    expect((await report(id)).batch).toMatchObject({ status: "APPLYING", appliedRows: 100 });
    await work(id);
    expect((await report(id)).batch).toMatchObject({ status: "APPLIED", appliedRows: 120 });
    expect(await prisma.ledgerEntry.count({ where: { shop: TEST_SHOP, kind: "IMPORT" } })).toBe(
      120,
    );
    await expectLedgerConsistent();
  });

  it("discards a dry run but not an applied import", async () => {
    const id = await dryRun();
    expectStatus(await step(id, "discard"), 302);
    expect(await prisma.importBatch.findUnique({ where: { id } })).toBeNull();
    expect(await prisma.importRow.count({ where: { batchId: id } })).toBe(0);

    const applied = await dryRun();
    await apply(applied);
    expect(await step(applied, "discard")).toEqual({
      ok: false,
      errors: { form: "An import that was applied can be undone, not discarded" },
    });
  });

  it("answers 404 to another shop's import for every intent, changing nothing", async () => {
    const id = await dryRun();
    const before = await shopRows();
    expectStatus(
      await load(batchLoader, `/app/import/${id}`, { shop: OTHER_SHOP, params: { id } }),
      404,
    );
    for (const intent of ["retry", "apply", "undo", "discard"]) {
      expectStatus(await step(id, intent, OTHER_SHOP), 404);
    }
    // A job naming another shop finds no batch and does nothing.
    expect(await work(id, OTHER_SHOP)).toEqual({ chunks: 0 });
    expect(await shopRows()).toEqual(before);
    expect(
      (await load<{ batches: unknown[] }>(importLoader, "/app/import", { shop: OTHER_SHOP }))
        .batches,
    ).toEqual([]);
  });

  it("lists recent imports on the import page", async () => {
    const id = await dryRun();
    const data = await load<{ batches: { id: string; status: string; fileName: string }[] }>(
      importLoader,
      "/app/import",
    );
    expect(data.batches).toEqual([
      expect.objectContaining({ id, status: "VALIDATED", fileName: "balances.csv" }),
    ]);
  });
});

describe("privacy", () => {
  it("drops a redacted customer's import rows and a redacted shop's imports", async () => {
    const id = await dryRun();
    await apply(id);
    await deliver({
      topic: "customers/redact",
      payload: {
        shop_domain: TEST_SHOP,
        customer: { id: 5001, email: "byid@example.com" },
        orders_to_redact: [],
      },
    });
    expect(await prisma.importRow.count({ where: { batchId: id, customerId: "5001" } })).toBe(0);
    // Lines 3 and 10 both named customer 5001; the other seven rows stay.
    expect(await prisma.importRow.count({ where: { batchId: id } })).toBe(7);

    await deliver({ topic: "shop/redact", payload: { shop_domain: TEST_SHOP } });
    await redactShops(prisma);
    expect(await prisma.importBatch.count({ where: { shop: TEST_SHOP } })).toBe(0);
    expect(await prisma.importRow.count({ where: { shop: TEST_SHOP } })).toBe(0);
  });
});
