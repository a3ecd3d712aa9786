import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import prisma from "../db.server";
import { PROXY_BODY_LIMIT, readBoundedBody } from "../loyalty/body.server";
import { RedemptionError, redeemFailure, redeemReward } from "../loyalty/redemptions.server";
import { redemptionResponse, shopperLocale } from "../loyalty/storefront.server";
import { authenticate } from "../shopify.server";
import type { ShopperErrorCode, StorefrontLocale } from "../domain/storefront-text";
import { shopperError } from "../domain/storefront-text";
import { parseJsonOrNull } from "../domain/json";
import { errorFields, log } from "../log.server";

const redeemBody = z.object({
  rewardId: z.string().min(1).max(64),
  /** The widget's idempotency key: the same key again returns the first answer. */
  requestId: z
    .string()
    .regex(/^[\w-]{8,64}$/)
    .optional(),
});

function error(status: number, code: ShopperErrorCode, locale: StorefrontLocale) {
  return Response.json(
    { error: { code, message: shopperError(code, locale) } },
    { status, headers: { "Cache-Control": "private, no-store" } },
  );
}

// POST /apps/loyalty/redeem {"rewardId": "…", "requestId": "…"} from the storefront widget.
export const action = async ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST")
    return Response.json(
      { error: { code: "METHOD_NOT_ALLOWED", message: "Use POST to redeem a reward." } },
      { status: 405, headers: { Allow: "POST", "Cache-Control": "private, no-store" } },
    );
  const locale = shopperLocale(request);
  // Bounded before anything else: a redeem request is a few dozen bytes.
  const body = await readBoundedBody(request, PROXY_BODY_LIMIT);
  if (body instanceof Response) return body;
  const { admin } = await authenticate.public.appProxy(request);
  const url = new URL(request.url);
  const shop = url.searchParams.get("shop")!;
  // The shopper is whoever Shopify says is logged in; a customer id in the body is ignored.
  const customerId = url.searchParams.get("logged_in_customer_id") ?? "";
  if (!/^\d+$/.test(customerId)) return error(401, "NOT_LOGGED_IN", locale);

  // JSON only: a cross-site HTML form cannot send it, so another site cannot redeem for a shopper.
  if (!request.headers.get("content-type")?.toLowerCase().startsWith("application/json")) {
    return error(415, "INVALID_REQUEST", locale);
  }
  const parsed = redeemBody.safeParse(parseJsonOrNull(body.text));
  if (!parsed.success) return error(400, "INVALID_REQUEST", locale);
  if (!admin) return error(503, "STORE_NOT_CONNECTED", locale);

  try {
    const result = await redeemReward({
      prisma,
      admin,
      shop,
      customerId,
      rewardId: parsed.data.rewardId,
      requestKey: parsed.data.requestId ?? null,
    });
    return redemptionResponse(result, locale);
  } catch (caught) {
    const failure = redeemFailure(caught);
    if (!failure) throw caught;
    if (failure.code === "TRY_AGAIN" && !(caught instanceof RedemptionError))
      log.warn("redeem: database busy", { shop, ...errorFields(caught) });
    return error(failure.status, failure.code, locale);
  }
};
