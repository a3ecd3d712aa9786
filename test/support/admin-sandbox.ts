import { API_KEY, API_SECRET_KEY, TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { afterEach, beforeEach } from "vitest";
import { flowTriggers } from "../../sandbox/flow";
import { createAdminApi, installShopifyFetch, type AdminApi } from "../../sandbox/shopify";

/** The simulated Admin API for TEST_SHOP, reachable through the app's own Shopify client. */
export function adminSandbox(): { readonly api: AdminApi } {
  const holder = {} as { api: AdminApi };
  let uninstall: () => void = () => {};
  beforeEach(() => {
    holder.api = createAdminApi({
      shop: TEST_SHOP,
      apiKey: API_KEY,
      apiSecretKey: API_SECRET_KEY,
      // The token setUpValidSession() stores in offline sessions.
      accessTokens: ["totally_real_token"],
      flowTriggerHandles: flowTriggers().map((t) => t.handle),
    });
    uninstall = installShopifyFetch(holder.api);
  });
  afterEach(() => uninstall());
  return holder;
}
