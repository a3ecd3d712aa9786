import type { LoaderFunctionArgs } from "@remix-run/node";
import prisma from "../db.server";
import { customerAccountRequest } from "../loyalty/customer-account.server";
import { redeemFailure, redemptionStatus } from "../loyalty/redemptions.server";
import { redemptionResponse } from "../loyalty/storefront.server";
import { unauthenticated } from "../shopify.server";

export { preflightOnly as action } from "../loyalty/customer-account.server";

// GET /customer-account/redemptions/{id}: the loyalty page asking after a reward still being
// prepared. Only the token's shopper's own redemptions are found.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const shopper = await customerAccountRequest(request);
  if (shopper instanceof Response) return shopper;
  try {
    const { admin } = await unauthenticated.admin(shopper.shop);
    const result = await redemptionStatus({
      prisma,
      admin,
      shop: shopper.shop,
      customerId: shopper.customerId,
      redemptionId: params.id ?? "",
    });
    if (!result) return shopper.error(404, "NOT_FOUND");
    return shopper.send(redemptionResponse(result, shopper.locale));
  } catch (caught) {
    const failure = redeemFailure(caught);
    if (!failure) throw caught;
    return shopper.error(failure.status, failure.code);
  }
};
