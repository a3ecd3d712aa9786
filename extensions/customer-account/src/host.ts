import type { Api as PageApi } from "@shopify/ui-extensions/customer-account.page.render";
import type { Api as OrderStatusBlockApi } from "@shopify/ui-extensions/customer-account.order-status.block.render";

export type { PageApi, OrderStatusBlockApi };

// Declared here, not globally: the repository's root type-check also compiles the admin app,
// whose App Bridge types already declare a global `shopify` of another shape.
declare const process: { env: Record<string, string | undefined> };

/** The API Shopify hands the extension as the `shopify` global, typed for one target. */
export function shopifyGlobal<Api>(): Api {
  return (globalThis as unknown as { shopify: Api }).shopify;
}

/**
 * The app backend's origin. Shopify CLI's bundler replaces `process.env.APP_URL` with a literal:
 * the dev tunnel's URL under `shopify app dev`, and under `shopify app deploy` the APP_URL of the
 * shell or of the app's .env. Without one there is no `process` in the extension's worker: null.
 */
export function appUrl(): string | null {
  try {
    return process.env.APP_URL || null;
  } catch {
    return null;
  }
}

/** What the components need from either target's API: text, numbers, dates and the token. */
export interface Host {
  i18n: Pick<PageApi["i18n"], "translate" | "formatNumber" | "formatDate">;
  localization: { language: { value: { isoCode: string } } };
  sessionToken: { get(): Promise<string> };
}

/** The page also builds the referral link, which needs the shop's storefront address. */
export interface PageHost extends Host {
  query: PageApi["query"];
}

export interface OrderHost extends Host {
  order: { value: { id: string } | undefined };
}

/**
 * The storefront's address, for the member's referral link. The page target is given no `shop`
 * (order-status targets are), so ask the Storefront API (the `api_access` capability); failing
 * that, the session token's `dest` claim names the shop's myshopify.com domain, which redirects
 * to the primary domain and keeps the path.
 */
export async function storefrontUrl(host: PageHost): Promise<string | null> {
  try {
    const { data } = await host.query<{ shop: { primaryDomain: { url: string } } }>(
      "query LoyaltyStorefront { shop { primaryDomain { url } } }",
    );
    const url = data?.shop.primaryDomain.url;
    if (url) return url;
  } catch {
    // Falls through to the token.
  }
  try {
    const dest = tokenClaims(await host.sessionToken.get()).dest;
    if (typeof dest === "string" && dest)
      return /^https?:\/\//.test(dest) ? dest : `https://${dest}`;
  } catch {
    // No link rather than a wrong one.
  }
  return null;
}

function tokenClaims(token: string): Record<string, unknown> {
  const payload = token.split(".")[1] ?? "";
  const base64 = payload.replace(/-/g, "+").replace(/_/g, "/");
  return JSON.parse(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, "=")));
}
