import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { action as uninstalled } from "../../app/routes/webhooks.app.uninstalled";
import { action as scopesUpdate } from "../../app/routes/webhooks.app.scopes_update";
import { routeArgs, storeOfflineSession, TEST_SHOP, webhookRequest } from "../support/shopify";

async function respond(run: () => Promise<Response>): Promise<Response> {
  // The library throws its 4xx responses; treat both the same way Remix does.
  try {
    return await run();
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

describe("app webhooks", () => {
  beforeEach(async () => {
    await prisma.session.deleteMany();
    await storeOfflineSession();
  });

  it("removes the shop's sessions on a correctly signed app/uninstalled", async () => {
    const request = webhookRequest({ topic: "app/uninstalled", payload: { id: 1 } });

    const response = await respond(() => uninstalled(routeArgs(request)));

    expect(response.status).toBe(200);
    expect(await prisma.session.count({ where: { shop: TEST_SHOP } })).toBe(0);
  });

  it("answers 401 to a forged app/uninstalled and removes nothing", async () => {
    const request = webhookRequest({
      topic: "app/uninstalled",
      payload: { id: 1 },
      secret: "not-the-app-secret",
    });

    const response = await respond(() => uninstalled(routeArgs(request)));

    expect(response.status).toBe(401);
    expect(await prisma.session.count({ where: { shop: TEST_SHOP } })).toBe(1);
  });

  it("records the granted scopes on app/scopes_update", async () => {
    const request = webhookRequest({
      topic: "app/scopes_update",
      payload: { previous: ["read_orders"], current: ["read_orders", "write_discounts"] },
    });

    const response = await respond(() => scopesUpdate(routeArgs(request)));

    expect(response.status).toBe(200);
    const session = await prisma.session.findFirstOrThrow({ where: { shop: TEST_SHOP } });
    expect(session.scope).toBe("read_orders,write_discounts");
  });
});
