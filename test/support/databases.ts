import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";

/**
 * Real databases for tests, never mocks. `npm test` runs every database suite twice: once on
 * SQLite (a file per test file, copied from a migrated template) and once on PostgreSQL (a
 * database per test file, created from a migrated template database). Each run has its own
 * names, so parallel runs on one server never collide, and its teardown drops what it created.
 */

export type TestDatabaseKind = "sqlite" | "postgresql";

/** The server the PostgreSQL project uses; any database on it works for CREATE DATABASE. */
export const POSTGRES_ADMIN_URL =
  process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

export function testDatabaseKind(): TestDatabaseKind {
  const kind = process.env.LOYALTY_TEST_DB ?? "sqlite";
  if (kind !== "sqlite" && kind !== "postgresql") {
    throw new Error(`LOYALTY_TEST_DB must be sqlite or postgresql, not "${kind}"`);
  }
  return kind;
}

function postgresUrl(database: string): string {
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({
    connectionString: POSTGRES_ADMIN_URL,
    connectionTimeoutMillis: 5_000,
  });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `The PostgreSQL test project needs a server at ${POSTGRES_ADMIN_URL} (${(error as Error).message}). ` +
        "Start it with: pg_ctlcluster --skip-systemctl-redirect 15 main start",
    );
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A name unique to this run: `loyalty_<run>_<suffix>`. */
export function databaseName(run: string, suffix: string = randomBytes(4).toString("hex")) {
  return `loyalty_${run}_${suffix}`;
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** An empty database of `kind` (no tables), or a copy of `template` when given. */
export async function createDatabase(
  kind: TestDatabaseKind,
  options: { run?: string; template?: string; name?: string } = {},
): Promise<TestDatabase> {
  const run = options.run ?? `t${process.pid}`;
  if (kind === "sqlite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "loyalty-db-"));
    const file = path.join(dir, "test.sqlite");
    if (options.template) fs.copyFileSync(options.template, file);
    return {
      url: `file:${file}`,
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = options.name ?? databaseName(run);
  await withAdmin(async (admin) => {
    const template = options.template ? ` TEMPLATE "${options.template}"` : "";
    // Copies of one template made at the same moment can collide on the template's lock.
    for (let attempt = 0; ; attempt += 1) {
      try {
        await admin.query(`CREATE DATABASE "${name}"${template}`);
        return;
      } catch (error) {
        if (attempt >= 20 || !/being accessed by other users/.test((error as Error).message)) {
          throw error;
        }
        await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
      }
    }
  });
  return {
    url: postgresUrl(name),
    drop: () => dropPostgresDatabases([name]),
  };
}

export async function dropPostgresDatabases(names: string[]) {
  if (!names.length) return;
  await withAdmin(async (admin) => {
    for (const name of names) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
}

/** Every database this run created on the server (per-file copies and the template). */
export async function dropRunDatabases(run: string) {
  const names = await withAdmin(async (admin) => {
    const { rows } = await admin.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE $1",
      [`loyalty\\_${run}\\_%`],
    );
    return rows.map((r) => r.datname);
  });
  await dropPostgresDatabases(names);
}
