import type { LoaderFunctionArgs } from "@remix-run/node";
import { customerAccountRequest, orderPoints } from "../loyalty/customer-account.server";

export { preflightOnly as action } from "../loyalty/customer-account.server";

// GET /customer-account/orders/{id} from the order-status block: the points that order gave
// the signed-in shopper. Another customer's order answers as one that gave nothing.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const shopper = await customerAccountRequest(request);
  if (shopper instanceof Response) return shopper;
  const orderId = /^\d+$/.test(params.orderId ?? "") ? params.orderId! : null;
  const points = orderId && (await orderPoints(shopper.shop, shopper.customerId, orderId));
  return points ? shopper.json(points) : shopper.error(404, "NOT_FOUND");
};
