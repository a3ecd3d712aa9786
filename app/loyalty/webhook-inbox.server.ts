import { Prisma } from "@prisma/client";
import prisma, { databaseProvider, sqlTime } from "../db.server";
import { handlerForTopic } from "./webhook-topics.server";
import type { Delivery, Outcome } from "./webhooks.server";
import { abandonDelivery, settleDelivery } from "./webhooks.server";

/**
 * The worker's side of webhook intake: QUEUED WebhookDelivery rows, stored by the routes in one
 * INSERT each, applied here in the order they arrived (steps 4 and 5 of app/loyalty/webhooks.server.ts).
 *
 * A worker claims a batch by setting `claimedUntil` (a lease) in one conditional UPDATE; on
 * PostgreSQL `FOR UPDATE SKIP LOCKED` lets any number of workers claim disjoint batches without
 * waiting on each other. A worker that dies mid-batch leaves its rows to be claimed again when the
 * lease runs out; one applied twice that way finds its natural keys taken and changes nothing.
 * Each delivery commits on its own, so one failing effect never holds back or undoes the others.
 */

export const INBOX_BATCH = 25;
/**
 * Deliveries one worker applies at once. PostgreSQL spends most of a delivery waiting on round
 * trips, so a few in flight multiply what one worker applies (row locks and natural keys keep
 * two events of one order correct, as two web requests were). SQLite has one writer: one.
 */
export const INBOX_LANES = databaseProvider === "postgresql" ? 4 : 1;

/**
 * SQLite has one write lock per file, and a worker applying in a loop holds it most of the time:
 * measured, the web server's intake INSERTs waited behind it (0.17× the no-op route at c=64, p99
 * near 4 s in a 2,000 burst). So while deliveries are arriving — one came in the last
 * INTAKE_QUIET_MS — a SQLite worker leaves the lock to intake, for at most INTAKE_PRIORITY_MS
 * of backlog: a flash sale is answered first and applied right after. PostgreSQL needs none of it.
 */
export const INTAKE_QUIET_MS = 100;
export const INTAKE_PRIORITY_MS = 10_000;

async function intakeBusy(now: Date): Promise<boolean> {
  // Due rows only: one waiting out a backoff has a runAfter ahead and is no arrival.
  const queued = await prisma.webhookDelivery.aggregate({
    where: { status: "QUEUED", runAfter: { lte: now } },
    _max: { runAfter: true },
    _min: { runAfter: true },
  });
  const newest = queued._max.runAfter?.getTime();
  const oldest = queued._min.runAfter?.getTime();
  if (newest === undefined || oldest === undefined) return false;
  return newest > now.getTime() - INTAKE_QUIET_MS && oldest > now.getTime() - INTAKE_PRIORITY_MS;
}

/** Far longer than a batch takes (each delivery's transaction is capped at 4 s). */
export const LEASE_MS = 5 * 60_000;

/**
 * A delivery that failed without a counted attempt (the database busy or away, or the failure
 * not even recordable) is not tried forever: after GIVE_UP_MS — Shopify's own retry window — it
 * is dead-lettered like any other, for the merchant to replay.
 */
export const GIVE_UP_MS = 48 * 60 * 60_000;

/** When a delivery that did not settle is tried again; `ageMs` since it arrived. */
export function retryDelay(outcome: Outcome, ageMs: number): number {
  if (outcome.attempt) return 10_000 * 6 ** (outcome.attempt - 1); // 10 s, then 60 s
  // Nothing counted: soon at first, then less often the longer the trouble lasts (≤ 10 min).
  return Math.min(10 * 60_000, Math.max(5_000, ageMs / 10));
}

async function claim(now: Date, limit: number): Promise<string[]> {
  const lease = new Date(now.getTime() + LEASE_MS);
  const due = Prisma.sql`SELECT "id" FROM "WebhookDelivery"
    WHERE "status" = 'QUEUED' AND "runAfter" <= ${sqlTime(now)}
      AND ("claimedUntil" IS NULL OR "claimedUntil" <= ${sqlTime(now)})
    ORDER BY "runAfter" LIMIT ${limit}`;
  const rows = await prisma.$queryRaw<{ id: string }[]>(
    Prisma.sql`UPDATE "WebhookDelivery" SET "claimedUntil" = ${sqlTime(lease)}
      WHERE "id" IN (${databaseProvider === "postgresql" ? Prisma.sql`${due} FOR UPDATE SKIP LOCKED` : due})
      RETURNING "id"`,
  );
  return rows.map((row) => row.id);
}

export interface InboxRun {
  applied: number;
  /** Deliveries that failed this time and wait for their next attempt. */
  retrying: number;
}

/**
 * Applies queued deliveries until none is due (or `max` were handled), one claimed batch at a
 * time. Returns what it did; the worker loop calls it again straight away when it was busy.
 */
export async function applyQueuedWebhooks(
  options: {
    now?: () => Date;
    max?: number;
    batch?: number;
    lanes?: number;
    /** Stop while deliveries are arriving (INTAKE_QUIET_MS): what a SQLite worker does. */
    yieldToIntake?: boolean;
    /** Asked between deliveries: the worker is stopping, claimed rows not started go back. */
    stopping?: () => boolean;
  } = {},
): Promise<InboxRun> {
  const now = options.now ?? (() => new Date());
  const max = options.max ?? Infinity;
  const stopping = options.stopping ?? (() => false);
  const run: InboxRun = { applied: 0, retrying: 0 };
  while (run.applied + run.retrying < max && !stopping()) {
    if (options.yieldToIntake && (await intakeBusy(now()))) break;
    // Yielding works between batches: a short one keeps the lock's busy stretches short.
    const batch = options.batch ?? (options.yieldToIntake ? 5 : INBOX_BATCH);
    const ids = await claim(now(), Math.min(batch, max - run.applied - run.retrying));
    if (ids.length === 0) break;
    const rows = await prisma.webhookDelivery.findMany({
      where: { id: { in: ids }, status: "QUEUED" },
      orderBy: { runAfter: "asc" },
    });
    const lane = async () => {
      for (let row = rows.shift(); row; row = rows.shift()) {
        if (stopping()) {
          await release(row.id, now());
          continue;
        }
        let outcome: Outcome;
        try {
          outcome = await applyOne(row, now());
        } catch {
          // Recording the outcome failed (the database busy or away): try again soon.
          outcome = { status: 503 };
        }
        if (outcome.status === 200) run.applied += 1;
        else {
          run.retrying += 1;
          const age = now().getTime() - row.receivedAt.getTime();
          await release(row.id, new Date(now().getTime() + retryDelay(outcome, age))).catch(
            () => {}, // the lease runs out instead
          );
        }
      }
    };
    await Promise.all(Array.from({ length: options.lanes ?? INBOX_LANES }, lane));
  }
  return run;
}

/** Gives a claimed delivery back, to be tried at `runAfter`. */
function release(id: string, runAfter: Date) {
  return prisma.webhookDelivery.updateMany({
    where: { id, status: "QUEUED" },
    data: { claimedUntil: null, runAfter },
  });
}

type Row = Awaited<ReturnType<typeof prisma.webhookDelivery.findMany>>[number];

async function applyOne(row: Row, now: Date): Promise<Outcome> {
  const delivery: Delivery = {
    shop: row.shop,
    topic: row.topic,
    webhookId: row.webhookId,
    eventId: row.eventId,
    text: row.payload ?? "",
    bytes: row.payloadBytes ?? 0,
  };
  if (now.getTime() - row.receivedAt.getTime() > GIVE_UP_MS) {
    await abandonDelivery(delivery);
    return { status: 200 };
  }
  // Applied as of its arrival, as it would have been inline (pending periods, expiry clocks).
  return settleDelivery(handlerForTopic(row.topic), delivery, row.receivedAt, true);
}

/** How far behind the worker is: deliveries waiting and the age of the oldest, for /healthz. */
export async function inboxLag(now = new Date()) {
  const [waiting, oldest] = await Promise.all([
    prisma.webhookDelivery.count({ where: { status: "QUEUED" } }),
    prisma.webhookDelivery.findFirst({
      where: { status: "QUEUED" },
      orderBy: { runAfter: "asc" },
      select: { receivedAt: true },
    }),
  ]);
  return {
    waiting,
    oldestSeconds: oldest ? Math.max(0, (now.getTime() - oldest.receivedAt.getTime()) / 1000) : 0,
  };
}
