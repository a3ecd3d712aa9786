/**
 * What the sandbox knows about the app comes from the same place Shopify learns it: the app's
 * shopify.app.toml (client id, scopes, webhook subscriptions, app proxy) and the theme app
 * extension folder. Editing either changes what the sandbox does on the next start.
 */
import fs from "node:fs";
import path from "node:path";
import { parse } from "toml";

export const ROOT = path.resolve(import.meta.dirname, "..");
export const EXTENSION_DIR = path.join(ROOT, "extensions/loyalty-widget");

export const DEMO_SHOP = "demo-shop.myshopify.com";
export const DEMO_SHOP_NAME = "Demo Outfitters";
export const DEMO_CURRENCY = "USD";
/** Not UTC, so the dashboard's days are visibly the shop's. */
export const DEMO_TIME_ZONE = "America/New_York";
/** Signs session tokens, webhooks and proxy requests in the sandbox only; never a real secret. */
export const DEMO_API_SECRET = "sandbox-secret-do-not-use-in-production";
/** The store owner whose id Shopify puts in `sub` of the session token. */
export const DEMO_STAFF_USER_ID = 84_000_001;

export interface WebhookSubscription {
  topics: string[];
  /** App-relative path, e.g. "/webhooks/orders/paid". */
  uri: string;
  includeFields: string[] | null;
  filter: string | null;
  compliance: boolean;
}

export interface AppConfig {
  clientId: string;
  name: string;
  handle: string;
  scopes: string[];
  webhookApiVersion: string;
  subscriptions: WebhookSubscription[];
  appProxy: { path: string; prefix: string; subpath: string } | null;
}

interface TomlSubscription {
  topics?: string[];
  compliance_topics?: string[];
  uri?: string;
  include_fields?: string[];
  filter?: string;
}

/** Reads shopify.app.toml the way `shopify app deploy` would publish it. */
export function readAppConfig(file = path.join(ROOT, "shopify.app.toml")): AppConfig {
  const raw = parse(fs.readFileSync(file, "utf8")) as {
    client_id?: string;
    name?: string;
    handle?: string;
    access_scopes?: { scopes?: string };
    webhooks?: { api_version?: string; subscriptions?: TomlSubscription[] };
    app_proxy?: { url?: string; prefix?: string; subpath?: string };
  };
  if (!raw.client_id) throw new Error(`${file}: client_id is missing`);
  const subscriptions: WebhookSubscription[] = [];
  for (const entry of raw.webhooks?.subscriptions ?? []) {
    if (!entry.uri) throw new Error(`${file}: a webhook subscription has no uri`);
    if (!entry.uri.startsWith("/")) {
      // Absolute (https, pubsub://, arn:) URIs leave the app; nothing local can receive them.
      throw new Error(`${file}: the sandbox only delivers to app-relative URIs, got ${entry.uri}`);
    }
    const base = {
      uri: entry.uri,
      includeFields: entry.include_fields ?? null,
      filter: entry.filter ?? null,
    };
    if (entry.topics?.length)
      subscriptions.push({ ...base, topics: entry.topics, compliance: false });
    if (entry.compliance_topics?.length)
      subscriptions.push({ ...base, topics: entry.compliance_topics, compliance: true });
  }
  const proxy = raw.app_proxy;
  return {
    clientId: raw.client_id,
    name: raw.name ?? "App",
    handle: raw.handle ?? raw.client_id,
    scopes: (raw.access_scopes?.scopes ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
    webhookApiVersion: raw.webhooks?.api_version ?? "2026-10",
    subscriptions,
    appProxy:
      proxy?.url && proxy.prefix && proxy.subpath
        ? {
            // Only the path matters: the sandbox forwards to wherever the app runs locally.
            path: new URL(proxy.url, "https://app.invalid").pathname.replace(/\/$/, ""),
            prefix: proxy.prefix,
            subpath: proxy.subpath,
          }
        : null,
  };
}
