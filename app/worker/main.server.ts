import prisma, { databaseProvider } from "../db.server";
import { webhookProcessing } from "../loyalty/webhooks.server";
import { appEnv } from "../env.server";
import { unauthenticated } from "../shopify.server";
import { closeJobQueue } from "./queue.server";
import type { Worker } from "./worker.server";
import { startInboxLoop, startWorker } from "./worker.server";

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

export function startAppWorker(options: { pollMs?: number } = {}): Promise<Worker> {
  const env = appEnv();
  return startWorker({
    prisma,
    adminFor,
    now: () => new Date(),
    url: env.DATABASE_URL,
    pollMs: options.pollMs,
  });
}

/**
 * On SQLite, the web server applies the webhooks it queued (scripts/serve.mjs calls this; see
 * startInboxLoop for why not the worker). Null elsewhere: PostgreSQL workers apply them, and
 * inline processing needs no applier. Claims left by a server that died are taken back at once:
 * on SQLite this is the only applier.
 */
export async function startWebhookApplier(): Promise<Worker | null> {
  if (databaseProvider !== "sqlite" || webhookProcessing() !== "queue") return null;
  await prisma.webhookDelivery.updateMany({
    where: { status: "QUEUED", claimedUntil: { not: null } },
    data: { claimedUntil: null },
  });
  return startInboxLoop({ now: () => new Date() });
}

/** Closes the job queue and the database pool; the last thing a stopping process does. */
export async function releaseResources() {
  await closeJobQueue();
  await prisma.$disconnect();
}
