import type { EntryKind, Member, Program } from "@prisma/client";
import { Prisma } from "@prisma/client";
import { sqlTime } from "../db.server";
import type { TierDefinition } from "../domain/tiers";
import { nextTier, periodStart, qualifyingTier } from "../domain/tiers";
import type { CustomerRef } from "./payloads";
import { isUniqueViolation } from "../db/errors";
import { lockMember } from "../db/locks.server";
import { queueFlowEvent } from "./flow-triggers.server";
import type { Db, ProgramRules } from "./program.server";
import { tierBasis, tierPeriod, tiersFor } from "./program.server";

/**
 * Finds or creates the member, refreshing contact details the payload brings. `joinedAt` is when
 * the event happened in Shopify (the account's creation, the order's processing): the member
 * joined at the earliest such time, whatever order the webhooks arrive in.
 */
export async function memberFor(
  db: Db,
  shop: string,
  customer: CustomerRef,
  joinedAt: Date,
): Promise<Member> {
  const details = {
    ...(customer.email ? { email: customer.email } : {}),
    ...(customer.firstName ? { firstName: customer.firstName } : {}),
    ...(customer.lastName ? { lastName: customer.lastName } : {}),
  };
  const member = await db.member.upsert({
    where: { shop_customerId: { shop, customerId: customer.customerId } },
    create: { shop, customerId: customer.customerId, joinedAt, ...details },
    update: details,
  });
  if (member.joinedAt <= joinedAt) return member;
  return db.member.update({ where: { id: member.id }, data: { joinedAt } });
}

/** Kinds whose points count towards tier qualification (earning and its reversals). */
/**
 * Runs `work` again after a unique violation: two first requests of a customer at once (a double
 * click in the widget) both create the member, and the second finds it on the retry.
 */
/**
 * The signed-in shopper's member (made if need be), locked for the rest of the transaction: what
 * a widget request that earns checks and writes, one request at a time per member.
 */
export async function lockedMemberFor(
  tx: Db,
  shop: string,
  customerId: string,
  now: Date,
): Promise<Member> {
  const member = await memberFor(
    tx,
    shop,
    { customerId, email: null, firstName: null, lastName: null },
    now,
  );
  await lockMember(tx, member.id);
  return member;
}

export async function retryingNewMember<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return work();
  }
}

export const QUALIFYING_KINDS: EntryKind[] = [
  "EARN",
  "SIGNUP_BONUS",
  "REFUND_CLAWBACK",
  "CANCEL_REVERSAL",
];

interface QualifyingSums {
  _sum?: {
    points?: number | null;
    pendingPoints?: number | null;
    shortfall?: number | null;
    amountMinor?: number | null;
  };
}

function qualifyingWhere(program: Program, now: Date) {
  const start = periodStart(tierPeriod(program), now);
  return {
    kind: { in: QUALIFYING_KINDS },
    ...(start ? { occurredAt: { gte: start } } : {}),
  };
}

function metricOf(program: Program, { _sum: sums = {} }: QualifyingSums) {
  if (tierBasis(program) === "AMOUNT_SPENT") return sums.amountMinor ?? 0;
  return (sums.points ?? 0) + (sums.pendingPoints ?? 0) - (sums.shortfall ?? 0);
}

const QUALIFYING_SUMS = {
  points: true,
  pendingPoints: true,
  shortfall: true,
  amountMinor: true,
} as const;

/**
 * The member's qualification metric, as an SQL expression over the member id `memberId`: points
 * earned (net of clawbacks, including the part a balance floor kept us from taking) or money spent
 * (net of refunds) inside the tier period. SQL rather than Prisma's model API, which spent
 * ~0.5 ms compiling each query (issue #15); it is read on every order and every widget load.
 * Built with Prisma.sql and passed whole: the PostgreSQL client's own tag would not take the
 * fragments in (a separate generated runtime, app/db/postgresql.server.ts).
 */
function metricSql(program: Program, now: Date, memberId: Prisma.Sql) {
  const start = periodStart(tierPeriod(program), now);
  const summed =
    tierBasis(program) === "AMOUNT_SPENT"
      ? Prisma.sql`e."amountMinor"`
      : Prisma.sql`e."points" + e."pendingPoints" - e."shortfall"`;
  return Prisma.sql`(SELECT SUM(${summed}) FROM "LedgerEntry" e
    WHERE e."memberId" = ${memberId}
      AND CAST(e."kind" AS TEXT) IN (${Prisma.join(QUALIFYING_KINDS)})
      ${start ? Prisma.sql`AND e."occurredAt" >= ${sqlTime(start)}` : Prisma.empty})`;
}

/** SUM is a bigint on PostgreSQL (and from libSQL), NULL over no entries. */
function metricValue(summed: unknown) {
  return Number(summed ?? 0);
}

export async function tierMetric(db: Db, program: Program, memberId: string, now: Date) {
  const [row] = await db.$queryRaw<{ metric: unknown }[]>(
    Prisma.sql`SELECT ${metricSql(program, now, Prisma.sql`${memberId}`)} AS "metric"`,
  );
  return metricValue(row?.metric);
}

export interface MemberWithMetric {
  id: string;
  shop: string;
  customerId: string;
  balance: number;
  pendingPoints: number;
  tierId: string | null;
  expiresAt: Date | null;
  referralCode: string | null;
  birthMonth: number | null;
  birthDay: number | null;
  birthdaySetAt: Date | null;
  /** `tierMetric` of the member. */
  metric: number;
}

/**
 * The member of a customer with their `tierMetric`, in one statement: what the storefront widget
 * reads on every page view.
 */
export async function memberWithTierMetric(
  db: Db,
  program: Program,
  shop: string,
  customerId: string,
  now: Date,
): Promise<MemberWithMetric | null> {
  const [row] = await db.$queryRaw<(Omit<MemberWithMetric, "metric"> & { metric: unknown })[]>(
    Prisma.sql`
    SELECT m."id", m."shop", m."customerId", m."balance", m."pendingPoints", m."tierId",
      m."expiresAt", m."referralCode",
      m."birthMonth", m."birthDay", m."birthdaySetAt", ${metricSql(program, now, Prisma.sql`m."id"`)} AS "metric"
    FROM "Member" m
    WHERE m."shop" = ${shop} AND m."customerId" = ${customerId}`,
  );
  return row ? { ...row, metric: metricValue(row.metric) } : null;
}

/** A tier granted outside qualification (e.g. imported from another app) is a floor until it ends. */
function atLeastGranted<T extends { id: string; threshold: number }>(
  qualified: T | null,
  tiers: readonly T[],
  member: Member,
  now: Date,
): T | null {
  if (!member.grantedTierId) return qualified;
  if (member.grantedTierUntil && member.grantedTierUntil <= now) return qualified;
  const granted = tiers.find((t) => t.id === member.grantedTierId);
  if (!granted) return qualified;
  return !qualified || granted.threshold > qualified.threshold ? granted : qualified;
}

function targetTier<T extends { id: string; threshold: number }>(
  tiers: readonly (T & TierDefinition)[],
  metric: number,
  member: Member,
  now: Date,
) {
  return atLeastGranted(qualifyingTier(tiers, metric), tiers, member, now);
}

/** Re-evaluates the member's tier and records any change. */
export async function evaluateTier(
  db: Db,
  { program, tiers }: ProgramRules,
  member: Member,
  now: Date,
  reason: string,
): Promise<Member> {
  const metric = tiers.length ? await tierMetric(db, program, member.id, now) : 0;
  const target = targetTier(tiers, metric, member, now);
  const targetId = target?.id ?? null;
  if (targetId === member.tierId) return member;

  const from = member.tierId ? tiers.find((t) => t.id === member.tierId) : undefined;
  const change = await db.tierChange.create({
    data: {
      shop: member.shop,
      memberId: member.id,
      fromTierId: member.tierId,
      fromName: from?.name ?? null,
      toTierId: targetId,
      toName: target?.name ?? null,
      metric,
      reason,
    },
  });
  await queueFlowEvent(db, program, {
    trigger: "loyalty-tier-changed",
    customerId: member.customerId,
    dedupeKey: `tier:${change.id}`,
    fields: {
      tier_name: target?.name ?? "",
      previous_tier_name: from?.name ?? "",
      direction: (target?.threshold ?? -1) > (from?.threshold ?? -1) ? "up" : "down",
      points_balance: member.balance,
    },
  });
  return db.member.update({
    where: { id: member.id },
    data: { tierId: targetId, syncDirty: true },
  });
}

/**
 * Of a batch of one shop's members, those whose tier a review would change, from one grouped read
 * of their qualifying entries (issue #15: a transaction per member reviewed 43 members/s, 6.4 h
 * for 1M). Only these need `evaluateTier`; callers lock and read each of them again first, so a
 * member changed since this read is evaluated on current data.
 */
export async function membersDueATierChange(
  db: Db,
  program: Program,
  members: readonly Member[],
  now: Date,
): Promise<Member[]> {
  if (members.length === 0) return [];
  const tiers = await tiersFor(db, program.shop);
  const metrics = new Map<string, number>();
  if (tiers.length) {
    const sums = await db.ledgerEntry.groupBy({
      by: ["memberId"],
      where: { memberId: { in: members.map((m) => m.id) }, ...qualifyingWhere(program, now) },
      _sum: QUALIFYING_SUMS,
    });
    for (const row of sums) metrics.set(row.memberId, metricOf(program, row));
  }
  return members.filter(
    (member) =>
      (targetTier(tiers, metrics.get(member.id) ?? 0, member, now)?.id ?? null) !== member.tierId,
  );
}

export async function tierProgress(db: Db, program: Program, member: Member, now: Date) {
  const tiers = await tiersFor(db, member.shop);
  const metric = await tierMetric(db, program, member.id, now);
  const next = nextTier(tiers, metric);
  return {
    metric,
    tier: tiers.find((t) => t.id === member.tierId) ?? null,
    next: next ? { name: next.tier.name, remaining: next.remaining } : null,
  };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * When a member's next pending points become spendable, and how many: the first order due, with
 * every other order due within a day of it (a shopper reads one date, not one line per order).
 * A release the job has not reached yet is due now, never on a date already past.
 */
export async function nextRelease(
  db: Db,
  member: Pick<Member, "id" | "shop" | "customerId" | "pendingPoints">,
  now: Date,
  /**
   * Whether the program has referrals, whose pending points come from a friend's order: without
   * them the storefront's read costs no extra statement.
   */
  referrals = true,
) {
  if (member.pendingPoints <= 0) return null;
  const [orders, referred] = await Promise.all([
    db.orderRecord.findMany({
      where: {
        shop: member.shop,
        customerId: member.customerId,
        pendingRemaining: { gt: 0 },
        availableAt: { not: null },
      },
      orderBy: { availableAt: "asc" },
      select: { availableAt: true, pendingRemaining: true },
      take: 50,
    }),
    referrals
      ? db.referral.findMany({
          where: { referrerId: member.id, status: "PENDING", availableAt: { not: null } },
          orderBy: { availableAt: "asc" },
          select: { availableAt: true, points: true },
          take: 50,
        })
      : [],
  ]);
  const due = [
    ...orders.map((o) => ({ at: o.availableAt!, points: o.pendingRemaining })),
    ...referred.map((r) => ({ at: r.availableAt!, points: r.points })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());
  const first = due[0]?.at;
  if (!first) return null;
  // Overdue points are all released by the jobs' next runs, so they count together as "now".
  const at = first > now ? first : now;
  const points = due
    .filter((d) => d.at.getTime() < at.getTime() + DAY_MS)
    .reduce((sum, d) => sum + d.points, 0);
  return { at, points: Math.min(points, member.pendingPoints) };
}
