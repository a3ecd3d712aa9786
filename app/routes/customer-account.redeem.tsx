import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import prisma from "../db.server";
import { customerAccountBody, customerAccountRequest } from "../loyalty/customer-account.server";
import { redeemFailure, redeemReward } from "../loyalty/redemptions.server";
import { redemptionResponse } from "../loyalty/storefront.server";
import { unauthenticated } from "../shopify.server";

const redeemBody = z.object({
  rewardId: z.string().min(1).max(64),
  /** The extension's idempotency key: the same key again returns the first answer. */
  requestId: z
    .string()
    .regex(/^[\w-]{8,64}$/)
    .optional(),
});

// POST /customer-account/redeem {"rewardId": "…", "requestId": "…"} from the loyalty page in
// customer accounts: the same redemption as the storefront widget's, for the token's shopper.
export const action = async ({ request }: ActionFunctionArgs) => {
  const shopper = await customerAccountRequest(request);
  if (shopper instanceof Response) return shopper;
  if (request.method !== "POST") return shopper.error(405, "INVALID_REQUEST");
  const body = await customerAccountBody(request);
  if (body instanceof Response) return shopper.send(body);
  const parsed = redeemBody.safeParse(body);
  if (!parsed.success) return shopper.error(400, "INVALID_REQUEST");
  try {
    const { admin } = await unauthenticated.admin(shopper.shop);
    const result = await redeemReward({
      prisma,
      admin,
      shop: shopper.shop,
      customerId: shopper.customerId,
      rewardId: parsed.data.rewardId,
      requestKey: parsed.data.requestId ?? null,
    });
    return shopper.send(redemptionResponse(result, shopper.locale));
  } catch (caught) {
    const failure = redeemFailure(caught);
    if (!failure) throw caught;
    return shopper.error(failure.status, failure.code);
  }
};
