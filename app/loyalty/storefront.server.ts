import type { Reward } from "@prisma/client";
import prisma from "../db.server";
import { fromMinorUnits } from "../domain/money";
import { applyUrl } from "../domain/rewards";
import {
  entryText,
  parseEntryText,
  pointsNameFor,
  processingMessage,
  type StorefrontLocale,
  storefrontLocale,
  waysToEarn,
} from "../domain/storefront-text";
import { nextTier } from "../domain/tiers";
import { nextRelease, tierMetric } from "./members.server";
import { tierBasis } from "./program.server";
import type { RedeemResult } from "./redemptions.server";
import { shopConfig } from "./shop-config.server";

/**
 * What the storefront widget shows. Built from our own tables only: no Admin API call, so it works
 * whether or not the shop has an offline session, and stays fast.
 */

const HISTORY_LENGTH = 10;

/** Only the columns shown: Prisma's cost per row grows with the columns it converts. */
const MEMBER_FIELDS = {
  id: true,
  shop: true,
  customerId: true,
  balance: true,
  pendingPoints: true,
  tierId: true,
  expiresAt: true,
} as const;
const HISTORY_FIELDS = {
  occurredAt: true,
  points: true,
  pendingPoints: true,
  kind: true,
  text: true,
  description: true,
} as const;

function publicReward(reward: Reward) {
  return { id: reward.id, name: reward.name, cost: reward.pointsCost, type: reward.type };
}

export async function programSummary(shop: string, locale: StorefrontLocale = "en") {
  const { program, rewards } = await shopConfig(shop);
  return {
    loggedIn: false as const,
    enabled: program.enabled,
    pointsName: pointsNameFor(program, locale),
    program: { waysToEarn: waysToEarn(program, locale), rewards: rewards.map(publicReward) },
  };
}

export async function memberView(
  shop: string,
  customerId: string,
  locale: StorefrontLocale = "en",
  now = new Date(),
) {
  // Two rounds of independent reads rather than seven in turn: on PostgreSQL each is a round
  // trip that a pooled connection can make at the same time as the others.
  const [{ program, tiers, rewards }, member] = await Promise.all([
    shopConfig(shop),
    prisma.member.findUnique({
      where: { shop_customerId: { shop, customerId } },
      select: MEMBER_FIELDS,
    }),
  ]);
  const [metric, release, history, held] = member
    ? await Promise.all([
        tierMetric(prisma, program, member.id, now),
        nextRelease(prisma, member, now),
        prisma.ledgerEntry.findMany({
          where: { memberId: member.id },
          orderBy: { id: "desc" },
          take: HISTORY_LENGTH,
          select: HISTORY_FIELDS,
        }),
        // Codes the shopper holds and can still use, so a reload (or a redeem that settled
        // late) shows them: the newest per reward.
        prisma.redemption.findMany({
          where: { memberId: member.id, status: "ISSUED", cancelledAt: null, endsAt: { gt: now } },
          orderBy: { createdAt: "asc" },
          select: { rewardId: true, code: true, endsAt: true },
        }),
      ])
    : [0, null, [], []];
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
        applyUrl: applyUrl(shop, r.code),
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
    program: { waysToEarn: waysToEarn(program, locale) },
  };
}

/** A system entry in the shopper's language; a merchant's own words as they wrote them. */
function describe(entry: { text: unknown; description: string }, locale: StorefrontLocale) {
  const text = parseEntryText(entry.text);
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
      applyUrl: result.applyUrl,
      expiresAt: result.expiresAt.toISOString(),
      points: result.points,
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
