/**
 * End-to-end plumbing: runs `npm run demo`'s entry point as a child process on free ports with a
 * throwaway database and shop, and drives Debian's Chromium through playwright-core. Tests see
 * the system only as a merchant, a shopper and Shopify would: through the browser and through
 * the sandbox's control API (which sends signed webhooks and reads the simulated shop).
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { PrismaClient } from "@prisma/client";
import type { Browser, Frame, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect, inject } from "vitest";
import { createPrismaClient } from "../../app/db.server";
import { launchBrowser, requireChromium } from "../../sandbox/chromium";
import { createDatabase, testDatabaseKind } from "../support/databases";

const ROOT = path.resolve(import.meta.dirname, "../..");

export interface Demo {
  url: string;
  adminUrl: string;
  storefrontUrl: string;
  appUrl: string;
  /** The app's database (a file in a temporary folder). */
  databaseUrl: string;
  /** GET (no body) or POST (body) on the sandbox control API, /sandbox/api/<path>. */
  api<T = Record<string, unknown>>(apiPath: string, body?: Record<string, unknown>): Promise<T>;
  output(): string;
  stop(): Promise<void>;
}

/** Starts the demo on free ports; `members` controls the size of the seeded shop. */
export async function startDemo(options: { members?: number } = {}): Promise<Demo> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "loyalty-e2e-"));
  // The project's database (SQLite or PostgreSQL), empty: the demo migrates and seeds it.
  const database = await createDatabase(testDatabaseKind(), { run: inject("testRun") });
  const databaseUrl = database.url;
  const child: ChildProcess = spawn(
    process.execPath,
    [
      path.join(ROOT, "node_modules/vite-node/vite-node.mjs"),
      "sandbox/demo.ts",
      "--",
      "--port",
      "0",
      "--json",
      "--reset",
      "--members",
      String(options.members ?? 50),
      "--database",
      databaseUrl,
      "--state",
      path.join(dir, "shopify.json"),
    ],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env } },
  );
  let output = "";
  const ready = new Promise<Record<string, string>>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const line = /SANDBOX_READY (.+)/.exec(output);
      if (line?.[1]) resolve(JSON.parse(line[1]) as Record<string, string>);
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("exit", (code) =>
      reject(
        new Error(`The sandbox exited (${code}) before it was ready:\n${output.slice(-4000)}`),
      ),
    );
  });
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      if (child.exitCode === null) child.kill("SIGKILL");
    }
    fs.rmSync(dir, { recursive: true, force: true });
    await database.drop();
  };
  let urls: Record<string, string>;
  try {
    urls = await Promise.race([
      ready,
      new Promise<never>((_, reject) =>
        setTimeout(
          () => reject(new Error(`The sandbox was not ready after 150 s:\n${output.slice(-4000)}`)),
          150_000,
        ),
      ),
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  const base = urls.url!.replace("localhost", "127.0.0.1");
  return {
    url: urls.url!,
    adminUrl: urls.adminUrl!,
    storefrontUrl: urls.storefrontUrl!,
    appUrl: urls.appUrl!,
    databaseUrl,
    async api<T>(apiPath: string, body?: Record<string, unknown>): Promise<T> {
      const response = await fetch(`${base}/sandbox/api${apiPath}`, {
        method: body ? "POST" : "GET",
        headers: { "content-type": "application/json", accept: "application/json" },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      const json = (await response.json()) as T & { error?: string };
      if (!response.ok) throw new Error(`${apiPath}: ${json.error ?? response.status}`);
      return json;
    },
    output: () => output,
    stop,
  };
}

export { CHROMIUM, launchBrowser, newContext, requireChromium } from "../../sandbox/chromium";

export interface E2eSession {
  demo: Demo;
  browser: Browser;
  /** The app's database, for asserting what the browser steps left behind. */
  db: PrismaClient;
}

/**
 * Starts the sandbox and Chromium for the test file (in parallel) and stops both after it. A
 * failing test prints the tail of the servers' log, which usually explains a browser failure.
 */
export function e2eSession(options: { members?: number }): E2eSession {
  const session = {} as E2eSession;
  beforeAll(async () => {
    requireChromium();
    // Keep whichever started so afterAll can stop it if the other failed.
    const [started, launched] = await Promise.allSettled([startDemo(options), launchBrowser()]);
    if (started.status === "fulfilled") session.demo = started.value;
    if (launched.status === "fulfilled") session.browser = launched.value;
    if (launched.status === "rejected") throw launched.reason;
    if (started.status === "rejected") throw started.reason;
    session.db = createPrismaClient(session.demo.databaseUrl);
  }, 240_000);

  afterEach((context) => {
    if (context.task.result?.state === "fail")
      console.error(
        `--- sandbox output (last 4,000 characters) ---\n${session.demo?.output().slice(-4000) ?? "(not started)"}`,
      );
  });

  afterAll(async () => {
    await session.db?.$disconnect();
    await session.browser?.close();
    await session.demo?.stop();
  });
  return session;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  tags: string[];
  nodes: Array<{ target: string[]; html: string; failureSummary?: string }>;
}

const AXE_SOURCE = path.join(ROOT, "node_modules/axe-core/axe.min.js");

/**
 * Runs axe-core in the page or frame (WCAG 2.0–2.2 A/AA and best practices) and returns the
 * serious and critical violations.
 */
export async function seriousViolations(
  target: Page | Frame,
  include?: string,
): Promise<AxeViolation[]> {
  const hasAxe = await target.evaluate(() => "axe" in window);
  if (!hasAxe) await target.addScriptTag({ path: AXE_SOURCE });
  const results = await target.evaluate(async (selector) => {
    const axe = (
      window as unknown as {
        axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    return axe.run(selector ? { include: [selector] } : document, {
      runOnly: {
        type: "tag",
        values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
      },
      resultTypes: ["violations"],
    });
  }, include ?? null);
  return (
    results.violations
      // Experimental rules are off in axe's default run; selecting by tag would switch them on.
      .filter(
        (v) =>
          (v.impact === "serious" || v.impact === "critical") && !v.tags.includes("experimental"),
      )
      .map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        tags: v.tags,
        nodes: v.nodes.map((n) => ({
          target: n.target,
          html: n.html.slice(0, 200),
          failureSummary: n.failureSummary,
        })),
      }))
  );
}

/**
 * expect.poll with room for a loaded machine: a browser, two servers and other test files share
 * two cores, and vitest's one-second default is meant for in-process code.
 */
export function poll<T>(fn: () => T | Promise<T>, timeout = 20_000) {
  return expect.poll(fn, { timeout, interval: 100 });
}

/** One line per violation, naming the elements, for readable test failures. */
export function describeViolations(violations: AxeViolation[]): string[] {
  return violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} — ${v.nodes
        .slice(0, 4)
        .map((n) => n.target.join(" "))
        .join(", ")}${v.nodes.length > 4 ? ` and ${v.nodes.length - 4} more` : ""}`,
  );
}

/** Presses Tab until `accept(focused element)` holds; fails after `limit` presses. */
export async function tabTo(
  page: Page,
  accept: (info: { tag: string; text: string; label: string | null }) => boolean,
  limit = 80,
) {
  for (let i = 0; i < limit; i += 1) {
    await page.keyboard.press("Tab");
    const info = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return {
        tag: el?.tagName.toLowerCase() ?? "",
        text: (el?.textContent ?? "").replace(/\s+/g, " ").trim(),
        label: el?.getAttribute("aria-label") ?? null,
      };
    });
    if (accept(info)) return info;
  }
  throw new Error(`Nothing matching was reached in ${limit} presses of Tab`);
}
