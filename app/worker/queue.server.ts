import type { PrismaClient } from "@prisma/client";
import prisma from "../db.server";
import { PgBoss } from "pg-boss";
import { databaseKind } from "../database-url";
import { databaseEnv } from "../env.server";
import { log, errorFields } from "../log.server";
import type { JobData, JobName } from "./jobs.server";
import { JOB_NAMES, jobDefinition } from "./jobs.server";

/**
 * How web requests hand work to the worker. On PostgreSQL: pg-boss (a well-kept Postgres job
 * queue: retries, schedules, one runner per job across every instance). On SQLite, where there is
 * one app instance, the QueuedJob table, polled by the worker process.
 */
export interface JobQueue {
  send(name: JobName, data?: JobData): Promise<void>;
  close(): Promise<void>;
}

export const PG_BOSS_SCHEMA = "pgboss";

/** pg-boss settings shared by web processes (which only send) and the worker. */
export function pgBossOptions(url: string, options: { worker: boolean }) {
  return {
    connectionString: url,
    schema: PG_BOSS_SCHEMA,
    application_name: options.worker ? "loyalty-worker" : "loyalty-web",
    max: options.worker ? 4 : 2,
    connectionTimeoutMillis: 5_000,
    // Only the worker keeps the queue tidy and fires schedules; web processes just send.
    supervise: options.worker,
    schedule: options.worker,
  };
}

/** Every job has a queue: scheduled ones are "stately" (at most one queued and one running). */
export async function ensureQueues(boss: PgBoss) {
  for (const name of JOB_NAMES) {
    const options = {
      retryLimit: 5,
      retryDelay: 10,
      retryBackoff: true,
      expireInSeconds: jobDefinition(name).expireInSeconds ?? 15 * 60,
    };
    // Existing queues take this release's settings too (the policy cannot change).
    if (await boss.getQueue(name)) await boss.updateQueue(name, options);
    else {
      await boss.createQueue(name, {
        policy: jobDefinition(name).cron ? "stately" : "singleton",
        ...options,
      });
    }
  }
}

class PgBossQueue implements JobQueue {
  #boss: Promise<PgBoss> | null = null;
  constructor(private readonly url: string) {}

  #started() {
    this.#boss ??= (async () => {
      const boss = new PgBoss(pgBossOptions(this.url, { worker: false }));
      boss.on("error", (error) => log.error("job queue error", errorFields(error)));
      await boss.start();
      await ensureQueues(boss);
      return boss;
    })().catch((error: unknown) => {
      this.#boss = null;
      throw error;
    });
    return this.#boss;
  }

  async send(name: JobName, data: JobData = {}) {
    const boss = await this.#started();
    const key = jobDefinition(name).keyOf?.(data);
    await boss.send(name, data, key ? { singletonKey: key } : {});
  }

  async close() {
    const boss = this.#boss;
    this.#boss = null;
    if (boss) await (await boss).stop({ graceful: false, close: true });
  }
}

class SqliteQueue implements JobQueue {
  constructor(private readonly prisma: PrismaClient) {}

  async send(name: JobName, data: JobData = {}) {
    const key = jobDefinition(name).keyOf?.(data) ?? (jobDefinition(name).cron ? name : null);
    await this.prisma.$transaction(async (tx) => {
      if (key) {
        // One waiting job per key; asking again means "now" (e.g. Retry after a failure that is
        // waiting out its backoff).
        const { count } = await tx.queuedJob.updateMany({
          where: { name, key, startedAt: null, finishedAt: null },
          data: { runAfter: new Date() },
        });
        if (count > 0) return;
      }
      const shop = typeof data.shop === "string" ? data.shop : null;
      await tx.queuedJob.create({ data: { name, key, shop, data: data as object } });
    });
  }

  async close() {}
}

export function createJobQueue(prisma: PrismaClient, url = databaseEnv().DATABASE_URL): JobQueue {
  return databaseKind(url) === "postgresql" ? new PgBossQueue(url) : new SqliteQueue(prisma);
}

let shared: JobQueue | undefined;

/** This process's queue, on the app's own database client. */
export function jobQueue(): JobQueue {
  shared ??= createJobQueue(prisma);
  return shared;
}

export async function closeJobQueue() {
  const queue = shared;
  shared = undefined;
  await queue?.close();
}
