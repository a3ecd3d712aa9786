import type { Program } from "@prisma/client";
import prisma from "../db.server";
import type { FieldErrors } from "../domain/forms";
import type { ProgramSettings } from "../domain/program-settings";
import { storefrontProgramValue } from "../domain/program-settings";
import { parsePointsNames } from "../domain/storefront-text";
import { balanceExpiresAt } from "../domain/schedule";
import { canWelcomeFriends, rewardTermErrors } from "../domain/rewards";
import { parseSocialFollows } from "../domain/social";
import { programFor } from "../loyalty/program.server";
import { rewardTerms } from "../loyalty/redemptions.server";
import type { AdminGraphqlClient, RetryPolicy } from "../shopify/admin-api.server";
import { AdminApiError, adminQuery, DEFAULT_RETRY_POLICY } from "../shopify/admin-api.server";
import { CURRENT_APP_INSTALLATION, SET_METAFIELDS } from "../shopify/operations";
import type {
  LoyaltyCurrentAppInstallationQuery,
  LoyaltyCurrentAppInstallationQueryVariables,
  LoyaltySetMetafieldsMutation,
  LoyaltySetMetafieldsMutationVariables,
} from "../types/admin.generated";
import { log } from "../log.server";

// A merchant is waiting on the save button: retry briefly, then report and let them retry.
const PUBLISH_RETRY: RetryPolicy = { ...DEFAULT_RETRY_POLICY, attempts: 3, budgetMs: 3_000 };

export async function loadProgram(shop: string) {
  return programFor(prisma, shop);
}

export function settingsOf(program: Program): ProgramSettings {
  return {
    enabled: program.enabled,
    earnPoints: program.earnPoints,
    earnPerAmount: program.earnPerAmount,
    rounding: program.rounding as ProgramSettings["rounding"],
    awardTestOrders: program.awardTestOrders,
    signupBonus: program.signupBonus,
    pendingDays: program.pendingDays,
    expiryMonths: program.expiryMonths,
    pointsNameOne: program.pointsNameOne,
    pointsNameOther: program.pointsNameOther,
    pointsNames: parsePointsNames(program.pointsNames),
    allowNegativeBalance: program.allowNegativeBalance,
    returnPointsOnExpiredCodes: program.returnPointsOnExpiredCodes,
    redemptionsPerHour: program.redemptionsPerHour,
    maxPointsPerOrder: program.maxPointsPerOrder,
    flowTriggers: program.flowTriggers,
    expiryNoticeDays: program.expiryNoticeDays,
    customerSync: program.customerSync,
    tierTags: program.tierTags,
    referrals: program.referrals,
    referralPoints: program.referralPoints,
    referralRewardId: program.referralRewardId,
    referralPendingDays: program.referralPendingDays,
    referralsPerMonth: program.referralsPerMonth,
    birthdayPoints: program.birthdayPoints,
    npsSurvey: program.npsSurvey,
    npsPoints: program.npsPoints,
    npsIntervalDays: program.npsIntervalDays,
    socialFollows: parseSocialFollows(program.socialFollows),
  };
}

/** Balances a new expiry policy would expire at the next scheduled run. */
export async function newlyExpiringBalances(
  shop: string,
  expiryMonths: number | null,
  now: Date,
): Promise<{ members: number; points: number }> {
  if (!expiryMonths) return { members: 0, points: 0 };
  const candidates = await prisma.member.findMany({
    where: {
      shop,
      balance: { gt: 0 },
      lastActivityAt: { not: null },
      // Already due under the current policy: they expire whatever the merchant picks now.
      OR: [{ expiresAt: null }, { expiresAt: { gt: now } }],
    },
    select: { balance: true, lastActivityAt: true },
  });
  let members = 0;
  let points = 0;
  for (const member of candidates) {
    const due = balanceExpiresAt(member.lastActivityAt, expiryMonths);
    if (due && due <= now) {
      members += 1;
      points += member.balance;
    }
  }
  return { members, points };
}

export type SaveProgramResult =
  | { ok: true; program: Program; publishError: string | null }
  | { ok: false; errors: FieldErrors; confirmExpiry?: { members: number; points: number } };

/**
 * Saves the settings and republishes the storefront copy. The database write is one
 * transaction (settings and every member's recomputed expiry date together); publishing happens
 * after it, so a Shopify outage never loses the merchant's edits — it is recorded and shown.
 */
export async function saveProgram(options: {
  shop: string;
  admin: AdminGraphqlClient;
  settings: ProgramSettings;
  /** The number of newly expiring members the merchant agreed to, from the confirmation step. */
  confirmedExpiring: number | null;
  now?: Date;
  retry?: RetryPolicy;
}): Promise<SaveProgramResult> {
  const { shop, settings } = options;
  const now = options.now ?? new Date();
  const current = await loadProgram(shop);

  // The friends' offer must be one of this shop's rewards, with terms a code can have.
  if (settings.referralRewardId) {
    const reward = await prisma.reward.findFirst({
      where: { id: settings.referralRewardId, shop },
    });
    const problem = !reward
      ? "Choose one of your rewards"
      : !canWelcomeFriends(reward.type)
        ? "Friends get a single-use code: choose an amount off, a percentage off or free shipping"
        : Object.keys(rewardTermErrors(rewardTerms(reward), current.currency)).length
          ? "This reward's settings are incomplete: fix it on its page first"
          : null;
    if (problem) return { ok: false, errors: { referralRewardId: problem } };
  }

  const expiryChanged = current.expiryMonths !== settings.expiryMonths;
  if (expiryChanged) {
    const impact = await newlyExpiringBalances(shop, settings.expiryMonths, now);
    if (impact.members > 0 && options.confirmedExpiring !== impact.members) {
      return {
        ok: false,
        errors: {
          expiryMonths: `${impact.members} ${impact.members === 1 ? "member has" : "members have"} been inactive longer than this and would lose ${impact.points} points at the next expiry run. Save again to confirm.`,
        },
        confirmExpiry: impact,
      };
    }
  }

  const program = await prisma.$transaction(
    async (tx) => {
      const saved = await tx.program.update({
        where: { shop },
        data: { ...settings, earnRateReviewedAt: current.earnRateReviewedAt ?? now },
      });
      if (expiryChanged) await recomputeExpiryDates(tx, shop, settings.expiryMonths, now);
      // Switched on: every member is written to Shopify once, then as they change.
      const syncStarts =
        (settings.customerSync && !current.customerSync) ||
        (settings.tierTags && !current.tierTags);
      if (syncStarts) await tx.member.updateMany({ where: { shop }, data: { syncDirty: true } });
      return saved;
    },
    { timeout: 60_000, maxWait: 10_000 },
  );

  const publishError = await publishStorefrontProgram(options.admin, program, now, options.retry);
  return {
    ok: true,
    program: await prisma.program.findUniqueOrThrow({ where: { shop } }),
    publishError,
  };
}

/** Member.expiresAt caches the policy; a new policy must not leave yesterday's dates behind. */
async function recomputeExpiryDates(
  tx: Parameters<Parameters<typeof prisma.$transaction>[0]>[0],
  shop: string,
  expiryMonths: number | null,
  now: Date,
) {
  if (!expiryMonths) {
    await tx.member.updateMany({ where: { shop }, data: { expiresAt: null, syncDirty: true } });
    return;
  }
  const members = await tx.member.findMany({
    where: { shop, lastActivityAt: { not: null } },
    select: { id: true, lastActivityAt: true },
  });
  for (const member of members) {
    // Conditional on the activity read above: a member who earns meanwhile keeps the date
    // postEntry gave them rather than one computed from their previous activity.
    await tx.member.updateMany({
      where: { id: member.id, lastActivityAt: member.lastActivityAt },
      data: {
        expiresAt: balanceExpiresAt(member.lastActivityAt, expiryMonths, now),
        syncDirty: true,
      },
    });
  }
}

/**
 * Writes the app-data metafield the theme extension reads (namespace "loyalty", key "program").
 * Returns null on success or a message for the merchant; the outcome is stored on the program so
 * the warning survives a reload until a publish succeeds.
 */
export async function publishStorefrontProgram(
  admin: AdminGraphqlClient,
  program: Program,
  now = new Date(),
  retry: RetryPolicy = PUBLISH_RETRY,
): Promise<string | null> {
  let error: string | null = null;
  try {
    const { currentAppInstallation } = await adminQuery<LoyaltyCurrentAppInstallationQuery>(
      admin,
      CURRENT_APP_INSTALLATION,
      {} satisfies LoyaltyCurrentAppInstallationQueryVariables,
      retry,
    );
    const result = await adminQuery<LoyaltySetMetafieldsMutation>(
      admin,
      SET_METAFIELDS,
      {
        metafields: [
          {
            ownerId: currentAppInstallation.id,
            namespace: "loyalty",
            key: "program",
            type: "json",
            value: JSON.stringify(storefrontProgramValue(program)),
          },
        ],
      } satisfies LoyaltySetMetafieldsMutationVariables,
      retry,
    );
    // The schema allows a null payload; Shopify sends one only alongside errors, which throw first.
    if (!result.metafieldsSet) throw new Error("Admin API returned no metafieldsSet payload");
    const problems = result.metafieldsSet.userErrors;
    if (problems.length) error = problems.map((p) => p.message).join("; ");
  } catch (caught) {
    error =
      caught instanceof AdminApiError
        ? caught.message
        : caught instanceof Error
          ? caught.message
          : String(caught);
  }
  if (error) log.warn("storefront program not published", { shop: program.shop, error });
  await prisma.program.update({
    where: { shop: program.shop },
    data: error
      ? { storefrontSyncError: error }
      : { storefrontSyncError: null, storefrontSyncedAt: now },
  });
  return error;
}
