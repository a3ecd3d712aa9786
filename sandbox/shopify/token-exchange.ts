/**
 * POST https://{shop}/admin/oauth/access_token as @shopify/shopify-api calls it:
 *  - token exchange (session token → online / offline, expiring or not),
 *  - migration of a non-expiring offline token to an expiring one,
 *  - refresh_token grant for expiring offline tokens (rotating both tokens).
 * Response bodies follow what lib/auth/oauth/create-session.ts reads.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { randomToken, type AccessTokenRecord, type AdminApiState } from "./state";

export const TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
export const ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";
export const OFFLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:offline-access-token";
export const ONLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:online-access-token";

/** Expiring offline access tokens live 60 minutes; their refresh tokens 90 days. */
export const EXPIRING_OFFLINE_TTL_SECONDS = 3600;
export const REFRESH_TOKEN_TTL_SECONDS = 90 * 24 * 3600;
export const ONLINE_TTL_SECONDS = 86399;
/** Same leeway @shopify/shopify-api gives session tokens. */
const CLOCK_TOLERANCE_SECONDS = 10;

export interface SessionTokenClaims {
  iss: string;
  dest: string;
  aud: string;
  sub: string;
  exp: number;
  nbf: number;
  iat: number;
  jti: string;
  sid: string;
  [claim: string]: unknown;
}

function base64url(input: Buffer | string): string {
  return Buffer.from(input).toString("base64url");
}

/** An App Bridge session token: HS256 JWT signed with the app secret, valid for one minute. */
export function signSessionToken(options: {
  shop: string;
  apiKey: string;
  apiSecretKey: string;
  userId?: number | string;
  /** Epoch ms; defaults to Date.now(). */
  now?: number;
  overrides?: Partial<SessionTokenClaims>;
}): string {
  const issuedAt = Math.floor((options.now ?? Date.now()) / 1000);
  const claims: SessionTokenClaims = {
    iss: `https://${options.shop}/admin`,
    dest: `https://${options.shop}`,
    aud: options.apiKey,
    sub: String(options.userId ?? 12345),
    exp: issuedAt + 60,
    nbf: issuedAt,
    iat: issuedAt,
    jti: randomToken(""),
    sid: randomToken(""),
    ...options.overrides,
  };
  const signingInput = `${base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.${base64url(JSON.stringify(claims))}`;
  const signature = createHmac("sha256", options.apiSecretKey)
    .update(signingInput)
    .digest("base64url");
  return `${signingInput}.${signature}`;
}

export type VerifyResult = { ok: true; claims: SessionTokenClaims } | { ok: false; reason: string };

export function verifySessionToken(
  token: string,
  options: { apiKey: string; apiSecretKey: string; shop: string; now: number },
): VerifyResult {
  const parts = token.split(".");
  if (parts.length !== 3) return { ok: false, reason: "malformed token" };
  const [header = "", payload = "", signature = ""] = parts;
  let parsedHeader: { alg?: unknown };
  let claims: SessionTokenClaims;
  try {
    parsedHeader = JSON.parse(Buffer.from(header, "base64url").toString("utf8")) as {
      alg?: unknown;
    };
    claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as SessionTokenClaims;
  } catch {
    return { ok: false, reason: "malformed token" };
  }
  // Pin the algorithm: accepting the header's choice is how "alg: none" forgeries get in.
  if (parsedHeader.alg !== "HS256") return { ok: false, reason: "unexpected algorithm" };
  const expected = createHmac("sha256", options.apiSecretKey)
    .update(`${header}.${payload}`)
    .digest();
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: "bad signature" };
  const nowSeconds = options.now / 1000;
  if (typeof claims.exp !== "number" || claims.exp + CLOCK_TOLERANCE_SECONDS < nowSeconds)
    return { ok: false, reason: "token expired" };
  if (typeof claims.nbf === "number" && claims.nbf - CLOCK_TOLERANCE_SECONDS > nowSeconds)
    return { ok: false, reason: "token not yet valid" };
  if (claims.aud !== options.apiKey) return { ok: false, reason: "wrong audience" };
  let destHost: string | null = null;
  try {
    destHost = new URL(String(claims.dest)).hostname;
  } catch {
    destHost = null;
  }
  if (destHost !== options.shop) return { ok: false, reason: "token is for another shop" };
  return { ok: true, claims };
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8" },
  });
}

function oauthError(status: number, error: string, description: string): Response {
  return json(status, { error, error_description: description });
}

async function readParams(request: Request): Promise<Record<string, string>> {
  const text = await request.text();
  const type = request.headers.get("content-type") ?? "";
  if (type.includes("application/x-www-form-urlencoded"))
    return Object.fromEntries(new URLSearchParams(text));
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === "object") {
      return Object.fromEntries(Object.entries(parsed).map(([key, value]) => [key, String(value)]));
    }
  } catch {
    // fall back to form decoding, which OAuth clients also use
  }
  return Object.fromEntries(new URLSearchParams(text));
}

/** Only one expiring offline token may be live per app and shop: a new one revokes the rest. */
function revokeExpiringOfflineTokens(state: AdminApiState): void {
  for (const record of state.accessTokens.values())
    if (record.mode === "offline-expiring") record.revoked = true;
  for (const refresh of state.refreshTokens.values()) refresh.revoked = true;
}

function issueExpiringOffline(state: AdminApiState): Response {
  revokeExpiringOfflineTokens(state);
  const now = state.clock();
  const accessToken = randomToken("shpat_");
  const refreshToken = randomToken("shprt_");
  state.accessTokens.set(accessToken, {
    token: accessToken,
    mode: "offline-expiring",
    scopes: state.scopes,
    expiresAt: now + EXPIRING_OFFLINE_TTL_SECONDS * 1000,
    revoked: false,
  });
  state.refreshTokens.set(refreshToken, {
    token: refreshToken,
    accessToken,
    expiresAt: now + REFRESH_TOKEN_TTL_SECONDS * 1000,
    revoked: false,
  });
  return json(200, {
    access_token: accessToken,
    scope: state.scopes.join(","),
    expires_in: EXPIRING_OFFLINE_TTL_SECONDS,
    refresh_token: refreshToken,
    refresh_token_expires_in: REFRESH_TOKEN_TTL_SECONDS,
  });
}

function issueNonExpiringOffline(state: AdminApiState): Response {
  // A shop has one perpetual offline token per app; asking again hands back the same one.
  let record: AccessTokenRecord | undefined = [...state.accessTokens.values()].find(
    (t) => t.mode === "offline" && !t.revoked && t.expiresAt === null,
  );
  if (!record) {
    record = {
      token: randomToken("shpat_"),
      mode: "offline",
      scopes: state.scopes,
      expiresAt: null,
      revoked: false,
    };
    state.accessTokens.set(record.token, record);
  }
  return json(200, { access_token: record.token, scope: record.scopes.join(",") });
}

function issueOnline(state: AdminApiState, userId: number): Response {
  const token = randomToken("shpua_");
  state.accessTokens.set(token, {
    token,
    mode: "online",
    scopes: state.scopes,
    expiresAt: state.clock() + ONLINE_TTL_SECONDS * 1000,
    revoked: false,
    userId,
  });
  return json(200, {
    access_token: token,
    scope: state.scopes.join(","),
    expires_in: ONLINE_TTL_SECONDS,
    associated_user_scope: state.scopes.join(","),
    associated_user: {
      id: userId,
      first_name: "Test",
      last_name: "User",
      email: `user${userId}@example.com`,
      email_verified: true,
      account_owner: true,
      locale: "en",
      collaborator: false,
    },
  });
}

export async function handleAccessTokenRequest(
  state: AdminApiState,
  request: Request,
): Promise<Response> {
  if (request.method !== "POST") return json(405, { errors: "Method Not Allowed" });
  const params = await readParams(request);
  if (params["client_id"] !== state.apiKey || params["client_secret"] !== state.apiSecretKey) {
    return oauthError(
      401,
      "invalid_client",
      "Client authentication failed due to unknown client or invalid client secret.",
    );
  }
  const grant = params["grant_type"];

  if (grant === TOKEN_EXCHANGE_GRANT) {
    const subjectType = params["subject_token_type"];
    const requested = params["requested_token_type"];
    const subject = params["subject_token"] ?? "";
    const expiring = params["expiring"] === "1";

    if (subjectType === OFFLINE_TOKEN_TYPE) {
      // Migration: trade a perpetual offline token for an expiring one; the old token dies.
      const old = state.accessTokens.get(subject);
      if (
        !old ||
        old.revoked ||
        old.mode !== "offline" ||
        old.expiresAt !== null ||
        requested !== OFFLINE_TOKEN_TYPE ||
        !expiring
      ) {
        return oauthError(
          400,
          "invalid_subject_token",
          "The subject token is invalid or cannot be migrated.",
        );
      }
      old.revoked = true;
      return issueExpiringOffline(state);
    }

    if (subjectType !== ID_TOKEN_TYPE)
      return oauthError(400, "invalid_request", "Unsupported subject_token_type.");
    const verified = verifySessionToken(subject, {
      apiKey: state.apiKey,
      apiSecretKey: state.apiSecretKey,
      shop: state.shop.myshopifyDomain,
      now: state.clock(),
    });
    if (!verified.ok)
      return oauthError(
        400,
        "invalid_subject_token",
        `Session token is invalid: ${verified.reason}.`,
      );
    if (requested === OFFLINE_TOKEN_TYPE)
      return expiring ? issueExpiringOffline(state) : issueNonExpiringOffline(state);
    if (requested === ONLINE_TOKEN_TYPE) return issueOnline(state, Number(verified.claims.sub));
    return oauthError(400, "invalid_request", "Unsupported requested_token_type.");
  }

  if (grant === "refresh_token") {
    const refresh = state.refreshTokens.get(params["refresh_token"] ?? "");
    if (!refresh || refresh.revoked || refresh.expiresAt <= state.clock()) {
      return oauthError(
        400,
        "invalid_grant",
        "The provided refresh token is invalid, expired or revoked.",
      );
    }
    // Rotation: the old access and refresh tokens stop working as soon as new ones exist.
    return issueExpiringOffline(state);
  }

  return oauthError(
    400,
    "unsupported_grant_type",
    `Unsupported grant_type ${JSON.stringify(grant ?? null)}.`,
  );
}

/** Why a token is not usable right now, or null if it is. */
export function accessTokenProblem(state: AdminApiState, token: string | null): string | null {
  if (!token) return "missing";
  const record = state.accessTokens.get(token);
  if (!record) return "unknown";
  if (record.revoked) return "revoked";
  if (record.expiresAt !== null && record.expiresAt <= state.clock()) return "expired";
  return null;
}
