import { expect } from "vitest";
import prisma from "../../app/db.server";
import { action as ordersPaid } from "../../app/routes/webhooks.orders.paid";
import { action as ordersCancelled } from "../../app/routes/webhooks.orders.cancelled";
import { action as refundsCreate } from "../../app/routes/webhooks.refunds.create";
import { action as customersCreate } from "../../app/routes/webhooks.customers.create";
import { action as compliance } from "../../app/routes/webhooks.compliance";
import { resetShopData } from "./reset";
import type { WebhookOptions } from "./shopify";
import { routeArgs, TEST_SHOP, webhookRequest } from "./shopify";

const routes: Record<string, (args: ReturnType<typeof routeArgs>) => Promise<Response>> = {
  "orders/paid": ordersPaid,
  "orders/cancelled": ordersCancelled,
  "refunds/create": refundsCreate,
  "customers/create": customersCreate,
  "customers/data_request": compliance,
  "customers/redact": compliance,
  "shop/redact": compliance,
};

/** Delivers a signed webhook to the route Shopify would call and returns the HTTP status. */
export async function deliver(options: WebhookOptions): Promise<number> {
  const action = routes[options.topic];
  if (!action) throw new Error(`no route for ${options.topic}`);
  try {
    return (await action(routeArgs(webhookRequest(options)))).status;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status;
    throw thrown;
  }
}

export async function memberOf(customerId: number | string, shop = TEST_SHOP) {
  return prisma.member.findUnique({
    where: { shop_customerId: { shop, customerId: String(customerId) } },
  });
}

/** The invariants every test ends on: cached balances are the sums of the ledger. */
export async function expectLedgerConsistent(shop = TEST_SHOP) {
  const members = await prisma.member.findMany({ where: { shop } });
  for (const member of members) {
    const sums = await prisma.ledgerEntry.aggregate({
      where: { memberId: member.id },
      _sum: { points: true, pendingPoints: true },
    });
    expect(member.balance, `balance of ${member.customerId}`).toBe(sums._sum.points ?? 0);
    expect(member.pendingPoints, `pending of ${member.customerId}`).toBe(
      sums._sum.pendingPoints ?? 0,
    );
    const last = await prisma.ledgerEntry.findFirst({
      where: { memberId: member.id },
      orderBy: { id: "desc" },
    });
    if (last) expect(last.balanceAfter).toBe(member.balance);
    expect(member.pendingPoints).toBeGreaterThanOrEqual(0);
  }
}

/** Removes every row of the shop from every model (sessions stay: they are the test's login). */
export async function resetShop(shop = TEST_SHOP) {
  await resetShopData(shop);
}
