import { timingSafeEqual } from "node:crypto";
import type { ActionFunctionArgs } from "@remix-run/node";
import { appEnv } from "../env.server";
import { SCHEDULED_JOBS } from "../worker/jobs.server";
import { jobQueue } from "../worker/queue.server";

/**
 * Asks the worker to run every scheduled job now (pending release, expiry, tier windows, reward
 * codes, redemption reconciliation), e.g. from a host's cron or after a support fix:
 *   curl -X POST -H "Authorization: Bearer $CRON_SECRET" $SHOPIFY_APP_URL/jobs/run
 * The jobs run in the worker, not in this request; a job already waiting is not queued twice.
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
  for (const name of SCHEDULED_JOBS) await jobQueue().send(name);
  return Response.json({ queued: SCHEDULED_JOBS }, { status: 202 });
};
