import prisma from "../db.server";
import type { DateRange } from "../domain/dashboard";
import {
  bucketsFor,
  liabilityMinor,
  pointsFlow,
  pointValue,
  redemptionRatePermille,
} from "../domain/dashboard";
import type { LedgerSum } from "./dashboard-sums.server";
import { activeMembers, ledgerSums, npsSums, orderSums } from "./dashboard-sums.server";
import { npsSummary } from "../domain/nps";
import { formatMoney } from "../domain/money";
import { knownTimeZone } from "../domain/time-zones";
import { errorFields, log } from "../log.server";
import type { AdminGraphqlClient } from "../shopify/admin-api.server";
import { adminQuery, DEFAULT_RETRY_POLICY } from "../shopify/admin-api.server";
import { SHOP_TIME_ZONE } from "../shopify/operations";
import type { LoyaltyShopTimeZoneQuery } from "../types/admin.generated";
import { formatNumber } from "../components/format";
import { describeEarnRate } from "../domain/program-settings";
import { loadProgram } from "./program.server";

/** The theme editor with our app embed ("launcher" block) ready to switch on. */
export function appEmbedUrl(shop: string, apiKey: string) {
  return `https://${shop}/admin/themes/current/editor?context=apps&template=index&activateAppId=${apiKey}/launcher`;
}

/**
 * The shop's IANA time zone, asked of Shopify once and kept on the program. A failed lookup
 * leaves the dashboard in UTC (it says so) and is tried again on the next visit.
 */
export async function shopTimeZone(shop: string, admin: () => Promise<AdminGraphqlClient>) {
  const program = await loadProgram(shop);
  if (program.timeZone) return knownTimeZone(program.timeZone);
  try {
    const { shop: found } = await adminQuery<LoyaltyShopTimeZoneQuery>(
      await admin(),
      SHOP_TIME_ZONE,
      {},
      { ...DEFAULT_RETRY_POLICY, attempts: 2, budgetMs: 3_000, attemptTimeoutMs: 2_000 },
    );
    const timeZone = knownTimeZone(found.ianaTimezone);
    await prisma.$transaction([
      prisma.program.update({ where: { shop }, data: { timeZone } }),
      // Expiry dates on Shopify customers are days on the shop's calendar (customer sync).
      prisma.member.updateMany({
        where: { shop, expiresAt: { not: null } },
        data: { syncDirty: true },
      }),
    ]);
    return timeZone;
  } catch (error) {
    log.warn("shop time zone unknown; dashboard days and campaign times stay in UTC", {
      shop,
      ...errorFields(error),
    });
    return "UTC";
  }
}

export async function dashboard(shop: string, range: DateRange, apiKey: string) {
  const program = await loadProgram(shop);
  const inRange = { gte: range.start, lt: range.end };
  const money = (minor: number) => formatMoney(minor, program.currency);

  const buckets = bucketsFor(range);
  const period = { start: range.start, end: range.end };
  const [
    memberTotals,
    newMembers,
    active,
    ledgerByBucket,
    ordersByBucket,
    used,
    rewards,
    rewardCount,
    npsByBucket,
    comments,
  ] = await Promise.all([
    prisma.member.aggregate({
      where: { shop },
      _count: true,
      _sum: { balance: true, pendingPoints: true },
    }),
    prisma.member.count({ where: { shop, joinedAt: inRange } }),
    activeMembers(shop, period),
    // Summed by the database per chart bucket; the buckets partition the range (bucketsFor), so
    // the period's figures are their totals.
    ledgerSums(shop, buckets),
    orderSums(shop, buckets),
    prisma.redemption.findMany({
      where: { shop, status: "USED", usedAt: inRange },
      select: { usedOrderId: true, usedOrderTotalMinor: true },
    }),
    prisma.reward.findMany({
      where: { shop },
      select: { name: true, type: true, amount: true, pointsCost: true, enabled: true },
    }),
    prisma.reward.count({ where: { shop } }),
    npsSums(shop, buckets),
    prisma.npsResponse.findMany({
      where: { shop, createdAt: inRange, comment: { not: null } },
      orderBy: { createdAt: "desc" },
      take: 5,
      select: {
        id: true,
        score: true,
        comment: true,
        createdAt: true,
        member: { select: { id: true, firstName: true, lastName: true, email: true } },
      },
    }),
  ]);

  // pointsFlow is linear in the amount for a given kind and direction, so it applies to sums.
  const flowOf = (sum: LedgerSum) =>
    pointsFlow({ kind: sum.kind, points: sum.total, pendingPoints: 0 });
  const total = (key: "issued" | "redeemed" | "expired" | "takenBack") =>
    ledgerByBucket.reduce((acc, sum) => acc + flowOf(sum)[key], 0);
  const perBucket = (key: "issued" | "redeemed") => {
    const values = buckets.map(() => 0);
    for (const sum of ledgerByBucket) values[sum.slot]! += flowOf(sum)[key];
    return values;
  };
  const issued = total("issued");
  const redeemed = total("redeemed");

  const ordersOf = (guest: boolean) =>
    ordersByBucket
      .filter((o) => o.guest === guest)
      .reduce(
        (acc, o) => ({
          orders: acc.orders + o.orders,
          revenueMinor: acc.revenueMinor + o.revenueMinor,
        }),
        { orders: 0, revenueMinor: 0 },
      );
  const revenueByBucket = (guest: boolean) => {
    const values = buckets.map(() => 0);
    for (const sum of ordersByBucket)
      if (sum.guest === guest) values[sum.slot]! += sum.revenueMinor;
    return values;
  };
  // One order can carry two reward codes; count its revenue once.
  const rewardOrders = new Map<string, number>();
  for (const r of used)
    if (r.usedOrderId) rewardOrders.set(r.usedOrderId, r.usedOrderTotalMinor ?? 0);
  const rewardRevenue = [...rewardOrders.values()].reduce((a, b) => a + b, 0);

  const outstanding = (memberTotals._sum.balance ?? 0) + (memberTotals._sum.pendingPoints ?? 0);
  const value = pointValue(rewards, program.currency);
  const liability = liabilityMinor(outstanding, value);

  const checklist = [
    {
      id: "embed",
      title: "Turn on the loyalty widget in your theme",
      description:
        "Open the theme editor at App embeds, switch on Loyalty launcher and save. Then confirm here.",
      done: program.embedConfirmedAt !== null,
      url: appEmbedUrl(shop, apiKey),
    },
    {
      id: "reward",
      title: "Create a first reward",
      description: "Give members something to spend points on, such as 5 off for 500 points.",
      done: rewardCount > 0,
      url: "/app/rewards/new",
    },
    {
      id: "earn",
      title: "Review the earn rate",
      description: `Currently ${describeEarnRate(program)}. Save the program settings once you are happy with it.`,
      done: program.earnRateReviewedAt !== null,
      url: "/app/program",
    },
  ];

  return {
    range: {
      preset: range.preset,
      startDay: range.startDay,
      endDay: range.endDay,
      error: range.error,
      timeZone: range.timeZone,
    },
    program: {
      enabled: program.enabled,
      currency: program.currency,
      pointsName: { one: program.pointsNameOne, other: program.pointsNameOther },
      storefrontSyncError: program.storefrontSyncError,
    },
    checklist: program.setupDismissedAt ? null : checklist,
    metrics: {
      members: memberTotals._count,
      newMembers,
      activeMembers: active,
      pointsIssued: issued,
      pointsRedeemed: redeemed,
      pointsExpired: total("expired"),
      pointsTakenBack: total("takenBack"),
      outstandingPoints: outstanding,
      liability: liability === null ? null : money(liability),
      liabilityBasis: value
        ? `${value.rewardName}: ${money(value.amountMinor)} for ${formatNumber(value.pointsCost)} ${program.pointsNameOther}`
        : null,
      redemptionRate: redemptionRatePermille(redeemed, issued),
      memberOrders: ordersOf(false).orders,
      memberRevenue: money(ordersOf(false).revenueMinor),
      guestOrders: ordersOf(true).orders,
      guestRevenue: money(ordersOf(true).revenueMinor),
      rewardOrders: rewardOrders.size,
      rewardRevenue: money(rewardRevenue),
    },
    // The survey's score over the period, per chart period (only those with answers), and its
    // latest comments; null while the shop has never asked it.
    nps:
      program.npsSurvey || npsByBucket.length
        ? {
            summary: npsSummary(npsByBucket),
            trend: buckets
              .map((b, i) => ({
                label: b.label,
                ...npsSummary(npsByBucket.filter((row) => row.slot === i)),
              }))
              .filter((b) => b.responses > 0),
            comments: comments.map((c) => ({
              id: c.id,
              score: c.score,
              comment: c.comment!,
              // In the shop's time zone, formatted once: the browser's zone may differ.
              date: c.createdAt.toLocaleDateString("en", {
                dateStyle: "medium",
                timeZone: range.timeZone,
              }),
              memberId: c.member.id,
              member:
                [c.member.firstName, c.member.lastName].filter(Boolean).join(" ") ||
                c.member.email ||
                "A member",
            })),
          }
        : null,
    charts: {
      labels: buckets.map((b) => b.label),
      issued: perBucket("issued"),
      redeemed: perBucket("redeemed"),
      // Minor units; the chart formats its axis and tooltips with formatMoney.
      memberRevenueMinor: revenueByBucket(false),
      guestRevenueMinor: revenueByBucket(true),
    },
  };
}

export async function updateSetup(
  shop: string,
  intent: "confirmEmbed" | "dismissSetup" | "showSetup",
) {
  await loadProgram(shop);
  const now = new Date();
  const data =
    intent === "confirmEmbed"
      ? { embedConfirmedAt: now }
      : intent === "dismissSetup"
        ? { setupDismissedAt: now }
        : { setupDismissedAt: null };
  await prisma.program.update({ where: { shop }, data });
}
