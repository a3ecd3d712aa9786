import type { ActionFunctionArgs } from "@remix-run/node";
import prisma from "../db.server";
import { parseJsonOrNull } from "../domain/json";
import { parseSurveyAnswer } from "../domain/nps";
import type { ShopperErrorCode, StorefrontLocale } from "../domain/storefront-text";
import { shopperError } from "../domain/storefront-text";
import { PROXY_BODY_LIMIT, readBoundedBody } from "../loyalty/body.server";
import { shopperLocale } from "../loyalty/storefront.server";
import { answerSurvey } from "../loyalty/surveys.server";
import { authenticate } from "../shopify.server";

const HEADERS = { "Cache-Control": "private, no-store" };

function error(status: number, code: ShopperErrorCode, locale: StorefrontLocale) {
  return Response.json(
    { error: { code, message: shopperError(code, locale) } },
    { status, headers: HEADERS },
  );
}

// POST /apps/loyalty/survey {"score": 9, "comment": "…"} from the widget's panel.
export const action = async ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST")
    return Response.json(
      { error: { code: "METHOD_NOT_ALLOWED", message: "Use POST to answer the survey." } },
      { status: 405, headers: { Allow: "POST", ...HEADERS } },
    );
  const locale = shopperLocale(request);
  const body = await readBoundedBody(request, PROXY_BODY_LIMIT);
  if (body instanceof Response) return body;
  await authenticate.public.appProxy(request);
  const url = new URL(request.url);
  const shop = url.searchParams.get("shop")!;
  // Whoever Shopify says is signed in answers; nobody can answer for someone else.
  const customerId = url.searchParams.get("logged_in_customer_id") ?? "";
  if (!/^\d+$/.test(customerId)) return error(401, "NOT_LOGGED_IN", locale);
  // JSON only, as /redeem: a cross-site form cannot send it.
  if (!request.headers.get("content-type")?.toLowerCase().startsWith("application/json")) {
    return error(415, "INVALID_REQUEST", locale);
  }
  const answer = parseSurveyAnswer(parseJsonOrNull(body.text));
  if (!answer) return error(400, "INVALID_ANSWER", locale);
  const result = await answerSurvey(prisma, shop, customerId, answer);
  if (!result.ok)
    return result.error === "OFF"
      ? error(409, "SURVEY_OFF", locale)
      : error(409, "ALREADY_ANSWERED", locale);
  return Response.json({ points: result.points, balance: result.balance }, { headers: HEADERS });
};
