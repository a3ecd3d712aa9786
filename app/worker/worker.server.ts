import { CronExpressionParser } from "cron-parser";
import { PgBoss } from "pg-boss";
import { databaseKind } from "../database-url";
import { errorFields, log } from "../log.server";
import { applyQueuedWebhooks } from "../loyalty/webhook-inbox.server";
import type { JobContext, JobData, JobName } from "./jobs.server";
import { JOB_NAMES, SCHEDULED_JOBS, isJobName, jobDefinition } from "./jobs.server";
import { createJobQueue, ensureQueues, pgBossOptions } from "./queue.server";

/**
 * The worker process (`npm run worker`; `npm run demo` starts one too). It runs every job of
 * app/worker/jobs.server.ts on its schedule and whatever web requests send, never inside a
 * request. On PostgreSQL any number of workers may run: pg-boss hands each job to one of them and
 * fires each schedule once. On SQLite run one worker beside the one app instance.
 *
 * Beside the jobs, every worker applies the webhooks the routes queued (app/loyalty/
 * webhook-inbox.server.ts) in a loop of its own, so a long job never holds points back.
 */

export interface Worker {
  /** Stops taking jobs, waits for the ones running (up to `timeoutMs`), then returns. */
  stop(timeoutMs?: number): Promise<void>;
}

export interface WorkerOptions extends JobContext {
  url: string;
  /** How often an idle SQLite worker looks for work. */
  pollMs?: number;
  /** How often an idle worker looks for queued webhooks (default 200 ms). */
  inboxPollMs?: number;
}

const MAX_ATTEMPTS = 5;

async function runJob(context: JobContext, name: JobName, data: JobData) {
  const started = Date.now();
  const result = await jobDefinition(name).run(context, data);
  log.info("job finished", { job: name, ms: Date.now() - started, result: summary(result) });
}

/** Counts are worth logging; anything bigger (or personal) is not. */
function summary(result: unknown): unknown {
  if (typeof result === "number") return result;
  if (result && typeof result === "object") {
    return Object.fromEntries(
      Object.entries(result).filter(([, value]) => typeof value === "number"),
    );
  }
  return undefined;
}

export async function startWorker(options: WorkerOptions): Promise<Worker> {
  const jobs = await (databaseKind(options.url) === "postgresql"
    ? startPgBossWorker(options)
    : startSqliteWorker(options));
  const inbox = startInboxLoop(options);
  return {
    async stop(timeoutMs = 30_000) {
      await Promise.all([inbox.stop(timeoutMs), jobs.stop(timeoutMs)]);
      log.info("worker stopped");
    },
  };
}

/**
 * Applies queued webhooks as they come: straight on while there are any, then every
 * `inboxPollMs` — a lookup on the (status, runAfter) index that finds nothing costs well under
 * a millisecond.
 */
function startInboxLoop(options: WorkerOptions): Worker {
  const pollMs = options.inboxPollMs ?? 200;
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = async (): Promise<boolean> => {
    try {
      const run = await applyQueuedWebhooks({
        now: options.now,
        max: 500,
        yieldToIntake: databaseKind(options.url) === "sqlite",
        // A stopping worker finishes the delivery in hand and gives the rest of its batch back.
        stopping: () => stopping,
      });
      return run.applied + run.retrying >= 500;
    } catch (error) {
      log.error("applying queued webhooks failed; trying again", errorFields(error));
      return false;
    }
  };
  const loop = () => {
    if (stopping) return;
    running = tick().then((busy) => {
      if (!stopping) timer = setTimeout(loop, busy ? 0 : pollMs);
    });
  };
  loop();
  return {
    async stop(timeoutMs = 30_000) {
      stopping = true;
      clearTimeout(timer);
      await Promise.race([running, new Promise((resolve) => setTimeout(resolve, timeoutMs))]);
    },
  };
}

async function startPgBossWorker(options: WorkerOptions): Promise<Worker> {
  const boss = new PgBoss(pgBossOptions(options.url, { worker: true }));
  boss.on("error", (error) => log.error("job queue error", errorFields(error)));
  await boss.start();
  await ensureQueues(boss);
  for (const name of SCHEDULED_JOBS) {
    await boss.schedule(name, jobDefinition(name).cron!, {}, { tz: "UTC" });
  }
  for (const name of JOB_NAMES) {
    await boss.work<JobData>(name, { pollingIntervalSeconds: 1, batchSize: 1 }, async (jobs) => {
      for (const job of jobs) {
        try {
          await runJob(options, name, job.data ?? {});
        } catch (error) {
          log.warn("job failed; pg-boss retries it", {
            job: name,
            attempt: job.retryCount + 1,
            ...errorFields(error),
          });
          throw error;
        }
      }
    });
  }
  log.info("worker started", { queue: "pg-boss", jobs: JOB_NAMES });
  return {
    async stop(timeoutMs = 30_000) {
      await boss.stop({ graceful: true, timeout: timeoutMs, close: true });
    },
  };
}

/** The next time a cron expression fires after `from` (UTC). */
export function nextRun(cron: string, from: Date): Date {
  return CronExpressionParser.parse(cron, { currentDate: from, tz: "UTC" }).next().toDate();
}

/**
 * Runs queued SQLite jobs until none is due. One worker per SQLite file, so a job is claimed by
 * a conditional update only to keep a stray second worker from running it twice.
 */
export async function runQueuedSqliteJobs(options: JobContext): Promise<number> {
  const { prisma } = options;
  let ran = 0;
  for (;;) {
    const now = options.now();
    const candidate = await prisma.queuedJob.findFirst({
      where: { startedAt: null, finishedAt: null, runAfter: { lte: now } },
      orderBy: [{ runAfter: "asc" }, { createdAt: "asc" }],
    });
    if (!candidate) return ran;
    const { count } = await prisma.queuedJob.updateMany({
      where: { id: candidate.id, startedAt: null },
      data: { startedAt: now, attempts: { increment: 1 } },
    });
    if (count === 0) continue;
    ran += 1;
    const attempt = candidate.attempts + 1;
    try {
      if (!isJobName(candidate.name)) throw new Error(`unknown job ${candidate.name}`);
      await runJob(options, candidate.name, (candidate.data ?? {}) as JobData);
      await prisma.queuedJob.update({
        where: { id: candidate.id },
        data: { finishedAt: options.now(), error: null },
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const final = attempt >= MAX_ATTEMPTS;
      log[final ? "error" : "warn"](final ? "job failed for good" : "job failed; will retry", {
        job: candidate.name,
        attempt,
        ...errorFields(error),
      });
      await prisma.queuedJob.update({
        where: { id: candidate.id },
        data: final
          ? { finishedAt: options.now(), error: message }
          : {
              startedAt: null,
              error: message,
              runAfter: new Date(options.now().getTime() + 10_000 * 2 ** (attempt - 1)),
            },
      });
    }
  }
}

async function startSqliteWorker(options: WorkerOptions): Promise<Worker> {
  const { prisma } = options;
  const pollMs = options.pollMs ?? 1_000;
  // A job that was running when a previous worker died runs again (every job is idempotent).
  await prisma.queuedJob.updateMany({
    where: { startedAt: { not: null }, finishedAt: null },
    data: { startedAt: null },
  });
  const due = new Map(
    SCHEDULED_JOBS.map((name) => [name, nextRun(jobDefinition(name).cron!, options.now())]),
  );
  const queue = createJobQueue(prisma, options.url);
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const tick = async () => {
    try {
      for (const [name, at] of due) {
        if (at > options.now()) continue;
        await queue.send(name);
        due.set(name, nextRun(jobDefinition(name).cron!, options.now()));
      }
      await runQueuedSqliteJobs(options);
    } catch (error) {
      log.error("worker loop failed; trying again", errorFields(error));
    }
  };
  const loop = () => {
    if (stopping) return;
    running = tick().finally(() => {
      if (!stopping) timer = setTimeout(loop, pollMs);
    });
  };
  loop();
  log.info("worker started", { queue: "sqlite", jobs: JOB_NAMES });
  return {
    async stop(timeoutMs = 30_000) {
      stopping = true;
      clearTimeout(timer);
      await Promise.race([running, new Promise((resolve) => setTimeout(resolve, timeoutMs))]);
    },
  };
}
