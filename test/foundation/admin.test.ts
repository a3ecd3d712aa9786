import { describe, expect, it } from "vitest";
import { loader as dashboardLoader } from "../../app/routes/app._index";
import { adminRequest, routeArgs, storeOfflineSession, TEST_SHOP } from "../support/shopify";

describe("embedded admin", () => {
  it("serves an admin loader to a request carrying a valid session token", async () => {
    await storeOfflineSession();
    const request = await adminRequest("/app");

    const data = await dashboardLoader(routeArgs(request));

    expect(data).toMatchObject({ shop: TEST_SHOP });
  });

  it("refuses a request without Shopify's session token", async () => {
    const response = await dashboardLoader(
      routeArgs(new Request("https://my-test-app.myshopify.io/app?shop=" + TEST_SHOP)),
    ).catch((thrown: unknown) => thrown);

    expect(response).toBeInstanceOf(Response);
    expect((response as Response).status).toBeGreaterThanOrEqual(300);
  });
});
