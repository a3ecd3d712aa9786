import type { Member, OrderRecord, Program, RefundRecord, SkipReason } from "@prisma/client";
import { clawbackForCancellation, clawbackForRefund, splitDebit } from "../domain/clawback";
import type { RuleSnapshot } from "../domain/earning";
import { pointsForSpend } from "../domain/earning";
import { availableAt, isPending } from "../domain/schedule";
import { ruleSnapshot } from "../domain/snapshots";
import { postEntry } from "./ledger.server";
import { evaluateTier, memberFor } from "./members.server";
import type { PaidOrder, Refund } from "./payloads";
import { markRewardCodesUsed } from "./redemptions.server";
import type { Db } from "./program.server";
import { earnRule, programFor } from "./program.server";

/**
 * Order effects. Shopify may deliver paid, cancelled and refund webhooks of one order in any
 * order and more than once. Each event is stored against the order's record first; points move
 * only once the order has been paid, and whatever arrived early is then applied in the order
 * Shopify created it, so the ledger ends up as in-order delivery would have left it.
 */

export type Outcome = "applied" | "duplicate" | "deferred" | "skipped";

function skipReason(program: Program, order: PaidOrder): SkipReason | null {
  if (!order.customer) return "GUEST_CHECKOUT";
  if (!program.enabled) return "PROGRAM_OFF";
  if (order.test && !program.awardTestOrders) return "TEST_ORDER";
  return null;
}

export async function onOrderPaid(
  db: Db,
  shop: string,
  order: PaidOrder,
  now: Date,
): Promise<Outcome> {
  const existing = await db.orderRecord.findUnique({
    where: { shop_orderId: { shop, orderId: order.orderId } },
  });
  if (existing?.paidAt) return "duplicate";
  await markRewardCodesUsed(db, shop, order);

  const program = await programFor(db, shop, order.currency);
  const facts = {
    name: order.name,
    customerId: order.customer?.customerId ?? null,
    currency: order.currency,
    totalMinor: order.totalMinor,
    basisMinor: order.basisMinor,
    discountCodes: order.discountCodes,
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
    if (order.customer) await memberFor(db, shop, order.customer);
    return "skipped";
  }

  let member = await memberFor(db, shop, order.customer);
  const tier = member.tierId ? await db.tier.findUnique({ where: { id: member.tierId } }) : null;
  const multiplierPercent = tier?.multiplierPercent ?? 100;
  const rule = earnRule(program);
  const points = pointsForSpend(order.basisMinor, order.currency, rule, multiplierPercent);
  const available = availableAt(order.occurredAt, program.pendingDays);
  const pending = isPending(available, now) ? points : 0;
  const snapshot: RuleSnapshot = {
    ...rule,
    multiplierPercent,
    tier: tier?.name ?? null,
    basisMinor: order.basisMinor,
    currency: order.currency,
    taxesIncluded: order.taxesIncluded,
    pendingDays: program.pendingDays,
  };

  const record = await db.orderRecord.upsert({
    where: { shop_orderId: { shop, orderId: order.orderId } },
    create: {
      shop,
      orderId: order.orderId,
      status: "EARNED",
      skipReason: points === 0 ? "NOTHING_TO_EARN" : null,
      earnedPoints: points,
      pendingRemaining: pending,
      availableAt: pending ? available : null,
      rule: snapshot,
      ...facts,
    },
    update: {
      status: "EARNED",
      skipReason: points === 0 ? "NOTHING_TO_EARN" : null,
      earnedPoints: points,
      pendingRemaining: pending,
      availableAt: pending ? available : null,
      rule: snapshot,
      ...facts,
    },
  });

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
        sourceId: order.orderId,
        orderId: order.orderId,
        amountMinor: order.basisMinor,
        currency: order.currency,
        idempotencyKey: `order:${order.orderId}:earn`,
        rule: snapshot,
        description: `Order ${order.name ?? order.orderId}`,
        occurredAt: order.occurredAt,
        availableAt: pending ? available : null,
      },
      now,
    );
  }
  member = await evaluateTier(
    db,
    program,
    member,
    now,
    `order ${order.name ?? order.orderId} paid`,
  );

  // Refunds and a cancellation that overtook this delivery, in the order Shopify made them.
  const early = await db.refundRecord.findMany({
    where: { shop, orderId: order.orderId, appliedAt: null },
    orderBy: [{ createdAtShopify: "asc" }, { refundId: "asc" }],
  });
  let current = record;
  for (const refund of early) {
    ({ record: current, member } = await applyRefund(db, program, current, member, refund, now));
  }
  if (current.cancelledAt) {
    ({ record: current, member } = await applyCancellation(db, program, current, member, now));
  }
  return "applied";
}

export async function onRefundCreated(
  db: Db,
  shop: string,
  refund: Refund,
  now: Date,
): Promise<Outcome> {
  const known = await db.refundRecord.findUnique({
    where: { shop_refundId: { shop, refundId: refund.refundId } },
  });
  if (known) return "duplicate";

  const stored = await db.refundRecord.create({
    data: {
      shop,
      refundId: refund.refundId,
      orderId: refund.orderId,
      subtotalMinor: refund.subtotalMinor,
      taxMinor: refund.taxMinor,
      createdAtShopify: refund.occurredAt,
    },
  });
  const record = await db.orderRecord.upsert({
    where: { shop_orderId: { shop, orderId: refund.orderId } },
    create: { shop, orderId: refund.orderId },
    update: {},
  });
  if (record.status !== "EARNED" || !record.customerId) return "deferred";

  const program = await programFor(db, shop);
  const member = await db.member.findUnique({
    where: { shop_customerId: { shop, customerId: record.customerId } },
  });
  if (!member) return "deferred";
  await applyRefund(db, program, record, member, stored, now);
  return "applied";
}

export async function onOrderCancelled(
  db: Db,
  shop: string,
  orderId: string,
  cancelledAt: Date,
  now: Date,
): Promise<Outcome> {
  const record = await db.orderRecord.findUnique({ where: { shop_orderId: { shop, orderId } } });
  if (record?.cancelledAt) return "duplicate";

  const updated = await db.orderRecord.upsert({
    where: { shop_orderId: { shop, orderId } },
    create: { shop, orderId, cancelledAt },
    update: { cancelledAt },
  });
  if (updated.status !== "EARNED" || !updated.customerId) return "deferred";

  const program = await programFor(db, shop);
  const member = await db.member.findUnique({
    where: { shop_customerId: { shop, customerId: updated.customerId } },
  });
  if (!member) return "deferred";
  await applyCancellation(db, program, updated, member, now);
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
  program: Program,
  record: OrderRecord,
  member: Member,
  change: {
    points: number;
    spendMinor: number;
    kind: "REFUND_CLAWBACK" | "CANCEL_REVERSAL";
    source: "REFUND" | "ORDER";
    sourceId: string;
    idempotencyKey: string;
    description: string;
    occurredAt: Date;
  },
  now: Date,
) {
  const { points, spendMinor, ...entry } = change;
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
  const evaluated = await evaluateTier(db, program, afterEntry, now, entry.description);
  return { record: updatedRecord, member: evaluated };
}

async function applyRefund(
  db: Db,
  program: Program,
  record: OrderRecord,
  member: Member,
  refund: RefundRecord,
  now: Date,
) {
  const refundBasis = Math.max(
    0,
    refund.subtotalMinor - (snapshotOf(record)?.taxesIncluded ? refund.taxMinor : 0),
  );
  const points = clawbackForRefund(record, refundBasis);
  const result = await takeBackFromOrder(
    db,
    program,
    record,
    member,
    {
      points,
      spendMinor: Math.min(refundBasis, Math.max(0, record.basisMinor - record.refundedMinor)),
      kind: "REFUND_CLAWBACK",
      source: "REFUND",
      sourceId: refund.refundId,
      idempotencyKey: `refund:${refund.refundId}:clawback`,
      description: `Refund on order ${record.name ?? record.orderId}`,
      occurredAt: refund.createdAtShopify,
    },
    now,
  );
  await db.refundRecord.update({
    where: { id: refund.id },
    data: { appliedAt: now, clawedBack: points },
  });
  return result;
}

function applyCancellation(
  db: Db,
  program: Program,
  record: OrderRecord,
  member: Member,
  now: Date,
) {
  return takeBackFromOrder(
    db,
    program,
    record,
    member,
    {
      points: clawbackForCancellation(record),
      spendMinor: Math.max(0, record.basisMinor - record.refundedMinor),
      kind: "CANCEL_REVERSAL",
      source: "ORDER",
      sourceId: record.orderId,
      idempotencyKey: `order:${record.orderId}:cancel`,
      description: `Order ${record.name ?? record.orderId} cancelled`,
      occurredAt: record.cancelledAt ?? now,
    },
    now,
  );
}
