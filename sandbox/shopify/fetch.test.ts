import "@shopify/shopify-api/adapters/web-api";
import {
  ApiVersion,
  GraphqlQueryError,
  LogSeverity,
  RequestedTokenType,
  shopifyApi,
} from "@shopify/shopify-api";
import { abstractFetch } from "@shopify/shopify-api/runtime";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAdminApi, type AdminApi } from "./admin-api";
import { installShopifyFetch } from "./fetch";

const SHOP = "loyal-shop.myshopify.com";
let api: AdminApi;
let realFetch: typeof globalThis.fetch;
let uninstall: (() => void) | null = null;

beforeEach(() => {
  api = createAdminApi({ shop: SHOP, apiKey: "key-123", apiSecretKey: "secret-456" });
  realFetch = globalThis.fetch;
});

afterEach(() => {
  uninstall?.();
  uninstall = null;
  globalThis.fetch = realFetch;
});

describe("installShopifyFetch", () => {
  it("routes *.myshopify.com to the simulation and everything else to the previous fetch", async () => {
    const elsewhere: string[] = [];
    globalThis.fetch = (async (input: Parameters<typeof fetch>[0]) => {
      elsewhere.push(String(input instanceof Request ? input.url : input));
      return new Response("not shopify");
    }) as typeof fetch;
    uninstall = installShopifyFetch(api);

    const shopify = await fetch(`https://${SHOP}/admin/api/2026-10/graphql.json`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": api.accessToken },
      body: JSON.stringify({ query: "{ shop { myshopifyDomain } }" }),
    });
    expect(await shopify.json()).toMatchObject({ data: { shop: { myshopifyDomain: SHOP } } });

    const other = await fetch("https://example.com/hello");
    expect(await other.text()).toBe("not shopify");
    expect(elsewhere).toEqual(["https://example.com/hello"]);
    expect(api.state.calls).toHaveLength(1);
  });

  it("fails like an unreachable host for shops it does not simulate", async () => {
    uninstall = installShopifyFetch([api]);
    const error = await fetch("https://unknown-shop.myshopify.com/admin/api/2026-10/graphql.json", {
      method: "POST",
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toBe("fetch failed");
    expect(String((error as TypeError).cause)).toContain(
      "no simulated shop for unknown-shop.myshopify.com",
    );
  });

  it("also swaps @shopify/shopify-api's captured abstractFetch, and restores both", () => {
    const libraryFetchBefore = abstractFetch;
    uninstall = installShopifyFetch(api);
    expect(abstractFetch).toBe(globalThis.fetch);
    expect(abstractFetch).not.toBe(libraryFetchBefore);
    uninstall();
    uninstall = null;
    expect(abstractFetch).toBe(libraryFetchBefore);
    expect(globalThis.fetch).toBe(realFetch);
  });
});

describe("with the real @shopify/shopify-api client", () => {
  const library = () =>
    shopifyApi({
      apiKey: "key-123",
      apiSecretKey: "secret-456",
      apiVersion: ApiVersion.October26,
      hostName: "loyalty.example.com",
      isEmbeddedApp: true,
      scopes: ["write_discounts"],
      logger: { level: LogSeverity.Error },
      isTesting: true,
    });

  it("exchanges a session token for an expiring offline session, then queries with it", async () => {
    uninstall = installShopifyFetch(api);
    const shopify = library();
    const { session } = await shopify.auth.tokenExchange({
      shop: SHOP,
      sessionToken: api.sessionToken(),
      requestedTokenType: RequestedTokenType.OfflineAccessToken,
      expiring: true,
    });
    expect(session).toMatchObject({
      id: `offline_${SHOP}`,
      shop: SHOP,
      isOnline: false,
      refreshToken: expect.stringMatching(/^shprt_/),
    });
    expect(session.expires && session.expires.getTime() - Date.now()).toBeGreaterThan(3590_000);

    const client = new shopify.clients.Graphql({ session });
    const response = await client.request<{ shop: { currencyCode: string } }>(
      "query ShopCurrency { shop { currencyCode } }",
    );
    expect(response.data?.shop.currencyCode).toBe("USD");
    expect(api.state.calls.map((c) => [c.endpoint, c.operationName])).toEqual([
      ["oauth", null],
      ["graphql", "ShopCurrency"],
    ]);
  });

  it("surfaces a THROTTLED answer as GraphqlQueryError carrying the cost extension", async () => {
    uninstall = installShopifyFetch(api);
    const shopify = library();
    const { session } = await shopify.auth.tokenExchange({
      shop: SHOP,
      sessionToken: api.sessionToken(),
      requestedTokenType: RequestedTokenType.OfflineAccessToken,
      expiring: true,
    });
    api.state.faults.push({ kind: "throttled", currentlyAvailable: 3 });
    const client = new shopify.clients.Graphql({ session });
    const error = await client.request("{ shop { id } }").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphqlQueryError);
    expect((error as GraphqlQueryError).body).toMatchObject({
      errors: { graphQLErrors: [{ extensions: { code: "THROTTLED" } }] },
      extensions: { cost: { actualQueryCost: null, throttleStatus: { currentlyAvailable: 3 } } },
    });
  });
});
