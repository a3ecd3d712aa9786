/**
 * The sandbox serves the production build (`npm run build`), not a dev server, so what runs here
 * is what `npm start` runs. This module rebuilds when the sources are newer than the build and
 * snapshots the build in memory, so a rebuild started by another process cannot pull files out
 * from under a running sandbox.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { ServerBuild } from "@remix-run/node";
import { ROOT } from "./config";

const SERVER_BUILD = path.join(ROOT, "build/index.js");
const ASSETS_DIR = path.join(ROOT, "public");
const LOCK_DIR = path.join(ROOT, ".cache/sandbox-build.lock");
const BUILD_INPUTS = ["app", "remix.config.js", "package-lock.json", "env.d.ts"];

function newestMtime(target: string): number {
  const full = path.join(ROOT, target);
  if (!fs.existsSync(full)) return 0;
  const stat = fs.statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(full, { withFileTypes: true })) {
    // Tests are excluded from the route tree (remix.config.js ignoredRouteFiles) and the bundle.
    if (entry.name.includes(".test.")) continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry.name)));
  }
  return newest;
}

export function buildIsStale(): boolean {
  if (!fs.existsSync(SERVER_BUILD) || !fs.existsSync(path.join(ASSETS_DIR, "build"))) return true;
  const built = fs.statSync(SERVER_BUILD).mtimeMs;
  return BUILD_INPUTS.some((input) => newestMtime(input) > built);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function withLock<T>(work: () => Promise<T>): Promise<T> {
  fs.mkdirSync(path.dirname(LOCK_DIR), { recursive: true });
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(LOCK_DIR);
      fs.writeFileSync(path.join(LOCK_DIR, "pid"), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number(fs.readFileSync(path.join(LOCK_DIR, "pid"), "utf8") || "0");
      // A build killed half-way leaves its lock behind; its owner is gone.
      if (owner && !pidAlive(owner)) fs.rmSync(LOCK_DIR, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`Timed out waiting for ${LOCK_DIR}`);
      else await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    return await work();
  } finally {
    fs.rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}

function runRemixBuild(log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(ROOT, "node_modules/@remix-run/dev/dist/cli.js"), "build"],
      { cwd: ROOT, env: { ...process.env, NODE_ENV: "production" }, stdio: "pipe" },
    );
    let output = "";
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      for (const line of chunk.toString().split("\n")) if (line.trim()) log(line);
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`remix build failed (exit ${code}):\n${output}`)),
    );
  });
}

/** Builds unless build/ is newer than every source; concurrent callers wait for one build. */
export async function ensureBuild(
  log: (line: string) => void = (line) => console.log(line),
): Promise<"built" | "fresh"> {
  if (!buildIsStale()) return "fresh";
  return withLock(async () => {
    if (!buildIsStale()) return "fresh";
    log("[sandbox] building the app (npm run build)…");
    await runRemixBuild(log);
    return "built";
  });
}

export interface LoadedBuild {
  build: ServerBuild;
  /** public/ as it was when the build was loaded, keyed by URL path. */
  assets: Map<string, Buffer>;
}

function snapshot(dir: string, prefix: string, into: Map<string, Buffer>) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const url = `${prefix}/${entry.name}`;
    if (entry.isDirectory()) snapshot(full, url, into);
    else into.set(url, fs.readFileSync(full));
  }
}

/**
 * Loads build/index.js with Node's own loader. Under vite-node a plain import() would be
 * transformed by Vite and give the build its own copy of react-router, so hooks fail to find
 * the router context; require() of ESM (Node 22) bypasses that.
 */
export async function loadBuild(): Promise<LoadedBuild> {
  return withLock(async () => {
    const build = createRequire(import.meta.url)(SERVER_BUILD) as ServerBuild;
    const assets = new Map<string, Buffer>();
    snapshot(ASSETS_DIR, "", assets);
    return { build, assets };
  });
}
