import type { ActionFunctionArgs } from "@remix-run/node";
import { onRefundCreated } from "../loyalty/orders.server";
import { refundPayload, toRefund } from "../loyalty/payloads";
import { parseWith, processWebhook } from "../loyalty/webhooks.server";

export const action = ({ request }: ActionFunctionArgs) =>
  processWebhook(request, parseWith(refundPayload, toRefund), (db, { shop, payload, now }) =>
    onRefundCreated(db, shop, payload, now),
  );
