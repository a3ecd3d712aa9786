import type { PrismaClient } from "@prisma/client";
import { lockMember, lockOrderRecord } from "../db/locks.server";
import { postEntry } from "./ledger.server";
import { evaluateTier, membersDueATierChange } from "./members.server";
import { programFor } from "./program.server";
import { shopConfig } from "./shop-config.server";

/**
 * Scheduled work: make pending points spendable, expire idle balances, and move members between
 * tiers when a calendar-year or rolling window moves on. Every step is idempotent (ledger keys)
 * and runs one member or order per transaction, so a crash or an overlapping run loses nothing.
 */

const BATCH = 200;
/**
 * Members per grouped read in the tier review; most of a batch needs no write at all. Below
 * the 999 parameters Prisma allows a SQLite statement, as the read lists the batch's ids.
 */
const REVIEW_BATCH = 500;

export async function releasePendingPoints(prisma: PrismaClient, now: Date) {
  let released = 0;
  for (;;) {
    const due = await prisma.orderRecord.findMany({
      where: { pendingRemaining: { gt: 0 }, availableAt: { lte: now } },
      take: BATCH,
    });
    if (due.length === 0) return released;
    for (const order of due) {
      await prisma.$transaction(async (tx) => {
        await lockOrderRecord(tx, order.shop, order.orderId);
        const record = await tx.orderRecord.findUnique({ where: { id: order.id } });
        if (!record || record.pendingRemaining <= 0 || !record.customerId) return;
        const program = await programFor(tx, record.shop);
        const member = await tx.member.findUnique({
          where: { shop_customerId: { shop: record.shop, customerId: record.customerId } },
        });
        if (!member) return;
        await postEntry(
          tx,
          program,
          member,
          {
            kind: "RELEASE",
            points: record.pendingRemaining,
            pendingPoints: -record.pendingRemaining,
            source: "ORDER",
            sourceId: record.orderId,
            orderId: record.orderId,
            idempotencyKey: `order:${record.orderId}:release`,
            text: { key: "release", order: record.name ?? record.orderId },
            occurredAt: record.availableAt ?? now,
          },
          now,
        );
        await tx.orderRecord.update({ where: { id: record.id }, data: { pendingRemaining: 0 } });
        released += 1;
      });
    }
  }
}

export async function expireBalances(prisma: PrismaClient, now: Date) {
  let expired = 0;
  for (;;) {
    const due = await prisma.member.findMany({
      where: { expiresAt: { lte: now }, balance: { gt: 0 } },
      take: BATCH,
    });
    if (due.length === 0) return expired;
    for (const candidate of due) {
      await prisma.$transaction(async (tx) => {
        const member = await tx.member.findUnique({ where: { id: candidate.id } });
        if (!member?.expiresAt || member.expiresAt > now || member.balance <= 0) return;
        const program = await programFor(tx, member.shop);
        await postEntry(
          tx,
          program,
          member,
          {
            kind: "EXPIRE",
            points: -member.balance,
            source: "SYSTEM",
            idempotencyKey: `member:${member.id}:expire:${member.expiresAt.toISOString()}`,
            rule: { expiryMonths: program.expiryMonths },
            text: { key: "expire", months: program.expiryMonths ?? 0 },
            // When the balance actually drops: a run that is late (or a policy just switched on)
            // must not put the entry into a period whose figures were already shown.
            occurredAt: now,
          },
          now,
        );
        // Nothing left to expire until the member earns again.
        await tx.member.update({
          where: { id: member.id },
          data: { expiresAt: null, syncDirty: true },
        });
        expired += 1;
      });
    }
  }
}

/** Windows that roll (calendar year, 12 months) can drop members a tier without any event. */
export async function reevaluateTiers(prisma: PrismaClient, now: Date, shop?: string) {
  const programs = await prisma.program.findMany({ where: shop ? { shop } : {} });
  let changed = 0;
  for (const program of programs) {
    let cursor: string | undefined;
    for (;;) {
      const members = await prisma.member.findMany({
        where: { shop: program.shop, ...(cursor ? { id: { gt: cursor } } : {}) },
        orderBy: { id: "asc" },
        take: REVIEW_BATCH,
      });
      if (members.length === 0) break;
      for (const member of await membersDueATierChange(prisma, program, members, now)) {
        changed += await prisma.$transaction(async (tx) => {
          // Locked, then read again: an order being applied meanwhile evaluates this member too,
          // and only one of the two may record the change.
          await lockMember(tx, member.id);
          const current = await tx.member.findUnique({ where: { id: member.id } });
          if (!current) return 0; // redacted meanwhile
          const rules = await shopConfig(program.shop, tx);
          const after = await evaluateTier(tx, rules, current, now, "tier review");
          return after.tierId === current.tierId ? 0 : 1;
        });
      }
      cursor = members[members.length - 1]?.id;
    }
  }
  return changed;
}
