import { z } from "zod";
import { exportCustomerData, redactCustomer, requestShopRedaction } from "./compliance.server";
import { onCustomerCreated } from "./customers.server";
import { onOrderCancelled, onOrderPaid, onRefundCreated } from "./orders.server";
import {
  customerPayload,
  customerRedactPayload,
  dataRequestPayload,
  orderPayload,
  refundPayload,
  shopRedactPayload,
  toCustomerRef,
  toPaidOrder,
  toRefund,
} from "./payloads";
import type { WebhookHandler } from "./webhooks.server";
import { parseWith } from "./webhooks.server";

/**
 * What each webhook topic means to the app: how its payload is read and what it does. Routes
 * (app/routes/webhooks.*) hand their requests here through processWebhook; the Failed events
 * page replays a stored payload through the same handler.
 */

// Two arguments, so the payload type is inferred from `parse` before `apply` is checked.
function handler<T>(
  parse: WebhookHandler<T>["parse"],
  apply: WebhookHandler<T>["apply"],
): WebhookHandler<T> {
  return { parse, apply };
}

const ordersPaid = handler(parseWith(orderPayload, toPaidOrder), (db, { shop, payload, now }) =>
  onOrderPaid(db, shop, payload, now),
);

const ordersCancelled = handler(
  parseWith(orderPayload, (order, receivedAt) => ({
    orderId: order.id,
    cancelledAt: order.cancelled_at ? new Date(order.cancelled_at) : receivedAt,
  })),
  (db, { shop, payload, now }) =>
    onOrderCancelled(db, shop, payload.orderId, payload.cancelledAt, now),
);

const refundsCreate = handler(parseWith(refundPayload, toRefund), (db, { shop, payload, now }) =>
  onRefundCreated(db, shop, payload, now),
);

const customersCreate = handler(
  parseWith(customerPayload, (customer, receivedAt) => ({
    customer: toCustomerRef(customer),
    occurredAt: customer.created_at ? new Date(customer.created_at) : receivedAt,
  })),
  (db, { shop, payload, now }) =>
    onCustomerCreated(db, shop, payload.customer, payload.occurredAt, now),
);

// The three mandatory compliance topics share one URI (shopify.app.toml compliance_topics).
const compliancePayload = z.union([
  z.object({ topic: z.literal("CUSTOMERS_DATA_REQUEST"), body: dataRequestPayload }),
  z.object({ topic: z.literal("CUSTOMERS_REDACT"), body: customerRedactPayload }),
  z.object({ topic: z.literal("SHOP_REDACT"), body: shopRedactPayload }),
]);

const compliance = handler(
  (body, _receivedAt, topic) => compliancePayload.parse({ topic, body }),
  async (db, { shop, payload, eventId, now }) => {
    switch (payload.topic) {
      case "CUSTOMERS_DATA_REQUEST":
        return exportCustomerData(db, shop, {
          customerId: payload.body.customer.id,
          requestId: payload.body.data_request?.id ?? null,
          eventId,
          now,
        });
      case "CUSTOMERS_REDACT":
        return redactCustomer(db, shop, {
          customerId: payload.body.customer.id,
          email: payload.body.customer.email ?? null,
        });
      case "SHOP_REDACT":
        return requestShopRedaction(db, shop, now);
    }
  },
);

// Sessions go; loyalty data stays until shop/redact, so a reinstall finds its members intact.
const appUninstalled = handler(
  () => null,
  (db, { shop }) => db.session.deleteMany({ where: { shop } }),
);

const appScopesUpdate = handler(
  parseWith(z.object({ current: z.array(z.string()) }).passthrough(), (body) => body),
  (db, { shop, payload }) =>
    db.session.updateMany({
      where: { shop, isOnline: false },
      data: { scope: payload.current.join(",") },
    }),
);

export const webhookHandlers = {
  ordersPaid,
  ordersCancelled,
  refundsCreate,
  customersCreate,
  compliance,
  appUninstalled,
  appScopesUpdate,
};

/** A handler's parse only ever feeds its own apply, so its payload type can be forgotten. */
function erased<T>(h: WebhookHandler<T>): WebhookHandler<unknown> {
  return h as unknown as WebhookHandler<unknown>;
}

const BY_TOPIC: Record<string, WebhookHandler<unknown>> = {
  ORDERS_PAID: erased(ordersPaid),
  ORDERS_CANCELLED: erased(ordersCancelled),
  REFUNDS_CREATE: erased(refundsCreate),
  CUSTOMERS_CREATE: erased(customersCreate),
  CUSTOMERS_DATA_REQUEST: erased(compliance),
  CUSTOMERS_REDACT: erased(compliance),
  SHOP_REDACT: erased(compliance),
  APP_UNINSTALLED: erased(appUninstalled),
  APP_SCOPES_UPDATE: erased(appScopesUpdate),
};

/** The handler for a topic in the library's form ("ORDERS_PAID"), for replaying a stored body. */
export function handlerForTopic(topic: string): WebhookHandler<unknown> | null {
  return BY_TOPIC[topic] ?? null;
}
