/**
 * Routes the app's HTTP traffic for *.myshopify.com to simulated shops.
 *
 * Replacing globalThis.fetch alone is not enough: @shopify/shopify-api's adapters
 * (adapters/web-api, which @shopify/shopify-app-remix/server imports, and adapters/node) call
 * `setAbstractFetchFunc(fetch)` once at import time, and every Admin GraphQL, REST and OAuth
 * token request then goes through that captured `abstractFetch`. So installation swaps both:
 * the global, and the library's abstract fetch via its public `@shopify/shopify-api/runtime`
 * setter. Requests to any other host go to the real fetch untouched.
 */
import { abstractFetch, setAbstractFetchFunc } from "@shopify/shopify-api/runtime";

export type ShopifyRequestHandler = (request: Request) => Promise<Response>;

export interface ShopifyRoute {
  /** e.g. "test-shop.myshopify.com" */
  readonly shopDomain: string;
  handle: ShopifyRequestHandler;
}

type FetchFunction = typeof globalThis.fetch;

/** Wrappers made by installShopifyFetch, so nested installs unwind in order. */
const wrappers = new WeakSet<object>();

function isShopifyHost(hostname: string): boolean {
  return hostname === "myshopify.com" || hostname.endsWith(".myshopify.com");
}

/**
 * Installs the routing fetch and returns the function that undoes it. Unknown shops fail like
 * an unreachable host (TypeError "fetch failed") so a test can never reach a real store.
 */
export function installShopifyFetch(routes: ShopifyRoute | readonly ShopifyRoute[]): () => void {
  const table = new Map<string, ShopifyRoute>();
  for (const route of Array.isArray(routes) ? routes : [routes as ShopifyRoute])
    table.set(route.shopDomain.toLowerCase(), route);

  const originalFetch: FetchFunction = globalThis.fetch;
  const previousAbstractFetch = abstractFetch;
  let active = true;

  const routedFetch = async (
    input: Parameters<FetchFunction>[0],
    init?: Parameters<FetchFunction>[1],
  ): Promise<Response> => {
    // Something may have captured this wrapper (an adapter imported after install); once
    // uninstalled it must behave exactly like the real fetch.
    if (!active) return originalFetch(input, init);
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (!isShopifyHost(url.hostname)) return originalFetch(input, init);
    const route = table.get(url.hostname.toLowerCase());
    if (!route) {
      throw new TypeError("fetch failed", {
        cause: new Error(`[sandbox] no simulated shop for ${url.hostname}`),
      });
    }
    return route.handle(new Request(input, init));
  };

  wrappers.add(routedFetch);
  globalThis.fetch = routedFetch as FetchFunction;
  setAbstractFetchFunc(routedFetch);

  return () => {
    if (!active) return;
    active = false;
    if (globalThis.fetch === routedFetch) globalThis.fetch = originalFetch;
    // If the library still points at our wrapper, hand back what it had when that was the real
    // fetch or an outer installation; otherwise (the library's "no adapter" placeholder) the
    // real fetch, which is what either adapter would have captured.
    if (abstractFetch === routedFetch) {
      const restore =
        previousAbstractFetch === originalFetch || wrappers.has(previousAbstractFetch)
          ? previousAbstractFetch
          : originalFetch;
      setAbstractFetchFunc(restore);
    }
  };
}
