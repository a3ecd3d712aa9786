import os from "node:os";
import prisma from "../db.server";
import { errorFields, log } from "../log.server";

const INSTANCE = `${os.hostname()}:${process.pid}`;
const DEADLINE_MS = 2_000;

/**
 * For load balancers and uptime checks: 200 only when this process can write to the database.
 * A read alone is not enough: a SQLite file whose write lock is held elsewhere, or a PostgreSQL
 * replica after a failover, answers reads while every webhook fails.
 */
export const loader = async () => {
  const headers = { "Cache-Control": "no-store" };
  let timer: NodeJS.Timeout | undefined;
  try {
    const now = new Date();
    await Promise.race([
      prisma.healthCheck.upsert({
        where: { instance: INSTANCE },
        create: { instance: INSTANCE, checkedAt: now },
        update: { checkedAt: now },
      }),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no write within ${DEADLINE_MS} ms`)),
          DEADLINE_MS,
        );
      }),
    ]);
    return Response.json({ status: "ok" }, { headers });
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
