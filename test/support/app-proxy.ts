import { createHmac } from "node:crypto";
import { API_SECRET_KEY, TEST_SHOP } from "@shopify/shopify-api/test-helpers";

export interface ProxyOptions {
  path: string;
  shop?: string;
  customerId?: string | null;
  method?: "GET" | "POST";
  body?: unknown;
  contentType?: string;
  secret?: string;
  /** Seconds since the epoch; Shopify's is "now". */
  timestamp?: number;
  extraParams?: Record<string, string>;
}

/**
 * A request as Shopify's app proxy forwards it: the storefront's query plus shop,
 * logged_in_customer_id, path_prefix and timestamp, signed with the app secret
 * (sorted key=value pairs, repeated keys joined with ",", concatenated, HMAC-SHA256 hex).
 */
export function proxyRequest({
  path,
  shop = TEST_SHOP,
  customerId = null,
  method = "GET",
  body,
  contentType = "application/json",
  secret = API_SECRET_KEY,
  timestamp = Math.floor(Date.now() / 1000),
  extraParams = {},
}: ProxyOptions): Request {
  const params = new URLSearchParams(extraParams);
  params.set("shop", shop);
  params.set("logged_in_customer_id", customerId ?? "");
  params.set("path_prefix", "/apps/loyalty");
  params.set("timestamp", String(timestamp));
  const grouped = new Map<string, string[]>();
  for (const [key, value] of params) grouped.set(key, [...(grouped.get(key) ?? []), value]);
  const message = [...grouped.entries()]
    .map(([key, values]) => `${key}=${values.join(",")}`)
    .sort()
    .join("");
  params.set("signature", createHmac("sha256", secret).update(message).digest("hex"));
  return new Request(`https://my-test-app.myshopify.io${path}?${params}`, {
    method,
    ...(body === undefined
      ? {}
      : {
          body: typeof body === "string" ? body : JSON.stringify(body),
          headers: { "Content-Type": contentType },
        }),
  });
}
