import prisma from "../db.server";
import type { ShopperErrorCode, StorefrontLocale } from "../domain/storefront-text";
import { shopperError } from "../domain/storefront-text";
import { authenticate } from "../shopify.server";
import { PROXY_BODY_LIMIT, readBoundedBody } from "./body.server";
import { shopperLocale } from "./storefront.server";
import { parseJsonOrNull } from "../domain/json";

/**
 * Requests from the customer account extensions (extensions/customer-account: the loyalty page and
 * the order-status block). Shopify signs a customer account session token with the app's secret:
 * the shop is the token's `dest`, the shopper its `sub` (a Customer gid, present when they are
 * signed in). Nothing in the query or the body can name another shop or shopper. The extension
 * runs on Shopify's origin, so every answer, errors included, carries the CORS headers the
 * library adds.
 */

const HEADERS = { "Cache-Control": "private, no-store" };

export interface CustomerAccountRequest {
  shop: string;
  customerId: string;
  locale: StorefrontLocale;
  /** Adds the CORS headers the extension's origin needs. */
  send(response: Response): Response;
  json(body: unknown, init?: ResponseInit): Response;
  error(status: number, code: ShopperErrorCode): Response;
}

const SHOP = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

/** "https://shop.myshopify.com" or "shop.myshopify.com": the shop's domain, or null. */
function shopOf(dest: unknown): string | null {
  if (typeof dest !== "string") return null;
  const host = dest.replace(/^https:\/\//, "").replace(/\/$/, "");
  return SHOP.test(host) ? host : null;
}

/**
 * The request's shop and shopper, or the Response refusing it: 401 without a valid token (the
 * library's answer), 401 NOT_LOGGED_IN for a token without a customer, 403 STORE_NOT_CONNECTED
 * for a shop the app is not installed on (a token can be valid for the app and name any shop
 * that once had it).
 */
export async function customerAccountRequest(
  request: Request,
): Promise<CustomerAccountRequest | Response> {
  let authenticated;
  try {
    authenticated = await authenticate.public.customerAccount(request, {
      corsHeaders: ["Content-Type"],
    });
  } catch (thrown) {
    // The library's refusals (a missing, expired or forged token) carry no CORS headers: the
    // browser would hide the 401 from the extension, which could then not tell it apart from
    // a network failure.
    if (thrown instanceof Response && !thrown.headers.has("Access-Control-Allow-Origin")) {
      const headers = new Headers(thrown.headers);
      headers.set("Access-Control-Allow-Origin", "*");
      throw new Response(thrown.body, { status: thrown.status, headers });
    }
    throw thrown;
  }
  const { sessionToken, cors } = authenticated;
  const locale = shopperLocale(request);
  const send = (response: Response) => cors(response);
  const json = (body: unknown, init: ResponseInit = {}) =>
    send(Response.json(body, { ...init, headers: { ...HEADERS, ...init.headers } }));
  const error = (status: number, code: ShopperErrorCode) =>
    json({ error: { code, message: shopperError(code, locale) } }, { status });
  const shop = shopOf(sessionToken.dest);
  const customer = /^gid:\/\/shopify\/Customer\/(\d+)$/.exec(String(sessionToken.sub ?? ""));
  if (!shop) return error(401, "NOT_LOGGED_IN");
  const installed = await prisma.session.count({ where: { shop, isOnline: false } });
  if (!installed) return error(403, "STORE_NOT_CONNECTED");
  if (!customer) return error(401, "NOT_LOGGED_IN");
  return { shop, customerId: customer[1]!, locale, send, json, error };
}

/** The action of a GET-only route: only the CORS preflight (OPTIONS) is expected there. */
export async function preflightOnly({ request }: { request: Request }) {
  const shopper = await customerAccountRequest(request);
  if (shopper instanceof Response) return shopper;
  return shopper.json({ error: { code: "METHOD_NOT_ALLOWED" } }, { status: 405 });
}

/** A POST's JSON body, bounded like the widget's; null when it is not JSON. */
export async function customerAccountBody(request: Request): Promise<unknown | Response> {
  const body = await readBoundedBody(request, PROXY_BODY_LIMIT);
  if (body instanceof Response) return body;
  return parseJsonOrNull(body.text);
}

const ORDER_KINDS = ["EARN", "RELEASE", "REFUND_CLAWBACK", "CANCEL_REVERSAL"] as const;

/**
 * What an order came to for the shopper's points, for the order-status block: available points
 * (after refunds and cancellation), points still pending, and when those become available; null
 * when the order gave them nothing (a guest order, another customer's, or not yet received).
 */
export async function orderPoints(shop: string, customerId: string, orderId: string) {
  const member = await prisma.member.findUnique({
    where: { shop_customerId: { shop, customerId } },
    select: { id: true },
  });
  if (!member) return null;
  const entries = await prisma.ledgerEntry.findMany({
    where: { shop, orderId, memberId: member.id, kind: { in: [...ORDER_KINDS] } },
    select: { kind: true, points: true, pendingPoints: true, availableAt: true },
  });
  if (!entries.length) return null;
  const points = entries.reduce((sum, e) => sum + e.points, 0);
  const pendingPoints = entries.reduce((sum, e) => sum + e.pendingPoints, 0);
  const earned = entries.find((e) => e.kind === "EARN");
  return {
    points,
    pendingPoints,
    releaseDate: pendingPoints > 0 ? (earned?.availableAt?.toISOString() ?? null) : null,
  };
}
