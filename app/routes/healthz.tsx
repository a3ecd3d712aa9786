import os from "node:os";
import prisma from "../db.server";
import { errorFields, log } from "../log.server";
import { inboxLag } from "../loyalty/webhook-inbox.server";

const INSTANCE = `${os.hostname()}:${process.pid}`;
const DEADLINE_MS = 2_000;

/**
 * For load balancers and uptime checks: 200 only when this process can write to the database.
 * A read alone is not enough: a SQLite file whose write lock is held elsewhere, or a PostgreSQL
 * replica after a failover, answers reads while every webhook fails. `webhooks` tells how far
 * the worker is behind (deliveries waiting, age of the oldest): a monitor's alert, not a failure
 * of this process.
 */
export const loader = async () => {
  const headers = { "Cache-Control": "no-store" };
  let timer: NodeJS.Timeout | undefined;
  try {
    const now = new Date();
    const [, webhooks] = await Promise.race([
      Promise.all([
        prisma.healthCheck.upsert({
          where: { instance: INSTANCE },
          create: { instance: INSTANCE, checkedAt: now },
          update: { checkedAt: now },
        }),
        inboxLag(now),
      ]),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no write within ${DEADLINE_MS} ms`)),
          DEADLINE_MS,
        );
      }),
    ]);
    return Response.json({ status: "ok", webhooks }, { headers });
  } catch (error) {
    log.error("healthz: database write failed", errorFields(error));
    return Response.json(
      { status: "error", error: "database unavailable" },
      { status: 503, headers },
    );
  } finally {
    clearTimeout(timer);
  }
};
