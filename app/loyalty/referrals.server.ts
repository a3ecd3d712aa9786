import { createHash } from "node:crypto";
import type { Member, OrderRecord, PrismaClient, Program, Referral, Reward } from "@prisma/client";
import { contributionsFor, totalPoints } from "../domain/earning-rules";
import type { WelcomeRefusal } from "../domain/referrals";
import {
  isEmail,
  normalEmail,
  REFERRAL_CAP_WINDOW_DAYS,
  referralLinkCode,
  referralReversedBy,
  referralVerdict,
  WELCOME_CODE_PREFIX,
  welcomeBlocker,
  welcomeCodeIn,
} from "../domain/referrals";
import { decide } from "../domain/redemption-state";
import { generateRewardCode, rewardTermErrors } from "../domain/rewards";
import { availableAt, isPending } from "../domain/schedule";
import { rewardTerms as parseRewardTerms, stringListSchema } from "../domain/snapshots";
import { isUniqueViolation } from "../db/errors";
import { lockMember } from "../db/locks.server";
import { log } from "../log.server";
import type { AdminGraphqlClient, RetryPolicy } from "../shopify/admin-api.server";
import { postEntry } from "./ledger.server";
import { evaluateTier } from "./members.server";
import type { PaidOrder } from "./payloads";
import type { Db, ProgramRules } from "./program.server";
import { earningRules, programFor } from "./program.server";
import { createDiscountCode, lookUpCode, rewardTerms, settleWindowMs } from "./redemptions.server";

/**
 * Refer a friend, with the database and Shopify (the rules are app/domain/referrals.ts):
 *  - a member's link carries a code made the first time their widget asks for it;
 *  - the landing page (app/routes/proxy.refer.$code.tsx) gives a friend a welcome code, created
 *    with the same Admin API calls, deadlines and lookups as reward codes: an unknown outcome is
 *    looked up, and what stays unknown is settled by the worker (settleWelcomeCodes);
 *  - orders/paid with a welcome code credits the referrer, pending (creditReferral); a
 *    cancellation or full refund within the pending period takes it back (reverseReferral); the
 *    worker then makes it spendable (releaseReferralPoints).
 * Every ledger entry has its key (referral:<id>:earn|reverse|release) and every status change is
 * conditional on the status it leaves, so redeliveries and overlapping workers change nothing twice.
 */

const DAY_MS = 24 * 60 * 60 * 1000;
/** How long the landing page's request may still be creating the code (as redemptions). */
const REQUEST_MS = 60_000;
const BATCH = 200;

/** The digest of an order's shipping address, per shop: equal addresses, equal digests. */
export function addressDigest(shop: string, key: string | null): string | null {
  if (!key) return null;
  return createHash("sha256").update(`${shop}\n${key}`).digest("hex").slice(0, 32);
}

/** The reward whose terms welcome codes have, when the program has a usable one. */
export async function welcomeReward(db: Db, program: Program) {
  if (!program.referrals || !program.referralRewardId) return null;
  const reward = await db.reward.findFirst({
    where: { id: program.referralRewardId, shop: program.shop },
  });
  if (!reward) return null;
  const invalid = Object.keys(rewardTermErrors(rewardTerms(reward), program.currency)).length > 0;
  return invalid ? null : reward;
}

/** The code in the member's referral link, made (once, whoever asks first) if they have none. */
export async function referralCodeOf(
  db: Db,
  member: Pick<Member, "id" | "referralCode">,
): Promise<string> {
  if (member.referralCode) return member.referralCode;
  for (let attempt = 0; ; attempt++) {
    try {
      await db.member.updateMany({
        where: { id: member.id, referralCode: null },
        data: { referralCode: referralLinkCode() },
      });
      break;
    } catch (error) {
      // Another member drew the same code (about one chance in 10^15): draw again.
      if (!isUniqueViolation(error) || attempt >= 3) throw error;
    }
  }
  const { referralCode } = await db.member.findUniqueOrThrow({
    where: { id: member.id },
    select: { referralCode: true },
  });
  return referralCode!;
}

/** The widget's "Refer a friend" card: the link's code, the offer and how the member has done. */
export async function referralCard(
  db: Db,
  program: Program,
  member: Pick<Member, "id" | "referralCode">,
  reward: Reward,
) {
  const [code, counts] = await Promise.all([
    referralCodeOf(db, member),
    db.referral.groupBy({
      by: ["status"],
      where: { referrerId: member.id, status: { in: ["PENDING", "REWARDED"] } },
      _count: { _all: true },
    }),
  ]);
  const count = (status: string) => counts.find((c) => c.status === status)?._count._all ?? 0;
  return {
    code,
    points: program.referralPoints,
    offer: reward.name,
    pending: count("PENDING"),
    rewarded: count("REWARDED"),
  };
}

/** What the landing page can show for a link: whose it is and what the friend is offered. */
export async function invitation(db: Db, shop: string, linkCode: string) {
  const referrer = await db.member.findUnique({
    where: { shop_referralCode: { shop, referralCode: linkCode } },
  });
  if (!referrer) return null;
  const program = await programFor(db, shop);
  if (!program.enabled) return null;
  const reward = await welcomeReward(db, program);
  if (!reward) return null;
  return { referrer, program, reward };
}

export type WelcomeResult =
  | { ok: true; referral: Referral }
  | { ok: false; reason: "NOT_FOUND" | "INVALID_EMAIL" | "FAILED" | WelcomeRefusal };

/**
 * Whether this customer or email has a paid order in the shop. Emails are kept as Shopify sends
 * them: the address as typed and lower-cased covers them (as the members search does).
 */
async function hasOrdered(
  db: Db,
  shop: string,
  customerId: string | null,
  email: { typed: string; normal: string },
) {
  const byEmail = await db.member.findFirst({
    where: { shop, email: { in: [...new Set([email.typed, email.normal])] } },
    select: { customerId: true },
  });
  const ids = [customerId, byEmail?.customerId].filter((id): id is string => Boolean(id));
  if (!ids.length) return false;
  const paid = await db.orderRecord.findFirst({
    where: { shop, customerId: { in: ids }, paidAt: { not: null } },
    select: { id: true },
  });
  return paid !== null;
}

/**
 * The landing page's form: a welcome code for `email` from the link `linkCode`. One offer per
 * email and shop: asking again (a reload, a second link) answers with the first; a code Shopify
 * refused is made again.
 */
export async function offerWelcome(options: {
  prisma: PrismaClient;
  admin: AdminGraphqlClient;
  shop: string;
  linkCode: string;
  email: string;
  /** The signed-in shopper (the app proxy's logged_in_customer_id), if any. */
  customerId: string | null;
  now?: Date;
  retry?: RetryPolicy;
}): Promise<WelcomeResult> {
  const { prisma, admin, shop, linkCode, customerId } = options;
  const now = options.now ?? new Date();
  const email = normalEmail(options.email);
  if (!email || !isEmail(email)) return { ok: false, reason: "INVALID_EMAIL" };

  let reserved: WelcomeResult;
  try {
    reserved = await prisma.$transaction(async (tx): Promise<WelcomeResult> => {
      const found = await invitation(tx, shop, linkCode);
      if (!found) return { ok: false, reason: "NOT_FOUND" };
      const { referrer, reward } = found;
      const existing = await tx.referral.findUnique({ where: { shop_email: { shop, email } } });
      if (existing && existing.codeStatus !== "FAILED") return { ok: true, referral: existing };
      const blocker = welcomeBlocker({
        referrer,
        friend: { customerId, email },
        friendHasOrdered: await hasOrdered(tx, shop, customerId, {
          typed: options.email.trim(),
          normal: email,
        }),
        offersToday: await tx.referral.count({
          where: { referrerId: referrer.id, createdAt: { gte: new Date(now.getTime() - DAY_MS) } },
        }),
      });
      if (blocker) return { ok: false, reason: blocker };
      const code = {
        code: generateRewardCode(WELCOME_CODE_PREFIX),
        codeStatus: "PENDING" as const,
        codeError: null,
        discountId: null,
        rewardSnapshot: rewardTerms(reward),
        startsAt: now,
        endsAt: new Date(now.getTime() + reward.codeLifetimeDays * DAY_MS),
        customerId,
      };
      const referral = existing
        ? await tx.referral.update({ where: { id: existing.id }, data: code })
        : await tx.referral.create({ data: { shop, referrerId: referrer.id, email, ...code } });
      return { ok: true, referral };
    });
  } catch (error) {
    // The same email submitted twice at once: the first one's offer is the answer.
    if (!isUniqueViolation(error)) throw error;
    const first = await prisma.referral.findUnique({ where: { shop_email: { shop, email } } });
    if (!first) throw error;
    return { ok: true, referral: first };
  }
  if (!reserved.ok || reserved.referral.codeStatus !== "PENDING") return reserved;
  const referral = await settleWelcomeCode(prisma, admin, reserved.referral, now, {
    retry: options.retry,
  });
  return referral.codeStatus === "FAILED"
    ? { ok: false, reason: "FAILED" }
    : { ok: true, referral };
}

/** Creates (or, for the worker, looks up) a PENDING welcome code and settles what that came to. */
async function settleWelcomeCode(
  prisma: PrismaClient,
  admin: AdminGraphqlClient,
  referral: Referral,
  now: Date,
  options: { create?: boolean; settleWindowMs?: number; retry?: RetryPolicy } = {},
): Promise<Referral> {
  const create =
    options.create === false
      ? undefined
      : await createDiscountCode(admin, referral, options.retry, "referral welcome");
  const lookup =
    !create || create.kind === "unknown"
      ? await lookUpCode(admin, referral.code, options.retry)
      : undefined;
  const decision = decide({
    create,
    lookup,
    ageMs: now.getTime() - referral.startsAt.getTime(),
    settleWindowMs: options.settleWindowMs ?? settleWindowMs(),
  });
  if (decision.to === "PENDING") {
    log.warn("welcome code outcome unknown", { shop: referral.shop, referralId: referral.id });
    await prisma.referral.updateMany({
      where: { id: referral.id, codeStatus: "PENDING", code: referral.code },
      data: { codeError: decision.reason },
    });
  } else {
    const data =
      decision.to === "ISSUED"
        ? { codeStatus: "ISSUED" as const, discountId: decision.discountId, codeError: null }
        : { codeStatus: "FAILED" as const, codeError: decision.reason };
    if (decision.to === "FAILED")
      log.warn("welcome code not created", { shop: referral.shop, reason: decision.reason });
    await prisma.referral.updateMany({
      where: { id: referral.id, codeStatus: "PENDING", code: referral.code },
      data,
    });
  }
  return prisma.referral.findUniqueOrThrow({ where: { id: referral.id } });
}

/**
 * The worker's reconciliation of welcome codes whose creation nobody saw end (the landing page's
 * request gave up, the process stopped): looked up, and FAILED once none exists after the settle
 * window, so the friend can ask again and get a new one.
 */
export async function settleWelcomeCodes(
  prisma: PrismaClient,
  adminFor: (shop: string) => Promise<AdminGraphqlClient | null>,
  now: Date,
  options: { settleWindowMs?: number; retry?: RetryPolicy } = {},
) {
  const pending = await prisma.referral.findMany({
    where: { codeStatus: "PENDING", startsAt: { lte: new Date(now.getTime() - REQUEST_MS) } },
    orderBy: { updatedAt: "asc" },
    take: BATCH,
  });
  const settled = { issued: 0, failed: 0, stillPending: 0, skipped: 0 };
  for (const referral of pending) {
    const admin = await adminFor(referral.shop);
    if (!admin) {
      settled.skipped += 1;
      await prisma.referral.update({ where: { id: referral.id }, data: { updatedAt: now } });
      continue;
    }
    const after = await settleWelcomeCode(prisma, admin, referral, now, {
      create: false,
      ...options,
    });
    if (after.codeStatus === "ISSUED") settled.issued += 1;
    else if (after.codeStatus === "FAILED") settled.failed += 1;
    else settled.stillPending += 1;
  }
  return settled;
}

/**
 * orders/paid with a welcome code, in the order's transaction, after the friend's own points: the
 * referral is credited to the referrer (pending for the program's referral period) or closed with
 * the reason it earns nothing. The record is the order's as awardOrder left it (refunds and a
 * cancellation that overtook the payment applied).
 */
export async function creditReferral(
  db: Db,
  rules: ProgramRules,
  order: PaidOrder,
  record: OrderRecord,
  now: Date,
) {
  const code = welcomeCodeIn(order.discountCodes);
  const { program } = rules;
  if (!code || !program.referrals) return null;
  const shop = program.shop;
  const referral = await db.referral.findUnique({
    where: { shop_code: { shop, code } },
    include: { referrer: true },
  });
  if (!referral || referral.status !== "OFFERED") return null;
  const { referrer } = referral;
  const friendId = order.customer?.customerId ?? null;
  const paidAt = order.occurredAt;

  const shipsToReferrer =
    record.addressDigest !== null &&
    (await db.orderRecord.findFirst({
      where: { shop, addressDigest: record.addressDigest, customerId: referrer.customerId },
      select: { id: true },
    })) !== null;
  const earlierOrder =
    friendId !== null &&
    (await db.orderRecord.findFirst({
      where: {
        shop,
        customerId: friendId,
        paidAt: { lt: paidAt },
        orderId: { not: record.orderId },
      },
      select: { id: true },
    })) !== null;
  const creditedBefore =
    friendId !== null &&
    (await db.referral.findFirst({
      where: { shop, customerId: friendId, status: { in: ["PENDING", "REWARDED"] } },
      select: { id: true },
    })) !== null;
  const creditedThisMonth = await db.referral.count({
    where: {
      referrerId: referrer.id,
      status: { in: ["PENDING", "REWARDED"] },
      orderedAt: { gte: new Date(paidAt.getTime() - REFERRAL_CAP_WINDOW_DAYS * DAY_MS) },
    },
  });
  const reason = referralVerdict({
    referrer,
    order: {
      customerId: friendId,
      email: order.customer?.email ?? order.email,
      shipsToReferrer,
      reversed:
        record.cancelledAt !== null ||
        (record.refundedMinor > 0 && record.basisMinor - record.refundedMinor <= 0),
    },
    friendSeenBefore: earlierOrder || creditedBefore,
    creditedThisMonth,
    perMonth: program.referralsPerMonth,
  });
  const facts = {
    orderId: record.orderId,
    orderName: record.name,
    orderedAt: paidAt,
    customerId: friendId ?? referral.customerId,
  };
  if (reason) {
    await db.referral.updateMany({
      where: { id: referral.id, status: "OFFERED" },
      data: { ...facts, status: "VOID", voidReason: reason },
    });
    log.info("referral not credited", { shop, referralId: referral.id, reason });
    return { status: "VOID" as const, reason };
  }

  const offer = parseRewardTerms(referral.rewardSnapshot).name;
  const contributions = contributionsFor(earningRules(program, null, [], offer), {
    type: "REFERRAL",
  });
  const points = totalPoints(contributions);
  const available = availableAt(paidAt, program.referralPendingDays);
  const pending = isPending(available, now);
  const { count } = await db.referral.updateMany({
    where: { id: referral.id, status: "OFFERED" },
    data: {
      ...facts,
      status: pending ? "PENDING" : "REWARDED",
      points,
      availableAt: available,
      rewardedAt: pending ? null : now,
    },
  });
  if (count === 0 || points === 0) return { status: pending ? "PENDING" : "REWARDED" };
  await lockMember(db, referrer.id);
  let member = await db.member.findUniqueOrThrow({ where: { id: referrer.id } });
  member = await postEntry(
    db,
    program,
    member,
    {
      kind: "EARN",
      points: pending ? 0 : points,
      pendingPoints: pending ? points : 0,
      source: "REFERRAL",
      sourceId: referral.id,
      idempotencyKey: `referral:${referral.id}:earn`,
      rule: { referral: referral.id, order: record.name ?? record.orderId, contributions },
      text: { key: "referral" },
      occurredAt: paidAt,
      availableAt: pending ? available : null,
    },
    now,
  );
  await evaluateTier(db, rules, member, now, "referral");
  return { status: pending ? ("PENDING" as const) : ("REWARDED" as const) };
}

/**
 * A refund or cancellation of an order that used a welcome code: the referrer's pending points
 * go back when nothing of the order is left, while they are pending (app/domain/referrals.ts).
 * Orders without a welcome code are answered from the record, with no statement.
 */
export async function reverseReferral(
  db: Db,
  rules: ProgramRules,
  record: OrderRecord,
  change: { at: Date; cancelled: boolean },
  now: Date,
) {
  if (!welcomeCodeIn(stringListSchema.catch([]).parse(record.discountCodes))) return false;
  const referral = await db.referral.findUnique({
    where: { shop_orderId: { shop: record.shop, orderId: record.orderId } },
  });
  if (!referral || referral.status !== "PENDING" || !referral.availableAt) return false;
  const reversed = referralReversedBy({
    at: change.at,
    availableAt: referral.availableAt,
    cancelled: change.cancelled || record.cancelledAt !== null,
    spendLeftMinor: record.basisMinor - record.refundedMinor,
  });
  if (!reversed) return false;
  // Conditional on PENDING: the release job may be making the same points spendable right now.
  const { count } = await db.referral.updateMany({
    where: { id: referral.id, status: "PENDING" },
    data: { status: "VOID", voidReason: "ORDER_REVERSED" },
  });
  if (count === 0 || referral.points === 0) return count > 0;
  await lockMember(db, referral.referrerId);
  let member = await db.member.findUniqueOrThrow({ where: { id: referral.referrerId } });
  member = await postEntry(
    db,
    rules.program,
    member,
    {
      kind: change.cancelled ? "CANCEL_REVERSAL" : "REFUND_CLAWBACK",
      points: 0,
      pendingPoints: -referral.points,
      source: "REFERRAL",
      sourceId: referral.id,
      idempotencyKey: `referral:${referral.id}:reverse`,
      text: { key: "referralReversed" },
      occurredAt: change.at,
    },
    now,
  );
  await evaluateTier(db, rules, member, now, "referral reversed");
  return true;
}

/** Referral points whose pending period is over become spendable, one referral per transaction. */
export async function releaseReferralPoints(prisma: PrismaClient, now: Date) {
  let released = 0;
  for (;;) {
    const due = await prisma.referral.findMany({
      where: { status: "PENDING", availableAt: { lte: now } },
      take: BATCH,
    });
    if (due.length === 0) return released;
    for (const referral of due) {
      await prisma.$transaction(async (tx) => {
        const { count } = await tx.referral.updateMany({
          where: { id: referral.id, status: "PENDING" },
          data: { status: "REWARDED", rewardedAt: now },
        });
        if (count === 0 || referral.points === 0) return;
        await lockMember(tx, referral.referrerId);
        const member = await tx.member.findUnique({ where: { id: referral.referrerId } });
        if (!member) return;
        const program = await programFor(tx, referral.shop);
        await postEntry(
          tx,
          program,
          member,
          {
            kind: "RELEASE",
            points: referral.points,
            pendingPoints: -referral.points,
            source: "REFERRAL",
            sourceId: referral.id,
            idempotencyKey: `referral:${referral.id}:release`,
            text: { key: "referralReleased" },
            occurredAt: referral.availableAt ?? now,
          },
          now,
        );
        released += 1;
      });
    }
  }
}
