/**
 * The app as deployed, for the benchmark: the production build served by scripts/serve.mjs and
 * applied by scripts/worker.mjs, as separate processes on a fresh database.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createClient, type Client as LibsqlClient } from "@libsql/client";
import pg from "pg";
import { listen } from "../sandbox/http";

export const SECRET = "bench-secret";
const API_KEY = "bench-key";
const ROOT = path.resolve(import.meta.dirname, "..");
const POSTGRES_SERVER =
  process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

export interface Database {
  kind: "sqlite" | "postgresql";
  url: string;
  /** A read straight through the driver, for what the benchmark checks between loads. */
  query<T>(sql: string): Promise<T[]>;
  drop(): Promise<void>;
}

export async function freshDatabase(kind: Database["kind"]): Promise<Database> {
  let database: Database;
  if (kind === "sqlite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "loyalty-bench-"));
    const url = `file:${path.join(dir, "bench.sqlite")}`;
    let client: LibsqlClient | undefined;
    database = {
      kind,
      url,
      async query<T>(sql: string) {
        client ??= createClient({ url });
        return (await client.execute(sql)).rows as T[];
      },
      drop: async () => {
        client?.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  } else {
    const name = `loyalty_bench_${randomBytes(4).toString("hex")}`;
    const admin = new pg.Client({ connectionString: POSTGRES_SERVER });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(POSTGRES_SERVER);
    url.pathname = `/${name}`;
    const pool = new pg.Pool({ connectionString: url.toString(), max: 1 });
    database = {
      kind,
      url: url.toString(),
      async query<T>(sql: string) {
        return (await pool.query(sql)).rows as T[];
      },
      drop: async () => {
        await pool.end();
        const client = new pg.Client({ connectionString: POSTGRES_SERVER });
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await client.end();
      },
    };
  }
  execFileSync(
    process.execPath,
    [path.join(ROOT, "node_modules/prisma/build/index.js"), "migrate", "deploy"],
    {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: database.url },
      stdio: "ignore",
    },
  );
  return database;
}

export interface AppProcess {
  url: string;
  child: ChildProcess;
}

async function freePort(): Promise<number> {
  const server = await listen(0);
  await server.close();
  return server.port;
}

function spawnApp(script: string, env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [path.join(ROOT, script)], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: "production",
      SHOPIFY_API_KEY: API_KEY,
      SHOPIFY_API_SECRET: SECRET,
      SHOPIFY_APP_URL: "https://bench.example.com",
      SCOPES:
        "read_orders,read_customers,write_customers,write_discounts,write_app_proxy,read_products,read_store_credit_accounts,write_store_credit_account_transactions",
      LOG_LEVEL: "warn",
      WEBHOOK_PROCESSING: "queue",
      ...env,
    },
    // Request lines go to stdout, as in production; the benchmark does not read them.
    stdio: ["ignore", "ignore", "inherit"],
  });
  return child;
}

async function waitHealthy(url: string) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not become healthy`);
}

/** `instances` web servers and (unless `workers` is false) as many workers on one database. */
export async function startApp(
  database: Database,
  instances: number,
  extraEnv: Record<string, string> = {},
  { workers = true } = {},
) {
  const children: ChildProcess[] = [];
  const web: AppProcess[] = [];
  const workerPids: number[] = [];
  const env = { DATABASE_URL: database.url, DATABASE_POOL_SIZE: "10", ...extraEnv };
  for (let i = 0; i < instances; i += 1) {
    const port = await freePort();
    const child = spawnApp("scripts/serve.mjs", { ...env, PORT: String(port) });
    children.push(child);
    web.push({ url: `http://127.0.0.1:${port}`, child });
    if (workers) {
      const worker = spawnApp("scripts/worker.mjs", env);
      children.push(worker);
      workerPids.push(worker.pid!);
    }
  }
  await Promise.all(web.map((instance) => waitHealthy(instance.url)));
  return {
    web,
    /** For bench/cpu.ts. */
    pids: { web: web.map((instance) => instance.child.pid!), worker: workerPids },
    async stop() {
      await Promise.all(
        children.map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null) return resolve();
              child.once("exit", () => resolve());
              child.kill("SIGTERM");
            }),
        ),
      );
    },
  };
}
