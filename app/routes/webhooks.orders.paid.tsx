import type { ActionFunctionArgs } from "@remix-run/node";
import { onOrderPaid } from "../loyalty/orders.server";
import { orderPayload, toPaidOrder } from "../loyalty/payloads";
import { parseWith, processWebhook } from "../loyalty/webhooks.server";

export const action = ({ request }: ActionFunctionArgs) =>
  processWebhook(request, parseWith(orderPayload, toPaidOrder), (db, { shop, payload, now }) =>
    onOrderPaid(db, shop, payload, now),
  );
