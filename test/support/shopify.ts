import { randomUUID } from "node:crypto";
import {
  API_KEY,
  API_SECRET_KEY,
  RequestType,
  TEST_SHOP,
  getHmac,
  setUpValidRequest,
  setUpValidSession,
} from "@shopify/shopify-api/test-helpers";
import { sessionStorage } from "../../app/shopify.server";

export { TEST_SHOP };

// The helpers take a store's name and append .myshopify.com themselves.
function shopName(shop: string) {
  return shop.replace(/\.myshopify\.com$/, "");
}

/** An unexpired offline session, as token exchange would have stored at install. */
export async function storeOfflineSession(shop = TEST_SHOP) {
  const session = setUpValidSession({
    shop,
    isOnline: false,
    scope: process.env.SCOPES,
    expires: new Date(Date.now() + 24 * 60 * 60 * 1000),
    refreshToken: "test-refresh-token",
    refreshTokenExpires: new Date(Date.now() + 30 * 24 * 60 * 60 * 1000),
  });
  await sessionStorage.storeSession(session);
  return session;
}

/**
 * The staff member's own (online) session, as token exchange leaves it when they open the app:
 * the admin records their name on what they do.
 */
export async function storeStaffSession(shop = TEST_SHOP) {
  const session = setUpValidSession({
    shop,
    isOnline: true,
    scope: process.env.SCOPES,
    // A token the simulated Admin API does not accept: the app's own writes from admin requests
    // must use the offline token, not the staff member's (whose permissions may not reach them).
    accessToken: "shpua_staff_without_permissions",
    onlineAccessInfo: {
      associated_user: {
        first_name: "Ada",
        last_name: "Admin",
        email: "ada@staff.example",
      },
    } as never,
  });
  await sessionStorage.storeSession(session);
  return session;
}

/** A document request as Shopify admin makes it when it loads the app in its iframe. */
export function adminRequest(path: string, shop = TEST_SHOP, init?: RequestInit) {
  return setUpValidRequest(
    {
      type: RequestType.Admin,
      store: shopName(shop),
      apiKey: API_KEY,
      apiSecretKey: API_SECRET_KEY,
    },
    new Request(`https://my-test-app.myshopify.io${path}`, init),
  );
}

// Node 22 has JSON.rawJSON (TC39 "JSON.parse source text access"); TypeScript's lib not yet.
const rawJSON = (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON;

/** JSON as Shopify writes it: bigints (ids above 2^53) as exact integers. */
export function shopifyJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === "bigint" ? rawJSON(v.toString()) : v,
  );
}

export interface WebhookOptions {
  topic: string;
  payload: unknown;
  shop?: string;
  webhookId?: string;
  /** X-Shopify-Event-Id: shared by every delivery of one event. */
  eventId?: string;
  secret?: string;
  apiVersion?: string;
}

/** A webhook delivery signed the way Shopify signs it (or with another secret, to forge one). */
export function webhookRequest({
  topic,
  payload,
  shop = TEST_SHOP,
  webhookId = randomUUID(),
  eventId = randomUUID(),
  secret = API_SECRET_KEY,
  apiVersion = "2026-10",
}: WebhookOptions): Request {
  const body = typeof payload === "string" ? payload : shopifyJson(payload);
  return new Request(`https://my-test-app.myshopify.io/webhooks/${topic}`, {
    method: "POST",
    body,
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Topic": topic,
      "X-Shopify-Shop-Domain": shop,
      "X-Shopify-API-Version": apiVersion,
      "X-Shopify-Webhook-Id": webhookId,
      "X-Shopify-Event-Id": eventId,
      "X-Shopify-Triggered-At": new Date().toISOString(),
      "X-Shopify-Hmac-Sha256": getHmac(body, secret),
    },
  });
}

export function routeArgs(request: Request) {
  return { request, params: {}, context: {} };
}
