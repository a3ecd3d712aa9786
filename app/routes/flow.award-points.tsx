import type { ActionFunctionArgs } from "@remix-run/node";
import {
  awardBonusAction,
  parseFlowAward,
  recordRejectedFlowAction,
} from "../loyalty/bonus-actions.server";
import { authenticate } from "../shopify.server";

// POST /flow/award-points: the runtime URL of the "Award loyalty points" Flow action. Flow signs
// the body with the app secret (X-Shopify-Hmac-Sha256); authenticate.flow answers 401 otherwise.
// Flow retries a 5xx, a 202 and a 429 for up to a day, and treats any other 4xx as final: a
// request that cannot be carried out gets a 4xx with a message the merchant reads in the run log.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { payload } = await authenticate.flow(request);
  const shop = String((payload as { shopify_domain?: unknown })?.shopify_domain ?? "");
  const parsed = parseFlowAward(payload);
  if (!parsed.ok) {
    // Kept for the shop it names, when it names one.
    if (/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(shop)) {
      await recordRejectedFlowAction(shop, payload, parsed.message);
    }
    return Response.json({ message: parsed.message }, { status: 400 });
  }
  const { shop: awardShop, ...award } = parsed.award;
  const result = await awardBonusAction(awardShop, award);
  if (!result.ok) {
    await recordRejectedFlowAction(awardShop, payload, result.message);
    return Response.json({ message: result.message }, { status: 422 });
  }
  return Response.json({ points: award.points, balance: result.balance });
};
