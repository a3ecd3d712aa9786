import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import prisma from "../db.server";
import { isBirthday } from "../domain/birthdays";
import { setBirthday } from "../loyalty/birthdays.server";
import { memberPost, shopperErrorResponse, shopperJson } from "../loyalty/proxy-post.server";

const birthdayBody = z.object({ month: z.number().int(), day: z.number().int() });

// POST /apps/loyalty/birthday {"month": 5, "day": 17} from the widget's panel.
export const action = async ({ request }: ActionFunctionArgs) => {
  const post = await memberPost(request, "set a birthday");
  if (post instanceof Response) return post;
  const parsed = birthdayBody.safeParse(post.body);
  if (!parsed.success || !isBirthday(parsed.data))
    return shopperErrorResponse(400, "INVALID_BIRTHDAY", post.locale);
  const result = await setBirthday(prisma, post.shop, post.customerId, parsed.data);
  if (!result.ok) return shopperErrorResponse(409, "BIRTHDAY_OFF", post.locale);
  return shopperJson({ birthday: result.birthday });
};
