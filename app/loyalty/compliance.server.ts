import type { Db } from "./program.server";

/**
 * GDPR/CCPA topics Shopify requires of every App Store app. app/uninstalled only drops sessions
 * (see its route); these remove or report the loyalty data itself.
 */

/** shop/redact (~48 h after uninstall): nothing of the shop may remain. */
export async function redactShop(db: Db, shop: string) {
  // Children before parents: ledger entries and tier changes cascade from members.
  await db.member.deleteMany({ where: { shop } });
  await db.orderRecord.deleteMany({ where: { shop } });
  await db.refundRecord.deleteMany({ where: { shop } });
  await db.tier.deleteMany({ where: { shop } });
  await db.program.deleteMany({ where: { shop } });
  await db.failedEvent.deleteMany({ where: { shop } });
  await db.dataRequest.deleteMany({ where: { shop } });
  await db.webhookDelivery.deleteMany({ where: { shop } });
  // Import rows (emails, names) cascade from their batches.
  await db.importBatch.deleteMany({ where: { shop } });
  await db.tierReevaluation.deleteMany({ where: { shop } });
  await db.session.deleteMany({ where: { shop } });
}

/**
 * customers/redact: the member, their ledger and their tier history go. Their orders stay only as
 * anonymous figures (no customer id) so the shop's revenue analytics do not change.
 */
export async function redactCustomer(db: Db, shop: string, customerId: string) {
  await db.member.deleteMany({ where: { shop, customerId } });
  await db.orderRecord.updateMany({
    where: { shop, customerId },
    data: { customerId: null, name: null },
  });
  await db.dataRequest.deleteMany({ where: { shop, customerId } });
  // Imported rows carry the shopper's email and name.
  await db.importRow.deleteMany({ where: { shop, customerId } });
}

/** customers/data_request: everything we hold about the shopper, kept for the merchant to download. */
export async function exportCustomerData(
  db: Db,
  shop: string,
  customerId: string,
  requestId: string | null,
  now: Date,
) {
  const member = await db.member.findUnique({
    where: { shop_customerId: { shop, customerId } },
    include: { entries: { orderBy: { occurredAt: "asc" } }, tier: true, tierChanges: true },
  });
  const orders = await db.orderRecord.findMany({ where: { shop, customerId } });
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
          joinedAt: member.createdAt.toISOString(),
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
  };
  return db.dataRequest.create({
    data: { shop, customerId, requestId, data },
  });
}
