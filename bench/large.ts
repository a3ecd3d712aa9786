/**
 * `npm run bench -- --large [--scale 0.1]`: a shop of 1M members and 10M ledger entries (times
 * --scale), seeded in SQL on a fresh SQLite file and a fresh PostgreSQL database, then: member
 * lookup, members search (with the same searches as LIKE scans, the path before the trigram
 * indexes), the dashboard for 7 days / 30 days / 12 months, each scheduled job, `/healthz` p99
 * from the production server while the jobs run, and the database's size. Rewrites the
 * large-shop section of docs/benchmarks.md.
 */
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureBuild } from "../sandbox/build";
import { percentile } from "./load";
import { seedLargeShop, type Seeded } from "./large-seed";
import { freshDatabase, startApp, type Database } from "./processes";

const ROOT = path.resolve(import.meta.dirname, "..");
const log = (line: string) => console.log(line);

interface Stats {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}
interface Reads {
  provider: string;
  noop: Stats;
  lookup: Stats;
  search: Record<string, Stats & { q: string; matches: number }>;
  sorted: Stats;
  deepPage: Stats;
  cursorPage: Stats;
  dashboards: Record<string, Stats & { heapGrowthMb: number }>;
}
interface Jobs {
  release: { ms: number; done: number };
  expiry: { ms: number; done: number };
  review: { ms: number; changed: number; members: number };
  fold: { ms: number; done: number };
  redaction: { ms: number; done: number };
}
interface LargeResult {
  kind: Database["kind"];
  seeded: Seeded;
  reads: Reads;
  like: Record<string, Stats>;
  jobs: Jobs;
  healthz: { p50: number; p99: number; max: number; requests: number; failed: number };
  bytes: number;
}

function probe(database: Database, phase: string, members: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        "--expose-gc",
        path.join(ROOT, "node_modules/vite-node/vite-node.mjs"),
        path.join(ROOT, "bench/large-probe.ts"),
        phase,
        String(members),
      ],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          NODE_ENV: "production",
          DATABASE_URL: database.url,
          DATABASE_POOL_SIZE: "10",
          SHOPIFY_API_KEY: "bench-key",
          SHOPIFY_API_SECRET: "bench-secret",
          SHOPIFY_APP_URL: "https://bench.example.com",
          SCOPES:
            "read_orders,read_customers,write_customers,write_discounts,write_app_proxy,read_products,read_store_credit_accounts,write_store_credit_account_transactions",
          LOG_LEVEL: "warn",
        },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.on("exit", (code) => {
      const line = out.trim().split("\n").at(-1) ?? "";
      if (code === 0 && line.startsWith("{")) resolve(line);
      else reject(new Error(`probe ${phase} exited ${code}: ${out.slice(-2000)}`));
    });
  });
}

/** `/healthz` asked once at a time, for as long as `work` runs. */
async function healthzWhile<T>(url: string, work: Promise<T>) {
  const times: number[] = [];
  let failed = 0;
  let done = false;
  const finished = work.finally(() => (done = true));
  while (!done) {
    const started = performance.now();
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(60_000) });
      if (!response.ok) failed += 1;
      await response.arrayBuffer();
    } catch {
      failed += 1;
    }
    times.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  times.sort((a, b) => a - b);
  return {
    value: await finished,
    healthz: {
      p50: percentile(times, 50),
      p99: percentile(times, 99),
      max: times.at(-1) ?? 0,
      requests: times.length,
      failed,
    },
  };
}

async function databaseBytes(database: Database) {
  if (database.kind === "sqlite") {
    const file = database.url.replace(/^file:/, "");
    return [file, `${file}-wal`].reduce(
      (sum, f) => sum + (fs.existsSync(f) ? fs.statSync(f).size : 0),
      0,
    );
  }
  const [row] = await database.query<{ bytes: unknown }>(
    "SELECT pg_database_size(current_database()) AS bytes",
  );
  return Number(row?.bytes ?? 0);
}

async function runLargeSetup(kind: Database["kind"], members: number): Promise<LargeResult> {
  log(`\n[bench --large] ${kind}: seeding ${members} members`);
  const database = await freshDatabase(kind);
  try {
    const seeded = await seedLargeShop(database, members);
    log(`[bench --large] seeded in ${seeded.seconds.toFixed(0)} s`);
    const bytes = await databaseBytes(database);
    const reads = JSON.parse(await probe(database, "reads", members)) as Reads;
    log(`[bench --large] reads: ${JSON.stringify(reads)}`);
    if (kind === "postgresql") {
      for (const column of ["email", "firstName", "lastName"]) {
        await database.query(`DROP INDEX "Member_${column}_trgm_idx"`);
      }
    }
    const { like } = JSON.parse(await probe(database, "like", members)) as {
      like: Record<string, Stats>;
    };
    log(`[bench --large] LIKE: ${JSON.stringify(like)}`);
    const app = await startApp(database, 1, {}, { workers: false });
    try {
      const { value, healthz } = await healthzWhile(
        app.web[0]!.url,
        probe(database, "jobs", members),
      );
      const jobs = JSON.parse(value) as Jobs;
      log(`[bench --large] jobs: ${JSON.stringify(jobs)} healthz: ${JSON.stringify(healthz)}`);
      return { kind, seeded, reads, like, jobs, healthz, bytes };
    } finally {
      await app.stop();
    }
  } finally {
    await database.drop();
  }
}

function commit() {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], {
      cwd: ROOT,
      encoding: "utf8",
    }).trim();
  } catch {
    return "unknown";
  }
}

const ms = (value: number) => (value >= 100 ? value.toFixed(0) : value.toFixed(1));
const row = (cells: string[]) => `| ${cells.join(" | ")} |`;
const name = (kind: Database["kind"]) => (kind === "sqlite" ? "SQLite" : "PostgreSQL");

function report(results: LargeResult[], command: string) {
  const first = results[0]!;
  const lines: string[] = [
    "## Large shop",
    "",
    `A shop of ${first.seeded.members.toLocaleString("en")} members, ${first.seeded.entries.toLocaleString("en")} ledger entries and ${first.seeded.orders.toLocaleString("en")} orders, seeded in SQL`,
    "(bench/large-seed.ts). The reads and jobs are the app's own functions timed in a process of",
    "the production configuration (bench/large-probe.ts): an admin page over HTTP needs a Shopify",
    "session-token exchange no machine here can make. The baseline is `SELECT 1` through the same",
    "client. `/healthz` is asked over HTTP of the production server, one request at a time, while",
    "the jobs run in another process. Issue #15's targets: member lookup p99 ≤ 5 ms (c=1), members",
    "search p95 ≤ 100 ms, the dashboard ≤ 1 s for any range up to 12 months, the tier recalculation",
    "of every member ≤ 5 min, each job ≤ 60 s, `/healthz` p99 ≤ 100 ms while the jobs run.",
    "",
    row([
      "read",
      ...results.map((r) => `${name(r.kind)} p50 / p95 / p99 ms`),
      ...results.map((r) => `${name(r.kind)} ÷ SELECT 1 (p99)`),
    ]),
    row(Array(1 + results.length * 2).fill("---")),
  ];
  const readRow = (label: string, pick: (r: LargeResult) => Stats | undefined) => {
    lines.push(
      row([
        label,
        ...results.map((r) => {
          const s = pick(r);
          return s ? `${ms(s.p50)} / ${ms(s.p95)} / ${ms(s.p99)}` : "—";
        }),
        ...results.map((r) => {
          const s = pick(r);
          return s ? `${(s.p99 / Math.max(r.reads.noop.p99, 0.01)).toFixed(0)}×` : "—";
        }),
      ]),
    );
  };
  readRow("`SELECT 1` (baseline)", (r) => r.reads.noop);
  readRow("storefront member view (`memberView`, c=1, after a warm-up)", (r) => r.reads.lookup);
  for (const label of Object.keys(first.reads.search)) {
    const s = first.reads.search[label]!;
    readRow(
      `members search: ${label} (\`${s.q}\`, ${s.matches.toLocaleString("en")} found)`,
      (r) => r.reads.search[label],
    );
    if (first.like[label]) readRow(`… the same as a LIKE scan (before)`, (r) => r.like[label]);
  }
  readRow("members list sorted by joined", (r) => r.reads.sorted);
  readRow("members list page 1,000 by cursor (Next)", (r) => r.reads.cursorPage);
  readRow("… the same page by OFFSET (before)", (r) => r.reads.deepPage);
  for (const range of Object.keys(first.reads.dashboards)) {
    readRow(`dashboard, ${range}`, (r) => r.reads.dashboards[range]);
  }
  lines.push(
    "",
    `Dashboard heap growth while computing (MB, peak over the start): ${results
      .map(
        (r) =>
          `${name(r.kind)} ${Object.entries(r.reads.dashboards)
            .map(([range, d]) => `${range} ${d.heapGrowthMb.toFixed(1)}`)
            .join(", ")}`,
      )
      .join("; ")}.`,
    "",
    row(["job", ...results.map((r) => name(r.kind))]),
    row(Array(1 + results.length).fill("---")),
    row([
      "release due pending points",
      ...results.map(
        (r) =>
          `${(r.jobs.release.ms / 1000).toFixed(1)} s (${r.jobs.release.done.toLocaleString("en")} orders)`,
      ),
    ]),
    row([
      "expire idle balances",
      ...results.map(
        (r) =>
          `${(r.jobs.expiry.ms / 1000).toFixed(1)} s (${r.jobs.expiry.done.toLocaleString("en")} members)`,
      ),
    ]),
    row([
      "tier review of every member",
      ...results.map(
        (r) =>
          `${(r.jobs.review.ms / 1000).toFixed(1)} s (${Math.round(r.jobs.review.members / (r.jobs.review.ms / 1000)).toLocaleString("en")} members/s, ${r.jobs.review.changed.toLocaleString("en")} changed)`,
      ),
    ]),
    row([
      "fold the rollup, gap and member-count deltas the jobs' entries left",
      ...results.map(
        (r) =>
          `${(r.jobs.fold.ms / 1000).toFixed(1)} s (${r.jobs.fold.done.toLocaleString("en")} deltas)`,
      ),
    ]),
    row([
      "customers/redact, one customer at a time",
      ...results.map(
        (r) =>
          `${(r.jobs.redaction.ms / 1000).toFixed(1)} s (${r.jobs.redaction.done.toLocaleString("en")} members)`,
      ),
    ]),
    row([
      "`/healthz` while they ran, p50 / p99 / max ms",
      ...results.map(
        (r) =>
          `${ms(r.healthz.p50)} / ${ms(r.healthz.p99)} / ${ms(r.healthz.max)} (${r.healthz.requests.toLocaleString("en")} asked, ${r.healthz.failed} failed)`,
      ),
    ]),
    row(["database size", ...results.map((r) => `${(r.bytes / 2 ** 30).toFixed(2)} GiB`)]),
    row(["seeding", ...results.map((r) => `${r.seeded.seconds.toFixed(0)} s`)]),
    "",
    `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "CPU"}, Node ${process.version}. Commit ${commit()}. Command: \`${command}\`.`,
  );
  return lines.join("\n");
}

export const LARGE_START = "<!-- large-shop:start -->";
export const LARGE_END = "<!-- large-shop:end -->";

export async function runLarge(scale: number, only: string | undefined, command: string) {
  await ensureBuild(log);
  const members = Math.round(1_000_000 * scale);
  const results: LargeResult[] = [];
  for (const kind of ["sqlite", "postgresql"] as const) {
    if (only && !name(kind).includes(only)) continue;
    results.push(await runLargeSetup(kind, members));
  }
  log(writeSection(LARGE_START, LARGE_END, report(results, command)));
}

/**
 * Puts `body` between the markers in docs/benchmarks.md (appended the first time), leaving the
 * rest of the file as another mode of `npm run bench` wrote it. Returns the section.
 */
export function writeSection(startMark: string, endMark: string, body: string) {
  const section = `${startMark}\n${body}\n${endMark}`;
  const file = path.join(ROOT, "docs/benchmarks.md");
  const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "# Benchmarks\n";
  const start = current.indexOf(startMark);
  const end = current.indexOf(endMark);
  fs.writeFileSync(
    file,
    start >= 0 && end > start
      ? current.slice(0, start) + section + current.slice(end + endMark.length)
      : `${current.trimEnd()}\n\n${section}\n`,
  );
  return section;
}
