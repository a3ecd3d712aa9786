import "@shopify/shopify-app-remix/adapters/node";
import { shopifyApi } from "@shopify/shopify-api";
import { ApiVersion, AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import prisma from "./db.server";
import { appEnv } from "./env.server";

export const apiVersion = ApiVersion.October26;

// Fails at start, naming the variable, when the environment is incomplete.
const env = appEnv();

const shopify = shopifyApp({
  apiKey: env.SHOPIFY_API_KEY,
  apiSecretKey: env.SHOPIFY_API_SECRET,
  apiVersion,
  scopes: env.SCOPES.split(","),
  appUrl: env.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  sessionStorage: new PrismaSessionStorage(prisma),
  distribution: AppDistribution.AppStore,
  // Admin requests act as the staff member (an online token per user, by token exchange), so
  // what they do is recorded with their name; webhooks and jobs keep the offline token.
  useOnlineTokens: true,
  future: {
    unstable_newEmbeddedAuthStrategy: true,
    expiringOfflineAccessTokens: true,
  },
  ...(env.SHOP_CUSTOM_DOMAIN ? { customShopDomains: [env.SHOP_CUSTOM_DOMAIN] } : {}),
});

export default shopify;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;

/**
 * The app's own Admin API client for a shop (its offline token). Admin requests authenticate as
 * the staff member, whose online token only reaches what their permissions allow; what the app
 * does on its own behalf from those requests (discount codes, the storefront metafield) goes
 * through this instead, so a staff member without the Discounts permission can still cancel a code.
 */
export async function appAdmin(shop: string) {
  return (await unauthenticated.admin(shop)).admin;
}
export const login = shopify.login;
export const registerWebhooks = shopify.registerWebhooks;
export const sessionStorage = shopify.sessionStorage;

/**
 * The library's own webhook check (HMAC over the raw body and the required X-Shopify-* headers),
 * for the webhook pipeline, which reads the body itself: within a size limit, and with a JSON
 * parser that keeps 64-bit ids exact (app/loyalty/webhooks.server.ts). authenticate.webhook
 * would read any size and JSON.parse it.
 */
const webhookApi = shopifyApi({
  apiKey: env.SHOPIFY_API_KEY,
  apiSecretKey: env.SHOPIFY_API_SECRET,
  apiVersion,
  hostName: new URL(env.SHOPIFY_APP_URL).host,
  isEmbeddedApp: true,
  logger: { level: 0 },
});

export function validateWebhook(rawBody: string, request: Request) {
  return webhookApi.webhooks.validate({ rawBody, rawRequest: request });
}
