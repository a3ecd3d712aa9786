import type { ActionFunctionArgs } from "@remix-run/node";
import prisma from "../db.server";
import { parseBirthday } from "../domain/birthdays";
import { setBirthday } from "../loyalty/birthdays.server";
import { memberPost, shopperErrorResponse, shopperJson } from "../loyalty/proxy-post.server";

// POST /apps/loyalty/birthday {"month": 5, "day": 17} from the widget's panel.
export const action = async ({ request }: ActionFunctionArgs) => {
  const post = await memberPost(request, "set a birthday");
  if (post instanceof Response) return post;
  const birthday = parseBirthday(post.body);
  if (!birthday) return shopperErrorResponse(400, "INVALID_BIRTHDAY", post.locale);
  const result = await setBirthday(prisma, post.shop, post.customerId, birthday);
  if (!result.ok) return shopperErrorResponse(409, "BIRTHDAY_OFF", post.locale);
  return shopperJson({ birthday: result.birthday });
};
