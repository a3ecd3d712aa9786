import type { PrismaClient, Redemption, Reward } from "@prisma/client";
import type { RewardTerms } from "../domain/rewards";
import {
  applyUrl,
  customerGid,
  discountInput,
  generateRewardCode,
  redemptionBlocker,
  rewardTermErrors,
} from "../domain/rewards";
import type { AdminGraphqlClient, RetryPolicy } from "../shopify/admin-api.server";
import { AdminApiError, adminQuery, DEFAULT_RETRY_POLICY } from "../shopify/admin-api.server";
import {
  CREATE_AMOUNT_DISCOUNT,
  CREATE_SHIPPING_DISCOUNT,
  FIND_DISCOUNT_BY_CODE,
} from "../shopify/operations";
import { rewardTerms as parseRewardTerms } from "../domain/snapshots";
import { isUniqueViolation } from "../db/errors";
import { InsufficientPointsError, postEntry } from "./ledger.server";
import type { Db } from "./program.server";
import { programFor } from "./program.server";
import { errorFields, log } from "../log.server";

/**
 * Redemption in three steps, so that points are never spent without a code and never spent twice:
 *  1. one transaction takes the points with a conditional update and records a PENDING redemption;
 *  2. the discount code is created through the Admin API (bounded retries, throttle-aware);
 *  3. the redemption is marked ISSUED — or, if the code could not be created, a compensating
 *     ledger entry returns the points and the redemption is marked FAILED.
 * A crash between 1 and 3 leaves a PENDING redemption that reconcileRedemptions() settles by
 * asking Shopify whether the code exists.
 */

export type RedemptionErrorCode =
  | "IN_PROGRESS"
  | "NOT_A_MEMBER"
  | "REWARD_NOT_FOUND"
  | "REWARD_DISABLED"
  | "TIER_REQUIRED"
  | "INSUFFICIENT_POINTS"
  | "RATE_LIMITED"
  | "CODE_NOT_CREATED";

const MESSAGES: Record<RedemptionErrorCode, string> = {
  IN_PROGRESS: "Your reward is still being prepared. Please try again in a moment.",
  NOT_A_MEMBER: "You have no points yet. Place an order to start earning.",
  REWARD_NOT_FOUND: "This reward is no longer available.",
  REWARD_DISABLED: "This reward is not available right now.",
  TIER_REQUIRED: "This reward is for members of a higher tier.",
  INSUFFICIENT_POINTS: "You don't have enough points for this reward yet.",
  RATE_LIMITED: "You've redeemed several rewards in the last hour. Please try again later.",
  CODE_NOT_CREATED:
    "We couldn't create your discount code. Your points have been returned — please try again.",
};

const STATUS: Record<RedemptionErrorCode, number> = {
  IN_PROGRESS: 409,
  NOT_A_MEMBER: 404,
  REWARD_NOT_FOUND: 404,
  REWARD_DISABLED: 409,
  TIER_REQUIRED: 403,
  INSUFFICIENT_POINTS: 409,
  RATE_LIMITED: 429,
  CODE_NOT_CREATED: 503,
};

export class RedemptionError extends Error {
  readonly status: number;
  constructor(
    readonly code: RedemptionErrorCode,
    readonly detail?: string,
  ) {
    super(MESSAGES[code]);
    this.name = "RedemptionError";
    this.status = STATUS[code];
  }
}

export function rewardTerms(reward: Reward): RewardTerms {
  return {
    name: reward.name,
    type: reward.type,
    pointsCost: reward.pointsCost,
    amount: reward.amount,
    percentage: reward.percentage,
    minimumSubtotal: reward.minimumSubtotal,
    codeLifetimeDays: reward.codeLifetimeDays,
    combinesWithOrder: reward.combinesWithOrder,
    combinesWithProduct: reward.combinesWithProduct,
    combinesWithShipping: reward.combinesWithShipping,
  };
}

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

/** Step 1: checks eligibility and takes the points, leaving a PENDING redemption. */
export async function reserveRedemption(
  prisma: PrismaClient,
  shop: string,
  customerId: string,
  rewardId: string,
  now: Date,
  requestKey: string | null = null,
) {
  return prisma.$transaction(async (tx) => {
    const member = await tx.member.findUnique({
      where: { shop_customerId: { shop, customerId } },
      include: { tier: true },
    });
    if (!member) throw new RedemptionError("NOT_A_MEMBER");
    const reward = await tx.reward.findFirst({ where: { id: rewardId, shop } });
    if (!reward) throw new RedemptionError("REWARD_NOT_FOUND");
    const program = await programFor(tx, shop);
    const requiredTier = reward.tierId
      ? await tx.tier.findFirst({ where: { id: reward.tierId, shop } })
      : null;
    const recentRedemptions = await tx.redemption.count({
      where: { memberId: member.id, createdAt: { gte: new Date(now.getTime() - HOUR_MS) } },
    });
    const blocker = redemptionBlocker({
      enabled:
        reward.enabled &&
        Object.keys(rewardTermErrors(rewardTerms(reward), program.currency)).length === 0,
      pointsCost: reward.pointsCost,
      balance: member.balance,
      requiredTierThreshold: requiredTier?.threshold ?? null,
      memberTierThreshold: member.tier?.threshold ?? null,
      recentRedemptions,
      redemptionsPerHour: program.redemptionsPerHour,
    });
    if (blocker) throw new RedemptionError(blocker);

    const redemption = await tx.redemption.create({
      data: {
        shop,
        memberId: member.id,
        customerId,
        rewardId: reward.id,
        pointsSpent: reward.pointsCost,
        code: generateRewardCode(),
        rewardSnapshot: rewardTerms(reward),
        requestKey,
        startsAt: now,
        endsAt: new Date(now.getTime() + reward.codeLifetimeDays * DAY_MS),
      },
    });
    try {
      const after = await postEntry(
        tx,
        program,
        member,
        {
          kind: "REDEEM",
          points: -reward.pointsCost,
          source: "REDEMPTION",
          sourceId: redemption.id,
          idempotencyKey: `redemption:${redemption.id}:redeem`,
          rule: rewardTerms(reward),
          description: `Redeemed ${reward.name}`,
          occurredAt: now,
          requireBalance: true,
        },
        now,
      );
      return { redemption, reward, balance: after.balance };
    } catch (error) {
      if (error instanceof InsufficientPointsError)
        throw new RedemptionError("INSUFFICIENT_POINTS");
      throw error;
    }
  });
}

interface CreateResult {
  codeDiscountNode: { id: string } | null;
  userErrors: { field: string[] | null; message: string; code: string | null }[];
}

/** Creates the discount in Shopify; returns its id or throws AdminApiError. */
export async function createDiscountCode(
  admin: AdminGraphqlClient,
  redemption: Pick<Redemption, "code" | "customerId" | "startsAt" | "endsAt" | "rewardSnapshot">,
  retry: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<string> {
  const terms = parseRewardTerms(redemption.rewardSnapshot);
  const discount = discountInput({
    terms,
    code: redemption.code,
    customerGid: customerGid(redemption.customerId),
    startsAt: redemption.startsAt,
    endsAt: redemption.endsAt,
  });
  const result =
    discount.kind === "FREE_SHIPPING"
      ? (
          await adminQuery<{ discountCodeFreeShippingCreate: CreateResult }>(
            admin,
            CREATE_SHIPPING_DISCOUNT,
            { discount: discount.input },
            retry,
          )
        ).discountCodeFreeShippingCreate
      : (
          await adminQuery<{ discountCodeBasicCreate: CreateResult }>(
            admin,
            CREATE_AMOUNT_DISCOUNT,
            { discount: discount.input },
            retry,
          )
        ).discountCodeBasicCreate;
  if (result.userErrors.length || !result.codeDiscountNode) {
    const detail = result.userErrors
      .map((e) => `${(e.field ?? []).join(".")}: ${e.message}`)
      .join("; ");
    throw new AdminApiError(
      `Shopify refused the discount: ${detail || "no discount returned"}`,
      "permanent",
    );
  }
  return result.codeDiscountNode.id;
}

/** Gives the points of a redemption back, once (the ledger key makes a second call a no-op). */
export async function returnPoints(
  db: Db,
  redemption: Redemption,
  status: "FAILED" | "EXPIRED",
  reason: string,
  now: Date,
) {
  if (redemption.pointsReturned) return;
  const member = await db.member.findUnique({ where: { id: redemption.memberId } });
  if (member) {
    const program = await programFor(db, redemption.shop);
    await postEntry(
      db,
      program,
      member,
      {
        kind: "REDEEM_RETURN",
        points: redemption.pointsSpent,
        source: "REDEMPTION",
        sourceId: redemption.id,
        idempotencyKey: `redemption:${redemption.id}:return`,
        description: reason,
        occurredAt: now,
      },
      now,
    );
  }
  await db.redemption.update({
    where: { id: redemption.id },
    data: { status, pointsReturned: true, error: status === "FAILED" ? reason : redemption.error },
  });
}

export interface RedeemResult {
  redemption: Redemption;
  code: string;
  applyUrl: string;
  expiresAt: Date;
  /** The member's balance after the redemption. */
  points: number;
}

/** The answer a redemption already gave, for a retried or replayed request with its key. */
async function earlierAnswer(
  prisma: PrismaClient,
  shop: string,
  customerId: string,
  requestKey: string,
): Promise<RedeemResult | null> {
  const earlier = await prisma.redemption.findUnique({
    where: { shop_customerId_requestKey: { shop, customerId, requestKey } },
  });
  if (!earlier) return null;
  if (earlier.status === "PENDING") throw new RedemptionError("IN_PROGRESS");
  if (earlier.status === "FAILED")
    throw new RedemptionError("CODE_NOT_CREATED", earlier.error ?? "");
  const member = await prisma.member.findUnique({ where: { id: earlier.memberId } });
  return {
    redemption: earlier,
    code: earlier.code,
    applyUrl: applyUrl(shop, earlier.code),
    expiresAt: earlier.endsAt,
    points: member?.balance ?? 0,
  };
}

export async function redeemReward(options: {
  prisma: PrismaClient;
  admin: AdminGraphqlClient;
  shop: string;
  customerId: string;
  rewardId: string;
  /** The widget's idempotency key for this intent to redeem. */
  requestKey?: string | null;
  now?: Date;
  retry?: RetryPolicy;
}): Promise<RedeemResult> {
  const { prisma, admin, shop, customerId, rewardId } = options;
  const requestKey = options.requestKey ?? null;
  const now = options.now ?? new Date();
  if (requestKey) {
    const answered = await earlierAnswer(prisma, shop, customerId, requestKey);
    if (answered) return answered;
  }
  let reserved: Awaited<ReturnType<typeof reserveRedemption>>;
  try {
    reserved = await reserveRedemption(prisma, shop, customerId, rewardId, now, requestKey);
  } catch (error) {
    // The same key at the same moment (a double submit): the other request's answer is ours.
    if (requestKey && isUniqueViolation(error)) {
      const answered = await earlierAnswer(prisma, shop, customerId, requestKey);
      if (answered) return answered;
    }
    throw error;
  }
  const { redemption, balance } = reserved;

  let discountId: string;
  try {
    discountId = await createDiscountCode(admin, redemption, options.retry);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    log.warn("redemption code not created; returning points", {
      shop,
      redemptionId: redemption.id,
      reason,
    });
    await prisma.$transaction((tx) =>
      returnPoints(
        tx,
        redemption,
        "FAILED",
        "Points returned: the discount code could not be created",
        now,
      ),
    );
    throw new RedemptionError("CODE_NOT_CREATED", reason);
  }

  const issued = await prisma.redemption.update({
    where: { id: redemption.id },
    data: { status: "ISSUED", discountId },
  });
  return {
    redemption: issued,
    code: issued.code,
    applyUrl: applyUrl(shop, issued.code),
    expiresAt: issued.endsAt,
    points: balance,
  };
}

/**
 * Settles redemptions left PENDING by a crash: if Shopify has the code, the redemption is
 * completed; if not, the points go back. Only redemptions older than `settleAfterMs` are touched,
 * so a request still creating its code is never second-guessed.
 */
export async function reconcileRedemptions(
  prisma: PrismaClient,
  adminFor: (shop: string) => Promise<AdminGraphqlClient | null>,
  now: Date,
  settleAfterMs = 5 * 60 * 1000,
  retry: RetryPolicy = DEFAULT_RETRY_POLICY,
) {
  const stuck = await prisma.redemption.findMany({
    where: { status: "PENDING", createdAt: { lte: new Date(now.getTime() - settleAfterMs) } },
    orderBy: { createdAt: "asc" },
    take: 100,
  });
  const settled = { completed: 0, refunded: 0, skipped: 0 };
  for (const redemption of stuck) {
    const admin = await adminFor(redemption.shop);
    if (!admin) {
      settled.skipped += 1;
      continue;
    }
    let found: { id: string } | null;
    try {
      found = (
        await adminQuery<{ codeDiscountNodeByCode: { id: string } | null }>(
          admin,
          FIND_DISCOUNT_BY_CODE,
          { code: redemption.code },
          retry,
        )
      ).codeDiscountNodeByCode;
    } catch (error) {
      log.warn("reconcile: code lookup failed, will retry next run", {
        shop: redemption.shop,
        redemptionId: redemption.id,
        ...errorFields(error),
      });
      settled.skipped += 1;
      continue;
    }
    if (found) {
      await prisma.redemption.updateMany({
        where: { id: redemption.id, status: "PENDING" },
        data: { status: "ISSUED", discountId: found.id },
      });
      settled.completed += 1;
    } else {
      await prisma.$transaction(async (tx) => {
        const current = await tx.redemption.findUnique({ where: { id: redemption.id } });
        if (current?.status !== "PENDING") return;
        await returnPoints(
          tx,
          current,
          "FAILED",
          "Points returned: the discount code was never created",
          now,
        );
      });
      settled.refunded += 1;
    }
  }
  return settled;
}

/** orders/paid carrying one of our codes: the reward was used, and on which order. */
export async function markRewardCodesUsed(
  db: Db,
  shop: string,
  order: { orderId: string; discountCodes: string[]; totalMinor: number; occurredAt: Date },
) {
  const codes = order.discountCodes.map((c) => c.trim().toUpperCase()).filter(Boolean);
  if (codes.length === 0) return 0;
  const { count } = await db.redemption.updateMany({
    where: {
      shop,
      code: { in: codes },
      status: { in: ["ISSUED", "PENDING", "EXPIRED"] },
      usedOrderId: null,
    },
    data: {
      status: "USED",
      usedOrderId: order.orderId,
      usedOrderTotalMinor: order.totalMinor,
      usedAt: order.occurredAt,
    },
  });
  return count;
}

// orders/paid can arrive up to a day late: a code used just before its end date must not be
// expired (and its points returned) before that order is seen.
const LATE_WEBHOOK_GRACE_MS = 24 * HOUR_MS;

/** Codes past their end date are expired; the program may give their points back. */
export async function expireRewardCodes(prisma: PrismaClient, now: Date) {
  const due = await prisma.redemption.findMany({
    where: { status: "ISSUED", endsAt: { lte: new Date(now.getTime() - LATE_WEBHOOK_GRACE_MS) } },
    take: 500,
  });
  for (const redemption of due) {
    await prisma.$transaction(async (tx) => {
      const current = await tx.redemption.findUnique({ where: { id: redemption.id } });
      if (current?.status !== "ISSUED") return;
      const program = await programFor(tx, current.shop);
      if (program.returnPointsOnExpiredCodes) {
        await returnPoints(
          tx,
          current,
          "EXPIRED",
          `Points returned: code ${current.code} expired unused`,
          now,
        );
      } else {
        await tx.redemption.update({ where: { id: current.id }, data: { status: "EXPIRED" } });
      }
    });
  }
  return due.length;
}
