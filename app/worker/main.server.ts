import prisma, { yieldWritesToWeb } from "../db.server";
import { appEnv } from "../env.server";
import { unauthenticated } from "../shopify.server";
import { closeJobQueue } from "./queue.server";
import type { Worker } from "./worker.server";
import { startWorker } from "./worker.server";

/**
 * Entry points the production build exports (app/entry.server.tsx) for the two processes:
 * scripts/worker.mjs starts the worker, scripts/serve.mjs and the worker release what they hold
 * when they are told to stop.
 */

// Reconciliation and imports need the shop's offline session; a shop without one is retried.
async function adminFor(shop: string) {
  try {
    return (await unauthenticated.admin(shop)).admin;
  } catch {
    return null;
  }
}

export function startAppWorker(
  options: {
    pollMs?: number;
    /** This process runs beside the web server's (scripts/worker.mjs), not inside it. */
    ownProcess?: boolean;
  } = {},
): Promise<Worker> {
  const env = appEnv();
  if (options.ownProcess) yieldWritesToWeb();
  return startWorker({
    prisma,
    adminFor,
    now: () => new Date(),
    url: env.DATABASE_URL,
    pollMs: options.pollMs,
  });
}

/** Closes the job queue and the database pool; the last thing a stopping process does. */
export async function releaseResources() {
  await closeJobQueue();
  await prisma.$disconnect();
}
