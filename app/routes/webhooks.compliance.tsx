import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { exportCustomerData, redactCustomer, redactShop } from "../loyalty/compliance.server";
import { customerRedactPayload, dataRequestPayload, shopRedactPayload } from "../loyalty/payloads";
import { processWebhook } from "../loyalty/webhooks.server";

// The three mandatory compliance topics share one URI (shopify.app.toml compliance_topics).
const compliancePayload = z.union([
  z.object({ topic: z.literal("CUSTOMERS_DATA_REQUEST"), body: dataRequestPayload }),
  z.object({ topic: z.literal("CUSTOMERS_REDACT"), body: customerRedactPayload }),
  z.object({ topic: z.literal("SHOP_REDACT"), body: shopRedactPayload }),
]);

export const action = ({ request }: ActionFunctionArgs) =>
  processWebhook(
    request,
    (body, _receivedAt, topic) => compliancePayload.parse({ topic, body }),
    async (db, { shop, payload, now }) => {
      switch (payload.topic) {
        case "CUSTOMERS_DATA_REQUEST":
          return exportCustomerData(
            db,
            shop,
            payload.body.customer.id,
            payload.body.data_request?.id ?? null,
            now,
          );
        case "CUSTOMERS_REDACT":
          return redactCustomer(db, shop, payload.body.customer.id);
        case "SHOP_REDACT":
          return redactShop(db, shop);
      }
    },
  );
