import type { ActionFunctionArgs } from "@remix-run/node";
import { webhookHandlers } from "../loyalty/webhook-topics.server";
import { processWebhook } from "../loyalty/webhooks.server";

export const action = ({ request }: ActionFunctionArgs) =>
  processWebhook(request, webhookHandlers.ordersCancelled);
