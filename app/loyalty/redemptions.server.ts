import type { Prisma, PrismaClient, Redemption, Reward } from "@prisma/client";
import type { RewardTerms } from "../domain/rewards";
import {
  applyUrl,
  customerGid,
  discountInput,
  generateRewardCode,
  NEVER,
  STORE_CREDIT_PREFIX,
  redemptionBlocker,
  rewardEndsAt,
  rewardTermErrors,
} from "../domain/rewards";
import type { AdminGraphqlClient, RetryPolicy } from "../shopify/admin-api.server";
import {
  adminCall,
  adminQuery,
  DEFAULT_RETRY_POLICY,
  failedCall,
  type AdminOutcome,
} from "../shopify/admin-api.server";
import {
  CREATE_AMOUNT_DISCOUNT,
  CREATE_SHIPPING_DISCOUNT,
  DEACTIVATE_DISCOUNT,
  FIND_DISCOUNT_BY_CODE,
} from "../shopify/operations";
import type {
  LoyaltyCreateAmountDiscountMutation,
  LoyaltyCreateAmountDiscountMutationVariables,
  LoyaltyCreateShippingDiscountMutation,
  LoyaltyCreateShippingDiscountMutationVariables,
  LoyaltyDeactivateDiscountMutation,
  LoyaltyDeactivateDiscountMutationVariables,
  LoyaltyFindDiscountByCodeQuery,
  LoyaltyFindDiscountByCodeQueryVariables,
} from "../types/admin.generated";
import type { DiscountBuyerSelection, DiscountContextInput } from "../types/admin.types";
import type {
  CreateOutcome,
  Decision,
  LookupOutcome,
  RedemptionState,
} from "../domain/redemption-state";
import { decide, statesLeadingTo } from "../domain/redemption-state";
import { appEnv } from "../env.server";
import { rewardTerms as parseRewardTerms, rewardTermsSchema } from "../domain/snapshots";
import type { PickedResource } from "../domain/campaigns";
import type { EntryText, ShopperErrorCode } from "../domain/storefront-text";
import { shopperError } from "../domain/storefront-text";
import { isTransientDatabaseError, isUniqueViolation } from "../db/errors";
import { formatAmount, toMinorUnits } from "../domain/money";
import { lockMember } from "../db/locks.server";
import { queueFlowEvent } from "./flow-triggers.server";
import { InsufficientPointsError, postEntry } from "./ledger.server";
import type { Db } from "./program.server";
import { programFor } from "./program.server";
import { shopConfig } from "./shop-config.server";
import type { FreeProductOffer } from "../domain/rewards";
import { freeProductPrice } from "./free-product.server";
import { log } from "../log.server";
import { knownTimeZone } from "../domain/time-zones";
import {
  STORE_CREDIT_CODES,
  creditLeft,
  creditStoreCredit,
  debitStoreCredit,
  findOwnTransaction,
  isStoreCredit,
} from "./store-credit.server";

/**
 * Redemption, so that a shopper never keeps both the points and a code, and never loses both:
 *  1. one transaction checks eligibility, takes the points with a conditional update and records a
 *     PENDING redemption;
 *  2. the code is created through the Admin API, every attempt with a deadline;
 *  3. the outcome moves the row, conditionally on it still being PENDING (app/domain/
 *     redemption-state.ts): created → ISSUED; certainly refused → FAILED with the points back;
 *     anything uncertain (a lost or late answer, a 5xx, "code taken") → look the code up: found →
 *     ISSUED; otherwise it stays PENDING and the shopper is told it is still being prepared.
 * A PENDING redemption is settled by the shopper's widget polling, or the worker's
 * reconciliation: found → ISSUED; still absent once REDEMPTION_SETTLE_SECONDS have passed (no
 * call can still be on its way) → FAILED with the points back. Answers within ~10 s: the create
 * has a 6 s budget, the lookup 3 s (a free product's price read adds up to 3 s before them).
 */

// The refusals a redemption can meet, each with its HTTP status: named rather than everything
// else excluded, as the widget's other requests add codes of their own.
const STATUS = {
  PROGRAM_PAUSED: 409,
  NOT_A_MEMBER: 404,
  REWARD_NOT_FOUND: 404,
  REWARD_DISABLED: 409,
  TIER_REQUIRED: 403,
  INSUFFICIENT_POINTS: 409,
  RATE_LIMITED: 429,
  CODE_NOT_CREATED: 503,
  CREDIT_NOT_ADDED: 503,
  /** Another store credit of the shopper's is still being confirmed. */
  CREDIT_PENDING: 409,
  /** Shopify could not be asked something the redemption needs first; nothing was taken. */
  TRY_AGAIN: 503,
} as const satisfies Partial<Record<ShopperErrorCode, number>>;

export type RedemptionErrorCode = keyof typeof STATUS;

export class RedemptionError extends Error {
  readonly status: number;
  constructor(
    readonly code: RedemptionErrorCode,
    readonly detail?: string,
  ) {
    super(shopperError(code));
    this.name = "RedemptionError";
    this.status = STATUS[code];
  }
}

/**
 * How a redeem that threw is answered: a refusal with its status and code, or TRY_AGAIN (503)
 * while the database is overloaded or restarting (the same requestId asked again then answers
 * with this redemption, if it got as far as taking the points); null for anything else.
 */
export function redeemFailure(caught: unknown): { status: number; code: ShopperErrorCode } | null {
  if (caught instanceof RedemptionError) return { status: caught.status, code: caught.code };
  if (isTransientDatabaseError(caught)) return { status: 503, code: "TRY_AGAIN" };
  return null;
}

export function rewardTerms(reward: Reward): RewardTerms {
  const collections = reward.collections === null ? [] : pickedCollections(reward.collections);
  const variant = reward.type === "FREE_PRODUCT" ? pickedVariant(reward.variant) : undefined;
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
    // Only when there are some: rewards off the whole order keep the terms they always had.
    ...(collections.length && { collections }),
    ...(variant && { variant }),
  };
}

/** Unreadable or absent: none, so rewardTermErrors refuses the reward. */
function pickedVariant(value: Prisma.JsonValue): PickedResource | undefined {
  const parsed = rewardTermsSchema.shape.variant.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** Not a list of picks: one no Shopify collection has, so rewardTermErrors refuses the reward. */
function pickedCollections(value: Prisma.JsonValue): PickedResource[] {
  const parsed = rewardTermsSchema.shape.collections.safeParse(value);
  return parsed.success ? (parsed.data ?? []) : [{ id: "(unreadable)", title: "(unreadable)" }];
}

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

/** A new redemption's code (store credit: its reference) and end, for these terms. */
function newRedemption(terms: RewardTerms, now: Date) {
  return {
    code: generateRewardCode(terms.type === "STORE_CREDIT" ? STORE_CREDIT_PREFIX : undefined),
    startsAt: now,
    endsAt: rewardEndsAt(terms, now),
  };
}

/**
 * Store credit: one unconfirmed credit per shopper at a time, decided under the member's lock. A
 * credit whose answer was lost is recognised among the account's transactions by its amount and
 * expiry; two in flight at once could not be told apart.
 */
async function creditInFlight(db: Db, memberId: string) {
  await lockMember(db, memberId);
  const pending = await db.redemption.count({
    where: { memberId, status: "PENDING", code: STORE_CREDIT_CODES },
  });
  return pending > 0;
}

/**
 * Whether the member may redeem the reward now: the refusal thrown, or what was read to decide.
 * Reserving decides it again under its transaction.
 */
async function eligibility(db: Db, shop: string, customerId: string, rewardId: string, now: Date) {
  const member = await db.member.findUnique({
    where: { shop_customerId: { shop, customerId } },
    include: { tier: true },
  });
  if (!member) throw new RedemptionError("NOT_A_MEMBER");
  const reward = await db.reward.findFirst({ where: { id: rewardId, shop } });
  if (!reward) throw new RedemptionError("REWARD_NOT_FOUND");
  const program = await programFor(db, shop);
  // The widget hides while paused, but a page open from before (or a stale theme) can still ask.
  if (!program.enabled) throw new RedemptionError("PROGRAM_PAUSED");
  const requiredTier = reward.tierId
    ? await db.tier.findFirst({ where: { id: reward.tierId, shop } })
    : null;
  const recentRedemptions = await db.redemption.count({
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
  return { member, reward, program };
}

/** Step 1: checks eligibility and takes the points, leaving a PENDING redemption. */
export async function reserveRedemption(
  prisma: PrismaClient,
  shop: string,
  customerId: string,
  rewardId: string,
  now: Date,
  requestKey: string | null = null,
  /** FREE_PRODUCT: its variant's price, read from Shopify just before (freeProductPrice). */
  freeProduct: { variantId: string; amount: string } | null = null,
) {
  return prisma.$transaction(async (tx) => {
    const { member, reward, program } = await eligibility(tx, shop, customerId, rewardId, now);
    let terms = rewardTerms(reward);
    if (terms.type === "STORE_CREDIT" && (await creditInFlight(tx, member.id)))
      throw new RedemptionError("CREDIT_PENDING");
    if (terms.type === "FREE_PRODUCT") {
      // The merchant changed the product while its price was being read: read it again.
      if (!freeProduct || freeProduct.variantId !== terms.variant?.id)
        throw new RedemptionError("TRY_AGAIN");
      terms = { ...terms, amount: freeProduct.amount };
    }

    const redemption = await tx.redemption.create({
      data: {
        shop,
        memberId: member.id,
        customerId,
        rewardId: reward.id,
        pointsSpent: reward.pointsCost,
        rewardSnapshot: terms,
        requestKey,
        ...newRedemption(terms, now),
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
          rule: terms,
          text: { key: "redeem", reward: reward.name },
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

/** The three discount mutations select the same payload fields, so one type reads them all. */
type MutationResult = NonNullable<
  | LoyaltyCreateAmountDiscountMutation["discountCodeBasicCreate"]
  | LoyaltyCreateShippingDiscountMutation["discountCodeFreeShippingCreate"]
  | LoyaltyDeactivateDiscountMutation["discountCodeDeactivate"]
>;

/** The schema allows a null payload; Shopify sends one only alongside errors, which throw first. */
function payload(result: MutationResult | null | undefined, field: string): MutationResult {
  if (!result) throw new Error(`Admin API returned no ${field} payload`);
  return result;
}

/** Shopify's answer when the code we asked for exists already — perhaps made by our lost call. */
function codeTaken(result: MutationResult) {
  return result.userErrors.some(
    (e) => e.code === "TAKEN" || /must be unique|already (been )?taken/i.test(e.message),
  );
}

const CREATE_POLICY: RetryPolicy = DEFAULT_RETRY_POLICY;
const LOOKUP_POLICY: RetryPolicy = {
  ...DEFAULT_RETRY_POLICY,
  budgetMs: 3_000,
  attemptTimeoutMs: 2_500,
};

export function settleWindowMs() {
  return appEnv().REDEMPTION_SETTLE_SECONDS * 1_000;
}

/** The schema's buyer-selection enum exists only as a type here; its value is the string. */
function contextInput(
  context: ReturnType<typeof discountInput>["input"]["context"],
): DiscountContextInput {
  return "all" in context && context.all
    ? { all: context.all as DiscountBuyerSelection }
    : { customers: context.customers! };
}

/** Creates the discount in Shopify and says what came of it (never throws for Shopify's sake). */
export async function createDiscountCode(
  admin: AdminGraphqlClient,
  redemption: Pick<Redemption, "code" | "startsAt" | "endsAt" | "rewardSnapshot"> & {
    customerId: string | null;
  },
  retry: RetryPolicy = CREATE_POLICY,
  label?: string,
): Promise<CreateOutcome> {
  const terms = parseRewardTerms(redemption.rewardSnapshot);
  const discount = discountInput({
    terms,
    code: redemption.code,
    customerGid: redemption.customerId ? customerGid(redemption.customerId) : null,
    startsAt: redemption.startsAt,
    endsAt: redemption.endsAt,
    label,
  });
  let result: MutationResult;
  let outcome: AdminOutcome;
  try {
    if (discount.kind === "FREE_SHIPPING") {
      const call = await adminCall<LoyaltyCreateShippingDiscountMutation>(
        admin,
        CREATE_SHIPPING_DISCOUNT,
        {
          discount: { ...discount.input, context: contextInput(discount.input.context) },
        } satisfies LoyaltyCreateShippingDiscountMutationVariables,
        retry,
      );
      result = payload(call.data.discountCodeFreeShippingCreate, "discountCodeFreeShippingCreate");
      outcome = call.outcome;
    } else {
      const call = await adminCall<LoyaltyCreateAmountDiscountMutation>(
        admin,
        CREATE_AMOUNT_DISCOUNT,
        {
          discount: { ...discount.input, context: contextInput(discount.input.context) },
        } satisfies LoyaltyCreateAmountDiscountMutationVariables,
        retry,
      );
      result = payload(call.data.discountCodeBasicCreate, "discountCodeBasicCreate");
      outcome = call.outcome;
    }
  } catch (error) {
    return failedCall(error);
  }
  if (result.codeDiscountNode && !result.userErrors.length) {
    return { kind: "created", discountId: result.codeDiscountNode.id };
  }
  const detail = result.userErrors
    .map((e) => `${(e.field ?? []).join(".")}: ${e.message}`)
    .join("; ");
  const reason = `Shopify refused the discount: ${detail || "no discount returned"}`;
  // A refusal is only certain when no earlier attempt may have created the code.
  return codeTaken(result) || outcome === "unknown"
    ? { kind: "unknown", reason }
    : { kind: "refused", reason };
}

/** Asks Shopify whether the code exists (never throws for Shopify's sake). */
export async function lookUpCode(
  admin: AdminGraphqlClient,
  code: string,
  retry: RetryPolicy = LOOKUP_POLICY,
): Promise<LookupOutcome> {
  try {
    const { codeDiscountNodeByCode: found } = await adminQuery<LoyaltyFindDiscountByCodeQuery>(
      admin,
      FIND_DISCOUNT_BY_CODE,
      { code } satisfies LoyaltyFindDiscountByCodeQueryVariables,
      retry,
    );
    return found ? { kind: "found", discountId: found.id } : { kind: "absent" };
  } catch (error) {
    return { kind: "unknown", reason: error instanceof Error ? error.message : String(error) };
  }
}

/** Deactivates a code in Shopify; true once Shopify confirms it cannot be used. */
export async function deactivateCode(
  admin: AdminGraphqlClient,
  discountId: string,
  retry: RetryPolicy = LOOKUP_POLICY,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    const { discountCodeDeactivate } = await adminQuery<LoyaltyDeactivateDiscountMutation>(
      admin,
      DEACTIVATE_DISCOUNT,
      { id: discountId } satisfies LoyaltyDeactivateDiscountMutationVariables,
      retry,
    );
    const result = payload(discountCodeDeactivate, "discountCodeDeactivate");
    if (result.userErrors.length) {
      return { ok: false, reason: result.userErrors.map((e) => e.message).join("; ") };
    }
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

type Settleable = "ISSUED" | "FAILED" | "EXPIRED" | "CANCELLED";

/**
 * Moves a redemption to `to` if, and only if, it is still in a state that leads there — the one
 * guard against a late answer flipping a settled row. With `returnPoints`, the REDEEM_RETURN entry
 * is written in the same transaction (its ledger key makes a second one impossible).
 */
export async function moveRedemption(
  db: Db,
  redemption: Redemption,
  to: Settleable,
  change: {
    data?: Prisma.RedemptionUncheckedUpdateManyInput;
    returnPoints?: { text: EntryText; createdBy?: string };
    /** Only from these states (by default, all that lead to `to` in TRANSITIONS). */
    from?: RedemptionState[];
    now: Date;
  },
): Promise<boolean> {
  const { count } = await db.redemption.updateMany({
    where: { id: redemption.id, status: { in: change.from ?? statesLeadingTo(to) } },
    data: {
      status: to,
      ...change.data,
      ...(change.returnPoints ? { pointsReturned: true } : {}),
    },
  });
  if (count === 0) return false;
  if (change.returnPoints && !redemption.pointsReturned) {
    const member = await db.member.findUnique({ where: { id: redemption.memberId } });
    if (member) {
      const program = await programFor(db, redemption.shop);
      // Points returned once, taken again (a store credit that arrived late), and now returned
      // again as staff take the credit back: the second return needs a key of its own.
      const reclaimed = await db.ledgerEntry.count({
        where: {
          shop: redemption.shop,
          idempotencyKey: `redemption:${redemption.id}:reclaim`,
        },
      });
      await postEntry(
        db,
        program,
        member,
        {
          kind: "REDEEM_RETURN",
          points: redemption.pointsSpent,
          source: "REDEMPTION",
          sourceId: redemption.id,
          idempotencyKey: `redemption:${redemption.id}:return${reclaimed ? ":again" : ""}`,
          text: change.returnPoints.text,
          occurredAt: change.now,
          createdBy: change.returnPoints.createdBy,
        },
        change.now,
      );
    }
  }
  return true;
}

/** "Loyalty reward redeemed" for Shopify Flow, once per redemption. */
async function queueRedeemed(
  db: Db,
  program: Parameters<typeof queueFlowEvent>[1],
  redemption: Redemption,
) {
  const member = await db.member.findUnique({ where: { id: redemption.memberId } });
  await queueFlowEvent(db, program, {
    trigger: "loyalty-reward-redeemed",
    customerId: redemption.customerId,
    dedupeKey: `redeemed:${redemption.id}`,
    fields: {
      reward_name: parseRewardTerms(redemption.rewardSnapshot).name,
      // Store credit has no code; its reference means nothing to a Flow.
      discount_code: isStoreCredit(redemption) ? "" : redemption.code,
      points_spent: redemption.pointsSpent,
      points_balance: member?.balance ?? 0,
    },
  });
}

/** Applies a decision to a PENDING redemption; returns the row as it is afterwards. */
async function apply(
  prisma: PrismaClient,
  admin: AdminGraphqlClient,
  redemption: Redemption,
  decision: Decision,
  now: Date,
): Promise<Redemption> {
  if (decision.to === "ISSUED") {
    const issue = (db: Db) =>
      moveRedemption(db, redemption, "ISSUED", {
        data: {
          ...(isStoreCredit(redemption)
            ? { creditTransactionId: decision.discountId }
            : { discountId: decision.discountId }),
          error: null,
        },
        from: ["PENDING"],
        now,
      });
    const { program } = await shopConfig(redemption.shop);
    // One conditional update: no ledger entry, so no interactive transaction to wait for, unless
    // the shop sends loyalty events to Flow, whose event is written with the change.
    let moved: boolean;
    try {
      moved = program.flowTriggers
        ? await prisma.$transaction(async (tx) => {
            const done = await issue(tx);
            if (done) await queueRedeemed(tx, program, redemption);
            return done;
          })
        : await issue(prisma);
    } catch (error) {
      // Store credit: another redemption claimed that transaction first (a failed one whose late
      // credit is the same amount). This one stays pending and is looked up again.
      if (!isUniqueViolation(error)) throw error;
      await prisma.redemption.updateMany({
        where: { id: redemption.id, status: "PENDING" },
        data: { error: "its store credit transaction is claimed by another redemption" },
      });
      return prisma.redemption.findUniqueOrThrow({ where: { id: redemption.id } });
    }
    const current = await prisma.redemption.findUniqueOrThrow({ where: { id: redemption.id } });
    if (!moved && current.status === "FAILED" && isStoreCredit(current)) {
      // Settled as failed (points back) while the credit was being made: the worker's check of
      // failed redemptions (unverified) finds the credit and takes the points again.
      log.error("redemption settled as failed but its store credit exists", {
        shop: redemption.shop,
        redemptionId: redemption.id,
      });
    } else if (!moved && current.status === "FAILED") {
      // Settled as failed (points back) while the code was being made: the code must not live.
      const deactivated = await deactivateCode(admin, decision.discountId);
      log.error("redemption settled as failed but its code exists; deactivating it", {
        shop: redemption.shop,
        redemptionId: redemption.id,
        deactivated: deactivated.ok,
      });
    }
    return current;
  }
  if (decision.to === "FAILED") {
    await prisma.$transaction((tx) =>
      moveRedemption(tx, redemption, "FAILED", {
        // verifiedAt stays empty: once the settle window has passed, the worker looks the code
        // up once more, in case an answer we took for a refusal followed its creation.
        data: { error: decision.reason },
        returnPoints: { text: { key: isStoreCredit(redemption) ? "creditFailed" : "codeFailed" } },
        now,
      }),
    );
  } else {
    await prisma.redemption.updateMany({
      where: { id: redemption.id, status: "PENDING" },
      data: { error: decision.reason },
    });
  }
  return prisma.redemption.findUniqueOrThrow({ where: { id: redemption.id } });
}

/** Asks Shopify whether the redemption's code exists, or (store credit) its credit was made. */
async function lookUp(
  prisma: PrismaClient,
  admin: AdminGraphqlClient,
  redemption: Redemption,
  retry?: RetryPolicy,
): Promise<LookupOutcome> {
  if (!isStoreCredit(redemption)) return lookUpCode(admin, redemption.code, retry);
  const { program } = await shopConfig(redemption.shop);
  return findOwnTransaction(
    prisma,
    admin,
    redemption,
    program.currency,
    { kind: "credit", since: redemption.createdAt },
    retry,
  );
}

/**
 * Settles a PENDING redemption by asking Shopify for its code (found → ISSUED; absent after the
 * settle window → FAILED, points back). Anything else leaves it PENDING.
 */
export async function settlePending(
  prisma: PrismaClient,
  admin: AdminGraphqlClient,
  redemption: Redemption,
  now: Date,
  options: { settleWindowMs?: number; retry?: RetryPolicy } = {},
): Promise<Redemption> {
  if (redemption.status !== "PENDING") return redemption;
  const lookup = await lookUp(prisma, admin, redemption, options.retry);
  const decision = decide({
    lookup,
    ageMs: now.getTime() - redemption.createdAt.getTime(),
    settleWindowMs: options.settleWindowMs ?? settleWindowMs(),
  });
  return apply(prisma, admin, redemption, decision, now);
}

export type RedeemResult =
  | {
      status: "ISSUED";
      redemption: Redemption;
      code: string;
      /** Codes: the link that puts the code in the cart; store credit has none. */
      applyUrl: string | null;
      /** When the code (or the store credit) expires; null for credit that never does. */
      expiresAt: Date | null;
      /** Store credit: the amount now on the shopper's account, and how to show its expiry. */
      credit: { amount: string; currency: string; timeZone: string } | null;
      /** The member's balance after the redemption. */
      points: number;
    }
  | { status: "PROCESSING"; redemption: Redemption; points: number };

async function creditShown(redemption: Redemption) {
  const { program } = await shopConfig(redemption.shop);
  return {
    amount: parseRewardTerms(redemption.rewardSnapshot).amount ?? "0",
    currency: program.currency,
    timeZone: knownTimeZone(program.timeZone),
  };
}

async function answer(prisma: PrismaClient, redemption: Redemption): Promise<RedeemResult> {
  const member = await prisma.member.findUnique({ where: { id: redemption.memberId } });
  const points = member?.balance ?? 0;
  switch (redemption.status) {
    case "PENDING":
      return { status: "PROCESSING", redemption, points };
    case "FAILED":
    case "CANCELLED":
      throw new RedemptionError(
        isStoreCredit(redemption) ? "CREDIT_NOT_ADDED" : "CODE_NOT_CREATED",
        redemption.error ?? "",
      );
    default: {
      const credit = isStoreCredit(redemption);
      return {
        status: "ISSUED",
        redemption,
        code: redemption.code,
        applyUrl: credit
          ? null
          : applyUrl(redemption.shop, redemption.code, parseRewardTerms(redemption.rewardSnapshot)),
        expiresAt: redemption.endsAt.getTime() < NEVER.getTime() ? redemption.endsAt : null,
        points,
        credit: credit ? await creditShown(redemption) : null,
      };
    }
  }
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
  return earlier ? answer(prisma, earlier) : null;
}

/** Steps 2 and 3 for a reserved redemption: create the code and settle what that came to. */
async function issue(
  prisma: PrismaClient,
  admin: AdminGraphqlClient,
  redemption: Redemption,
  now: Date,
  retry?: RetryPolicy,
): Promise<Redemption> {
  const create = isStoreCredit(redemption)
    ? await creditStoreCredit(
        admin,
        redemption,
        (await shopConfig(redemption.shop)).program.currency,
        retry,
      )
    : await createDiscountCode(admin, redemption, retry);
  if (create.kind === "unknown") {
    log.warn("redemption code outcome unknown; looking it up", {
      shop: redemption.shop,
      redemptionId: redemption.id,
      reason: create.reason,
    });
  } else if (create.kind === "refused") {
    log.warn("redemption code refused; returning points", {
      shop: redemption.shop,
      redemptionId: redemption.id,
      reason: create.reason,
    });
  }
  const lookup =
    create.kind === "unknown"
      ? await lookUp(prisma, admin, redemption, retry ?? LOOKUP_POLICY)
      : undefined;
  const decision = decide({
    create,
    lookup,
    ageMs: now.getTime() - redemption.createdAt.getTime(),
    settleWindowMs: settleWindowMs(),
  });
  return apply(prisma, admin, redemption, decision, now);
}

/**
 * A free product reward's variant and its price now, read before anything is taken; null for
 * other rewards. A redemption refused anyway (too few points, a tier, a pause) is refused
 * without asking Shopify, with the refusal the reserve would give.
 */
async function freeProductToGive(options: {
  prisma: PrismaClient;
  admin: AdminGraphqlClient;
  shop: string;
  customerId: string;
  rewardId: string;
  now: Date;
  retry?: RetryPolicy;
}) {
  const { prisma, shop, customerId, rewardId } = options;
  const kind = await prisma.reward.findFirst({
    where: { id: rewardId, shop },
    select: { type: true },
  });
  if (kind?.type !== "FREE_PRODUCT") return null;
  const { reward, program } = await eligibility(prisma, shop, customerId, rewardId, options.now);
  // An eligible free product reward has its variant (rewardTermErrors).
  const variant = rewardTerms(reward).variant!;
  const offer = await freeProductOfferNow(options.admin, variant.id, program.currency, {
    shop,
    rewardId,
    retry: options.retry,
  });
  if (offer.kind === "price") return { variantId: variant.id, amount: offer.amount };
  throw new RedemptionError(offer.kind === "gone" ? "REWARD_NOT_FOUND" : "REWARD_DISABLED");
}

/**
 * freeProductPrice, logged: a variant that cannot be given is the merchant's to fix, and
 * Shopify not answering is TRY_AGAIN (nothing taken).
 */
async function freeProductOfferNow(
  admin: AdminGraphqlClient,
  variantId: string,
  currency: string,
  context: { shop: string; rewardId: string; retry?: RetryPolicy },
): Promise<FreeProductOffer> {
  const { shop, rewardId } = context;
  let offer: FreeProductOffer;
  try {
    offer = await freeProductPrice(admin, variantId, currency, context.retry);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    log.warn("free product price not read; nothing taken", { shop, rewardId, reason });
    throw new RedemptionError("TRY_AGAIN", reason);
  }
  if (offer.kind !== "price") {
    log.warn("free product reward cannot be given", {
      shop,
      rewardId,
      variantId,
      why: offer.kind === "gone" ? "the variant is no longer in the shop" : offer.why,
    });
  }
  return offer;
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
    const freeProduct = await freeProductToGive({ ...options, now });
    reserved = await reserveRedemption(
      prisma,
      shop,
      customerId,
      rewardId,
      now,
      requestKey,
      freeProduct,
    );
  } catch (error) {
    // The same key at the same moment (a double submit): the other request's answer is ours —
    // whether we met its row (a unique violation) or only the points it had just taken.
    if (requestKey && (isUniqueViolation(error) || error instanceof RedemptionError)) {
      const answered = await earlierAnswer(prisma, shop, customerId, requestKey);
      if (answered) return answered;
    }
    throw error;
  }
  return answer(prisma, await issue(prisma, admin, reserved.redemption, now, options.retry));
}

/**
 * The shopper's widget asking after a redemption that was still being prepared: settles it if
 * Shopify can tell, and answers as the redeem did.
 */
export async function redemptionStatus(options: {
  prisma: PrismaClient;
  admin: AdminGraphqlClient | null;
  shop: string;
  customerId: string;
  redemptionId: string;
  now?: Date;
}): Promise<RedeemResult | null> {
  const { prisma, shop, customerId, redemptionId } = options;
  let redemption = await prisma.redemption.findFirst({
    where: { id: redemptionId, shop, customerId },
  });
  if (!redemption) return null;
  if (redemption.status === "PENDING" && options.admin) {
    redemption = await settlePending(prisma, options.admin, redemption, options.now ?? new Date());
  }
  return answer(prisma, redemption);
}

/**
 * A failed store credit (points back) whose credit Shopify made after all: the shopper has the
 * credit, and may have spent it already, so the points are taken again rather than the credit
 * (as for a code used after its points came back), and the redemption is ISSUED.
 */
async function creditFoundAfterReturn(
  prisma: PrismaClient,
  redemption: Redemption,
  creditTransactionId: string,
  now: Date,
): Promise<boolean> {
  try {
    return await prisma.$transaction(async (tx) => {
      const moved = await moveRedemption(tx, redemption, "ISSUED", {
        data: { creditTransactionId, pointsReturned: false, error: null, verifiedAt: now },
        from: ["FAILED"],
        now,
      });
      if (moved && redemption.pointsReturned) {
        const terms = parseRewardTerms(redemption.rewardSnapshot);
        await reclaimPoints(tx, redemption, {
          orderId: null,
          occurredAt: now,
          text: { key: "creditFoundAfterReturn", reward: terms.name },
        });
      }
      return moved;
    });
  } catch (error) {
    // Another redemption claimed that transaction first: this one stays failed, to be looked at
    // again.
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/**
 * The worker's reconciliation. PENDING redemptions older than a minute (the shopper's request
 * has given up on them) are looked up and settled. FAILED ones not yet checked are looked up
 * too: a code that exists although its points were returned is deactivated, so the shopper does
 * not keep both.
 */
export async function reconcileRedemptions(
  prisma: PrismaClient,
  adminFor: (shop: string) => Promise<AdminGraphqlClient | null>,
  now: Date,
  options: { settleWindowMs?: number; retry?: RetryPolicy } = {},
) {
  const window = options.settleWindowMs ?? settleWindowMs();
  // Least recently tried first, so rows that cannot be settled yet (a shop without a session,
  // a lookup that keeps failing) go to the back instead of blocking everything behind them.
  const pending = await prisma.redemption.findMany({
    where: { status: "PENDING", createdAt: { lte: new Date(now.getTime() - REQUEST_MS) } },
    orderBy: { updatedAt: "asc" },
    take: 200,
  });
  const failed = await prisma.redemption.findMany({
    where: {
      status: "FAILED",
      verifiedAt: null,
      createdAt: {
        lte: new Date(now.getTime() - window),
        gte: new Date(now.getTime() - 30 * DAY_MS),
      },
    },
    orderBy: { updatedAt: "asc" },
    take: 200,
  });
  const settled = {
    completed: 0,
    refunded: 0,
    stillPending: 0,
    deactivated: 0,
    skipped: 0,
    cancelled: 0,
  };
  for (const redemption of [...pending, ...failed]) {
    const admin = await adminFor(redemption.shop);
    if (!admin) {
      settled.skipped += 1;
      await touch(prisma, redemption.id);
      continue;
    }
    if (redemption.status === "PENDING") {
      const after = await settlePending(prisma, admin, redemption, now, {
        settleWindowMs: window,
        retry: options.retry,
      });
      if (after.status === "ISSUED" || after.status === "USED") settled.completed += 1;
      else if (after.status === "FAILED") settled.refunded += 1;
      else settled.stillPending += 1;
      continue;
    }
    const lookup = await lookUp(prisma, admin, redemption, options.retry);
    if (lookup.kind === "unknown") {
      settled.skipped += 1;
      await touch(prisma, redemption.id);
      continue;
    }
    if (lookup.kind === "found" && isStoreCredit(redemption)) {
      if (await creditFoundAfterReturn(prisma, redemption, lookup.discountId, now))
        settled.completed += 1;
      continue;
    }
    if (lookup.kind === "found") {
      const deactivated = await deactivateCode(admin, lookup.discountId, options.retry);
      if (!deactivated.ok) {
        settled.skipped += 1;
        await touch(prisma, redemption.id);
        continue;
      }
      settled.deactivated += 1;
      log.warn("reconcile: deactivated the code of a failed redemption", {
        shop: redemption.shop,
        redemptionId: redemption.id,
      });
    }
    await prisma.redemption.updateMany({
      where: { id: redemption.id, status: "FAILED" },
      data: { verifiedAt: now },
    });
  }
  settled.cancelled = await finishCancels(prisma, adminFor, now, options);
  return settled;
}

/** What a staff action on a code came to: a line for a toast, or why nothing was changed. */
export type CodeActionResult = { ok: true; message: string } | { ok: false; error: string };

/** A staff action on one code, from a member's admin page. */
export interface StaffCodeAction {
  prisma: PrismaClient;
  admin: AdminGraphqlClient;
  shop: string;
  redemptionId: string;
  /** The member whose page the staff member is on: a code of anyone else is not found. */
  memberId?: string;
  staff: string;
  now?: Date;
}

function staffTarget({ prisma, shop, redemptionId, memberId }: StaffCodeAction) {
  return prisma.redemption.findFirst({
    where: { id: redemptionId, shop, ...(memberId ? { memberId } : {}) },
  });
}

const NOT_CANCELLABLE: Partial<Record<Redemption["status"], string>> = {
  PENDING: "This code is still being created. Try again in a minute.",
  USED: "This code has been used on an order, so it can't be cancelled.",
  EXPIRED: "This code has expired and can no longer be used.",
  FAILED: "This code was never created; its points were returned already.",
};
const CREDIT_NOT_CANCELLABLE: Partial<Record<Redemption["status"], string>> = {
  PENDING: "This store credit is still being added. Try again in a minute.",
  EXPIRED: "This store credit has expired; whatever was left of it is gone from the account.",
  FAILED: "This store credit was never added; its points were returned already.",
};

/**
 * Staff cancel an unused code. The intent is written first (cancelledAt/cancelledBy on the ISSUED
 * row, conditionally), then Shopify deactivates the code, then the row moves ISSUED → CANCELLED
 * with the points back. Deactivating again is harmless, so when Shopify does not confirm, or the
 * process stops in between, the worker finishes the cancel (finishCancels). A code used at
 * checkout meanwhile (ISSUED → USED) keeps its points spent; one used after its points came back
 * takes them again when its order arrives (markRewardCodesUsed).
 */
export async function cancelRedemption(options: StaffCodeAction): Promise<CodeActionResult> {
  const { prisma, admin, shop, staff } = options;
  const now = options.now ?? new Date();
  const redemption = await staffTarget(options);
  if (!redemption) return { ok: false, error: "This code no longer exists." };
  if (redemption.status === "CANCELLED")
    return { ok: true, message: `Code ${redemption.code} was already cancelled` };
  if (redemption.status !== "ISSUED")
    return {
      ok: false,
      error:
        (isStoreCredit(redemption) ? CREDIT_NOT_CANCELLABLE : NOT_CANCELLABLE)[redemption.status] ??
        "This code can't be cancelled.",
    };
  let fresh = false;
  if (!redemption.cancelledAt) {
    const { count } = await prisma.redemption.updateMany({
      where: { id: redemption.id, status: "ISSUED", cancelledAt: null },
      data: { cancelledBy: staff, cancelledAt: now },
    });
    if (count) Object.assign(redemption, { cancelledBy: staff, cancelledAt: now });
    fresh = count > 0;
  }
  const credit = isStoreCredit(redemption);
  const result = credit
    ? await finishCreditCancel(prisma, admin, redemption, now, { fresh })
    : await finishCancel(prisma, admin, redemption, now);
  if (result === "cancelled") {
    log.info("redemption cancelled by staff", { shop, redemptionId: redemption.id });
    return {
      ok: true,
      message: credit
        ? `Store credit ${redemption.code} taken back; ${redemption.pointsSpent} points returned`
        : `Code ${redemption.code} cancelled; ${redemption.pointsSpent} points returned`,
    };
  }
  if (typeof result === "object" && "refused" in result)
    return { ok: false, error: result.refused };
  if (result === "used")
    return {
      ok: false,
      error: "The code was used on an order while it was being cancelled; its points stay spent.",
    };
  return {
    ok: false,
    error: credit
      ? `Shopify did not confirm the credit was taken back yet (${result.unconfirmed}). The cancel is recorded and finishes automatically, with the points returned, once Shopify answers.`
      : `Shopify did not confirm the code is deactivated yet (${result.unconfirmed}). The cancel is recorded and finishes automatically, with the points returned, once Shopify answers.`,
  };
}

/** Deactivates the code of a redemption being cancelled, then moves it to CANCELLED. */
async function finishCancel(
  prisma: PrismaClient,
  admin: AdminGraphqlClient,
  redemption: Redemption,
  now: Date,
  retry?: RetryPolicy,
): Promise<"cancelled" | "used" | { unconfirmed: string }> {
  const deactivated = redemption.discountId
    ? await deactivateCode(admin, redemption.discountId, retry)
    : ({ ok: false, reason: "no discount id" } as const);
  if (!deactivated.ok) {
    // Deleted in Shopify by the merchant, or never linked to its discount: ask for the code itself.
    const lookup = await lookUpCode(admin, redemption.code, retry);
    if (lookup.kind === "unknown") return { unconfirmed: lookup.reason };
    if (lookup.kind === "found") {
      const again = await deactivateCode(admin, lookup.discountId, retry);
      if (!again.ok) return { unconfirmed: again.reason };
    }
  }
  const staff = redemption.cancelledBy ?? "staff";
  const moved = await prisma.$transaction((tx) =>
    moveRedemption(tx, redemption, "CANCELLED", {
      returnPoints: {
        text: { key: "codeCancelled", code: redemption.code },
        createdBy: staff,
      },
      now,
    }),
  );
  if (moved) return "cancelled";
  const current = await prisma.redemption.findUniqueOrThrow({ where: { id: redemption.id } });
  return current.status === "CANCELLED" ? "cancelled" : "used";
}

type CancelResult = "cancelled" | "used" | { unconfirmed: string } | { refused: string };

/**
 * Takes a store credit back (storeCreditAccountDebit), then moves the redemption to CANCELLED
 * with the points back. Only a credit still whole on the shopper's account is taken: one partly
 * spent is refused, and the cancel withdrawn. A debit whose answer was lost is looked for among
 * the account's transactions before any new attempt, and a new attempt waits the settle window,
 * so the credit is never taken twice.
 */
async function finishCreditCancel(
  prisma: PrismaClient,
  admin: AdminGraphqlClient,
  redemption: Redemption,
  now: Date,
  options: { fresh: boolean; retry?: RetryPolicy; settleWindowMs?: number },
): Promise<CancelResult> {
  const { program } = await shopConfig(redemption.shop);
  const currency = program.currency;
  const since = redemption.cancelledAt ?? now;
  if (!options.fresh) {
    const earlier = await findOwnTransaction(
      prisma,
      admin,
      redemption,
      currency,
      { kind: "debit", since },
      options.retry,
    );
    if (earlier.kind === "unknown") return { unconfirmed: earlier.reason };
    if (earlier.kind === "found")
      return settleCreditCancel(prisma, redemption, earlier.discountId, now);
    if (now.getTime() - since.getTime() < (options.settleWindowMs ?? settleWindowMs()))
      return { unconfirmed: "an earlier attempt may still be on its way" };
    // A new attempt starts now: the next lookup searches from here.
    const { count } = await prisma.redemption.updateMany({
      where: { id: redemption.id, status: "ISSUED", cancelledAt: since },
      data: { cancelledAt: now },
    });
    if (!count) return { unconfirmed: "another attempt is under way" };
  }
  const terms = parseRewardTerms(redemption.rewardSnapshot);
  const amount = terms.amount ?? "0";
  const left = await creditLeft(admin, redemption, currency, options.retry);
  if ("unknown" in left) return { unconfirmed: left.unknown };
  const whole =
    left.remaining !== null &&
    toMinorUnits(left.remaining, currency) >= toMinorUnits(amount, currency);
  if (!whole) return withdrawCancel(prisma, redemption, left.remaining, currency);
  const debit = await debitStoreCredit(
    admin,
    redemption.customerId,
    amount,
    currency,
    options.retry,
  );
  if (debit.kind === "created")
    return settleCreditCancel(prisma, redemption, debit.discountId, now);
  if (debit.kind === "unknown") return { unconfirmed: debit.reason };
  if (debit.insufficient) return withdrawCancel(prisma, redemption, "0", currency);
  return { unconfirmed: debit.reason };
}

/** The credit was (partly) spent or has expired: it stays, and so does the redemption. */
async function withdrawCancel(
  prisma: PrismaClient,
  redemption: Redemption,
  remaining: string | null,
  currency: string,
): Promise<CancelResult> {
  await prisma.redemption.updateMany({
    where: { id: redemption.id, status: "ISSUED" },
    data: { cancelledAt: null, cancelledBy: null },
  });
  if (remaining === null)
    return {
      refused:
        "This store credit is no longer among the customer's recent store credit transactions in Shopify, so it can't be taken back here. Its points stay spent.",
    };
  return {
    refused: `The shopper has spent or lost part of this store credit (left on their account: ${formatAmount(remaining, currency)}), so it can't be taken back. Its points stay spent.`,
  };
}

async function settleCreditCancel(
  prisma: PrismaClient,
  redemption: Redemption,
  debitTransactionId: string,
  now: Date,
): Promise<CancelResult> {
  const terms = parseRewardTerms(redemption.rewardSnapshot);
  try {
    await prisma.redemption.updateMany({
      where: { id: redemption.id, status: "ISSUED", debitTransactionId: null },
      data: { debitTransactionId },
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return { unconfirmed: "that debit belongs to another redemption" };
  }
  const moved = await prisma.$transaction((tx) =>
    moveRedemption(tx, redemption, "CANCELLED", {
      returnPoints: {
        text: { key: "creditCancelled", reward: terms.name },
        createdBy: redemption.cancelledBy ?? "staff",
      },
      now,
    }),
  );
  if (moved) return "cancelled";
  const current = await prisma.redemption.findUniqueOrThrow({ where: { id: redemption.id } });
  return current.status === "CANCELLED" ? "cancelled" : { unconfirmed: `it is ${current.status}` };
}

/** The worker finishes cancels whose deactivation was not confirmed while staff waited. */
export async function finishCancels(
  prisma: PrismaClient,
  adminFor: (shop: string) => Promise<AdminGraphqlClient | null>,
  now: Date,
  options: { retry?: RetryPolicy; settleWindowMs?: number } = {},
) {
  const due = await prisma.redemption.findMany({
    where: { status: "ISSUED", cancelledAt: { lte: new Date(now.getTime() - REQUEST_MS) } },
    orderBy: { updatedAt: "asc" },
    take: 200,
  });
  let cancelled = 0;
  for (const redemption of due) {
    const admin = await adminFor(redemption.shop);
    const result = !admin
      ? null
      : isStoreCredit(redemption)
        ? await finishCreditCancel(prisma, admin, redemption, now, {
            fresh: false,
            retry: options.retry,
            settleWindowMs: options.settleWindowMs,
          })
        : await finishCancel(prisma, admin, redemption, now, options.retry);
    if (result === "cancelled") cancelled += 1;
    else if (result !== "used") await touch(prisma, redemption.id);
  }
  return cancelled;
}

/** Moves a row to the back of the worker's queue (its updatedAt) after a try that settled nothing. */
async function touch(prisma: PrismaClient, id: string) {
  await prisma.redemption.updateMany({ where: { id }, data: { updatedAt: new Date() } });
}

/**
 * Staff issue again a redemption whose code could not be created (FAILED, points returned): a new
 * redemption of the same reward terms that spends the points again and creates a new code. Its
 * request key is derived from the failed one, so a double click reissues once.
 */
export async function reissueRedemption(
  options: StaffCodeAction & { retry?: RetryPolicy },
): Promise<CodeActionResult & { redemption?: Redemption }> {
  const { prisma, admin, shop, staff } = options;
  const now = options.now ?? new Date();
  const failed = await staffTarget(options);
  if (!failed) return { ok: false, error: "This code no longer exists." };
  if (failed.status !== "FAILED" || !failed.pointsReturned)
    return { ok: false, error: "Only a code that could not be created can be issued again." };
  // A credit call Shopify finished late would leave the shopper two credits: store credit is
  // added again only once the worker's check has found none.
  if (isStoreCredit(failed) && !failed.verifiedAt)
    return {
      ok: false,
      error:
        "Shopify may still add the first store credit. It can be added again once the app has checked, within a few minutes.",
    };
  const requestKey = `reissue:${failed.id}`;
  const earlier = await prisma.redemption.findUnique({
    where: { shop_customerId_requestKey: { shop, customerId: failed.customerId, requestKey } },
  });
  if (earlier) return reissued(earlier, true);

  let terms = parseRewardTerms(failed.rewardSnapshot);
  if (terms.type === "FREE_PRODUCT" && terms.variant) {
    // At today's price: the failed code's may be out of date, and the shopper must pay nothing.
    const { program } = await shopConfig(shop);
    let offer: FreeProductOffer;
    try {
      offer = await freeProductOfferNow(admin, terms.variant.id, program.currency, {
        shop,
        rewardId: failed.rewardId,
        retry: options.retry,
      });
    } catch {
      return { ok: false, error: "Shopify did not say what the product costs now. Try again." };
    }
    if (offer.kind === "gone")
      return { ok: false, error: `${terms.variant.title} is no longer in your shop.` };
    if (offer.kind === "unavailable")
      return { ok: false, error: `${terms.variant.title} cannot be given now: ${offer.why}.` };
    terms = { ...terms, amount: offer.amount };
  }
  let reserved: Redemption;
  try {
    reserved = await prisma.$transaction(async (tx) => {
      const member = await tx.member.findUniqueOrThrow({ where: { id: failed.memberId } });
      const program = await programFor(tx, shop);
      if (terms.type === "STORE_CREDIT" && (await creditInFlight(tx, member.id)))
        throw new RedemptionError("CREDIT_PENDING");
      const redemption = await tx.redemption.create({
        data: {
          shop,
          memberId: member.id,
          customerId: failed.customerId,
          rewardId: failed.rewardId,
          pointsSpent: failed.pointsSpent,
          rewardSnapshot: terms,
          requestKey,
          reissueOfId: failed.id,
          ...newRedemption(terms, now),
        },
      });
      await postEntry(
        tx,
        program,
        member,
        {
          kind: "REDEEM",
          points: -failed.pointsSpent,
          source: "REDEMPTION",
          sourceId: redemption.id,
          idempotencyKey: `redemption:${redemption.id}:redeem`,
          rule: terms,
          text: { key: "reissue", reward: terms.name },
          occurredAt: now,
          createdBy: staff,
          requireBalance: true,
        },
        now,
      );
      return redemption;
    });
  } catch (error) {
    if (error instanceof InsufficientPointsError)
      return {
        ok: false,
        error: `The member no longer has the ${failed.pointsSpent} points this reward costs.`,
      };
    if (error instanceof RedemptionError)
      return {
        ok: false,
        error:
          "Another store credit of this member is still being confirmed. Try again in a minute.",
      };
    if (isUniqueViolation(error)) {
      const other = await prisma.redemption.findUnique({
        where: { shop_customerId_requestKey: { shop, customerId: failed.customerId, requestKey } },
      });
      if (other) return reissued(other, true);
    }
    throw error;
  }
  return reissued(await issue(prisma, admin, reserved, now, options.retry), false);
}

function reissued(redemption: Redemption, already: boolean) {
  const again = already ? " already" : "";
  const credit = isStoreCredit(redemption);
  const what = credit ? `Store credit ${redemption.code}` : `Code ${redemption.code}`;
  switch (redemption.status) {
    case "PENDING":
      return {
        ok: true as const,
        redemption,
        message: `${what} is${again} being ${credit ? "added" : "created"}; its status shows here shortly`,
      };
    case "FAILED":
      return {
        ok: false as const,
        redemption,
        error: `Shopify refused the new ${credit ? "store credit" : "code"} too; the points were returned (${redemption.error ?? "no reason given"}).`,
      };
    default:
      return {
        ok: true as const,
        redemption,
        message: `${what} was${again} ${credit ? "added" : "issued"}`,
      };
  }
}

/** How long a shopper's redeem request may still be creating its code. */
const REQUEST_MS = 60_000;

/**
 * orders/paid carrying one of our codes: the reward was used, and on which order. A code whose
 * points had come back (cancelled by staff while the order was on its way, expired with points
 * returned, or failed although Shopify had made it) takes them again: the shopper used it.
 */
export async function markRewardCodesUsed(
  db: Db,
  shop: string,
  order: { orderId: string; discountCodes: string[]; totalMinor: number; occurredAt: Date },
) {
  const codes = order.discountCodes.map((c) => c.trim().toUpperCase()).filter(Boolean);
  if (codes.length === 0) return 0;
  const from = statesLeadingTo("USED");
  const candidates = await db.redemption.findMany({
    where: { shop, code: { in: codes }, status: { in: from }, usedOrderId: null },
  });
  let used = 0;
  for (const redemption of candidates) {
    const { count } = await db.redemption.updateMany({
      where: { id: redemption.id, status: { in: from }, usedOrderId: null },
      data: {
        status: "USED",
        usedOrderId: order.orderId,
        usedOrderTotalMinor: order.totalMinor,
        usedAt: order.occurredAt,
        pointsReturned: false,
      },
    });
    if (count === 0) continue;
    used += 1;
    if (redemption.pointsReturned)
      await reclaimPoints(db, redemption, {
        ...order,
        text: { key: "codeUsedAfterReturn", code: redemption.code },
      });
  }
  return used;
}

async function reclaimPoints(
  db: Db,
  redemption: Redemption,
  order: { orderId: string | null; occurredAt: Date; text: EntryText },
) {
  const member = await db.member.findUnique({ where: { id: redemption.memberId } });
  if (!member) return;
  const program = await programFor(db, redemption.shop);
  // As with clawbacks: what the balance cannot cover is recorded as a shortfall, not taken.
  const taken = program.allowNegativeBalance
    ? redemption.pointsSpent
    : Math.min(redemption.pointsSpent, Math.max(0, member.balance));
  await postEntry(
    db,
    program,
    member,
    {
      kind: "REDEEM",
      points: -taken,
      shortfall: redemption.pointsSpent - taken,
      source: "REDEMPTION",
      sourceId: redemption.id,
      orderId: order.orderId ?? undefined,
      idempotencyKey: `redemption:${redemption.id}:reclaim`,
      text: order.text,
      occurredAt: order.occurredAt,
    },
    order.occurredAt,
  );
  log.warn("a reward reached the shopper after its points were returned; points taken again", {
    shop: redemption.shop,
    redemptionId: redemption.id,
    shortfall: redemption.pointsSpent - taken,
  });
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
  let expired = 0;
  for (const redemption of due) {
    // Being taken back: the worker finishes that first (a debit may already have been made).
    if (isStoreCredit(redemption) && redemption.cancelledAt) continue;
    const moved = await prisma.$transaction(async (tx) => {
      const program = await programFor(tx, redemption.shop);
      return moveRedemption(tx, redemption, "EXPIRED", {
        // Expired store credit may have been partly spent: its points stay spent.
        returnPoints:
          program.returnPointsOnExpiredCodes && !isStoreCredit(redemption)
            ? { text: { key: "codeExpired", code: redemption.code } }
            : undefined,
        now,
      });
    });
    if (moved) expired += 1;
  }
  return expired;
}
