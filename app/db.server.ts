import type { PrismaClient } from "@prisma/client";
import { Prisma, PrismaClient as SqlitePrismaClient } from "@prisma/client";
import { databaseKind } from "./database-url";
import { createPostgresClient, postgresDbNull } from "./db/postgresql.server";
import { DurableSqliteAdapter, yieldWriteLock } from "./db/sqlite.server";
import { databaseEnv } from "./env.server";

/**
 * Builds a Prisma client on the driver adapter that matches DATABASE_URL: `file:` → SQLite (one
 * instance, docs/database.md), `postgres://` / `postgresql://` → PostgreSQL (any number of
 * instances). Callers only ever see `PrismaClient`.
 */
export function createPrismaClient(url?: string): PrismaClient {
  const env = databaseEnv();
  const target = url ?? env.DATABASE_URL;
  switch (databaseKind(target)) {
    case "sqlite":
      return new SqlitePrismaClient({
        adapter: new DurableSqliteAdapter(target, {
          lockWaitMs: env.SQLITE_LOCK_WAIT_MS,
          journalMode: env.SQLITE_JOURNAL_MODE,
        }),
      });
    case "postgresql":
      return createPostgresClient(target, { poolSize: env.DATABASE_POOL_SIZE });
  }
}

/** Which database the app's client talks to, for the few queries the two spell differently. */
export const databaseProvider = databaseKind(databaseEnv().DATABASE_URL);

/**
 * For a worker in its own process beside the web server: on SQLite, leave the write lock free for
 * 2 ms once it has held it for 20 ms through transactions back to back, so a webhook's intake or a
 * health check waiting for it gets in between (app/db/sqlite.server.ts): without it `/healthz`
 * waited up to 1.3 s while the jobs ran. PostgreSQL's row locks queue, so it needs nothing.
 */
export function yieldWritesToWeb() {
  if (databaseProvider === "sqlite") yieldWriteLock(2);
}

/**
 * A case-insensitive `contains` filter. SQLite's LIKE already ignores ASCII case; PostgreSQL's
 * needs `mode: "insensitive"` (ILIKE), which the SQLite client's types do not know.
 */
export function containsIgnoringCase(text: string): Prisma.StringNullableFilter {
  return (
    databaseProvider === "postgresql" ? { contains: text, mode: "insensitive" } : { contains: text }
  ) as Prisma.StringNullableFilter;
}

/**
 * A date as a raw-SQL parameter. PostgreSQL needs it typed to compare it with timestamp(3)
 * columns; SQLite stores the same ISO text Prisma sends.
 */
export function sqlTime(date: Date): Prisma.Sql {
  return databaseProvider === "postgresql"
    ? Prisma.sql`CAST(${date} AS timestamp(3))`
    : Prisma.sql`${date}`;
}

/**
 * SQL NULL for a nullable Json column. Each generated client knows only its own DbNull: the
 * PostgreSQL client would store the SQLite one as the object {}.
 */
export function dbNull(): typeof Prisma.DbNull {
  return databaseProvider === "postgresql"
    ? (postgresDbNull() as typeof Prisma.DbNull)
    : Prisma.DbNull;
}

declare global {
  // Remix dev re-imports server modules on every change; reuse one client instead of leaking them.
  var __loyaltyPrisma: PrismaClient | undefined;
}

const prisma: PrismaClient =
  process.env.NODE_ENV === "development"
    ? (globalThis.__loyaltyPrisma ??= createPrismaClient())
    : createPrismaClient();

export default prisma;
