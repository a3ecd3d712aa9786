import prisma from "../db.server";
import { explainOrder, orderOutcome } from "../domain/explain";
import { memberDisplayName } from "../domain/members-query";
import { ruleSnapshot } from "../domain/snapshots";
import { fromMinorUnits } from "../domain/money";
import { loadProgram } from "./program.server";
import { notFound } from "./staff.server";

/** "#1001", "1001" or a numeric order id / Order GID. */
function orderWhere(shop: string, q: string) {
  const gid = /^gid:\/\/shopify\/Order\/(\d+)$/.exec(q);
  if (gid) return { shop, orderId: gid[1]! };
  const name = q.startsWith("#") ? q : `#${q}`;
  return { shop, OR: [{ orderId: q }, { name }, { name: q }] };
}

export async function recentOrders(shop: string, q: string) {
  const program = await loadProgram(shop);
  const orders = await prisma.orderRecord.findMany({
    where: q ? orderWhere(shop, q) : { shop },
    orderBy: [{ paidAt: "desc" }, { createdAt: "desc" }],
    take: 50,
  });
  const customerIds = [...new Set(orders.map((o) => o.customerId).filter((id) => id !== null))];
  const members = await prisma.member.findMany({
    where: { shop, customerId: { in: customerIds } },
  });
  const byCustomer = new Map(members.map((m) => [m.customerId, m]));
  return {
    q,
    orders: orders.map((o) => {
      const member = o.customerId ? byCustomer.get(o.customerId) : undefined;
      return {
        orderId: o.orderId,
        name: o.name ?? `#${o.orderId}`,
        paidAt: o.paidAt?.toISOString() ?? null,
        total:
          o.totalMinor !== null
            ? `${fromMinorUnits(o.totalMinor, o.currency ?? program.currency)} ${o.currency ?? program.currency}`
            : null,
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
    },
    member: member ? { id: member.id, name: memberDisplayName(member) } : null,
    explanation,
  };
}
