import { createRequire } from "node:module";
import { PrismaPg } from "@prisma/adapter-pg";
import type { PrismaClient } from "@prisma/client";

/**
 * PostgreSQL through @prisma/adapter-pg (no Rust engines, like SQLite). Prisma fixes the provider
 * per generated client, so PostgreSQL has its own client, generated from
 * prisma/postgresql/schema.prisma (derived from prisma/schema.prisma, docs/decisions/0004). It
 * has the same models and the same TypeScript shape; callers only ever see `PrismaClient`.
 */

const require = createRequire(import.meta.url);

export interface PostgresOptions {
  /** Connections this process may open (each app instance and the worker have their own pool). */
  poolSize?: number;
}

interface GeneratedClient {
  PrismaClient: new (options: {
    adapter: PrismaPg;
    transactionOptions?: { maxWait?: number };
  }) => unknown;
  Prisma: { DbNull: unknown };
}

// Loaded on demand: a SQLite deployment never needs the PostgreSQL client to be generated.
const generated = () => require(".prisma/client-postgresql") as GeneratedClient;

/** The PostgreSQL client's own `Prisma.DbNull` (each generated client has its own runtime). */
export function postgresDbNull(): unknown {
  return generated().Prisma.DbNull;
}

export function createPostgresClient(url: string, options: PostgresOptions = {}): PrismaClient {
  const adapter = new PrismaPg({
    connectionString: url,
    max: options.poolSize ?? 10,
    // Every outside call has a deadline: a pool that cannot connect, a statement that hangs, a
    // transaction left open by a crashed request — none of them may hold a request forever.
    connectionTimeoutMillis: 5_000,
    statement_timeout: 30_000,
    idle_in_transaction_session_timeout: 60_000,
  });
  return new (generated().PrismaClient)({
    adapter,
    // Prisma gives up on a pooled connection for a transaction after 2 s by default, sooner than
    // the pool itself would connect; a burst (a flash sale, 50 redeems at once) queues behind a
    // few transactions for longer than that without anything being wrong.
    transactionOptions: { maxWait: 5_000 },
  }) as PrismaClient;
}
