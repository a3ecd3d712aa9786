import { Prisma, type Reward } from "@prisma/client";
import prisma, { sqlTime } from "../db.server";
import { parseJsonOrNull } from "../domain/json";
import { fromMinorUnits } from "../domain/money";
import { campaignRules } from "../domain/campaigns";
import { applyUrl } from "../domain/rewards";
import {
  entryText,
  parseEntryText,
  pointsNameFor,
  creditedMessage,
  processingMessage,
  type StorefrontLocale,
  storefrontLocale,
  waysToEarn,
} from "../domain/storefront-text";
import { nextTier } from "../domain/tiers";
import { rewardTermsSchema } from "../domain/snapshots";
import { memberWithTierMetric, nextRelease } from "./members.server";
import { referralCard } from "./referrals.server";
import { birthdayCard } from "./birthdays.server";
import { followsOf } from "./social.server";
import { surveyDue } from "./surveys.server";
import { earningRules, tierBasis } from "./program.server";
import type { RedeemResult } from "./redemptions.server";
import { shopConfig } from "./shop-config.server";
import { STORE_CREDIT_CODES } from "./store-credit.server";

/**
 * What the storefront widget shows. Built from our own tables only: no Admin API call, so it works
 * whether or not the shop has an offline session, and stays fast.
 */

const HISTORY_LENGTH = 10;

interface HistoryRow {
  occurredAt: Date;
  points: number;
  pendingPoints: number;
  kind: string;
  /** JSON: an object on PostgreSQL, its text on SQLite. */
  text: unknown;
  description: string;
}

function publicReward(reward: Reward) {
  return { id: reward.id, name: reward.name, cost: reward.pointsCost, type: reward.type };
}

export async function programSummary(
  shop: string,
  locale: StorefrontLocale = "en",
  now = new Date(),
) {
  const { program, rewards, campaigns, welcomeReward } = await shopConfig(shop);
  // A shopper not signed in sees the campaigns open to every member.
  return {
    loggedIn: false as const,
    enabled: program.enabled,
    pointsName: pointsNameFor(program, locale),
    program: {
      waysToEarn: waysToEarn(
        earningRules(
          program,
          null,
          campaignRules(campaigns, now, null, program.currency),
          welcomeReward?.name,
        ),
        program,
        locale,
      ),
      rewards: rewards.map(publicReward),
    },
  };
}

export async function memberView(
  shop: string,
  customerId: string,
  locale: StorefrontLocale = "en",
  now = new Date(),
) {
  // SQL rather than Prisma's model API, as in memberWithTierMetric: this runs on every page a
  // signed-in shopper opens. Two rounds: on PostgreSQL each statement waits a round trip, and
  // those of a round run side by side on the pool. First what needs only the customer, then the
  // member with their tier metric, which needs the program.
  const [{ program, tiers, rewards, campaigns, welcomeReward }, history, held] = await Promise.all([
    shopConfig(shop),
    prisma.$queryRaw<HistoryRow[]>`
      SELECT e."occurredAt", e."points", e."pendingPoints", CAST(e."kind" AS TEXT) AS "kind",
        e."text", e."description"
      FROM "Member" m JOIN "LedgerEntry" e ON e."memberId" = m."id"
      WHERE m."shop" = ${shop} AND m."customerId" = ${customerId}
      ORDER BY e."id" DESC LIMIT ${HISTORY_LENGTH}`,
    // Codes the shopper holds and can still use, so a reload (or a redeem that settled late)
    // shows them: the newest per reward.
    // Their terms too: a free product's link adds the variant its code was made for.
    prisma.$queryRaw<{ rewardId: string; code: string; endsAt: Date; terms: unknown }[]>(
      Prisma.sql`
        SELECT r."rewardId", r."code", r."endsAt", r."rewardSnapshot" AS "terms"
        FROM "Member" m JOIN "Redemption" r ON r."memberId" = m."id"
        WHERE m."shop" = ${shop} AND m."customerId" = ${customerId}
          AND CAST(r."status" AS TEXT) = 'ISSUED' AND r."cancelledAt" IS NULL
          -- Store credit is on the shopper's account, not held against the reward: it can be
          -- redeemed again at once.
          AND r."code" NOT LIKE ${`${STORE_CREDIT_CODES.startsWith}%`}
          AND r."endsAt" > ${sqlTime(now)}
        ORDER BY r."createdAt" ASC`,
    ),
  ]);
  const member = await memberWithTierMetric(prisma, program, shop, customerId, now);
  // What only the open panel shows, while the program runs: a paused program's widget asks nothing.
  const on = program.enabled;
  const [release, referral, surveyOpen, follows, birthday] = member
    ? await Promise.all([
        nextRelease(prisma, member, now, program.referrals),
        on && welcomeReward ? referralCard(prisma, program, member, welcomeReward) : null,
        on && program.npsSurvey
          ? surveyDue(prisma, member.id, program.npsIntervalDays, now)
          : false,
        on ? followsOf(prisma, program, member.id) : [],
        on && program.birthdayPoints > 0 ? birthdayCard(prisma, program, member, now) : null,
      ])
    : // A signed-in customer the app has not met yet: no code, answers or birthday to show.
      [
        null,
        null,
        on && program.npsSurvey,
        on ? await followsOf(prisma, program, null) : [],
        on && program.birthdayPoints > 0
          ? { points: program.birthdayPoints, date: null, next: null }
          : null,
      ];
  const metric = member?.metric ?? 0;
  const memberTier = tiers.find((t) => t.id === member?.tierId);
  // A tier granted by an import can sit above what the metric earns; only tiers above it are next.
  const next = nextTier(
    tiers.filter((t) => !memberTier || t.threshold > memberTier.threshold),
    metric,
  );
  const balance = member?.balance ?? 0;
  const memberThreshold = memberTier?.threshold ?? null;
  const spendBased = tierBasis(program) === "AMOUNT_SPENT";
  const codes = Object.fromEntries(
    held.map((r) => [
      r.rewardId,
      {
        code: r.code,
        applyUrl: applyUrl(shop, r.code, heldTerms(r.terms)),
        expiresAt: r.endsAt.toISOString(),
        points: balance,
      },
    ]),
  );

  return {
    loggedIn: true as const,
    enabled: program.enabled,
    pointsName: pointsNameFor(program, locale),
    points: balance,
    pendingPoints: member?.pendingPoints ?? 0,
    nextRelease: release && { date: release.at.toISOString(), points: release.points },
    tier: memberTier
      ? {
          name: memberTier.name,
          multiplier: (memberTier.multiplierPercent / 100).toString(),
          perks: memberTier.perks,
        }
      : null,
    nextTier: next
      ? {
          name: next.tier.name,
          remaining: next.remaining,
          basis: tierBasis(program),
          ...(spendBased
            ? {
                remainingAmount: fromMinorUnits(next.remaining, program.currency),
                currency: program.currency,
              }
            : {}),
          threshold: next.tier.threshold,
        }
      : null,
    rewards: rewards.map((reward) => {
      const required = reward.tierId ? tiers.find((t) => t.id === reward.tierId) : undefined;
      const tierOk =
        !required || (memberThreshold !== null && memberThreshold >= required.threshold);
      return {
        ...publicReward(reward),
        affordable: tierOk && balance >= reward.pointsCost,
        ...(required && !tierOk ? { requiresTier: required.name } : {}),
      };
    }),
    history: history.map((entry) => ({
      date: entry.occurredAt.toISOString(),
      points: entry.points + entry.pendingPoints,
      kind: entry.kind,
      description: describe(entry, locale),
    })),
    expiresAt: member?.expiresAt?.toISOString() ?? null,
    codes,
    // The shop's pages on social networks, and which of them already earned this member points.
    follows,
    // The NPS survey, while the program asks it and the member has not answered lately.
    survey: surveyOpen ? { points: program.npsPoints } : null,
    // While the program gives birthday points: the day given (null: not yet) and when its next
    // bonus will be paid.
    birthday,
    // The member's referral link is the storefront's app proxy URL + `path`: only the browser
    // knows the domain and language root the shopper is on.
    referral: referral && {
      path: `/refer/${referral.code}`,
      points: referral.points,
      offer: referral.offer,
      pending: referral.pending,
      rewarded: referral.rewarded,
    },
    // The member's tier multiplier is shown with the tier, not as a way to earn; the campaigns
    // are those open to the member's tier now.
    program: {
      waysToEarn: waysToEarn(
        earningRules(
          program,
          null,
          campaignRules(campaigns, now, member?.tierId ?? null, program.currency),
          welcomeReward?.name,
        ),
        program,
        locale,
      ),
    },
  };
}

/** A held code's terms as the query returns them: JSON text on SQLite, parsed on PostgreSQL. */
function heldTerms(value: unknown) {
  const parsed = rewardTermsSchema.safeParse(
    typeof value === "string" ? parseJsonOrNull(value) : value,
  );
  return parsed.success ? parsed.data : undefined;
}

/** A system entry in the shopper's language; a merchant's own words as they wrote them. */
function describe(entry: { text: unknown; description: string }, locale: StorefrontLocale) {
  const text = parseEntryText(
    typeof entry.text === "string" ? parseJsonOrNull(entry.text) : entry.text,
  );
  return text ? entryText(text, locale) : entry.description;
}

/**
 * What the widget gets for a redemption: 200 with the code, or 202 while it is being prepared
 * (the widget asks again at /apps/loyalty/redemptions/{id} until it settles).
 */
export function redemptionResponse(
  result: RedeemResult,
  locale: StorefrontLocale = "en",
): Response {
  const headers = { "Cache-Control": "private, no-store" };
  if (result.status === "PROCESSING") {
    return Response.json(
      {
        status: "PROCESSING",
        id: result.redemption.id,
        points: result.points,
        message: processingMessage(locale),
      },
      { status: 202, headers },
    );
  }
  return Response.json(
    {
      status: "ISSUED",
      id: result.redemption.id,
      code: result.code,
      ...(result.applyUrl !== null && { applyUrl: result.applyUrl }),
      expiresAt: result.expiresAt?.toISOString() ?? null,
      points: result.points,
      // Store credit has no code to show: the widget shows this instead.
      ...(result.credit !== null && {
        message: creditedMessage(locale, { ...result.credit, expiresAt: result.expiresAt }),
      }),
    },
    { headers },
  );
}

/**
 * The shopper's language. Shopify's app proxy does not say which storefront language the page
 * was in, so the widget sends Liquid's request.locale as `locale`; without it, the browser's.
 */
export function shopperLocale(request: Request): StorefrontLocale {
  const param = new URL(request.url).searchParams.get("locale");
  if (param) return storefrontLocale(param);
  return storefrontLocale(request.headers.get("accept-language")?.split(/[,;]/)[0]);
}
