import type { Member, OrderRecord, Program, RefundRecord, SkipReason } from "@prisma/client";
import type { ScopedRefund } from "../domain/clawback";
import {
  clawbackForCancellation,
  clawbackForRefund,
  scopedShare,
  splitDebit,
} from "../domain/clawback";
import type { RuleSnapshot } from "../domain/earning";
import { BASE_MULTIPLIER_PERCENT, refundEarningBasis } from "../domain/earning";
import { campaignRules } from "../domain/campaigns";
import type { Contribution } from "../domain/earning-rules";
import {
  contributionsFor,
  fixedBonusOf,
  scopedContributionsOf,
  totalPoints,
} from "../domain/earning-rules";
import { lockMember, lockOrderRecord } from "../db/locks.server";
import { availableAt, isPending } from "../domain/schedule";
import { refundLinesSchema, ruleSnapshot, stringListSchema } from "../domain/snapshots";
import { entryText, type EntryText } from "../domain/storefront-text";
import { campaignsRunningAt } from "./campaigns.server";
import { postEntry } from "./ledger.server";
import { evaluateTier, memberFor } from "./members.server";
import type { PaidOrder, Refund } from "./payloads";
import { markRewardCodesUsed } from "./redemptions.server";
import { addressDigest, creditReferral, reverseReferral } from "./referrals.server";
import type { Db, ProgramRules } from "./program.server";
import { earnRule, earningRules, programFor } from "./program.server";
import { shopConfig, type ShopConfig } from "./shop-config.server";

/**
 * Order effects. Shopify may deliver paid, cancelled and refund webhooks of one order in any
 * order and more than once. Each event is stored against the order's record first; points move
 * only once the order has been paid, and whatever arrived early is then applied in the order
 * Shopify created it, so the ledger ends up as in-order delivery would have left it.
 */

export type Outcome = "applied" | "duplicate" | "deferred" | "skipped" | "held";

function skipReason(program: Program, order: PaidOrder): SkipReason | null {
  if (!order.customer) return "GUEST_CHECKOUT";
  if (!program.enabled) return "PROGRAM_OFF";
  if (order.test && !program.awardTestOrders) return "TEST_ORDER";
  return null;
}

/** Keeps a refund once, by id, whichever of refunds/create and the paid body brings it first. */
async function storeRefund(db: Db, shop: string, refund: Refund) {
  const known = await db.refundRecord.findUnique({
    where: { shop_refundId: { shop, refundId: refund.refundId } },
  });
  if (known) return null;
  return db.refundRecord.create({
    data: {
      shop,
      refundId: refund.refundId,
      orderId: refund.orderId,
      subtotalMinor: refund.lines.reduce((sum, line) => sum + line.subtotalMinor, 0),
      taxMinor: refund.lines.reduce((sum, line) => sum + line.taxMinor, 0),
      lines: refund.lines,
      createdAtShopify: refund.occurredAt,
    },
  });
}

export async function onOrderPaid(
  db: Db,
  shop: string,
  order: PaidOrder,
  now: Date,
): Promise<Outcome> {
  await lockOrderRecord(db, shop, order.orderId);
  // In SQL, as the other reads every order makes: Prisma's query compiler spends ~0.5 ms on each
  // model query, SQL ~0.1 ms (issue #15).
  const [existing] = await db.$queryRaw<{ paidAt: unknown }[]>`
    SELECT "paidAt" FROM "OrderRecord" WHERE "shop" = ${shop} AND "orderId" = ${order.orderId}`;
  if (existing && existing.paidAt !== null) return "duplicate";
  await markRewardCodesUsed(db, shop, order);
  // Refunds made before Shopify rendered this body are listed in it, and each will also arrive
  // as refunds/create: both are the same refund, taken back once, after the award.
  for (const refund of order.listedRefunds) await storeRefund(db, shop, refund);

  const rules = await programRules(db, shop, order.currency);
  const { program } = rules;
  const facts = {
    name: order.name,
    customerId: order.customer?.customerId ?? null,
    currency: order.currency,
    totalMinor: order.totalMinor,
    basisMinor: order.basisMinor,
    discountCodes: order.discountCodes,
    giftCardLineIds: order.giftCardLineIds,
    addressDigest: addressDigest(shop, order.shippingAddressKey),
    paidAt: order.occurredAt,
  };

  const reason = skipReason(program, order);
  if (reason || !order.customer) {
    await db.orderRecord.upsert({
      where: { shop_orderId: { shop, orderId: order.orderId } },
      create: { shop, orderId: order.orderId, status: "SKIPPED", skipReason: reason, ...facts },
      update: { status: "SKIPPED", skipReason: reason, ...facts },
    });
    // A known shopper still becomes a member, so the admin can find them and their skipped order.
    if (order.customer) await memberFor(db, shop, order.customer, order.occurredAt);
    return "skipped";
  }

  const member = await memberFor(db, shop, order.customer, order.occurredAt);
  const tier = rules.tiers.find((t) => t.id === member.tierId);
  const multiplierPercent = tier?.multiplierPercent ?? BASE_MULTIPLIER_PERCENT;
  // The per-process copy holds every campaign that may have run when the order was paid, unless
  // it was paid long ago (a webhook delayed for days, an order replayed from history).
  const campaigns = campaignRules(
    order.occurredAt >= rules.campaignsSince
      ? rules.campaigns
      : await campaignsRunningAt(db, shop, order.occurredAt),
    order.occurredAt,
    tier?.id ?? null,
    order.currency,
  );
  const contributions = contributionsFor(earningRules(program, tier ?? null, campaigns), {
    type: "ORDER_PAID",
    basisMinor: order.basisMinor,
    currency: order.currency,
    lines: order.basis.lines,
  });
  const points = totalPoints(contributions);
  const snapshot: RuleSnapshot = {
    ...earnRule(program),
    multiplierPercent,
    tier: tier?.name ?? null,
    basisMinor: order.basisMinor,
    currency: order.currency,
    taxesIncluded: order.taxesIncluded,
    pendingDays: program.pendingDays,
    giftCardsMinor: order.basis.giftCardsMinor,
    taxRemovedMinor: order.basis.taxMinor,
    contributions,
  };

  // More than the merchant's ceiling for one order waits for a person (a misconfigured rate, a
  // test order in production, a bulk purchase): nothing is credited until it is approved.
  const held = points > program.maxPointsPerOrder;
  // Written with the state awardOrder would give it, so the award needs no second write.
  const state = held
    ? { status: "HELD" as const, holdReason: "ABOVE_CEILING" as const }
    : earnedState(program, order.occurredAt, points, now);
  const record = await db.orderRecord.upsert({
    where: { shop_orderId: { shop, orderId: order.orderId } },
    create: {
      shop,
      orderId: order.orderId,
      earnedPoints: points,
      rule: snapshot,
      ...facts,
      ...state,
    },
    update: { earnedPoints: points, rule: snapshot, ...facts, ...state },
  });
  // A held order completes its referral, if any, when approved (reviewHeldOrder).
  if (held) return "held";
  const awarded = await awardOrder(db, rules, record, member, snapshot, now);
  const buyer = order.customer;
  await creditReferral(
    db,
    rules,
    {
      discountCodes: order.discountCodes,
      customerId: buyer.customerId,
      email: buyer.email ?? order.email,
      paidAt: order.occurredAt,
    },
    awarded,
    now,
  );
  return "applied";
}

/**
 * The shop's program and tiers, from the per-process copy. The first order teaches the program
 * the shop's currency (programFor): that write comes after the copy was read, so the copy is
 * never taken from a transaction that changed it.
 */
async function programRules(
  db: Db,
  shop: string,
  currency?: string,
): Promise<ProgramRules & Pick<ShopConfig, "campaigns" | "campaignsSince">> {
  const { program, tiers, campaigns, campaignsSince } = await shopConfig(shop, db);
  const rest = { tiers, campaigns, campaignsSince };
  if (!currency || program.currency === currency) return { program, ...rest };
  return { program: await programFor(db, shop, currency), ...rest };
}

/** An order's record once its points are credited: pending first when the program says so. */
function earnedState(program: Program, paidAt: Date, points: number, now: Date) {
  const available = availableAt(paidAt, program.pendingDays);
  const pending = isPending(available, now) ? points : 0;
  return {
    status: "EARNED" as const,
    holdReason: null,
    skipReason: points === 0 ? ("NOTHING_TO_EARN" as const) : null,
    pendingRemaining: pending,
    availableAt: pending ? available : null,
  };
}

/**
 * Credits what the order earned (pending first when the program has a pending period), then the
 * refunds and cancellation that overtook the payment, in the order Shopify made them.
 */
export async function awardOrder(
  db: Db,
  rules: ProgramRules,
  record: OrderRecord,
  member: Member,
  snapshot: RuleSnapshot,
  now: Date,
) {
  const { program } = rules;
  const paidAt = record.paidAt ?? now;
  const points = record.earnedPoints;
  const state = earnedState(program, paidAt, points, now);
  const pending = state.pendingRemaining;
  const stored =
    record.status === state.status &&
    record.holdReason === null &&
    record.skipReason === state.skipReason &&
    record.pendingRemaining === pending &&
    record.availableAt?.getTime() === state.availableAt?.getTime();
  let current = stored
    ? record
    : await db.orderRecord.update({ where: { id: record.id }, data: state });
  if (points > 0) {
    member = await postEntry(
      db,
      program,
      member,
      {
        kind: "EARN",
        points: points - pending,
        pendingPoints: pending,
        source: "ORDER",
        sourceId: record.orderId,
        orderId: record.orderId,
        amountMinor: record.basisMinor,
        currency: record.currency ?? undefined,
        idempotencyKey: `order:${record.orderId}:earn`,
        rule: snapshot,
        text: { key: "order", order: record.name ?? record.orderId },
        occurredAt: paidAt,
        availableAt: state.availableAt,
      },
      now,
    );
  }
  member = await evaluateTier(
    db,
    rules,
    member,
    now,
    `order ${record.name ?? record.orderId} paid`,
  );

  // Refunds that overtook the payment are rare: asked about in SQL first (see onOrderPaid).
  const [overtaken] = await db.$queryRaw<unknown[]>`
    SELECT 1 AS "one" FROM "RefundRecord"
    WHERE "shop" = ${record.shop} AND "orderId" = ${record.orderId} AND "appliedAt" IS NULL
    LIMIT 1`;
  const early = overtaken
    ? await db.refundRecord.findMany({
        where: { shop: record.shop, orderId: record.orderId, appliedAt: null },
        orderBy: [{ createdAtShopify: "asc" }, { refundId: "asc" }],
      })
    : [];
  for (const refund of early) {
    ({ record: current, member } = await applyRefund(db, rules, current, member, refund, now));
  }
  if (current.cancelledAt) {
    ({ record: current, member } = await applyCancellation(db, rules, current, member, now));
  }
  return current;
}

export async function onRefundCreated(
  db: Db,
  shop: string,
  refund: Refund,
  now: Date,
): Promise<Outcome> {
  const stored = await storeRefund(db, shop, refund);
  if (!stored) return "duplicate";
  await db.orderRecord.upsert({
    where: { shop_orderId: { shop, orderId: refund.orderId } },
    create: { shop, orderId: refund.orderId },
    update: {},
  });
  // Read it again under the lock: a payment or cancellation may have just been applied.
  await lockOrderRecord(db, shop, refund.orderId);
  const record = await db.orderRecord.findUniqueOrThrow({
    where: { shop_orderId: { shop, orderId: refund.orderId } },
  });
  if (record.status !== "EARNED" || !record.customerId) return "deferred";

  const rules = await programRules(db, shop);
  const member = await db.member.findUnique({
    where: { shop_customerId: { shop, customerId: record.customerId } },
  });
  if (!member) return "deferred";
  await applyRefund(db, rules, record, member, stored, now);
  return "applied";
}

export async function onOrderCancelled(
  db: Db,
  shop: string,
  orderId: string,
  cancelledAt: Date,
  now: Date,
): Promise<Outcome> {
  await lockOrderRecord(db, shop, orderId);
  const record = await db.orderRecord.findUnique({ where: { shop_orderId: { shop, orderId } } });
  if (record?.cancelledAt) return "duplicate";

  const updated = await db.orderRecord.upsert({
    where: { shop_orderId: { shop, orderId } },
    create: { shop, orderId, cancelledAt },
    update: { cancelledAt },
  });
  if (updated.status !== "EARNED" || !updated.customerId) return "deferred";

  const rules = await programRules(db, shop);
  const member = await db.member.findUnique({
    where: { shop_customerId: { shop, customerId: updated.customerId } },
  });
  if (!member) return "deferred";
  await applyCancellation(db, rules, updated, member, now);
  return "applied";
}

function snapshotOf(record: OrderRecord): RuleSnapshot | null {
  return ruleSnapshot(record.rule);
}

/**
 * Takes points back from the order — its own pending points first, then the balance — and books
 * the spend it no longer counts, then re-evaluates the member's tier.
 */
async function takeBackFromOrder(
  db: Db,
  rules: ProgramRules,
  record: OrderRecord,
  member: Member,
  change: {
    points: number;
    spendMinor: number;
    kind: "REFUND_CLAWBACK" | "CANCEL_REVERSAL";
    source: "REFUND" | "ORDER";
    sourceId: string;
    idempotencyKey: string;
    text: EntryText;
    occurredAt: Date;
  },
  now: Date,
) {
  const { program } = rules;
  const { points, spendMinor, ...entry } = change;
  // The floor is decided on the balance as it is now, not as it was read before: a redemption
  // in another process may have spent points meanwhile.
  await lockMember(db, member.id);
  member = await db.member.findUniqueOrThrow({ where: { id: member.id } });
  const split = splitDebit(
    points,
    record.pendingRemaining,
    member.balance,
    program.allowNegativeBalance,
  );
  const afterEntry =
    points > 0
      ? await postEntry(
          db,
          program,
          member,
          {
            ...entry,
            points: -split.fromBalance,
            pendingPoints: -split.fromPending,
            shortfall: split.shortfall,
            amountMinor: -spendMinor,
            orderId: record.orderId,
            currency: record.currency ?? undefined,
            rule: snapshotOf(record) ?? undefined,
          },
          now,
        )
      : member;
  const updatedRecord = await db.orderRecord.update({
    where: { id: record.id },
    data: {
      clawedBackPoints: { increment: points },
      refundedMinor: { increment: spendMinor },
      pendingRemaining: { decrement: split.fromPending },
    },
  });
  const evaluated = await evaluateTier(db, rules, afterEntry, now, entryText(entry.text));
  return { record: updatedRecord, member: evaluated };
}

async function applyRefund(
  db: Db,
  rules: ProgramRules,
  record: OrderRecord,
  member: Member,
  refund: RefundRecord,
  now: Date,
) {
  const snapshot = snapshotOf(record);
  const taxesIncluded = snapshot?.taxesIncluded ?? false;
  const giftCards = new Set(stringListSchema.parse(record.giftCardLineIds));
  const lines = refundLinesSchema.parse(refund.lines);
  const refundBasis = lines.length
    ? refundEarningBasis(lines, taxesIncluded, giftCards)
    : // Stored before refunds kept their lines: its totals, as they were read then.
      Math.max(0, refund.subtotalMinor - (taxesIncluded ? refund.taxMinor : 0));
  const points = clawbackForRefund(
    {
      ...record,
      fixedBonus: fixedBonusOf(snapshot?.contributions),
      scoped: await scopedRefunds(db, record, refund, {
        contributions: snapshot?.contributions,
        taxesIncluded,
        giftCards,
      }),
    },
    refundBasis,
  );
  const result = await takeBackFromOrder(
    db,
    rules,
    record,
    member,
    {
      points,
      spendMinor: Math.min(refundBasis, Math.max(0, record.basisMinor - record.refundedMinor)),
      kind: "REFUND_CLAWBACK",
      source: "REFUND",
      sourceId: refund.refundId,
      idempotencyKey: `refund:${refund.refundId}:clawback`,
      text: { key: "refund", order: record.name ?? record.orderId },
      occurredAt: refund.createdAtShopify,
    },
    now,
  );
  await db.refundRecord.update({
    where: { id: refund.id },
    data: { appliedAt: now, clawedBack: points },
  });
  const at = refund.createdAtShopify;
  await reverseReferral(db, rules, result.record, { at, cancelled: false }, now);
  return result;
}

/**
 * For a contribution of a campaign on some products: the spend of its lines this refund and the
 * earlier ones took back. Orders without one (nearly all) read nothing more.
 */
async function scopedRefunds(
  db: Db,
  record: OrderRecord,
  refund: RefundRecord,
  order: {
    contributions: Contribution[] | undefined;
    taxesIncluded: boolean;
    giftCards: ReadonlySet<string>;
  },
): Promise<ScopedRefund[]> {
  const scoped = scopedContributionsOf(order.contributions);
  if (!scoped.length) return [];
  const { taxesIncluded, giftCards } = order;
  const earlier = await db.refundRecord.findMany({
    where: { shop: record.shop, orderId: record.orderId, appliedAt: { not: null } },
    select: { id: true, lines: true },
  });
  return scoped.map((c) => {
    const lineIds = new Set(c.lineIds);
    const spend = (lines: unknown) =>
      refundEarningBasis(refundLinesSchema.parse(lines), taxesIncluded, giftCards, lineIds);
    const eligibleMinor = c.eligibleMinor ?? 0;
    // Each earlier refund, as it was taken: one at a time, so the last takes exactly what is left.
    const before = earlier.filter((r) => r.id !== refund.id).map((r) => spend(r.lines));
    return {
      points: c.points,
      eligibleMinor,
      minimumMinor: c.rule === "CAMPAIGN_BONUS" ? Math.max(1, c.minimumMinor ?? 1) : null,
      refundedMinor: before.reduce((sum, minor) => sum + minor, 0),
      takenPoints: before.reduce(
        (sum, minor) => sum + scopedShare(c.points, minor, eligibleMinor),
        0,
      ),
      refundMinor: spend(refund.lines),
    };
  });
}

async function applyCancellation(
  db: Db,
  rules: ProgramRules,
  record: OrderRecord,
  member: Member,
  now: Date,
) {
  const result = await takeBackFromOrder(
    db,
    rules,
    record,
    member,
    {
      points: clawbackForCancellation(record),
      spendMinor: Math.max(0, record.basisMinor - record.refundedMinor),
      kind: "CANCEL_REVERSAL",
      source: "ORDER",
      sourceId: record.orderId,
      idempotencyKey: `order:${record.orderId}:cancel`,
      text: { key: "cancel", order: record.name ?? record.orderId },
      occurredAt: record.cancelledAt ?? now,
    },
    now,
  );
  const at = record.cancelledAt ?? now;
  await reverseReferral(db, rules, result.record, { at, cancelled: true }, now);
  return result;
}

export type ReviewResult =
  { ok: true; status: "EARNED" | "SKIPPED" } | { ok: false; error: "NOT_HELD" | "NO_MEMBER" };

/**
 * The merchant's decision on a held order: approve credits what it earned under the rule it was
 * paid under (then any refunds and cancellation that came meanwhile); reject records it as not
 * credited. Conditional on the order still being held, so two clicks decide once.
 */
export async function reviewHeldOrder(
  db: Db,
  shop: string,
  orderId: string,
  decision: "approve" | "reject",
  staff: string,
  now: Date,
): Promise<ReviewResult> {
  await lockOrderRecord(db, shop, orderId);
  const record = await db.orderRecord.findUnique({ where: { shop_orderId: { shop, orderId } } });
  if (record?.status !== "HELD") return { ok: false, error: "NOT_HELD" };
  const member = record.customerId
    ? await db.member.findUnique({
        where: { shop_customerId: { shop, customerId: record.customerId } },
      })
    : null;
  const snapshot = snapshotOf(record);
  if (decision === "approve" && (!member || !snapshot)) return { ok: false, error: "NO_MEMBER" };
  const { count } = await db.orderRecord.updateMany({
    where: { id: record.id, status: "HELD" },
    data: {
      reviewedBy: staff,
      reviewedAt: now,
      ...(decision === "reject"
        ? { status: "SKIPPED", skipReason: "REJECTED", holdReason: null }
        : {}),
    },
  });
  if (count === 0) return { ok: false, error: "NOT_HELD" };
  if (decision === "reject") return { ok: true, status: "SKIPPED" };
  const rules = await programRules(db, shop);
  const awarded = await awardOrder(db, rules, record, member!, snapshot!, now);
  await creditReferral(
    db,
    rules,
    {
      discountCodes: stringListSchema.catch([]).parse(record.discountCodes),
      customerId: record.customerId,
      email: member!.email,
      paidAt: record.paidAt ?? now,
    },
    awarded,
    now,
  );
  return { ok: true, status: "EARNED" };
}
