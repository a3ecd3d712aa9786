import type { FlowEvent, Prisma, PrismaClient, Program } from "@prisma/client";
import { isUniqueViolation } from "../db/errors";
import type { FlowFields, FlowTrigger } from "../domain/flow-triggers";
import {
  expiringFields,
  flowTriggerPayload,
  isFlowTrigger,
  newlyAffordable,
} from "../domain/flow-triggers";
import { knownTimeZone } from "../domain/time-zones";
import { errorFields, log } from "../log.server";
import type { AdminGraphqlClient } from "../shopify/admin-api.server";
import { adminQuery, DEFAULT_RETRY_POLICY } from "../shopify/admin-api.server";
import { FLOW_TRIGGER_RECEIVE } from "../shopify/operations";
import type { LoyaltyFlowTriggerReceiveMutation } from "../types/admin.generated";
import type { Db } from "./program.server";
import { shopConfig } from "./shop-config.server";

/**
 * Loyalty events for Shopify Flow (app/domain/flow-triggers.ts), through an outbox: each event is
 * a FlowEvent row written in the transaction of the change it reports, and the worker sends the
 * rows with flowTriggerReceive. A change rolled back sends nothing; a change kept is sent even if
 * Shopify is down when it happens. Delivery is at least once: a send whose answer was lost is
 * sent again, as Shopify's own webhooks are.
 */

interface StoredData {
  fields: Record<string, string | number>;
  /** loyalty-reward-available: the balance before, to find the reward newly within reach. */
  balanceBefore?: number;
}

interface QueuedEvent<T extends FlowTrigger> {
  trigger: T;
  customerId: string;
  dedupeKey: string;
  fields: FlowFields<T>;
  balanceBefore?: number;
}

type FlowProgram = Pick<Program, "shop" | "flowTriggers">;

/** Writes the event if the shop sends loyalty events to Flow; nothing (no statement) otherwise. */
export async function queueFlowEvent<T extends FlowTrigger>(
  db: Db,
  program: FlowProgram,
  event: QueuedEvent<T>,
) {
  if (!program.flowTriggers) return;
  const data: StoredData = {
    fields: event.fields as Record<string, string | number>,
    ...(event.balanceBefore === undefined ? {} : { balanceBefore: event.balanceBefore }),
  };
  await db.flowEvent.create({
    data: {
      shop: program.shop,
      trigger: event.trigger,
      customerId: event.customerId,
      dedupeKey: event.dedupeKey,
      data: data as unknown as Prisma.InputJsonObject,
    },
  });
}

/** Creates an event outside any transaction; one that exists already (same key) is left alone. */
async function queueOnce<T extends FlowTrigger>(
  db: PrismaClient,
  program: FlowProgram,
  event: QueuedEvent<T>,
) {
  try {
    await queueFlowEvent(db, program, event);
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

const BATCH = 500;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * "Points expiring soon": once per expiry date, for members whose balance expires within the
 * program's notice period. A member who earns or spends gets a new expiry date, and a new notice
 * when that one comes near.
 */
export async function announceExpiringPoints(prisma: PrismaClient, now: Date) {
  const programs = await prisma.program.findMany({
    where: { flowTriggers: true, expiryMonths: { not: null } },
  });
  let queued = 0;
  for (const program of programs) {
    const timeZone = knownTimeZone(program.timeZone);
    const until = new Date(now.getTime() + program.expiryNoticeDays * DAY_MS);
    let cursor: string | undefined;
    for (;;) {
      const members = await prisma.member.findMany({
        where: {
          shop: program.shop,
          balance: { gt: 0 },
          expiresAt: { gt: now, lte: until },
          ...(cursor ? { id: { gt: cursor } } : {}),
        },
        orderBy: { id: "asc" },
        take: BATCH,
        select: { id: true, customerId: true, balance: true, expiresAt: true },
      });
      const keyOf = (member: (typeof members)[number]) =>
        `expiring:${member.id}:${member.expiresAt!.toISOString()}`;
      // Announced already (this job runs hourly): looked up rather than left to the unique
      // index, whose refusals would cost a failed insert per member per hour.
      const announced = new Set(
        (
          await prisma.flowEvent.findMany({
            where: { shop: program.shop, dedupeKey: { in: members.map(keyOf) } },
            select: { dedupeKey: true },
          })
        ).map((e) => e.dedupeKey),
      );
      for (const member of members) {
        if (announced.has(keyOf(member))) continue;
        const created = await queueOnce(prisma, program, {
          trigger: "loyalty-points-expiring",
          customerId: member.customerId,
          dedupeKey: keyOf(member),
          fields: expiringFields(member.balance, member.expiresAt!, now, timeZone),
        });
        if (created) queued += 1;
      }
      if (members.length < BATCH) break;
      cursor = members.at(-1)!.id;
    }
  }
  return { queued };
}

/** Attempts before an event is given up on (about eight minutes of Shopify being unreachable). */
const MAX_ATTEMPTS = 8;
const SEND_BATCH = 200;
/** Sent events are kept this long (the notice period is at most 60 days). */
const KEEP_DONE_DAYS = 90;

/** `skipped`: a "reward available" candidate with no reward newly within reach. */
type SendResult = { sent: number; failed: number; retrying: number; skipped: number };
/** One run sends for this long at most (the schedule is every minute). */
const SEND_BUDGET_MS = 45_000;
/** Events a shop may send in one run, so one busy shop does not hold the others back. */
const PER_SHOP = 100;

/**
 * Sends waiting events, oldest first. flowTriggerReceive's userErrors (an unknown handle: the
 * trigger extension is not deployed; a payload Flow refuses) are final and kept as the event's
 * error; a failed call is tried again on the next run.
 */
export async function sendFlowEvents(
  prisma: PrismaClient,
  adminFor: (shop: string) => Promise<AdminGraphqlClient | null>,
  now: Date,
) {
  const result: SendResult = { sent: 0, failed: 0, retrying: 0, skipped: 0 };
  const deadline = Date.now() + SEND_BUDGET_MS;
  const perShop = new Map<string, number>();
  const admins = new Map<string, AdminGraphqlClient | null>();
  const seen = new Set<string>();
  // A second round sends what the first queued ("reward available" follows "points earned");
  // an event is tried once per run.
  for (let round = 0; round < 2; round++) {
    const events = await prisma.flowEvent.findMany({
      where: { doneAt: null, id: { notIn: [...seen] } },
      orderBy: { createdAt: "asc" },
      take: SEND_BATCH,
    });
    for (const event of events) {
      if (Date.now() > deadline) break;
      const sent = perShop.get(event.shop) ?? 0;
      if (sent >= PER_SHOP) continue;
      perShop.set(event.shop, sent + 1);
      seen.add(event.id);
      await sendOne(prisma, event, admins, adminFor, now, result);
    }
  }
  // Kept longer than the longest notice period, whose dedupe key must outlive the notice.
  await prisma.flowEvent.deleteMany({
    where: { doneAt: { lt: new Date(now.getTime() - KEEP_DONE_DAYS * DAY_MS) } },
  });
  return result;
}

async function sendOne(
  prisma: PrismaClient,
  event: FlowEvent,
  admins: Map<string, AdminGraphqlClient | null>,
  adminFor: (shop: string) => Promise<AdminGraphqlClient | null>,
  now: Date,
  result: SendResult,
) {
  const data = event.data as unknown as StoredData;
  if (!admins.has(event.shop)) admins.set(event.shop, await adminFor(event.shop));
  const admin = admins.get(event.shop)!;
  if (!isFlowTrigger(event.trigger)) {
    await finish(prisma, event.id, now, `Unknown trigger ${event.trigger}`);
    result.failed += 1;
    return;
  }
  let fields = data.fields;
  if (event.trigger === "loyalty-reward-available" && data.balanceBefore !== undefined) {
    const reward = await rewardNewlyAvailable(prisma, event, data);
    if (!reward) {
      await finish(prisma, event.id, now, null);
      result.skipped += 1;
      return;
    }
    fields = { ...fields, reward_name: reward.name, reward_points_cost: reward.pointsCost };
  }
  if (!admin) {
    await retryLater(prisma, event, now, "The shop has no offline session (app uninstalled?)");
    result.retrying += 1;
    return;
  }
  try {
    const answer = await adminQuery<LoyaltyFlowTriggerReceiveMutation>(
      admin,
      FLOW_TRIGGER_RECEIVE,
      {
        handle: event.trigger,
        payload: flowTriggerPayload(event.trigger, event.customerId, fields),
      },
      { ...DEFAULT_RETRY_POLICY, attempts: 2, budgetMs: 10_000 },
    );
    const errors = answer.flowTriggerReceive?.userErrors ?? [];
    if (errors.length) {
      const message = errors.map((e) => e.message).join("; ");
      log.warn("flow trigger refused", { shop: event.shop, trigger: event.trigger, message });
      await finish(prisma, event.id, now, message);
      result.failed += 1;
    } else {
      await finish(prisma, event.id, now, null);
      result.sent += 1;
    }
  } catch (error) {
    log.warn("flow trigger not sent; it will be tried again", {
      shop: event.shop,
      trigger: event.trigger,
      ...errorFields(error),
    });
    await retryLater(prisma, event, now, error instanceof Error ? error.message : String(error));
    result.retrying += 1;
  }
}

// updateMany: a customers/redact may have deleted the row while it was being sent.
function finish(prisma: PrismaClient, id: string, now: Date, error: string | null) {
  return prisma.flowEvent.updateMany({ where: { id }, data: { doneAt: now, error } });
}

async function retryLater(
  prisma: PrismaClient,
  event: { id: string; attempts: number; shop: string; trigger: string },
  now: Date,
  error: string,
) {
  const attempts = event.attempts + 1;
  const givenUp = attempts >= MAX_ATTEMPTS;
  if (givenUp) log.error("flow trigger given up", { shop: event.shop, trigger: event.trigger });
  await prisma.flowEvent.updateMany({
    where: { id: event.id },
    data: { attempts, error, ...(givenUp ? { doneAt: now } : {}) },
  });
}

/**
 * The reward a rise of the balance brought within reach: the most valuable enabled reward the
 * member's tier may redeem that costs more than the balance before and no more than after.
 */
async function rewardNewlyAvailable(
  prisma: PrismaClient,
  event: { shop: string; customerId: string },
  data: StoredData,
) {
  const { rewards, tiers } = await shopConfig(event.shop, prisma);
  const member = await prisma.member.findUnique({
    where: { shop_customerId: { shop: event.shop, customerId: event.customerId } },
    select: { tierId: true },
  });
  const threshold = (id: string | null | undefined) =>
    tiers.find((t) => t.id === id)?.threshold ?? null;
  const own = threshold(member?.tierId);
  const open = rewards.filter((r) => {
    const required = threshold(r.tierId);
    return !r.tierId || (required !== null && own !== null && own >= required);
  });
  return newlyAffordable(open, data.balanceBefore!, Number(data.fields.points_balance));
}
