import { createHmac, randomUUID } from "node:crypto";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { API_KEY, API_SECRET_KEY } from "@shopify/shopify-api/test-helpers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { action as setBirthday } from "../../app/routes/customer-account.birthday";
import {
  action as memberPreflight,
  loader as member,
} from "../../app/routes/customer-account.member";
import { loader as orderPoints } from "../../app/routes/customer-account.orders.$orderId";
import { action as redeem } from "../../app/routes/customer-account.redeem";
import { loader as redemption } from "../../app/routes/customer-account.redemptions.$id";
import { createClient } from "../../extensions/customer-account/src/api";
import { adminSandbox } from "../support/admin-sandbox";
import { seedReward } from "../support/admin";
import { deliver, expectLedgerConsistent, resetShop } from "../support/engine";
import { orderPayload } from "../support/payloads";
import { storeOfflineSession, TEST_SHOP } from "../support/shopify";

/**
 * The customer account extensions' endpoints (extensions/customer-account): Shopify's customer
 * account session token decides the shop and the shopper; a missing, expired, forged or
 * another shop's token reads and changes nothing.
 */

const sandbox = adminSandbox();
const CUSTOMER = "8201";
const OTHER = "other-shop.myshopify.com";
const APP = "https://my-test-app.myshopify.io";
const ORIGIN = "https://extensions.shopifycdn.com";

function base64url(value: string | Buffer) {
  return Buffer.from(value).toString("base64url");
}

/** A customer account session token as Shopify signs it: HS256 with the app's secret. */
function token(
  claims: { shop?: string; sub?: string | null; expiresIn?: number; secret?: string } = {},
) {
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    iss: `https://${claims.shop ?? TEST_SHOP}`,
    dest: claims.shop ?? TEST_SHOP,
    aud: API_KEY,
    ...(claims.sub === null ? {} : { sub: claims.sub ?? `gid://shopify/Customer/${CUSTOMER}` }),
    exp: now + (claims.expiresIn ?? 60),
    nbf: now - 5,
    iat: now - 5,
    jti: randomUUID(),
  };
  const unsigned = `${base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.${base64url(JSON.stringify(payload))}`;
  const signature = createHmac("sha256", claims.secret ?? API_SECRET_KEY)
    .update(unsigned)
    .digest("base64url");
  return `${unsigned}.${signature}`;
}

function request(path: string, bearer: string | null, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  headers.set("Origin", ORIGIN);
  if (bearer) headers.set("Authorization", `Bearer ${bearer}`);
  return new Request(`${APP}${path}`, { ...init, headers });
}

type Handler = (args: LoaderFunctionArgs) => Promise<Response>;

async function call(handler: Handler, req: Request, params: Record<string, string> = {}) {
  try {
    return await handler({ request: req, params, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

const post = (path: string, bearer: string | null, body: unknown) =>
  request(path, bearer, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });

let orderId: string;

beforeEach(async () => {
  await prisma.redemption.deleteMany();
  await prisma.reward.deleteMany();
  await resetShop();
  await resetShop(OTHER);
  await prisma.session.deleteMany();
  await storeOfflineSession();
  sandbox.api.addCustomer({ id: `gid://shopify/Customer/${CUSTOMER}` });
  await prisma.program.create({ data: { shop: TEST_SHOP, birthdayPoints: 25 } });
  const payload = orderPayload({ customerId: Number(CUSTOMER), subtotal: "620.00" });
  orderId = String(payload.id);
  await deliver({ topic: "orders/paid", payload });
});

afterEach(async () => {
  await expectLedgerConsistent();
});

describe("customer account endpoints", () => {
  it("show the token's shopper their points, with CORS for the extension's origin", async () => {
    const response = await call(member, request("/customer-account/member", token()));
    expect(response.status).toBe(200);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
    const body = await response.json();
    expect(body).toMatchObject({ loggedIn: true, points: 620 });
    expect(body.history[0]).toMatchObject({ points: 620 });
  });

  it("answer the CORS preflight without a token, as browsers send it", async () => {
    const response = await call(
      memberPreflight,
      request("/customer-account/member", null, {
        method: "OPTIONS",
        headers: { "Access-Control-Request-Headers": "authorization" },
      }),
    );
    expect(response.status).toBe(204);
    expect(response.headers.get("Access-Control-Allow-Headers")).toMatch(/Authorization/);
  });

  it("refuse missing, expired and forged tokens", async () => {
    const refused = [
      request("/customer-account/member", null),
      request("/customer-account/member", token({ expiresIn: -60 })),
      request("/customer-account/member", token({ secret: "another app's secret" })),
      request("/customer-account/member", "not-a-jwt"),
    ];
    for (const req of refused) {
      const response = await call(member, req);
      expect(response.status).toBe(401);
      // Readable by the extension's origin, so it can tell a refusal from a network failure.
      expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
      expect(await response.text()).not.toContain("620");
    }
    // Nothing is redeemed with a forged token either.
    const reward = await seedReward({ pointsCost: 100 });
    const forged = await call(
      redeem,
      post("/customer-account/redeem", token({ secret: "x" }), { rewardId: reward.id }),
    );
    expect(forged.status).toBe(401);
    expect(await prisma.redemption.count()).toBe(0);
  });

  it("refuse a token of a shop the app is not installed on, whatever the shopper", async () => {
    const response = await call(
      member,
      request("/customer-account/member", token({ shop: OTHER })),
    );
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: "STORE_NOT_CONNECTED" } });
    // The same customer id in another shop's token never reaches this shop's member.
    expect(
      (await call(orderPoints, request("/x", token({ shop: OTHER })), { orderId })).status,
    ).toBe(403);
  });

  it("ask for sign-in when the token names no customer", async () => {
    const response = await call(member, request("/customer-account/member", token({ sub: null })));
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: "NOT_LOGGED_IN" } });
  });

  it("redeem a reward for the token's shopper, once per request id", async () => {
    const reward = await seedReward({ pointsCost: 500 });
    const body = { rewardId: reward.id, requestId: randomUUID() };
    const first = await call(redeem, post("/customer-account/redeem", token(), body));
    expect(first.status).toBe(200);
    expect(first.headers.get("Access-Control-Allow-Origin")).toBe("*");
    const issued = await first.json();
    expect(issued).toMatchObject({ status: "ISSUED", points: 120 });
    expect(sandbox.api.findDiscountByCode(issued.code)).toBeTruthy();
    const again = await (
      await call(redeem, post("/customer-account/redeem", token(), body))
    ).json();
    expect(again.code).toBe(issued.code);
    const status = await call(redemption, request("/x", token()), { id: issued.id });
    expect(await status.json()).toMatchObject({ status: "ISSUED", code: issued.code });
    // Another shopper's token does not see it.
    const stranger = await call(
      redemption,
      request("/x", token({ sub: "gid://shopify/Customer/999" })),
      { id: issued.id },
    );
    expect(stranger.status).toBe(404);
    const refused = await call(redeem, post("/customer-account/redeem", token(), body.rewardId));
    expect(refused.status).toBe(400);
  });

  it("tell the order-status block what an order gave, and nothing of another's order", async () => {
    const mine = await call(orderPoints, request("/x", token()), { orderId });
    expect(await mine.json()).toEqual({ points: 620, pendingPoints: 0, releaseDate: null });
    const theirs = await call(
      orderPoints,
      request("/x", token({ sub: "gid://shopify/Customer/999" })),
      { orderId },
    );
    expect(theirs.status).toBe(404);
    expect((await call(orderPoints, request("/x", token()), { orderId: "abc" })).status).toBe(404);
  });

  it("are what the extension's client expects: member, redeem, order points, birthday", async () => {
    // The extension's own network layer, its fetch answered by these route modules.
    const routes: Array<[RegExp, string, Handler]> = [
      [/^\/customer-account\/member$/, "GET", member],
      [/^\/customer-account\/redeem$/, "POST", redeem],
      [/^\/customer-account\/redemptions\/(?<id>[^/]+)$/, "GET", redemption],
      [/^\/customer-account\/birthday$/, "POST", setBirthday],
      [/^\/customer-account\/orders\/(?<orderId>\d+)$/, "GET", orderPoints],
    ];
    const dispatch: typeof fetch = async (input, init) => {
      const req = new Request(input, init);
      const path = new URL(req.url).pathname;
      for (const [pattern, method, handler] of routes) {
        const match = pattern.exec(path);
        if (match && req.method === method) return call(handler, req, { ...match.groups });
      }
      return new Response("no route", { status: 404 });
    };
    const client = createClient({
      appUrl: APP,
      token: async () => token(),
      fallbackMessage: "unavailable",
      fetch: dispatch,
    });
    expect(await client.member()).toMatchObject({ loggedIn: true, points: 620 });
    const reward = await seedReward({ pointsCost: 500 });
    const issued = await client.redeem(reward.id, client.newRequestId());
    expect(issued).toMatchObject({ status: "ISSUED", points: 120 });
    expect(sandbox.api.findDiscountByCode(issued.code)).toBeTruthy();
    expect(await client.orderPoints(`gid://shopify/Order/${orderId}`)).toEqual({
      points: 620,
      pendingPoints: 0,
      releaseDate: null,
    });
    expect(await client.setBirthday(5, 17)).toMatchObject({ date: { month: 5, day: 17 } });
  });

  it("set the shopper's birthday", async () => {
    const response = await call(
      setBirthday,
      post("/customer-account/birthday", token(), { month: 5, day: 17 }),
    );
    expect(response.status).toBe(200);
    expect((await response.json()).birthday).toMatchObject({ date: { month: 5, day: 17 } });
    const bad = await call(
      setBirthday,
      post("/customer-account/birthday", token(), { month: 2, day: 30 }),
    );
    expect(bad.status).toBe(400);
  });
});
