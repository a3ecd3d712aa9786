import type { Prisma } from "@prisma/client";
import { delegateOf, MODEL_ORDER, SHOP_MODELS } from "../db/models";
import { containsIgnoringCase, databaseProvider } from "../db.server";
import { PG_BOSS_SCHEMA } from "../worker/queue.server";
import type { Db } from "./program.server";

/**
 * GDPR/CCPA topics Shopify requires of every App Store app. app/uninstalled only drops sessions;
 * these remove or report the loyalty data itself. A test walks every model of the generated
 * client after each redaction, so a table added later cannot keep what these forget.
 */

type ShopDelegate = { deleteMany(args: { where: { shop: string } }): Promise<unknown> };

/** shop/redact (~48 h after uninstall): nothing of the shop may remain, sessions included. */
export async function redactShop(db: Db, shop: string) {
  // Children before parents, so no foreign key stands in the way.
  for (const model of [...MODEL_ORDER].reverse()) {
    if (SHOP_MODELS.includes(model)) {
      await delegateOf<ShopDelegate>(db, model).deleteMany({ where: { shop } });
    }
  }
  // On PostgreSQL the worker's queue is pg-boss's: its waiting jobs carry the shop in their data.
  if (databaseProvider === "postgresql") {
    const [queue] = await db.$queryRaw<{ present: boolean }[]>`
      SELECT to_regclass(${`${PG_BOSS_SCHEMA}.job`}) IS NOT NULL AS present`;
    if (queue?.present) {
      await db.$executeRawUnsafe(
        `DELETE FROM "${PG_BOSS_SCHEMA}".job WHERE data->>'shop' = $1`,
        shop,
      );
    }
  }
}

/** A whole number in a text, as a JSON value (not inside a longer number). */
function mentionsId(text: string, id: string) {
  return new RegExp(`(^|[^0-9])${id}([^0-9]|$)`).test(text);
}

/**
 * customers/redact: the member, their ledger, tier history, redemptions and codes, data
 * exports, imported rows and stored webhook bodies (failed, or still queued) go. Their orders stay only as anonymous
 * figures (no customer id or name) so the shop's revenue analytics do not change, and every
 * other member's balance still equals their ledger.
 */
export async function redactCustomer(
  db: Db,
  shop: string,
  customer: { customerId: string; email: string | null },
) {
  const { customerId, email } = customer;
  await db.redemption.deleteMany({ where: { shop, customerId } });
  // Ledger entries and tier changes cascade from the member.
  await db.member.deleteMany({ where: { shop, customerId } });
  await db.orderRecord.updateMany({
    where: { shop, customerId },
    data: { customerId: null, name: null },
  });
  await db.dataRequest.deleteMany({ where: { shop, customerId } });
  // Imported rows carry the shopper's email and name, matched or not.
  await db.importRow.deleteMany({
    where: { shop, OR: [{ customerId }, ...(email ? [{ email }] : [])] },
  });
  // Stored webhook bodies: those known to be about the customer, and any that mention them.
  const mentions = await db.failedEvent.findMany({
    where: {
      shop,
      OR: [
        { customerId },
        { payload: { contains: customerId } },
        ...(email ? [{ payload: containsIgnoringCase(email) as Prisma.StringFilter }] : []),
      ],
    },
    select: { id: true, customerId: true, payload: true },
  });
  const ids = mentions
    .filter(
      (e) =>
        e.customerId === customerId ||
        mentionsId(e.payload, customerId) ||
        (email !== null && e.payload.toLowerCase().includes(email.toLowerCase())),
    )
    .map((e) => e.id);
  if (ids.length) await db.failedEvent.deleteMany({ where: { id: { in: ids } } });

  // Deliveries still queued that are about them (an order waiting out a retry): settled without
  // effect and their bodies dropped, so nothing re-creates the member after this.
  const queued = await db.webhookDelivery.findMany({
    where: {
      shop,
      status: "QUEUED",
      OR: [
        { payload: { contains: customerId } },
        ...(email ? [{ payload: containsIgnoringCase(email) }] : []),
      ],
    },
    select: { id: true, payload: true },
  });
  const about = queued
    .filter(
      ({ payload }) =>
        payload !== null &&
        (mentionsId(payload, customerId) ||
          (email !== null && payload.toLowerCase().includes(email.toLowerCase()))),
    )
    .map((d) => d.id);
  if (about.length) {
    await db.webhookDelivery.updateMany({
      where: { id: { in: about }, status: "QUEUED" },
      data: { status: "FAILED", payload: null, eventId: null, runAfter: null, claimedUntil: null },
    });
  }
}

/**
 * customers/data_request: everything we hold about the shopper, kept for the merchant to download.
 * Shopify may deliver the same request more than once (new delivery ids, one event id): it is
 * stored once.
 */
export async function exportCustomerData(
  db: Db,
  shop: string,
  request: { customerId: string; requestId: string | null; eventId: string | null; now: Date },
) {
  const { customerId, requestId, eventId, now } = request;
  const already = await db.dataRequest.findFirst({
    where: {
      shop,
      customerId,
      OR: [...(eventId ? [{ eventId }] : []), ...(requestId ? [{ requestId }] : [])],
    },
  });
  if (already && (eventId || requestId)) return already;

  const member = await db.member.findUnique({
    where: { shop_customerId: { shop, customerId } },
    include: { entries: { orderBy: { occurredAt: "asc" } }, tier: true, tierChanges: true },
  });
  const orders = await db.orderRecord.findMany({ where: { shop, customerId } });
  const redemptions = await db.redemption.findMany({
    where: { shop, customerId },
    include: { reward: { select: { name: true } } },
    orderBy: { createdAt: "asc" },
  });
  const data = {
    generatedAt: now.toISOString(),
    shop,
    customerId,
    member: member
      ? {
          email: member.email,
          firstName: member.firstName,
          lastName: member.lastName,
          balance: member.balance,
          pendingPoints: member.pendingPoints,
          lifetimeEarned: member.lifetimeEarned,
          tier: member.tier?.name ?? null,
          joinedAt: member.joinedAt.toISOString(),
          expiresAt: member.expiresAt?.toISOString() ?? null,
          ledger: member.entries.map((e) => ({
            date: e.occurredAt.toISOString(),
            kind: e.kind,
            points: e.points,
            pendingPoints: e.pendingPoints,
            balanceAfter: e.balanceAfter,
            description: e.description,
          })),
          tierChanges: member.tierChanges.map((c) => ({
            date: c.createdAt.toISOString(),
            from: c.fromName,
            to: c.toName,
          })),
        }
      : null,
    orders: orders.map((o) => ({
      orderId: o.orderId,
      name: o.name,
      status: o.status,
      skipReason: o.skipReason,
      earnedPoints: o.earnedPoints,
      clawedBackPoints: o.clawedBackPoints,
    })),
    redemptions: redemptions.map((r) => ({
      date: r.createdAt.toISOString(),
      reward: r.reward.name,
      code: r.code,
      status: r.status,
      pointsSpent: r.pointsSpent,
      pointsReturned: r.pointsReturned,
      validUntil: r.endsAt.toISOString(),
      usedOnOrder: r.usedOrderId,
    })),
  } satisfies Prisma.InputJsonObject;
  return db.dataRequest.create({ data: { shop, customerId, requestId, eventId, data } });
}
