import prisma from "../db.server";
import { explainOrder, orderOutcome } from "../domain/explain";
import { memberDisplayName } from "../domain/members-query";
import { ruleSnapshot } from "../domain/snapshots";
import { formatMoney } from "../domain/money";
import { reviewHeldOrder } from "../loyalty/orders.server";
import { loadProgram } from "./program.server";
import { notFound } from "./staff.server";

/** "#1001", "1001" or a numeric order id / Order GID. */
function orderWhere(shop: string, q: string) {
  const gid = /^gid:\/\/shopify\/Order\/(\d+)$/.exec(q);
  if (gid) return { shop, orderId: gid[1]! };
  const name = q.startsWith("#") ? q : `#${q}`;
  return { shop, OR: [{ orderId: q }, { name }, { name: q }] };
}

export async function recentOrders(shop: string, q: string, heldOnly = false) {
  const program = await loadProgram(shop);
  const [orders, held] = await Promise.all([
    prisma.orderRecord.findMany({
      where: heldOnly ? { shop, status: "HELD" } : q ? orderWhere(shop, q) : { shop },
      orderBy: [{ paidAt: "desc" }, { createdAt: "desc" }],
      take: 50,
    }),
    prisma.orderRecord.count({ where: { shop, status: "HELD" } }),
  ]);
  const customerIds = [...new Set(orders.map((o) => o.customerId).filter((id) => id !== null))];
  const members = await prisma.member.findMany({
    where: { shop, customerId: { in: customerIds } },
  });
  const byCustomer = new Map(members.map((m) => [m.customerId, m]));
  return {
    q,
    heldOnly,
    held,
    orders: orders.map((o) => {
      const member = o.customerId ? byCustomer.get(o.customerId) : undefined;
      return {
        orderId: o.orderId,
        name: o.name ?? `#${o.orderId}`,
        paidAt: o.paidAt?.toISOString() ?? null,
        total:
          o.totalMinor !== null ? formatMoney(o.totalMinor, o.currency ?? program.currency) : null,
        customer: member
          ? memberDisplayName(member)
          : o.customerId
            ? `Customer ${o.customerId}`
            : "Guest",
        memberId: member?.id ?? null,
        outcome: orderOutcome(o),
      };
    }),
  };
}

export async function orderExplanation(shop: string, orderId: string, now = new Date()) {
  const order = await prisma.orderRecord.findFirst({ where: { shop, orderId } });
  if (!order) notFound("Order not found");
  const program = await loadProgram(shop);
  const [entries, refunds, codes, member] = await Promise.all([
    prisma.ledgerEntry.findMany({ where: { shop, orderId }, orderBy: { id: "asc" } }),
    prisma.refundRecord.findMany({
      where: { shop, orderId },
      orderBy: [{ createdAtShopify: "asc" }, { refundId: "asc" }],
    }),
    prisma.redemption.findMany({
      where: { shop, usedOrderId: orderId },
      include: { reward: { select: { name: true } } },
    }),
    order.customerId
      ? prisma.member.findUnique({
          where: { shop_customerId: { shop, customerId: order.customerId } },
        })
      : Promise.resolve(null),
  ]);
  const explanation = explainOrder({
    order: { ...order, rule: ruleSnapshot(order.rule) },
    entries,
    refunds,
    rewardCodes: codes.map((c) => ({ code: c.code, rewardName: c.reward.name })),
    pointsName: { one: program.pointsNameOne, other: program.pointsNameOther },
    now,
  });
  return {
    order: {
      orderId: order.orderId,
      name: order.name ?? `#${order.orderId}`,
      paidAt: order.paidAt?.toISOString() ?? null,
      held: order.status === "HELD",
      points: order.earnedPoints,
      reviewedBy: order.reviewedBy,
      reviewedAt: order.reviewedAt?.toISOString() ?? null,
    },
    member: member ? { id: member.id, name: memberDisplayName(member) } : null,
    explanation,
  };
}

const REVIEW_ERRORS = {
  NOT_HELD: "This order is not waiting for review any more.",
  NO_MEMBER: "The customer of this order is no longer a member (their data was erased).",
};

/** Approve or reject a held order (see app/loyalty/orders.server.ts reviewHeldOrder). */
export async function reviewOrder(
  shop: string,
  orderId: string,
  decision: "approve" | "reject",
  staff: string,
  now = new Date(),
) {
  const exists = await prisma.orderRecord.findFirst({
    where: { shop, orderId },
    select: { id: true },
  });
  if (!exists) notFound("Order not found");
  const result = await prisma.$transaction((tx) =>
    reviewHeldOrder(tx, shop, orderId, decision, staff, now),
  );
  return result.ok
    ? { ok: true as const, status: result.status }
    : { ok: false as const, error: REVIEW_ERRORS[result.error] };
}
