import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import prisma from "../db.server";
import { isBirthday } from "../domain/birthdays";
import { parseJsonOrNull } from "../domain/json";
import type { ShopperErrorCode, StorefrontLocale } from "../domain/storefront-text";
import { shopperError } from "../domain/storefront-text";
import { setBirthday } from "../loyalty/birthdays.server";
import { PROXY_BODY_LIMIT, readBoundedBody } from "../loyalty/body.server";
import { shopperLocale } from "../loyalty/storefront.server";
import { authenticate } from "../shopify.server";

const birthdayBody = z.object({ month: z.number().int(), day: z.number().int() });
const HEADERS = { "Cache-Control": "private, no-store" };

function error(status: number, code: ShopperErrorCode, locale: StorefrontLocale) {
  return Response.json(
    { error: { code, message: shopperError(code, locale) } },
    { status, headers: HEADERS },
  );
}

// POST /apps/loyalty/birthday {"month": 5, "day": 17} from the widget's panel.
export const action = async ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST")
    return Response.json(
      { error: { code: "METHOD_NOT_ALLOWED", message: "Use POST to set a birthday." } },
      { status: 405, headers: { Allow: "POST", ...HEADERS } },
    );
  const locale = shopperLocale(request);
  const body = await readBoundedBody(request, PROXY_BODY_LIMIT);
  if (body instanceof Response) return body;
  await authenticate.public.appProxy(request);
  const url = new URL(request.url);
  const shop = url.searchParams.get("shop")!;
  // Whoever Shopify says is signed in: nobody can set another shopper's birthday.
  const customerId = url.searchParams.get("logged_in_customer_id") ?? "";
  if (!/^\d+$/.test(customerId)) return error(401, "NOT_LOGGED_IN", locale);
  // JSON only, as /redeem: a cross-site form cannot send it.
  if (!request.headers.get("content-type")?.toLowerCase().startsWith("application/json")) {
    return error(415, "INVALID_REQUEST", locale);
  }
  const parsed = birthdayBody.safeParse(parseJsonOrNull(body.text));
  if (!parsed.success || !isBirthday(parsed.data)) return error(400, "INVALID_BIRTHDAY", locale);
  const result = await setBirthday(prisma, shop, customerId, parsed.data);
  if (!result.ok) return error(409, "BIRTHDAY_OFF", locale);
  return Response.json({ birthday: result.birthday }, { headers: HEADERS });
};
