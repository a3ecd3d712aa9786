import type { LoaderFunctionArgs } from "@remix-run/node";
import { customerAccountRequest } from "../loyalty/customer-account.server";
import { memberView } from "../loyalty/storefront.server";

export { preflightOnly as action } from "../loyalty/customer-account.server";

// GET /customer-account/member from the loyalty page in customer accounts: the same view the
// storefront widget gets for a signed-in shopper.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const shopper = await customerAccountRequest(request);
  if (shopper instanceof Response) return shopper;
  return shopper.json(await memberView(shopper.shop, shopper.customerId, shopper.locale));
};
