import type { ActionFunctionArgs } from "@remix-run/node";
import { onOrderCancelled } from "../loyalty/orders.server";
import { orderPayload } from "../loyalty/payloads";
import { parseWith, processWebhook } from "../loyalty/webhooks.server";

export const action = ({ request }: ActionFunctionArgs) =>
  processWebhook(
    request,
    parseWith(orderPayload, (order, receivedAt) => ({
      orderId: order.id,
      cancelledAt: order.cancelled_at ? new Date(order.cancelled_at) : receivedAt,
    })),
    (db, { shop, payload, now }) =>
      onOrderCancelled(db, shop, payload.orderId, payload.cancelledAt, now),
  );
