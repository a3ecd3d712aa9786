import type { PrismaClient } from "@prisma/client";
import { Prisma } from "@prisma/client";
import { MODEL_ORDER, SHOP_MODELS } from "../db/models";
import { containsIgnoringCase, databaseProvider } from "../db.server";
import { PG_BOSS_SCHEMA } from "../worker/queue.server";
import { log } from "../log.server";
import type { Db } from "./program.server";

/**
 * GDPR/CCPA topics Shopify requires of every App Store app. app/uninstalled only drops sessions;
 * these remove or report the loyalty data itself. A test walks every model of the generated
 * client after each redaction, so a table added later cannot keep what these forget.
 */

/**
 * shop/redact (~48 h after uninstall) is recorded here and carried out by the worker
 * (redactShops): a large shop's rows take minutes to delete (100,000 members and their million
 * ledger entries took 136 s on SQLite), far beyond one webhook transaction, and one transaction
 * that long would hold SQLite's write lock from every other shop. The offline token goes at once.
 */
export async function requestShopRedaction(db: Db, shop: string, now: Date) {
  await db.session.deleteMany({ where: { shop } });
  await db.shopRedaction.upsert({
    where: { shop },
    create: { shop, requestedAt: now },
    update: {},
  });
}

/**
 * Rows one statement deletes at most. A row's cost differs by table (a ledger entry's delete
 * triggers write three deltas), so each table's batch halves while a statement takes longer
 * than REDACTION_TARGET_MS and grows back while it is quick: no transaction holds SQLite's write
 * lock for long, and a table of cheap rows goes by the thousand.
 */
export const REDACTION_BATCH = 2_000;
export const REDACTION_TARGET_MS = 50;

/** Everything of the shop but its ShopRedaction row, children before parents. */
const REDACTED_MODELS = [...MODEL_ORDER]
  .reverse()
  .filter((model) => SHOP_MODELS.includes(model) && model !== "ShopRedaction");

/**
 * Deletes up to `limit` rows of the shop from one table, by the rows' physical ids, after
 * `after` (PostgreSQL). Returns how many went and, on PostgreSQL, where the next batch starts.
 *
 * PostgreSQL keeps deleted rows in its indexes until a vacuum, and the shop's index leads each
 * lookup through all of them: measured, the 1,000,000th delta of a large shop took 118 ms to
 * find a batch, more with every batch. So it walks the table's pages instead, from where the last
 * batch ended (a TID range scan), touching each page once. `"shop" || ''` keeps the planner off
 * the shop's index for this one lookup; turning index scans off for the transaction instead made
 * the delete triggers' own lookups scan (10 ms a row, measured).
 * SQLite removes deleted rows from its indexes at once: the shop's index finds the next ones.
 */
async function deleteBatch(
  db: Db,
  model: string,
  shop: string,
  limit: number,
  after: string,
): Promise<{ rows: number; last: string }> {
  const table = Prisma.raw(`"${model}"`);
  if (databaseProvider !== "postgresql") {
    const rows = await db.$executeRaw(Prisma.sql`DELETE FROM ${table} WHERE rowid IN (
      SELECT rowid FROM ${table} WHERE "shop" = ${shop} LIMIT ${limit})`);
    return { rows, last: after };
  }
  const [gone] = await db.$queryRaw<{ rows: number; last: string | null }[]>(
    Prisma.sql`WITH doomed AS (
        SELECT ctid FROM ${table}
        WHERE ctid > ${after}::tid AND ("shop" || '') = ${shop} LIMIT ${limit}),
      gone AS (DELETE FROM ${table} WHERE ctid = ANY(ARRAY(SELECT ctid FROM doomed)) RETURNING ctid)
      SELECT count(*)::int AS "rows", max(ctid)::text AS "last" FROM gone`,
  );
  return { rows: gone?.rows ?? 0, last: gone?.last ?? after };
}

/**
 * The "redact-shops" job: deletes the rows of every shop with a ShopRedaction, in statements of
 * at most `batch` rows (sized per table, see REDACTION_BATCH), until none is left or `budgetMs`
 * is spent (the next run goes on from where the tables stand: nothing else to remember). A shop
 * is done when a walk over every table deletes nothing, which also catches rows a late webhook
 * added behind the walk; then its ShopRedaction row goes too, and nothing of the shop remains.
 */
export async function redactShops(
  prisma: PrismaClient,
  options: {
    budgetMs?: number;
    batch?: number;
    /** Asked before each batch, beside the budget (the worker stopping; tests). */
    stopping?: () => boolean;
  } = {},
) {
  const deadline = Date.now() + (options.budgetMs ?? 50_000);
  const over = () => Date.now() > deadline || (options.stopping?.() ?? false);
  const batch = options.batch ?? REDACTION_BATCH;
  const result = { deletedRows: 0, finished: [] as string[] };
  const pending = await prisma.shopRedaction.findMany({ orderBy: { requestedAt: "asc" } });
  for (const { shop } of pending) {
    for (;;) {
      let deleted = 0;
      for (const model of REDACTED_MODELS) {
        const table = await redactTable(prisma, model, shop, batch, over);
        deleted += table.rows;
        result.deletedRows += table.rows;
        if (table.stopped) return result;
      }
      if (deleted === 0) break;
    }
    await deleteQueuedJobs(prisma, shop);
    const record = await prisma.shopRedaction.findUnique({ where: { shop } });
    const done = await prisma.shopRedaction.deleteMany({ where: { shop } });
    if (done.count) {
      result.finished.push(shop);
      log.info("shop redacted", { shop, deletedRows: record?.deletedRows });
    }
  }
  return result;
}

/** One table's rows of the shop, batch by batch, until none is left or `over()` says stop. */
async function redactTable(
  prisma: PrismaClient,
  model: string,
  shop: string,
  batch: number,
  over: () => boolean,
) {
  let rows = 0;
  let size = Math.min(100, batch);
  let after = "(0,0)";
  for (;;) {
    if (over()) return { rows, stopped: true };
    const started = Date.now();
    // The count moves with the rows it counts, so it is exact whatever stops the job.
    const count = await prisma.$transaction(async (tx) => {
      const gone = await deleteBatch(tx, model, shop, size, after);
      after = gone.last;
      if (gone.rows > 0) {
        await tx.shopRedaction.updateMany({
          where: { shop },
          data: { deletedRows: { increment: gone.rows } },
        });
      }
      return gone.rows;
    });
    rows += count;
    if (count < size) return { rows, stopped: false };
    const ms = Date.now() - started;
    if (ms > REDACTION_TARGET_MS) size = Math.max(1, Math.floor(size / 2));
    else if (ms < REDACTION_TARGET_MS / 2) size = Math.min(batch, size * 2);
  }
}

/** On PostgreSQL the worker's queue is pg-boss's: its waiting jobs carry the shop in their data. */
async function deleteQueuedJobs(prisma: PrismaClient, shop: string) {
  if (databaseProvider !== "postgresql") return;
  const [queue] = await prisma.$queryRaw<{ present: boolean }[]>`
    SELECT to_regclass(${`${PG_BOSS_SCHEMA}.job`}) IS NOT NULL AS present`;
  if (queue?.present) {
    await prisma.$executeRawUnsafe(
      `DELETE FROM "${PG_BOSS_SCHEMA}".job WHERE data->>'shop' = $1`,
      shop,
    );
  }
}

/** A whole number in a text, as a JSON value (not inside a longer number). */
function mentionsId(text: string, id: string) {
  return new RegExp(`(^|[^0-9])${id}([^0-9]|$)`).test(text);
}

/**
 * customers/redact: the member, their ledger, tier history, redemptions and codes, referrals
 * (those they made; the one that invited them, or what identifies them in it), data exports, Flow events, imported rows and
 * stored webhook bodies (failed, or still queued) go. Their orders stay only as anonymous figures
 * (no customer id, name or address digest) so the shop's revenue analytics do not change, and
 * every other member's balance still equals their ledger (a referrer keeps the points a
 * referral of theirs earned: the entry names no friend).
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
    data: { customerId: null, name: null, addressDigest: null },
  });
  // As a friend: an invitation not used yet goes; one that completed is kept without them, so
  // the referrer's points (perhaps still pending) and monthly count stay as they were.
  await db.referral.deleteMany({ where: { shop, customerId, status: "OFFERED" } });
  const used = await db.referral.findMany({ where: { shop, customerId }, select: { id: true } });
  for (const { id } of used) {
    await db.referral.update({
      where: { id },
      data: { customerId: `redacted:${id}`, email: null, orderName: null },
    });
  }
  await db.dataRequest.deleteMany({ where: { shop, customerId } });
  // Loyalty events for Shopify Flow, sent or waiting.
  await db.flowEvent.deleteMany({ where: { shop, customerId } });
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
  // The invitation that brought them in (their email as a referred friend); those they sent are
  // counted, not listed: the friends' emails are the friends' data, not this customer's.
  const invited = await db.referral.findMany({
    where: { shop, customerId },
    select: { createdAt: true, code: true, status: true },
  });
  const sent = member ? await db.referral.count({ where: { referrerId: member.id } }) : 0;
  const answers = member
    ? await db.npsResponse.findMany({
        where: { memberId: member.id },
        orderBy: { createdAt: "asc" },
        select: { createdAt: true, score: true, comment: true },
      })
    : [];
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
          birthday: member.birthMonth ? { month: member.birthMonth, day: member.birthDay } : null,
          referralCode: member.referralCode,
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
    referrals: {
      invitedBy: invited.map((r) => ({
        date: r.createdAt.toISOString(),
        welcomeCode: r.code,
        status: r.status,
      })),
      friendsInvited: sent,
    },
    surveyAnswers: answers.map((a) => ({
      date: a.createdAt.toISOString(),
      score: a.score,
      comment: a.comment,
    })),
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
