import { createHmac } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { createAdminApi, type AdminApi } from "./admin-api";
import { createManualClock, type ManualClock } from "./state";
import {
  ID_TOKEN_TYPE,
  OFFLINE_TOKEN_TYPE,
  ONLINE_TOKEN_TYPE,
  TOKEN_EXCHANGE_GRANT,
  signSessionToken,
  verifySessionToken,
} from "./token-exchange";

const SHOP = "loyal-shop.myshopify.com";
let clock: ManualClock;
let api: AdminApi;

beforeEach(() => {
  clock = createManualClock(Date.UTC(2026, 9, 15, 12, 0, 0));
  api = createAdminApi({
    shop: SHOP,
    clock: clock.now,
    apiKey: "key-123",
    apiSecretKey: "secret-456",
  });
});

async function tokenRequest(body: Record<string, string>) {
  const response = await api.handle(
    new Request(`https://${SHOP}/admin/oauth/access_token`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ client_id: "key-123", client_secret: "secret-456", ...body }),
    }),
  );
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function exchange(sessionToken: string, requested = OFFLINE_TOKEN_TYPE, expiring = "1") {
  return tokenRequest({
    grant_type: TOKEN_EXCHANGE_GRANT,
    subject_token: sessionToken,
    subject_token_type: ID_TOKEN_TYPE,
    requested_token_type: requested,
    expiring,
  });
}

async function shopName(token: string) {
  return (await api.graphql<{ shop: { name: string } }>("{ shop { name } }", { token })).status;
}

describe("session tokens", () => {
  it("verifies what it signs and rejects a forged signature", () => {
    const options = { apiKey: "key-123", apiSecretKey: "secret-456", shop: SHOP, now: clock.now() };
    const token = signSessionToken({
      shop: SHOP,
      apiKey: "key-123",
      apiSecretKey: "secret-456",
      now: clock.now(),
      userId: 77,
    });
    const verified = verifySessionToken(token, options);
    expect(verified.ok && verified.claims).toMatchObject({
      iss: `https://${SHOP}/admin`,
      dest: `https://${SHOP}`,
      aud: "key-123",
      sub: "77",
    });

    const forged = signSessionToken({
      shop: SHOP,
      apiKey: "key-123",
      apiSecretKey: "not-the-secret",
      now: clock.now(),
    });
    expect(verifySessionToken(forged, options)).toEqual({ ok: false, reason: "bad signature" });
  });

  it("rejects alg:none, other audiences, other shops and expired tokens", () => {
    const options = { apiKey: "key-123", apiSecretKey: "secret-456", shop: SHOP, now: clock.now() };
    const valid = signSessionToken({
      shop: SHOP,
      apiKey: "key-123",
      apiSecretKey: "secret-456",
      now: clock.now(),
    });
    const [, payload] = valid.split(".");
    const none = `${Buffer.from('{"alg":"none"}').toString("base64url")}.${payload}.`;
    expect(verifySessionToken(none, options)).toEqual({
      ok: false,
      reason: "unexpected algorithm",
    });

    const sign = (overrides: Record<string, unknown>) =>
      signSessionToken({
        shop: SHOP,
        apiKey: "key-123",
        apiSecretKey: "secret-456",
        now: clock.now(),
        overrides,
      });
    expect(verifySessionToken(sign({ aud: "someone-else" }), options)).toEqual({
      ok: false,
      reason: "wrong audience",
    });
    expect(verifySessionToken(sign({ dest: "https://evil.myshopify.com" }), options)).toEqual({
      ok: false,
      reason: "token is for another shop",
    });
    expect(verifySessionToken(sign({}), { ...options, now: clock.now() + 71_000 })).toEqual({
      ok: false,
      reason: "token expired",
    });
    // Within the 10 s leeway the library also allows.
    expect(verifySessionToken(sign({}), { ...options, now: clock.now() + 69_000 }).ok).toBe(true);
  });

  it("matches the HS256 signature a standard JWT library produces", () => {
    const token = signSessionToken({
      shop: SHOP,
      apiKey: "key-123",
      apiSecretKey: "secret-456",
      now: 0,
    });
    const [header, payload, signature] = token.split(".");
    const expected = createHmac("sha256", "secret-456")
      .update(`${header}.${payload}`)
      .digest("base64url");
    expect(signature).toBe(expected);
    expect(JSON.parse(Buffer.from(header ?? "", "base64url").toString())).toEqual({
      alg: "HS256",
      typ: "JWT",
    });
  });
});

describe("POST /admin/oauth/access_token", () => {
  it("exchanges a valid session token for an expiring offline token that works for an hour", async () => {
    const reply = await exchange(api.sessionToken());
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      access_token: expect.stringMatching(/^shpat_[0-9a-f]{32}$/),
      scope:
        "read_orders,read_customers,write_customers,write_discounts,write_app_proxy,read_products,write_store_credit_account_transactions,read_store_credit_accounts",
      expires_in: 3600,
      refresh_token: expect.stringMatching(/^shprt_[0-9a-f]{32}$/),
      refresh_token_expires_in: 7776000,
    });
    const token = String(reply.body["access_token"]);
    expect(await shopName(token)).toBe(200);
    clock.advance(3600 * 1000);
    expect(await shopName(token)).toBe(401);
  });

  it("answers a forged session token with 400 invalid_subject_token (what shopify-app-remix checks)", async () => {
    const forged = signSessionToken({
      shop: SHOP,
      apiKey: "key-123",
      apiSecretKey: "guessed",
      now: clock.now(),
    });
    const reply = await exchange(forged);
    expect(reply).toEqual({
      status: 400,
      body: {
        error: "invalid_subject_token",
        error_description: "Session token is invalid: bad signature.",
      },
    });
    expect(api.state.accessTokens.size).toBe(1); // only the api's own default token
  });

  it("rejects a wrong client secret", async () => {
    const reply = await tokenRequest({
      client_secret: "nope",
      grant_type: "refresh_token",
      refresh_token: "x",
    });
    expect(reply.status).toBe(401);
    expect(reply.body["error"]).toBe("invalid_client");
  });

  it("keeps one live expiring offline token per shop", async () => {
    const first = await exchange(api.sessionToken());
    const second = await exchange(api.sessionToken());
    expect(await shopName(String(first.body["access_token"]))).toBe(401);
    expect(await shopName(String(second.body["access_token"]))).toBe(200);
  });

  it("hands back the same non-expiring offline token when expiring=0", async () => {
    const first = await exchange(api.sessionToken(), OFFLINE_TOKEN_TYPE, "0");
    const second = await exchange(api.sessionToken(), OFFLINE_TOKEN_TYPE, "0");
    expect(first.body).toEqual({
      access_token: expect.stringMatching(/^shpat_/),
      scope: expect.any(String),
    });
    expect(second.body["access_token"]).toBe(first.body["access_token"]);
  });

  it("issues online tokens with the associated user from the session token's sub", async () => {
    const reply = await exchange(api.sessionToken({ userId: 4321 }), ONLINE_TOKEN_TYPE);
    expect(reply.body).toMatchObject({
      access_token: expect.stringMatching(/^shpua_/),
      expires_in: 86399,
      associated_user_scope: expect.any(String),
      associated_user: { id: 4321, account_owner: true },
    });
  });

  it("rotates on refresh: new pair works, old access and refresh tokens die", async () => {
    const issued = await exchange(api.sessionToken());
    const refreshed = await tokenRequest({
      grant_type: "refresh_token",
      refresh_token: String(issued.body["refresh_token"]),
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body["refresh_token"]).not.toBe(issued.body["refresh_token"]);
    expect(await shopName(String(refreshed.body["access_token"]))).toBe(200);
    expect(await shopName(String(issued.body["access_token"]))).toBe(401);

    const reused = await tokenRequest({
      grant_type: "refresh_token",
      refresh_token: String(issued.body["refresh_token"]),
    });
    expect(reused).toEqual({
      status: 400,
      body: {
        error: "invalid_grant",
        error_description: "The provided refresh token is invalid, expired or revoked.",
      },
    });
  });

  it("refuses a refresh token older than 90 days", async () => {
    const issued = await exchange(api.sessionToken());
    clock.advance(90 * 24 * 3600 * 1000);
    const reply = await tokenRequest({
      grant_type: "refresh_token",
      refresh_token: String(issued.body["refresh_token"]),
    });
    expect(reply.body["error"]).toBe("invalid_grant");
  });

  it("migrates a non-expiring offline token to an expiring one, revoking the old token", async () => {
    const legacy = api.accessToken;
    const reply = await tokenRequest({
      grant_type: TOKEN_EXCHANGE_GRANT,
      subject_token: legacy,
      subject_token_type: OFFLINE_TOKEN_TYPE,
      requested_token_type: OFFLINE_TOKEN_TYPE,
      expiring: "1",
    });
    expect(reply.body["expires_in"]).toBe(3600);
    expect(await shopName(legacy)).toBe(401);
    expect(await shopName(String(reply.body["access_token"]))).toBe(200);
  });
});
