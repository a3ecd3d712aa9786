/**
 * A second (or third…) app process for multi-process tests: delivers the webhooks listed in the
 * JSON file named by argv[2] to the app's own routes, retrying whatever is not answered 200 the
 * way Shopify does (with a pause), and prints one line: `RESULT {"delivered":n,"retries":n}`.
 * DATABASE_URL and the Shopify variables come from the parent's environment.
 */
import fs from "node:fs";
import { action as customersCreate } from "../../app/routes/webhooks.customers.create";
import { action as ordersCancelled } from "../../app/routes/webhooks.orders.cancelled";
import { action as ordersPaid } from "../../app/routes/webhooks.orders.paid";
import { action as refundsCreate } from "../../app/routes/webhooks.refunds.create";
import prisma from "../../app/db.server";
import { routeArgs, webhookRequest, type WebhookOptions } from "./shopify";

const routes: Record<string, (args: ReturnType<typeof routeArgs>) => Promise<Response>> = {
  "orders/paid": ordersPaid,
  "orders/cancelled": ordersCancelled,
  "refunds/create": refundsCreate,
  "customers/create": customersCreate,
};

async function status(delivery: WebhookOptions): Promise<number> {
  try {
    return (await routes[delivery.topic]!(routeArgs(webhookRequest(delivery)))).status;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status;
    return 500;
  }
}

const deliveries = JSON.parse(fs.readFileSync(process.argv[2]!, "utf8")) as WebhookOptions[];
let retries = 0;
for (const delivery of deliveries) {
  for (let attempt = 0; (await status(delivery)) !== 200; attempt += 1) {
    if (attempt >= 50) throw new Error(`${delivery.topic} ${delivery.webhookId} never succeeded`);
    retries += 1;
    await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 100));
  }
}
await prisma.$disconnect();
console.log(`RESULT ${JSON.stringify({ delivered: deliveries.length, retries })}`);
