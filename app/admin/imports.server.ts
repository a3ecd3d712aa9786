import { createHash } from "node:crypto";
import type { ImportBatch, ImportRow, Prisma } from "@prisma/client";
import prisma from "../db.server";
import { splitDebit } from "../domain/clawback";
import type { FieldErrors } from "../domain/forms";
import { duplicateLines, grantedTierUntil, parseImportFile } from "../domain/import-rows";
import type { TierPeriod } from "../domain/tiers";
import { postEntry } from "../loyalty/ledger.server";
import { evaluateTier } from "../loyalty/members.server";
import { programFor } from "../loyalty/program.server";
import type { AdminGraphqlClient, RetryPolicy } from "../shopify/admin-api.server";
import { adminQuery, DEFAULT_RETRY_POLICY } from "../shopify/admin-api.server";
import { CUSTOMERS_BY_ID, FIND_CUSTOMERS_BY_EMAIL } from "../shopify/operations";
import { notFound } from "./staff.server";

/**
 * An import is a batch that moves through VALIDATING → VALIDATED (the dry run) → APPLYING →
 * APPLIED, and possibly UNDOING → UNDONE. Each phase advances in steps of a couple of seconds so
 * a large file never times out a request; the open page drives the steps and shows progress.
 *
 * Apply posts one IMPORT ledger entry per row with the key import:<batch>:line:<n>, in a
 * transaction with the row's status, so running a step twice (or two tabs at once) posts nothing
 * twice. Undo posts compensating entries with their own keys (…:undo), taking no more than the
 * member still has unless the program allows negative balances; the rest is recorded as shortfall.
 */

const STEP_BUDGET_MS = 2_500;
const ID_LOOKUP_CHUNK = 100;
const EMAIL_LOOKUPS_PER_STEP = 25;
const ROWS_PER_CHUNK = 50;
const LOOKUP_RETRY: RetryPolicy = { ...DEFAULT_RETRY_POLICY, attempts: 3, budgetMs: 4_000 };

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
  return { ok: true, batchId: batch.id };
}

export interface StepResult {
  batch: ReturnType<typeof batchView>;
  /** A problem that stopped this step (e.g. Shopify unreachable); the step can be retried. */
  error: string | null;
}

/** Advances whichever phase the batch is in, for up to `budgetMs`. */
export async function advanceImport(
  shop: string,
  batchId: string,
  admin: AdminGraphqlClient,
  options: { budgetMs?: number; now?: Date; retry?: RetryPolicy } = {},
): Promise<StepResult> {
  const budget = options.budgetMs ?? STEP_BUDGET_MS;
  const started = Date.now();
  const now = options.now ?? new Date();
  let batch = await findBatch(shop, batchId);
  let error: string | null = null;
  try {
    for (;;) {
      let progressed = false;
      if (batch.status === "VALIDATING") {
        progressed = await validateStep(batch, admin, options.retry ?? LOOKUP_RETRY);
      } else if (batch.status === "APPLYING") {
        progressed = await applyStep(batch, now);
      } else if (batch.status === "UNDOING") {
        progressed = await undoStep(batch, now);
      }
      batch = await findBatch(shop, batchId);
      if (!progressed || Date.now() - started >= budget) break;
    }
  } catch (caught) {
    error = caught instanceof Error ? caught.message : String(caught);
    console.warn(`import ${batchId} for ${shop}: step failed: ${error}`);
    batch = await findBatch(shop, batchId);
  }
  return { batch: batchView(batch), error };
}

// ---------------------------------------------------------------------------------------------
// Validation: resolve every row to a Shopify customer.

interface FoundCustomer {
  id: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
}

function numericId(gid: string) {
  return gid.replace(/^gid:\/\/shopify\/Customer\//, "");
}

async function validateStep(batch: ImportBatch, admin: AdminGraphqlClient, retry: RetryPolicy) {
  const pending = await prisma.importRow.findMany({
    where: { batchId: batch.id, status: "LOOKUP" },
    orderBy: { line: "asc" },
    take: ID_LOOKUP_CHUNK,
  });
  if (pending.length === 0) {
    await finishValidation(batch);
    return false;
  }

  const byId = pending.filter((r) => r.customerId);
  const byEmail = pending.filter((r) => !r.customerId).slice(0, EMAIL_LOOKUPS_PER_STEP);

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
    const { nodes } = await adminQuery<{ nodes: (FoundCustomer | null)[] }>(
      admin,
      CUSTOMERS_BY_ID,
      { ids: unknownIds.map((r) => `gid://shopify/Customer/${r.customerId}`) },
      retry,
    );
    const found = new Map(
      nodes.filter((n): n is FoundCustomer => !!n?.id).map((n) => [numericId(n.id), n]),
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
    const { customers } = await adminQuery<{ customers: { nodes: FoundCustomer[] } }>(
      admin,
      FIND_CUSTOMERS_BY_EMAIL,
      { query: `email:"${row.email}"` },
      retry,
    );
    const exact = customers.nodes.filter((c) => c.email?.toLowerCase() === row.email);
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

  await prisma.$transaction(
    resolved.map(({ row, customer, error }) =>
      prisma.importRow.update({
        where: { id: row.id },
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
  );
  return true;
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
        await tx.importRow.update({
          where: { id: row.id },
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
    await tx.importBatch.update({
      where: { id: batch.id },
      data: {
        status: "VALIDATED",
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
  if (batch.status === "APPLYING" || batch.status === "APPLIED") return { ok: true };
  if (batch.status !== "VALIDATED")
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
  return { ok: true };
}

export async function startUndo(
  shop: string,
  batchId: string,
  staff: string,
): Promise<TransitionResult> {
  const batch = await findBatch(shop, batchId);
  if (batch.status === "UNDOING" || batch.status === "UNDONE") return { ok: true };
  if (batch.status !== "APPLIED" && batch.status !== "APPLYING")
    return { ok: false, errors: { form: "Only an applied import can be undone" } };
  await prisma.importBatch.updateMany({
    where: { id: batch.id, status: { in: ["APPLIED", "APPLYING"] } },
    data: { status: "UNDOING", undoneBy: staff },
  });
  return { ok: true };
}

/** A batch that was never applied can simply be thrown away. */
export async function discardImport(shop: string, batchId: string): Promise<TransitionResult> {
  const batch = await findBatch(shop, batchId);
  if (batch.status !== "VALIDATING" && batch.status !== "VALIDATED")
    return {
      ok: false,
      errors: { form: "An import that was applied can be undone, not discarded" },
    };
  await prisma.importBatch.delete({ where: { id: batch.id } });
  return { ok: true };
}

function importKey(batchId: string, line: number) {
  return `import:${batchId}:line:${line}`;
}

async function applyStep(batch: ImportBatch, now: Date) {
  const rows = await prisma.importRow.findMany({
    where: { batchId: batch.id, status: "VALID" },
    orderBy: { line: "asc" },
    take: ROWS_PER_CHUNK,
  });
  if (rows.length === 0) {
    await prisma.importBatch.updateMany({
      where: { id: batch.id, status: "APPLYING" },
      data: { status: "APPLIED", appliedAt: now },
    });
    return false;
  }
  for (const row of rows) {
    await prisma.$transaction((tx) => applyRow(tx, batch, row, now));
  }
  return true;
}

async function applyRow(tx: Tx, batch: ImportBatch, row: ImportRow, now: Date) {
  // Re-read inside the transaction: another step (or an undo) may have got here first.
  const current = await tx.importRow.findUnique({ where: { id: row.id } });
  const state = await tx.importBatch.findUnique({ where: { id: batch.id } });
  if (current?.status !== "VALID" || state?.status !== "APPLYING") return;
  const program = await programFor(tx, batch.shop);
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
    await evaluateTier(tx, program, member, now, `imported from ${batch.fileName}`);
  }
  await tx.importRow.update({
    where: { id: row.id },
    data: { status: "APPLIED", memberId: member.id },
  });
  await tx.importBatch.update({
    where: { id: batch.id },
    data: { appliedRows: { increment: 1 } },
  });
}

async function undoStep(batch: ImportBatch, now: Date) {
  const rows = await prisma.importRow.findMany({
    where: { batchId: batch.id, status: "APPLIED" },
    orderBy: { line: "asc" },
    take: ROWS_PER_CHUNK,
  });
  if (rows.length === 0) {
    await prisma.importBatch.updateMany({
      where: { id: batch.id, status: "UNDOING" },
      data: { status: "UNDONE", undoneAt: now },
    });
    return false;
  }
  for (const row of rows) {
    await prisma.$transaction((tx) => undoRow(tx, batch, row, now));
  }
  return true;
}

async function undoRow(tx: Tx, batch: ImportBatch, row: ImportRow, now: Date) {
  const current = await tx.importRow.findUnique({ where: { id: row.id } });
  if (current?.status !== "APPLIED") return;
  const program = await programFor(tx, batch.shop);
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
          occurredAt: now,
          createdBy: batch.undoneBy ?? batch.createdBy,
        },
        now,
      );
    }
    if (member.grantedTierSource === `import:${batch.id}`) {
      member = await tx.member.update({
        where: { id: member.id },
        data: { grantedTierId: null, grantedTierUntil: null, grantedTierSource: null },
      });
      await evaluateTier(tx, program, member, now, `import of ${batch.fileName} undone`);
    }
  }
  await tx.importRow.update({ where: { id: row.id }, data: { status: "UNDONE", shortfall } });
  await tx.importBatch.update({
    where: { id: batch.id },
    data: { undoneRows: { increment: 1 }, undoShortfall: { increment: shortfall } },
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
