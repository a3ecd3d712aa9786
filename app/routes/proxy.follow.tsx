import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import prisma from "../db.server";
import { memberPost, shopperErrorResponse, shopperJson } from "../loyalty/proxy-post.server";
import { followNetwork } from "../loyalty/social.server";

const followBody = z.object({ network: z.string().max(20) });

// POST /apps/loyalty/follow {"network": "instagram"} when the widget opens the shop's page.
export const action = async ({ request }: ActionFunctionArgs) => {
  const post = await memberPost(request, "report a follow");
  if (post instanceof Response) return post;
  const parsed = followBody.safeParse(post.body);
  if (!parsed.success) return shopperErrorResponse(400, "INVALID_REQUEST", post.locale);
  const result = await followNetwork(prisma, post.shop, post.customerId, parsed.data.network);
  if (!result.ok) return shopperErrorResponse(404, "UNKNOWN_NETWORK", post.locale);
  return shopperJson({ points: result.points, balance: result.balance });
};
