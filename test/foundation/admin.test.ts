import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { loader as dashboardLoader } from "../../app/routes/app._index";
import { adminSandbox } from "../support/admin-sandbox";
import { adminRequest, routeArgs, storeOfflineSession, TEST_SHOP } from "../support/shopify";

// Shopify's side of token exchange.
adminSandbox();

describe("embedded admin", () => {
  beforeEach(() => prisma.session.deleteMany());

  it("serves an admin loader to a request carrying a valid session token", async () => {
    await storeOfflineSession();
    const request = await adminRequest("/app");

    const data = await dashboardLoader(routeArgs(request));

    expect(data).toMatchObject({ shop: TEST_SHOP });
  });

  it("exchanges the session token for the staff member's own online session", async () => {
    await storeOfflineSession();

    await dashboardLoader(routeArgs(await adminRequest("/app")));

    // Token exchange with Shopify (the sandbox) for an online token of user 12345, kept for
    // the next request, so that what this staff member does carries their name.
    const online = await prisma.session.findFirstOrThrow({ where: { isOnline: true } });
    expect(online).toMatchObject({ id: `${TEST_SHOP}_12345`, shop: TEST_SHOP });
    expect(online.userId).toBe(12345n);
    expect(online.firstName).toBeTruthy();
  });

  it("refuses a request without Shopify's session token", async () => {
    const response = await dashboardLoader(
      routeArgs(new Request("https://my-test-app.myshopify.io/app?shop=" + TEST_SHOP)),
    ).catch((thrown: unknown) => thrown);

    expect(response).toBeInstanceOf(Response);
    expect((response as Response).status).toBeGreaterThanOrEqual(300);
  });
});
