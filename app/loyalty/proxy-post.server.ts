import type { ShopperErrorCode, StorefrontLocale } from "../domain/storefront-text";
import { shopperError } from "../domain/storefront-text";
import { parseJsonOrNull } from "../domain/json";
import { authenticate } from "../shopify.server";
import { PROXY_BODY_LIMIT, readBoundedBody } from "./body.server";
import { shopperLocale } from "./storefront.server";

/**
 * What every widget POST through the app proxy checks before its own work: the method, a bounded
 * body, Shopify's signature, a signed-in shopper (whoever Shopify says: an id in the body is never
 * read) and JSON (a cross-site HTML form cannot send it, so another site cannot act for them).
 */

const HEADERS = { "Cache-Control": "private, no-store" };

export function shopperErrorResponse(
  status: number,
  code: ShopperErrorCode,
  locale: StorefrontLocale,
) {
  return Response.json(
    { error: { code, message: shopperError(code, locale) } },
    { status, headers: HEADERS },
  );
}

export function shopperJson(body: unknown) {
  return Response.json(body, { headers: HEADERS });
}

export interface MemberPost {
  shop: string;
  customerId: string;
  locale: StorefrontLocale;
  /** The parsed JSON body; null when it is not JSON. */
  body: unknown;
}

/** The request's shop, shopper and JSON body, or the response refusing it. */
export async function memberPost(request: Request, action: string): Promise<MemberPost | Response> {
  if (request.method !== "POST")
    return Response.json(
      { error: { code: "METHOD_NOT_ALLOWED", message: `Use POST to ${action}.` } },
      { status: 405, headers: { Allow: "POST", ...HEADERS } },
    );
  const locale = shopperLocale(request);
  const body = await readBoundedBody(request, PROXY_BODY_LIMIT);
  if (body instanceof Response) return body;
  await authenticate.public.appProxy(request);
  const url = new URL(request.url);
  const customerId = url.searchParams.get("logged_in_customer_id") ?? "";
  if (!/^\d+$/.test(customerId)) return shopperErrorResponse(401, "NOT_LOGGED_IN", locale);
  if (!request.headers.get("content-type")?.toLowerCase().startsWith("application/json")) {
    return shopperErrorResponse(415, "INVALID_REQUEST", locale);
  }
  return {
    shop: url.searchParams.get("shop")!,
    customerId,
    locale,
    body: parseJsonOrNull(body.text),
  };
}
