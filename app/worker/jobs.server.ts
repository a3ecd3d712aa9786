import type { PrismaClient } from "@prisma/client";
import { runImportBatch } from "../admin/imports.server";
import { runReevaluation } from "../admin/tiers.server";
import { awardBirthdays } from "../loyalty/birthdays.server";
import { readCampaignCollections } from "../loyalty/campaign-collections.server";
import { redactShops } from "../loyalty/compliance.server";
import { syncCustomers } from "../loyalty/customer-sync.server";
import { announceExpiringPoints, sendFlowEvents } from "../loyalty/flow-triggers.server";
import { expireBalances, releasePendingPoints, reevaluateTiers } from "../loyalty/jobs.server";
import { expireRewardCodes, reconcileRedemptions } from "../loyalty/redemptions.server";
import { releaseReferralPoints, settleWelcomeCodes } from "../loyalty/referrals.server";
import { foldRollups } from "../loyalty/rollups.server";
import { syncTierPerks } from "../loyalty/tier-perks.server";
import type { AdminGraphqlClient } from "../shopify/admin-api.server";

/**
 * Everything that runs outside a web request, in one list: the worker (app/worker/worker.server.ts)
 * runs it on a schedule or on demand, on PostgreSQL through pg-boss and on SQLite in its own loop.
 * Every job is idempotent (ledger keys, conditional updates), so a retry after a crash, or an
 * overlap with a manual trigger, changes nothing twice.
 */

export interface JobContext {
  prisma: PrismaClient;
  /** The shop's Admin API through its offline session, or null when there is none. */
  adminFor(shop: string): Promise<AdminGraphqlClient | null>;
  now(): Date;
}

export type JobData = Record<string, unknown>;

interface JobDefinition {
  /** Standard 5-field cron (UTC) for scheduled jobs; absent for jobs sent on demand. */
  cron?: string;
  /** Jobs with the same key are not queued twice while one waits (on-demand jobs). */
  keyOf?: (data: JobData) => string;
  /** How long one run may take before the queue gives it to another worker (default 15 min). */
  expireInSeconds?: number;
  run(context: JobContext, data: JobData): Promise<unknown>;
}

export const JOBS = {
  /** Pending points whose period is over become spendable. */
  "release-pending-points": {
    cron: "*/5 * * * *",
    run: ({ prisma, now }) => releasePendingPoints(prisma, now()),
  },
  /** Referral points whose pending period is over become spendable. */
  "release-referral-points": {
    cron: "*/5 * * * *",
    run: ({ prisma, now }) => releaseReferralPoints(prisma, now()),
  },
  /** Birthday points for members whose birthday it is in their shop's time zone. */
  "award-birthdays": {
    cron: "23 * * * *",
    run: ({ prisma, now }) => awardBirthdays(prisma, now()),
  },
  /**
   * The products of campaigns' collections, read from Shopify (orders do not name collections);
   * also sent by the admin when a campaign's collections are saved.
   */
  "read-campaign-collections": {
    cron: "*/15 * * * *",
    run: ({ prisma, adminFor, now }, data) =>
      readCampaignCollections(prisma, adminFor, now(), { unreadOnly: data.unreadOnly === true }),
  },
  /**
   * The automatic discount that gives tier perks at checkout, kept in step with the tiers; also
   * sent by the tiers page when it saves.
   */
  "sync-tier-perks": {
    cron: "*/15 * * * *",
    run: ({ prisma, adminFor, now }, data) =>
      syncTierPerks(prisma, adminFor, now(), {
        ...(typeof data.shop === "string" && { shop: data.shop }),
      }),
  },
  /** Balances idle for the program's expiry period expire. */
  "expire-balances": {
    cron: "7 * * * *",
    run: ({ prisma, now }) => expireBalances(prisma, now()),
  },
  /** Calendar-year and rolling windows move members between tiers without any event. */
  "review-tiers": {
    cron: "17 3 * * *",
    run: ({ prisma, now }) => reevaluateTiers(prisma, now()),
  },
  /** Unused reward codes past their end date are marked expired (points back if configured). */
  "expire-reward-codes": {
    cron: "27 * * * *",
    run: ({ prisma, now }) => expireRewardCodes(prisma, now()),
  },
  /** Redemptions whose outcome is unknown are settled by asking Shopify for the code. */
  "reconcile-redemptions": {
    cron: "*/5 * * * *",
    run: ({ prisma, adminFor, now }) => reconcileRedemptions(prisma, adminFor, now()),
  },
  /** Friends' welcome codes whose creation nobody saw end are settled by looking them up. */
  "settle-welcome-codes": {
    cron: "*/5 * * * *",
    run: ({ prisma, adminFor, now }) => settleWelcomeCodes(prisma, adminFor, now()),
  },
  /** The sums that triggers keep (points, activity gaps, member counts) take in their changes. */
  "fold-ledger-rollups": {
    cron: "* * * * *",
    run: ({ prisma }) => foldRollups(prisma),
  },
  /** Loyalty events waiting for Shopify Flow are sent (app/loyalty/flow-triggers.server.ts). */
  "send-flow-events": {
    cron: "* * * * *",
    expireInSeconds: 5 * 60,
    run: ({ prisma, adminFor, now }) => sendFlowEvents(prisma, adminFor, now()),
  },
  /** Members' balance, tier and expiry date written to their Shopify customers. */
  "sync-customers": {
    cron: "* * * * *",
    expireInSeconds: 5 * 60,
    run: ({ prisma, adminFor, now }) => syncCustomers(prisma, adminFor, undefined, now()),
  },
  /** "Points expiring soon" for balances that expire within the program's notice period. */
  "announce-expiring-points": {
    cron: "37 * * * *",
    run: ({ prisma, now }) => announceExpiringPoints(prisma, now()),
  },
  /** Shops Shopify asked to erase (shop/redact), deleted in short batches until nothing is left. */
  "redact-shops": {
    cron: "* * * * *",
    run: ({ prisma }) => redactShops(prisma),
  },
  /** A CSV import's dry run, apply or undo, to the end of the phase (app/admin/imports.server.ts). */
  "import-batch": {
    keyOf: (data) => String(data.batchId),
    // A dry run of a large file looks up every email in Shopify, one call each.
    expireInSeconds: 4 * 60 * 60,
    run: (context, data) => runImportBatch(context, String(data.shop), String(data.batchId)),
  },
  /** Every member re-evaluated after the tier ladder changed (app/admin/tiers.server.ts). */
  "tier-reevaluation": {
    keyOf: (data) => String(data.jobId),
    expireInSeconds: 2 * 60 * 60,
    run: (context, data) => runReevaluation(context, String(data.shop), String(data.jobId)),
  },
} satisfies Record<string, JobDefinition>;

export type JobName = keyof typeof JOBS;

export const JOB_NAMES = Object.keys(JOBS) as JobName[];

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(JOBS, name);
}

export function jobDefinition(name: JobName): JobDefinition {
  return JOBS[name] as JobDefinition;
}

/** Names of the jobs that run on a schedule (what POST /jobs/run triggers). */
export const SCHEDULED_JOBS = JOB_NAMES.filter((name) => jobDefinition(name).cron);
