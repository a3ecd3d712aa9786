import type { EntryKind, EntrySource, Member, Prisma, Program } from "@prisma/client";
import { balanceExpiresAt } from "../domain/schedule";
import { entryText, type EntryText } from "../domain/storefront-text";
import { queueFlowEvent } from "./flow-triggers.server";
import type { Db } from "./program.server";

/** Entry kinds that count as the member earning (lifetime total, activity for expiry). */
const EARNING_KINDS = new Set<EntryKind>(["EARN", "SIGNUP_BONUS"]);
/**
 * Entry kinds whose spendable points can bring a reward within reach ("reward available" for
 * Flow): earnings, pending points released, a merchant's adjustment.
 */
const BALANCE_RISES = new Set<EntryKind>(["EARN", "SIGNUP_BONUS", "RELEASE", "MANUAL"]);
/** Entry kinds that keep a balance alive: the shopper did something. */
const ACTIVITY_KINDS = new Set<EntryKind>(["EARN", "SIGNUP_BONUS", "REDEEM", "MANUAL", "IMPORT"]);

export type { EntryKind, EntrySource };

export type EntryInput = EntryFields &
  // A system event stores its text, so the storefront can say it in the shopper's language (with
  // an admin description of its own when the admin should read more than the shopper); a
  // merchant's own words are kept as they wrote them.
  ({ text: EntryText; description?: string } | { description: string; text?: undefined });

interface EntryFields {
  kind: EntryKind;
  /** Change to the spendable balance. */
  points: number;
  /** Change to the pending bucket. */
  pendingPoints?: number;
  shortfall?: number;
  source: EntrySource;
  sourceId?: string;
  orderId?: string;
  amountMinor?: number;
  currency?: string;
  idempotencyKey: string;
  rule?: Prisma.InputJsonObject;
  occurredAt: Date;
  availableAt?: Date | null;
  createdBy?: string;
  /** Refuse (InsufficientPointsError) rather than take the balance below zero. */
  requireBalance?: boolean;
}

export class InsufficientPointsError extends Error {
  constructor() {
    super("Not enough points");
    this.name = "InsufficientPointsError";
  }
}

/**
 * The only way points move. The member row and the entry are written together, inside the
 * caller's transaction, so the cached balance is always the sum of the ledger and every entry
 * carries the balance it left behind. The unique (shop, idempotencyKey) makes a second attempt at
 * the same event fail instead of counting twice.
 */
export async function postEntry(
  db: Db,
  program: Program,
  member: Member,
  input: EntryInput,
  now: Date,
): Promise<Member> {
  const pendingDelta = input.pendingPoints ?? 0;
  const earned = EARNING_KINDS.has(input.kind) ? input.points + pendingDelta : 0;
  const active = ACTIVITY_KINDS.has(input.kind) && (input.points !== 0 || pendingDelta !== 0);
  const lastActivityAt = active ? now : member.lastActivityAt;

  const data = {
    balance: { increment: input.points },
    pendingPoints: { increment: pendingDelta },
    lifetimeEarned: { increment: earned },
    lastActivityAt,
    expiresAt: balanceExpiresAt(lastActivityAt, program.expiryMonths),
    // In the same update: customer sync (app/loyalty/customer-sync.server.ts) costs no statement.
    syncDirty: true,
  };
  let updated: Member;
  if (input.requireBalance && input.points < 0) {
    // A conditional update, not read-then-write: of many concurrent spends of the last points,
    // the database lets exactly one through.
    const { count } = await db.member.updateMany({
      where: { id: member.id, balance: { gte: -input.points } },
      data,
    });
    if (count === 0) throw new InsufficientPointsError();
    updated = await db.member.findUniqueOrThrow({ where: { id: member.id } });
  } else {
    updated = await db.member.update({ where: { id: member.id }, data });
  }

  await db.ledgerEntry.create({
    data: {
      shop: member.shop,
      memberId: member.id,
      kind: input.kind,
      points: input.points,
      pendingPoints: pendingDelta,
      balanceAfter: updated.balance,
      pendingAfter: updated.pendingPoints,
      shortfall: input.shortfall ?? 0,
      source: input.source,
      sourceId: input.sourceId,
      orderId: input.orderId,
      amountMinor: input.amountMinor,
      currency: input.currency,
      idempotencyKey: input.idempotencyKey,
      rule: input.rule,
      description: input.description ?? entryText(input.text!),
      text: input.text,
      occurredAt: input.occurredAt,
      availableAt: input.availableAt ?? undefined,
      expiresAt: updated.expiresAt,
      createdBy: input.createdBy,
    },
  });
  if (earned > 0) {
    await queueFlowEvent(db, program, {
      trigger: "loyalty-points-earned",
      customerId: member.customerId,
      dedupeKey: `earned:${input.idempotencyKey}`,
      fields: {
        points: earned,
        points_balance: updated.balance,
        reason: input.description ?? entryText(input.text!),
      },
    });
  }
  if (input.points > 0 && BALANCE_RISES.has(input.kind)) {
    // Which reward (if any) came within reach is decided when it is sent, from the rewards then.
    await queueFlowEvent(db, program, {
      trigger: "loyalty-reward-available",
      customerId: member.customerId,
      dedupeKey: `available:${input.idempotencyKey}`,
      fields: { reward_name: "", reward_points_cost: 0, points_balance: updated.balance },
      balanceBefore: updated.balance - input.points,
    });
  }
  return updated;
}

/**
 * Sets the member's last activity (and so the expiry date) from what is left in the ledger
 * without the entries `except` matches: undoing an import gives members back the dates they had
 * before it, unless they did something since. Activity is when an entry was written (postEntry's
 * `now`), not when its event happened, so entries are read by `createdAt`.
 */
export async function restoreActivity(
  db: Db,
  program: Program,
  member: Member,
  except: Prisma.LedgerEntryWhereInput,
): Promise<Member> {
  const last = await db.ledgerEntry.findFirst({
    where: {
      memberId: member.id,
      kind: { in: [...ACTIVITY_KINDS] },
      OR: [{ points: { not: 0 } }, { pendingPoints: { not: 0 } }],
      NOT: except,
    },
    orderBy: { createdAt: "desc" },
    select: { createdAt: true },
  });
  const lastActivityAt = last?.createdAt ?? null;
  return db.member.update({
    where: { id: member.id },
    data: { lastActivityAt, expiresAt: balanceExpiresAt(lastActivityAt, program.expiryMonths) },
  });
}
