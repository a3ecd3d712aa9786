import type { ActionFunctionArgs } from "@remix-run/node";
import { onCustomerCreated } from "../loyalty/customers.server";
import { customerPayload, toCustomerRef } from "../loyalty/payloads";
import { parseWith, processWebhook } from "../loyalty/webhooks.server";

export const action = ({ request }: ActionFunctionArgs) =>
  processWebhook(
    request,
    parseWith(customerPayload, (customer, receivedAt) => ({
      customer: toCustomerRef(customer),
      occurredAt: customer.created_at ? new Date(customer.created_at) : receivedAt,
    })),
    (db, { shop, payload, now }) =>
      onCustomerCreated(db, shop, payload.customer, payload.occurredAt, now),
  );
