import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import prisma from "../db.server";
import { parseJsonOrNull } from "../domain/json";
import type { ShopperErrorCode, StorefrontLocale } from "../domain/storefront-text";
import { shopperError } from "../domain/storefront-text";
import { PROXY_BODY_LIMIT, readBoundedBody } from "../loyalty/body.server";
import { followNetwork } from "../loyalty/social.server";
import { shopperLocale } from "../loyalty/storefront.server";
import { authenticate } from "../shopify.server";

const followBody = z.object({ network: z.string().max(20) });
const HEADERS = { "Cache-Control": "private, no-store" };

function error(status: number, code: ShopperErrorCode, locale: StorefrontLocale) {
  return Response.json(
    { error: { code, message: shopperError(code, locale) } },
    { status, headers: HEADERS },
  );
}

// POST /apps/loyalty/follow {"network": "instagram"} when the widget opens the shop's page.
export const action = async ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST")
    return Response.json(
      { error: { code: "METHOD_NOT_ALLOWED", message: "Use POST to report a follow." } },
      { status: 405, headers: { Allow: "POST", ...HEADERS } },
    );
  const locale = shopperLocale(request);
  const body = await readBoundedBody(request, PROXY_BODY_LIMIT);
  if (body instanceof Response) return body;
  await authenticate.public.appProxy(request);
  const url = new URL(request.url);
  const shop = url.searchParams.get("shop")!;
  const customerId = url.searchParams.get("logged_in_customer_id") ?? "";
  if (!/^\d+$/.test(customerId)) return error(401, "NOT_LOGGED_IN", locale);
  // JSON only, as /redeem: a cross-site form cannot send it.
  if (!request.headers.get("content-type")?.toLowerCase().startsWith("application/json")) {
    return error(415, "INVALID_REQUEST", locale);
  }
  const parsed = followBody.safeParse(parseJsonOrNull(body.text));
  if (!parsed.success) return error(400, "INVALID_REQUEST", locale);
  const result = await followNetwork(prisma, shop, customerId, parsed.data.network);
  if (!result.ok) return error(404, "NOT_FOUND", locale);
  return Response.json({ points: result.points, balance: result.balance }, { headers: HEADERS });
};
