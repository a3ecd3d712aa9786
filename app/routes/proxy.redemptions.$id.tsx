import type { LoaderFunctionArgs } from "@remix-run/node";
import prisma from "../db.server";
import { RedemptionError, redemptionStatus } from "../loyalty/redemptions.server";
import { redemptionResponse, shopperLocale } from "../loyalty/storefront.server";
import { authenticate } from "../shopify.server";
import type { ShopperErrorCode, StorefrontLocale } from "../domain/storefront-text";
import { shopperError } from "../domain/storefront-text";

function error(status: number, code: ShopperErrorCode, locale: StorefrontLocale) {
  return Response.json(
    { error: { code, message: shopperError(code, locale) } },
    { status, headers: { "Cache-Control": "private, no-store" } },
  );
}

// GET /apps/loyalty/redemptions/{id}: the widget asking after a reward still being prepared.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { admin } = await authenticate.public.appProxy(request);
  const url = new URL(request.url);
  const locale = shopperLocale(request);
  const shop = url.searchParams.get("shop")!;
  // Only the signed-in shopper's own redemptions: the customer comes from the signed query.
  const customerId = url.searchParams.get("logged_in_customer_id") ?? "";
  if (!/^\d+$/.test(customerId)) return error(401, "NOT_LOGGED_IN", locale);
  try {
    const result = await redemptionStatus({
      prisma,
      admin: admin ?? null,
      shop,
      customerId,
      redemptionId: params.id ?? "",
    });
    if (!result) return error(404, "NOT_FOUND", locale);
    return redemptionResponse(result, locale);
  } catch (caught) {
    if (caught instanceof RedemptionError) return error(caught.status, caught.code, locale);
    throw caught;
  }
};
