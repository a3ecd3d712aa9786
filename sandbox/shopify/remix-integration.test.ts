// The plumbing app tests rely on: shopify-app-remix's own auth and Admin client talking to the
// simulation through installShopifyFetch, with nothing but test credentials.
import { ApiVersion, shopifyApp } from "@shopify/shopify-app-remix/server";
import { testConfig } from "@shopify/shopify-app-remix/test-helpers";
import {
  API_KEY,
  API_SECRET_KEY,
  RequestType,
  TEST_SHOP,
  setUpValidRequest,
  setUpValidSession,
} from "@shopify/shopify-api/test-helpers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAdminApi, type AdminApi } from "./admin-api";
import { installShopifyFetch } from "./fetch";

let api: AdminApi;
let uninstall: () => void;

beforeEach(() => {
  api = createAdminApi({
    shop: TEST_SHOP,
    apiKey: API_KEY,
    apiSecretKey: API_SECRET_KEY,
    // setUpValidSession() stores sessions carrying this token.
    accessTokens: ["totally_real_token"],
  });
  uninstall = installShopifyFetch(api);
});

afterEach(() => uninstall());

// testConfig() sets adminApiAccessToken to the API key, and shopify-api sends that instead of
// the session's token whenever it is set; the real app config leaves it unset.
function config() {
  return { ...testConfig(), adminApiAccessToken: undefined };
}

function app() {
  return shopifyApp({
    ...config(),
    apiVersion: ApiVersion.October26,
    future: { unstable_newEmbeddedAuthStrategy: true, expiringOfflineAccessTokens: true },
  });
}

const CREATE = `#graphql
  mutation CreateReward($input: DiscountCodeBasicInput!) {
    discountCodeBasicCreate(basicCodeDiscount: $input) {
      codeDiscountNode { id }
      userErrors { field message code }
    }
  }`;

describe("shopify-app-remix against the simulation", () => {
  it("authenticate.admin exchanges the id_token and admin.graphql reaches the simulated shop", async () => {
    const shopify = app();
    const request = await setUpValidRequest(
      {
        type: RequestType.Admin,
        store: "test-shop",
        apiKey: API_KEY,
        apiSecretKey: API_SECRET_KEY,
      },
      new Request("https://my-test-app.myshopify.io/app"),
    );
    const { admin, session } = await shopify.authenticate.admin(request);
    expect(session.refreshToken).toMatch(/^shprt_/);

    const customer = api.addCustomer({ email: "alice@example.com" });
    const response = await admin.graphql(CREATE, {
      variables: {
        input: {
          title: "Reward",
          code: "REWARD-1",
          startsAt: "2026-01-01T00:00:00Z",
          context: { customers: { add: [customer.id] } },
          customerGets: { value: { percentage: 0.1 }, items: { all: true } },
        },
      },
    });
    const body = (await response.json()) as {
      data: { discountCodeBasicCreate: { userErrors: unknown[] } };
    };
    expect(body.data.discountCodeBasicCreate.userErrors).toEqual([]);
    expect(api.findDiscountByCode("REWARD-1")?.eligibility).toEqual([customer.id]);
    expect(api.state.calls.map((c) => c.operationName ?? c.endpoint)).toEqual([
      "oauth",
      "CreateReward",
    ]);
  });

  it("unauthenticated.admin uses a stored offline session's token", async () => {
    const base = config();
    await base.sessionStorage.storeSession(setUpValidSession({ shop: TEST_SHOP }));
    const shopify = shopifyApp({ ...base, apiVersion: ApiVersion.October26 });
    const { admin } = await shopify.unauthenticated.admin(TEST_SHOP);
    const response = await admin.graphql(`#graphql
      query ShopName { shop { name } }`);
    expect(await response.json()).toMatchObject({ data: { shop: { name: "test-shop" } } });
  });
});
