import { timingSafeEqual } from "node:crypto";
import type { ActionFunctionArgs } from "@remix-run/node";
import prisma from "../db.server";
import { appEnv } from "../env.server";
import { runScheduledJobs } from "../loyalty/jobs.server";
import { unauthenticated } from "../shopify.server";

// Reconciliation needs the shop's offline session; a shop without one is retried next run.
async function adminFor(shop: string) {
  try {
    return (await unauthenticated.admin(shop)).admin;
  } catch {
    return null;
  }
}

/**
 * Scheduled work (pending → available, expiry, tier windows, reward codes) is triggered by the host's cron:
 *   curl -X POST -H "Authorization: Bearer $CRON_SECRET" $SHOPIFY_APP_URL/jobs/run
 * Every step is idempotent, so overlapping or repeated runs are harmless.
 */
function authorized(request: Request): boolean {
  const secret = appEnv().CRON_SECRET;
  if (!secret) return false;
  const given = Buffer.from(request.headers.get("authorization") ?? "");
  const expected = Buffer.from(`Bearer ${secret}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export const action = async ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST") return new Response(null, { status: 405 });
  if (!authorized(request)) return Response.json({ error: "unauthorized" }, { status: 401 });
  const result = await runScheduledJobs(prisma, adminFor);
  return Response.json(result);
};
