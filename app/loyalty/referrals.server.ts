import { createHash } from "node:crypto";
import type { Member, OrderRecord, PrismaClient, Program, Referral, Reward } from "@prisma/client";
import { contributionsFor, totalPoints } from "../domain/earning-rules";
import type { WelcomeRefusal } from "../domain/referrals";
import {
  normalEmail,
  orderReversed,
  REFERRAL_CAP_WINDOW_DAYS,
  referralLinkCode,
  referralReversedBy,
  referralVerdict,
  WELCOME_CODE_PREFIX,
  welcomeBlocker,
  welcomeCodesIn,
} from "../domain/referrals";
import { decide } from "../domain/redemption-state";
import { canWelcomeFriends, generateRewardCode, rewardTermErrors } from "../domain/rewards";
import { availableAt, isPending } from "../domain/schedule";
import { rewardTerms as parseRewardTerms, stringListSchema } from "../domain/snapshots";
import { isUniqueViolation } from "../db/errors";
import { lockMember } from "../db/locks.server";
import { log } from "../log.server";
import type { AdminGraphqlClient, RetryPolicy } from "../shopify/admin-api.server";
import { postEntry } from "./ledger.server";
import { evaluateTier } from "./members.server";
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
  // Saved before such rewards were refused as the offer: as good as no offer.
  if (!reward || !canWelcomeFriends(reward.type)) return null;
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
  { ok: true; referral: Referral } | { ok: false; reason: "NOT_FOUND" | "FAILED" | WelcomeRefusal };

/**
 * The landing page's button: a welcome code for the signed-in `customerId` from the link
 * `linkCode`. One offer per customer and shop: asking again (a reload, a second link) answers
 * with the first, unless Shopify refused it or it expired unused, when a new one is made.
 */
export async function offerWelcome(options: {
  prisma: PrismaClient;
  admin: AdminGraphqlClient;
  shop: string;
  linkCode: string;
  /** The signed-in shopper (the app proxy's logged_in_customer_id). */
  customerId: string;
  now?: Date;
  retry?: RetryPolicy;
}): Promise<WelcomeResult> {
  const { prisma, admin, shop, linkCode, customerId } = options;
  const now = options.now ?? new Date();

  let reserved: WelcomeResult;
  try {
    reserved = await prisma.$transaction(async (tx): Promise<WelcomeResult> => {
      const found = await invitation(tx, shop, linkCode);
      if (!found) return { ok: false, reason: "NOT_FOUND" };
      const { referrer, reward } = found;
      const existing = await tx.referral.findUnique({
        where: { shop_customerId: { shop, customerId } },
      });
      const usable =
        existing &&
        existing.codeStatus !== "FAILED" &&
        !(existing.status === "OFFERED" && existing.endsAt <= now);
      if (usable) return { ok: true, referral: existing };
      const friend = await tx.member.findUnique({
        where: { shop_customerId: { shop, customerId } },
        select: { email: true },
      });
      const paid = await tx.orderRecord.findFirst({
        where: { shop, customerId, paidAt: { not: null } },
        select: { id: true },
      });
      const blocker = welcomeBlocker({
        referrer,
        friend: { customerId, email: friend?.email ?? null },
        friendHasOrdered: paid !== null,
        offersToday: await tx.referral.count({
          where: { referrerId: referrer.id, createdAt: { gte: new Date(now.getTime() - DAY_MS) } },
        }),
      });
      if (blocker) return { ok: false, reason: blocker };
      const offer = {
        referrerId: referrer.id,
        email: normalEmail(friend?.email),
        code: generateRewardCode(WELCOME_CODE_PREFIX),
        codeStatus: "PENDING" as const,
        codeError: null,
        discountId: null,
        rewardSnapshot: rewardTerms(reward),
        startsAt: now,
        endsAt: new Date(now.getTime() + reward.codeLifetimeDays * DAY_MS),
      };
      if (!existing) {
        const referral = await tx.referral.create({ data: { shop, customerId, ...offer } });
        return { ok: true, referral };
      }
      // A new code in place of a refused or expired one. Conditional on the code read: of two
      // requests at once, one makes it and the other answers with it (still PENDING: settled
      // by the first, or the worker), so no code is made that no row knows.
      await tx.referral.updateMany({
        where: { id: existing.id, code: existing.code, status: "OFFERED" },
        data: offer,
      });
      const referral = await tx.referral.findUniqueOrThrow({ where: { id: existing.id } });
      return { ok: true, referral };
    });
  } catch (error) {
    // The same shopper asking twice at once: the first one's offer is the answer.
    if (!isUniqueViolation(error)) throw error;
    const first = await prisma.referral.findUnique({
      where: { shop_customerId: { shop, customerId } },
    });
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

/** What an order says about its buyer and its codes, for the referral it may complete. */
export interface ReferralOrder {
  discountCodes: readonly string[];
  customerId: string | null;
  /** The customer's email, else the order's contact email. */
  email: string | null;
  paidAt: Date;
}

/**
 * A paid order with a welcome code, in the order's transaction, once its points are credited
 * (orders/paid, or the approval of a held order): the referral is credited to the referrer
 * (pending for the program's referral period) or closed with the reason it earns nothing. The
 * record is the order's as awardOrder left it (refunds and a cancellation that overtook the
 * payment applied).
 */
export async function creditReferral(
  db: Db,
  rules: ProgramRules,
  order: ReferralOrder,
  record: OrderRecord,
  now: Date,
) {
  const codes = welcomeCodesIn(order.discountCodes);
  const { program } = rules;
  if (!codes.length || !program.referrals) return null;
  const shop = program.shop;
  const offered = await db.referral.findFirst({
    where: { shop, code: { in: codes }, status: "OFFERED" },
    select: { id: true, referrerId: true },
  });
  if (!offered) return null;
  // The referrer first: two friends' orders at once must not both fit under the monthly cap.
  await lockMember(db, offered.referrerId);
  const referral = await db.referral.findUnique({
    where: { id: offered.id },
    include: { referrer: true },
  });
  if (!referral || referral.status !== "OFFERED") return null;
  const { referrer } = referral;
  const friendId = order.customerId;
  const paidAt = order.paidAt;

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
      email: order.email,
      shipsToReferrer,
      spendMinor: record.basisMinor,
      reversed: orderReversed({
        cancelled: record.cancelledAt !== null,
        basisMinor: record.basisMinor,
        refundedMinor: record.refundedMinor,
      }),
    },
    friendSeenBefore: earlierOrder || creditedBefore,
    creditedThisMonth,
    perMonth: program.referralsPerMonth,
  });
  const facts = { orderId: record.orderId, orderName: record.name, orderedAt: paidAt };
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
  const status = pending ? ("PENDING" as const) : ("REWARDED" as const);
  const { count } = await db.referral.updateMany({
    where: { id: referral.id, status: "OFFERED" },
    data: { ...facts, status, points, availableAt: available, rewardedAt: pending ? null : now },
  });
  if (count === 0 || points === 0) return { status };
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
      // The referral, not the friend's order: the referrer's history names no friend.
      rule: { referral: referral.id, contributions },
      text: { key: "referral" },
      occurredAt: paidAt,
      availableAt: pending ? available : null,
    },
    now,
  );
  await evaluateTier(db, rules, member, now, "referral");
  return { status };
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
  if (!welcomeCodesIn(stringListSchema.catch([]).parse(record.discountCodes)).length) return false;
  const referral = await db.referral.findUnique({
    where: { shop_orderId: { shop: record.shop, orderId: record.orderId } },
  });
  if (!referral || referral.status !== "PENDING" || !referral.availableAt) return false;
  const reversed = referralReversedBy({
    at: change.at,
    availableAt: referral.availableAt,
    cancelled: change.cancelled || record.cancelledAt !== null,
    basisMinor: record.basisMinor,
    refundedMinor: record.refundedMinor,
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
