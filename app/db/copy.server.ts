import type { PrismaClient } from "@prisma/client";
import { Prisma } from "@prisma/client";
import { databaseKind } from "../database-url";
import { createPrismaClient } from "../db.server";
import { checkModelOrder, delegateOf, DERIVED_MODELS, MODEL_ORDER, type ModelName } from "./models";
import { postgresDbNull } from "./postgresql.server";

/**
 * Copies every row from one database to another (SQLite → PostgreSQL when a shop outgrows one
 * machine), then checks the copy: the same number of rows in every table, and every member's
 * balance equal to the sum of their ledger on the target. Used by `npm run db:copy`
 * (scripts/copy-database.mjs); docs/deployment.md has the whole move.
 */

const BATCH = 1_000;

type Row = Record<string, unknown> & { id?: unknown };
interface Delegate {
  findMany(args: {
    orderBy: Record<string, "asc">;
    take: number;
    skip?: number;
    cursor?: object;
  }): Promise<Row[]>;
  createMany(args: { data: Row[] }): Promise<{ count: number }>;
  count(): Promise<number>;
}

function delegate(client: PrismaClient, model: ModelName): Delegate {
  return delegateOf<Delegate>(client, model);
}

/** Json columns: a SQL NULL in one must be written back as the target client's DbNull. */
function nullableJsonFields(model: ModelName): string[] {
  const fields = Prisma.dmmf.datamodel.models.find((m) => m.name === model)?.fields ?? [];
  return fields.filter((f) => f.type === "Json").map((f) => f.name);
}

function primaryKey(model: ModelName): string {
  const fields = Prisma.dmmf.datamodel.models.find((m) => m.name === model)?.fields ?? [];
  // Every model here has a single-column key: `id`, except these.
  if (model === "Program" || model === "ShopRedaction") return "shop";
  if (model === "HealthCheck") return "instance";
  if (!fields.some((f) => f.name === "id")) throw new Error(`${model} has no id column`);
  return "id";
}

export interface CopyReport {
  rows: Record<string, { source: number; target: number }>;
  members: number;
  balanceMismatches: string[];
  totalBalance: { source: number; target: number };
}

export class CopyError extends Error {}

async function balanceMismatches(client: PrismaClient): Promise<string[]> {
  const sums = await client.ledgerEntry.groupBy({
    by: ["memberId"],
    _sum: { points: true, pendingPoints: true },
  });
  const byMember = new Map(sums.map((s) => [s.memberId, s._sum]));
  const wrong: string[] = [];
  let cursor: string | undefined;
  for (;;) {
    const members = await client.member.findMany({
      orderBy: { id: "asc" },
      take: BATCH,
      ...(cursor ? { skip: 1, cursor: { id: cursor } } : {}),
      select: { id: true, balance: true, pendingPoints: true },
    });
    if (!members.length) return wrong;
    for (const member of members) {
      const sum = byMember.get(member.id);
      if (
        (sum?.points ?? 0) !== member.balance ||
        (sum?.pendingPoints ?? 0) !== member.pendingPoints
      ) {
        wrong.push(member.id);
      }
    }
    cursor = members.at(-1)!.id;
  }
}

async function totalBalance(client: PrismaClient) {
  return (await client.member.aggregate({ _sum: { balance: true } }))._sum.balance ?? 0;
}

export async function copyDatabase(
  fromUrl: string,
  toUrl: string,
  log: (line: string) => void = () => {},
): Promise<CopyReport> {
  checkModelOrder();
  const source = createPrismaClient(fromUrl);
  const target = createPrismaClient(toUrl);
  try {
    for (const model of MODEL_ORDER) {
      if ((await delegate(target, model).count()) > 0) {
        throw new CopyError(
          `The target already has ${model} rows. Copy into a freshly migrated, empty database.`,
        );
      }
    }
    const dbNull = databaseKind(toUrl) === "postgresql" ? postgresDbNull() : Prisma.DbNull;
    const rows: CopyReport["rows"] = {};
    const copiedModels = MODEL_ORDER.filter((model) => !DERIVED_MODELS.includes(model));
    for (const model of copiedModels) {
      const key = primaryKey(model);
      let copied = 0;
      let cursor: unknown;
      for (;;) {
        const batch = await delegate(source, model).findMany({
          orderBy: { [key]: "asc" },
          take: BATCH,
          ...(cursor === undefined ? {} : { skip: 1, cursor: { [key]: cursor } }),
        });
        if (!batch.length) break;
        const json = nullableJsonFields(model);
        const data = json.length
          ? batch.map((row) => {
              const copy = { ...row };
              for (const field of json) if (copy[field] === null) copy[field] = dbNull;
              return copy;
            })
          : batch;
        await delegate(target, model).createMany({ data });
        copied += batch.length;
        cursor = batch.at(-1)![key];
      }
      rows[model] = { source: await delegate(source, model).count(), target: copied };
      log(`${model}: ${copied} rows`);
    }
    // Rows kept their ids; sequences must continue after them on PostgreSQL.
    if (databaseKind(toUrl) === "postgresql") {
      for (const table of ["LedgerEntry", "ImportRow"]) {
        await target.$executeRawUnsafe(
          `SELECT setval(pg_get_serial_sequence('"${table}"', 'id'), COALESCE((SELECT MAX(id) FROM "${table}"), 0) + 1, false)`,
        );
      }
    }
    for (const model of copiedModels) rows[model]!.target = await delegate(target, model).count();
    const report: CopyReport = {
      rows,
      members: rows.Member!.target,
      balanceMismatches: await balanceMismatches(target),
      totalBalance: { source: await totalBalance(source), target: await totalBalance(target) },
    };
    return report;
  } finally {
    await source.$disconnect();
    await target.$disconnect();
  }
}

/** True when the copy is complete and every balance matches its ledger. */
export function copyIsExact(report: CopyReport): boolean {
  return (
    Object.values(report.rows).every((r) => r.source === r.target) &&
    report.balanceMismatches.length === 0 &&
    report.totalBalance.source === report.totalBalance.target
  );
}
