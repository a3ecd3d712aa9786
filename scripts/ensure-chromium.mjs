/**
 * `npm test`'s first step: the browser tests drive real Chromium (sandbox/chromium.ts), which npm
 * cannot install. On a fresh Debian machine where we may (root with apt-get), install Debian's
 * package, as .ci/run does; otherwise stop with the exact command to run, before the suite starts.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const INSTALL = "apt-get update && apt-get install -y --no-install-recommends chromium";

/** What to do, from what the machine has. */
export function chromiumPlan({ path, found, root, apt }) {
  if (found) return { action: "none" };
  if (root && apt) return { action: "install", command: INSTALL };
  return {
    action: "explain",
    message:
      `The browser tests need Chromium at ${path}, and it is not installed.\n` +
      `Install Debian's package: sudo sh -c '${INSTALL}'\n` +
      "or point CHROMIUM_PATH at a Chromium binary, then run npm test again.",
  };
}

function main() {
  const path = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  const plan = chromiumPlan({
    path,
    found: existsSync(path),
    root: typeof process.getuid === "function" && process.getuid() === 0,
    apt: existsSync("/usr/bin/apt-get"),
  });
  if (plan.action === "none") return 0;
  if (plan.action === "explain") {
    console.error(plan.message);
    return 1;
  }
  console.log(`Chromium is missing; installing Debian's package: ${plan.command}`);
  const run = spawnSync("sh", ["-c", plan.command], {
    stdio: "inherit",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  if (run.status !== 0 || !existsSync(path)) {
    console.error(`Installing Chromium failed; run it yourself: ${plan.command}`);
    return 1;
  }
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = main();
