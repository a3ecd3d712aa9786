import { createHash } from "node:crypto";
import type { ImportBatch, ImportRow, Prisma } from "@prisma/client";
import prisma from "../db.server";
import { splitDebit } from "../domain/clawback";
import type { FieldErrors } from "../domain/forms";
import { duplicateLines, grantedTierUntil, parseImportFile } from "../domain/import-rows";
import type { TierPeriod } from "../domain/tiers";
import { errorFields, log } from "../log.server";
import { postEntry, restoreActivity } from "../loyalty/ledger.server";
import { evaluateTier } from "../loyalty/members.server";
import { shopConfig } from "../loyalty/shop-config.server";
import type { AdminGraphqlClient, RetryPolicy } from "../shopify/admin-api.server";
import { AdminApiError, adminQuery, DEFAULT_RETRY_POLICY } from "../shopify/admin-api.server";
import { CUSTOMERS_BY_ID, FIND_CUSTOMERS_BY_EMAIL } from "../shopify/operations";
import type {
  LoyaltyCustomersByIdQuery,
  LoyaltyCustomersByIdQueryVariables,
  LoyaltyFindCustomersByEmailQuery,
  LoyaltyFindCustomersByEmailQueryVariables,
} from "../types/admin.generated";
import type { JobContext } from "../worker/jobs.server";
import { jobQueue } from "../worker/queue.server";
import { notFound } from "./staff.server";

/**
 * An import is a batch that moves through VALIDATING → VALIDATED (the dry run) → APPLYING →
 * APPLIED, and possibly UNDOING → UNDONE. Web requests only change the status and queue the
 * "import-batch" job; the worker (app/worker/) advances the phase in bounded chunks until it is
 * finished, and the open page reloads its data to show progress. If Shopify cannot be reached
 * during the dry run the job fails, the batch records why (`error`), and the queue retries it with
 * backoff (or the merchant retries now); the next chunk that succeeds clears the error.
 *
 * Apply posts one IMPORT ledger entry per row with the key import:<batch>:line:<n>, in a
 * transaction that first claims the row (VALID → APPLIED) and the batch (still APPLYING), so a
 * retried job, a second worker or an undo racing in posts nothing twice. Undo posts compensating
 * entries with their own keys (…:undo), taking no more than the member still has unless the
 * program allows negative balances; the rest is recorded as shortfall.
 */

const ID_LOOKUP_CHUNK = 100;
const EMAIL_LOOKUPS_PER_CHUNK = 25;
const ROWS_PER_CHUNK = 50;
const LOOKUP_RETRY: RetryPolicy = { ...DEFAULT_RETRY_POLICY, attempts: 3, budgetMs: 4_000 };
/** Every chunk touches the batch; a running batch untouched for this long is waiting on nobody. */
const STALLED_AFTER_MS = 2 * 60_000;

const RUNNING: ReadonlySet<string> = new Set(["VALIDATING", "APPLYING", "UNDOING"]);

type Tx = Prisma.TransactionClient;

export async function findBatch(shop: string, id: string): Promise<ImportBatch> {
  const batch = await prisma.importBatch.findFirst({ where: { id, shop } });
  if (!batch) notFound("Import not found");
  return batch;
}

export async function recentBatches(shop: string) {
  const batches = await prisma.importBatch.findMany({
    where: { shop },
    orderBy: { createdAt: "desc" },
    take: 20,
  });
  return batches.map(batchView);
}

export function batchView(batch: ImportBatch) {
  return {
    id: batch.id,
    fileName: batch.fileName,
    status: batch.status,
    totalRows: batch.totalRows,
    validRows: batch.validRows,
    invalidRows: batch.invalidRows,
    validPoints: batch.validPoints,
    appliedRows: batch.appliedRows,
    undoneRows: batch.undoneRows,
    undoShortfall: batch.undoShortfall,
    createdBy: batch.createdBy,
    createdAt: batch.createdAt.toISOString(),
    appliedAt: batch.appliedAt?.toISOString() ?? null,
    undoneAt: batch.undoneAt?.toISOString() ?? null,
    /** Why the worker paused; it retries by itself, and the page offers "Retry now". */
    error: RUNNING.has(batch.status) ? batch.error : null,
    stalled:
      RUNNING.has(batch.status) &&
      !batch.error &&
      Date.now() - batch.updatedAt.getTime() > STALLED_AFTER_MS,
  };
}

export type UploadResult = { ok: true; batchId: string } | { ok: false; errors: FieldErrors };

/** Reads the file and stores its rows; format problems are recorded per row for the report. */
export async function uploadImport(
  shop: string,
  file: { name: string; text: string },
  staff: string,
): Promise<UploadResult> {
  const tiers = await prisma.tier.findMany({ where: { shop }, select: { id: true, name: true } });
  const parsed = parseImportFile(file.text, tiers);
  if (!parsed.ok) return { ok: false, errors: { file: parsed.error } };
  const fileHash = createHash("sha256").update(file.text).digest("hex");
  const invalid = parsed.rows.filter((r) => r.errors.length).length;
  const batch = await prisma.$transaction(async (tx) => {
    const created = await tx.importBatch.create({
      data: {
        shop,
        fileName: file.name.slice(0, 200) || "import.csv",
        fileHash,
        totalRows: parsed.rows.length,
        invalidRows: invalid,
        createdBy: staff,
      },
    });
    await tx.importRow.createMany({
      data: parsed.rows.map((row) => ({
        batchId: created.id,
        shop,
        line: row.line,
        raw: row.cells,
        email: row.email,
        customerId: row.customerId,
        firstName: row.firstName,
        lastName: row.lastName,
        points: row.points,
        tierId: row.tierId,
        status: row.errors.length ? "INVALID" : "LOOKUP",
        error: row.errors.join("; ") || null,
      })),
    });
    return created;
  });
  await queueBatch(shop, batch.id);
  return { ok: true, batchId: batch.id };
}

/**
 * Hands the batch to the worker. If the queue cannot be reached the batch says so, and the page
 * offers to retry; nothing is lost, since the status already records what is to be done.
 */
async function queueBatch(shop: string, batchId: string): Promise<boolean> {
  try {
    await jobQueue().send("import-batch", { shop, batchId });
    return true;
  } catch (error) {
    log.error("import could not be queued", { shop, batchId, ...errorFields(error) });
    await prisma.importBatch.updateMany({
      where: { id: batchId, shop },
      data: { error: "The import could not be started" },
    });
    return false;
  }
}

/** The shop has no offline session (uninstalled, or its token could not be refreshed). */
class NoShopAccess extends Error {
  constructor(shop: string) {
    super(`No Admin API access for ${shop}`);
    this.name = "NoShopAccess";
  }
}

/** What the merchant sees while the import is paused on `error`. */
function pauseReason(error: unknown): string {
  if (error instanceof AdminApiError) {
    const detail = error.message.replace(/[\s:]+$/, "");
    return error.kind === "permanent"
      ? `Shopify refused a customer lookup (${detail})`
      : `Shopify could not be reached (${detail})`;
  }
  if (error instanceof NoShopAccess) return "The app could not connect to your store";
  return "Something went wrong on our side";
}

/**
 * The "import-batch" job: advances whichever phase the batch is in, one bounded chunk at a time,
 * until the phase is finished. A batch that is gone (discarded, redacted) or not running is left
 * alone. A failing chunk records why on the batch and fails the job, which the queue retries.
 */
export async function runImportBatch(
  context: Pick<JobContext, "adminFor" | "now">,
  shop: string,
  batchId: string,
): Promise<{ chunks: number }> {
  let chunks = 0;
  for (;;) {
    const batch = await prisma.importBatch.findFirst({ where: { id: batchId, shop } });
    if (!batch || !RUNNING.has(batch.status)) return { chunks };
    try {
      await importChunk(batch, context);
    } catch (error) {
      log.warn("import paused; the queue retries it", { shop, batchId, ...errorFields(error) });
      await prisma.importBatch
        .updateMany({ where: { id: batch.id }, data: { error: pauseReason(error) } })
        .catch((recording: unknown) =>
          log.error("import pause not recorded", { shop, batchId, ...errorFields(recording) }),
        );
      throw error;
    }
    chunks += 1;
  }
}

/** One bounded chunk of the batch's current phase (or the step that finishes the phase). */
export async function importChunk(
  batch: ImportBatch,
  context: Pick<JobContext, "adminFor" | "now">,
) {
  if (batch.status === "VALIDATING") {
    // Fetched for every chunk: offline tokens expire, and a long dry run may outlive one.
    const admin = await context.adminFor(batch.shop);
    if (!admin) throw new NoShopAccess(batch.shop);
    await validateChunk(batch, admin);
  } else if (batch.status === "APPLYING") {
    await applyChunk(batch, context.now());
  } else if (batch.status === "UNDOING") {
    await undoChunk(batch, context.now());
  }
}

/**
 * "Retry now" / "Resume": queues the batch again (a waiting job is not queued twice) and clears
 * the pause reason, which also restarts the page's stalled clock.
 */
export async function retryImport(shop: string, batchId: string): Promise<TransitionResult> {
  const batch = await findBatch(shop, batchId);
  if (!RUNNING.has(batch.status)) return { ok: true };
  await prisma.importBatch.updateMany({
    where: { id: batch.id, status: batch.status },
    data: { error: null },
  });
  if (!(await queueBatch(shop, batch.id)))
    return { ok: false, errors: { form: "The import could not be started. Try again shortly." } };
  return { ok: true };
}

// ---------------------------------------------------------------------------------------------
// Validation: resolve every row to a Shopify customer.

interface FoundCustomer {
  id: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
}

type ShopifyCustomer = LoyaltyFindCustomersByEmailQuery["customers"]["nodes"][number];

function foundCustomer(c: ShopifyCustomer): FoundCustomer {
  return {
    id: c.id,
    email: c.defaultEmailAddress?.emailAddress ?? null,
    firstName: c.firstName ?? null,
    lastName: c.lastName ?? null,
  };
}

function numericId(gid: string) {
  return gid.replace(/^gid:\/\/shopify\/Customer\//, "");
}

async function validateChunk(batch: ImportBatch, admin: AdminGraphqlClient) {
  const pending = await prisma.importRow.findMany({
    where: { batchId: batch.id, status: "LOOKUP" },
    orderBy: { line: "asc" },
    take: ID_LOOKUP_CHUNK,
  });
  if (pending.length === 0) {
    await finishValidation(batch);
    return;
  }

  const byId = pending.filter((r) => r.customerId);
  const byEmail = pending.filter((r) => !r.customerId).slice(0, EMAIL_LOOKUPS_PER_CHUNK);

  // Existing members need no call to Shopify: the engine already knows those customers.
  const members = await prisma.member.findMany({
    where: {
      shop: batch.shop,
      OR: [
        { customerId: { in: byId.map((r) => r.customerId!) } },
        { email: { in: byEmail.map((r) => r.email!) } },
      ],
    },
  });
  const memberById = new Map(members.map((m) => [m.customerId, m]));
  const memberByEmail = new Map<string, (typeof members)[number][]>();
  for (const m of members) {
    if (!m.email) continue;
    const key = m.email.toLowerCase();
    memberByEmail.set(key, [...(memberByEmail.get(key) ?? []), m]);
  }

  const resolved: { row: ImportRow; customer: FoundCustomer | null; error?: string }[] = [];

  const unknownIds = byId.filter((r) => !memberById.has(r.customerId!));
  if (unknownIds.length) {
    const { nodes } = await adminQuery<LoyaltyCustomersByIdQuery>(
      admin,
      CUSTOMERS_BY_ID,
      {
        ids: unknownIds.map((r) => `gid://shopify/Customer/${r.customerId}`),
      } satisfies LoyaltyCustomersByIdQueryVariables,
      LOOKUP_RETRY,
    );
    // A node that is not a Customer (or none at all) comes back as {} or null.
    const found = new Map(
      nodes
        .filter((n): n is NonNullable<typeof n> => !!n?.id)
        .map((n) => [numericId(n.id), foundCustomer(n)]),
    );
    for (const row of unknownIds) {
      const customer = found.get(row.customerId!) ?? null;
      resolved.push({
        row,
        customer,
        error: customer ? undefined : `No customer with ID ${row.customerId} in your store`,
      });
    }
  }
  for (const row of byId.filter((r) => memberById.has(r.customerId!))) {
    const m = memberById.get(row.customerId!)!;
    resolved.push({
      row,
      customer: { id: m.customerId, email: m.email, firstName: m.firstName, lastName: m.lastName },
    });
  }

  for (const row of byEmail) {
    const local = memberByEmail.get(row.email!) ?? [];
    if (local.length === 1) {
      const m = local[0]!;
      resolved.push({
        row,
        customer: {
          id: m.customerId,
          email: m.email,
          firstName: m.firstName,
          lastName: m.lastName,
        },
      });
      continue;
    }
    const { customers } = await adminQuery<LoyaltyFindCustomersByEmailQuery>(
      admin,
      FIND_CUSTOMERS_BY_EMAIL,
      { query: `email:"${row.email}"` } satisfies LoyaltyFindCustomersByEmailQueryVariables,
      LOOKUP_RETRY,
    );
    const exact = customers.nodes
      .map(foundCustomer)
      .filter((c) => c.email?.toLowerCase() === row.email);
    if (exact.length === 1) resolved.push({ row, customer: exact[0]! });
    else
      resolved.push({
        row,
        customer: null,
        error:
          exact.length === 0
            ? `No customer with the email ${row.email} in your store`
            : `More than one customer has the email ${row.email}; use the customer ID instead`,
      });
  }

  // Conditional on LOOKUP: a second worker on the same rows, or a discard, changes nothing here.
  // Touching the batch clears a pause reason and tells the page the dry run is moving.
  await prisma.$transaction([
    ...resolved.map(({ row, customer, error }) =>
      prisma.importRow.updateMany({
        where: { id: row.id, status: "LOOKUP" },
        data: customer
          ? {
              status: "VALID",
              customerId: numericId(customer.id),
              email: row.email ?? customer.email?.toLowerCase() ?? null,
              firstName: row.firstName ?? customer.firstName,
              lastName: row.lastName ?? customer.lastName,
            }
          : { status: "INVALID", error },
      }),
    ),
    prisma.importBatch.updateMany({
      where: { id: batch.id, status: "VALIDATING" },
      data: { error: null },
    }),
  ]);
}

async function finishValidation(batch: ImportBatch) {
  const rows = await prisma.importRow.findMany({
    where: { batchId: batch.id, status: "VALID" },
    select: { id: true, line: true, customerId: true },
  });
  const duplicates = duplicateLines(rows);
  await prisma.$transaction(async (tx) => {
    for (const row of rows) {
      const original = duplicates.get(row.line);
      if (original !== undefined) {
        await tx.importRow.updateMany({
          where: { id: row.id, status: "VALID" },
          data: { status: "INVALID", error: `Same customer as line ${original}` },
        });
      }
    }
    const valid = await tx.importRow.aggregate({
      where: { batchId: batch.id, status: "VALID" },
      _count: true,
      _sum: { points: true },
    });
    const invalid = await tx.importRow.count({ where: { batchId: batch.id, status: "INVALID" } });
    await tx.importBatch.updateMany({
      where: { id: batch.id, status: "VALIDATING" },
      data: {
        status: "VALIDATED",
        error: null,
        validRows: valid._count,
        validPoints: valid._sum.points ?? 0,
        invalidRows: invalid,
      },
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Apply and undo.

export type TransitionResult = { ok: true } | { ok: false; errors: FieldErrors };

export async function startApply(
  shop: string,
  batchId: string,
  staff: string,
): Promise<TransitionResult> {
  const batch = await findBatch(shop, batchId);
  // Applying again is a no-op: every row is applied once, whatever the number of clicks.
  if (batch.status === "APPLIED") return { ok: true };
  if (batch.status !== "VALIDATED" && batch.status !== "APPLYING")
    return {
      ok: false,
      errors: {
        form:
          batch.status === "VALIDATING"
            ? "The dry run has not finished yet"
            : "This import was undone. Upload the file again to import it anew.",
      },
    };
  if (batch.validRows === 0) return { ok: false, errors: { form: "No valid rows to import" } };
  // Conditional: of two clicks racing, one moves the batch on and the other finds it moving.
  await prisma.importBatch.updateMany({
    where: { id: batch.id, status: "VALIDATED" },
    data: { status: "APPLYING", appliedBy: staff },
  });
  await queueBatch(shop, batch.id);
  return { ok: true };
}

export async function startUndo(
  shop: string,
  batchId: string,
  staff: string,
): Promise<TransitionResult> {
  const batch = await findBatch(shop, batchId);
  if (batch.status === "UNDONE") return { ok: true };
  if (batch.status !== "APPLIED" && batch.status !== "APPLYING" && batch.status !== "UNDOING")
    return { ok: false, errors: { form: "Only an applied import can be undone" } };
  // An apply still running stops at its next row: each row's transaction claims the batch in
  // APPLYING, so none is applied after this update and the undo sees every applied row.
  await prisma.importBatch.updateMany({
    where: { id: batch.id, status: { in: ["APPLIED", "APPLYING"] } },
    data: { status: "UNDOING", undoneBy: staff, error: null },
  });
  await queueBatch(shop, batch.id);
  return { ok: true };
}

/** A batch that was never applied can simply be thrown away. */
export async function discardImport(shop: string, batchId: string): Promise<TransitionResult> {
  const batch = await findBatch(shop, batchId);
  // Conditional, so an apply that starts meanwhile wins and the batch is kept.
  const { count } = await prisma.importBatch.deleteMany({
    where: { id: batch.id, status: { in: ["VALIDATING", "VALIDATED"] } },
  });
  if (count === 0)
    return {
      ok: false,
      errors: { form: "An import that was applied can be undone, not discarded" },
    };
  return { ok: true };
}

function importKey(batchId: string, line: number) {
  return `import:${batchId}:line:${line}`;
}

/** Thrown inside a row's transaction to roll its claim back when the batch moved on. */
class BatchMovedOn extends Error {}

async function applyChunk(batch: ImportBatch, now: Date) {
  const rows = await prisma.importRow.findMany({
    where: { batchId: batch.id, status: "VALID" },
    orderBy: { line: "asc" },
    take: ROWS_PER_CHUNK,
  });
  if (rows.length === 0) {
    await prisma.importBatch.updateMany({
      where: { id: batch.id, status: "APPLYING" },
      data: { status: "APPLIED", appliedAt: now, error: null },
    });
    return;
  }
  for (const row of rows) {
    try {
      await prisma.$transaction((tx) => applyRow(tx, batch, row, now));
    } catch (error) {
      // Undone meanwhile: the job's next look at the batch carries on with the undo.
      if (error instanceof BatchMovedOn) return;
      throw error;
    }
  }
}

async function applyRow(tx: Tx, batch: ImportBatch, row: ImportRow, now: Date) {
  // Claim the row, then the batch: conditional updates, so of two workers on the same row one
  // applies it and the other finds it taken, and nothing is applied once an undo has begun.
  const claimed = await tx.importRow.updateMany({
    where: { id: row.id, status: "VALID" },
    data: { status: "APPLIED" },
  });
  if (claimed.count === 0) return;
  const applying = await tx.importBatch.updateMany({
    where: { id: batch.id, status: "APPLYING" },
    data: { appliedRows: { increment: 1 }, error: null },
  });
  if (applying.count === 0) throw new BatchMovedOn();
  const rules = await shopConfig(batch.shop, tx);
  const { program } = rules;
  let member = await tx.member.upsert({
    where: { shop_customerId: { shop: batch.shop, customerId: row.customerId! } },
    create: {
      shop: batch.shop,
      customerId: row.customerId!,
      email: row.email,
      firstName: row.firstName,
      lastName: row.lastName,
    },
    update: {},
  });
  const key = importKey(batch.id, row.line);
  const posted = await tx.ledgerEntry.findUnique({
    where: { shop_idempotencyKey: { shop: batch.shop, idempotencyKey: key } },
  });
  if (!posted && (row.points ?? 0) > 0) {
    member = await postEntry(
      tx,
      program,
      member,
      {
        kind: "IMPORT",
        points: row.points!,
        source: "IMPORT",
        sourceId: batch.id,
        idempotencyKey: key,
        rule: { file: batch.fileName, line: row.line },
        description: `Imported from ${batch.fileName} (line ${row.line})`,
        text: { key: "import" },
        occurredAt: now,
        createdBy: batch.appliedBy ?? batch.createdBy,
      },
      now,
    );
  }
  if (row.tierId) {
    member = await tx.member.update({
      where: { id: member.id },
      data: {
        grantedTierId: row.tierId,
        grantedTierUntil: grantedTierUntil(program.tierPeriod as TierPeriod, now),
        grantedTierSource: `import:${batch.id}`,
      },
    });
    await evaluateTier(tx, rules, member, now, `imported from ${batch.fileName}`);
  }
  await tx.importRow.update({ where: { id: row.id }, data: { memberId: member.id } });
}

async function undoChunk(batch: ImportBatch, now: Date) {
  const rows = await prisma.importRow.findMany({
    where: { batchId: batch.id, status: "APPLIED" },
    orderBy: { line: "asc" },
    take: ROWS_PER_CHUNK,
  });
  if (rows.length === 0) {
    await prisma.importBatch.updateMany({
      where: { id: batch.id, status: "UNDOING" },
      data: { status: "UNDONE", undoneAt: now, error: null },
    });
    return;
  }
  for (const row of rows) {
    await prisma.$transaction((tx) => undoRow(tx, batch, row, now));
  }
}

async function undoRow(tx: Tx, batch: ImportBatch, row: ImportRow, now: Date) {
  // Claim the row first: of two workers on it, one undoes it and the other finds it taken.
  const claimed = await tx.importRow.updateMany({
    where: { id: row.id, status: "APPLIED" },
    data: { status: "UNDONE" },
  });
  if (claimed.count === 0) return;
  const rules = await shopConfig(batch.shop, tx);
  const { program } = rules;
  let member = row.memberId ? await tx.member.findUnique({ where: { id: row.memberId } }) : null;
  let shortfall = 0;
  if (member) {
    const key = `${importKey(batch.id, row.line)}:undo`;
    const posted = await tx.ledgerEntry.findUnique({
      where: { shop_idempotencyKey: { shop: batch.shop, idempotencyKey: key } },
    });
    const credited = await tx.ledgerEntry.findUnique({
      where: {
        shop_idempotencyKey: { shop: batch.shop, idempotencyKey: importKey(batch.id, row.line) },
      },
    });
    if (!posted && credited && credited.points > 0) {
      const split = splitDebit(credited.points, 0, member.balance, program.allowNegativeBalance);
      shortfall = split.shortfall;
      member = await postEntry(
        tx,
        program,
        member,
        {
          kind: "IMPORT",
          points: -split.fromBalance,
          shortfall,
          source: "IMPORT",
          sourceId: batch.id,
          idempotencyKey: key,
          rule: { file: batch.fileName, line: row.line, undo: true },
          description: `Import of ${batch.fileName} undone (line ${row.line})`,
          text: { key: "importUndone" },
          occurredAt: now,
          createdBy: batch.undoneBy ?? batch.createdBy,
        },
        now,
      );
      // The undo is nobody's activity: neither this batch nor any batch undone before it counts.
      const undone = await tx.importBatch.findMany({
        where: { shop: batch.shop, status: { in: ["UNDOING", "UNDONE"] } },
        select: { id: true },
      });
      member = await restoreActivity(tx, program, member, {
        source: "IMPORT",
        sourceId: { in: [batch.id, ...undone.map((b) => b.id)] },
      });
    }
    if (member.grantedTierSource === `import:${batch.id}`) {
      member = await tx.member.update({
        where: { id: member.id },
        data: { grantedTierId: null, grantedTierUntil: null, grantedTierSource: null },
      });
      await evaluateTier(tx, rules, member, now, `import of ${batch.fileName} undone`);
    }
  }
  if (shortfall) await tx.importRow.update({ where: { id: row.id }, data: { shortfall } });
  await tx.importBatch.update({
    where: { id: batch.id },
    data: { undoneRows: { increment: 1 }, undoShortfall: { increment: shortfall }, error: null },
  });
}

// ---------------------------------------------------------------------------------------------
// The report.

export const REPORT_PAGE_SIZE = 50;

export async function batchReport(shop: string, batchId: string, filter: string, page: number) {
  const batch = await findBatch(shop, batchId);
  const where: Prisma.ImportRowWhereInput = { batchId: batch.id };
  if (filter === "invalid") where.status = "INVALID";
  if (filter === "valid") where.status = { not: "INVALID" };
  const [rows, count, tiers, sameFile, rowsToCheck] = await Promise.all([
    prisma.importRow.findMany({
      where,
      orderBy: { line: "asc" },
      skip: (page - 1) * REPORT_PAGE_SIZE,
      take: REPORT_PAGE_SIZE,
    }),
    prisma.importRow.count({ where }),
    prisma.tier.findMany({ where: { shop }, select: { id: true, name: true } }),
    prisma.importBatch.findFirst({
      where: {
        shop,
        fileHash: batch.fileHash,
        id: { not: batch.id },
        status: { in: ["APPLYING", "APPLIED"] },
      },
      orderBy: { createdAt: "desc" },
    }),
    prisma.importRow.count({ where: { batchId: batch.id, status: "LOOKUP" } }),
  ]);
  const tierName = new Map(tiers.map((t) => [t.id, t.name]));
  return {
    batch: batchView(batch),
    filter,
    page,
    hasNext: page * REPORT_PAGE_SIZE < count,
    rowCount: count,
    rowsToCheck,
    alreadyImported: sameFile
      ? { id: sameFile.id, at: (sameFile.appliedAt ?? sameFile.createdAt).toISOString() }
      : null,
    rows: rows.map((row) => ({
      line: row.line,
      email: row.email,
      customerId: row.customerId,
      name: [row.firstName, row.lastName].filter(Boolean).join(" ") || null,
      points: row.points,
      tier: row.tierId ? (tierName.get(row.tierId) ?? "(deleted tier)") : null,
      status: row.status,
      error: row.error,
      shortfall: row.shortfall,
      memberId: row.memberId,
    })),
  };
}
