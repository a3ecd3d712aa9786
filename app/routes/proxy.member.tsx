import type { LoaderFunctionArgs } from "@remix-run/node";
import { memberView, programSummary, shopperLocale } from "../loyalty/storefront.server";
import { authenticate } from "../shopify.server";

// GET /apps/loyalty/member on the storefront, forwarded and signed by Shopify's app proxy.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.public.appProxy(request);
  const url = new URL(request.url);
  // Both come from the signed query string; nothing the shopper sends can change them.
  const shop = url.searchParams.get("shop")!;
  const customerId = url.searchParams.get("logged_in_customer_id") ?? "";
  const locale = shopperLocale(request);
  const body = /^\d+$/.test(customerId)
    ? await memberView(shop, customerId, locale)
    : await programSummary(shop, locale);
  return Response.json(body, { headers: { "Cache-Control": "private, no-store" } });
};
