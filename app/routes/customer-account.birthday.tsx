import type { ActionFunctionArgs } from "@remix-run/node";
import prisma from "../db.server";
import { parseBirthday } from "../domain/birthdays";
import { setBirthday } from "../loyalty/birthdays.server";
import { customerAccountBody, customerAccountRequest } from "../loyalty/customer-account.server";

// POST /customer-account/birthday {"month": 5, "day": 17} from the loyalty page in customer
// accounts, as the widget's panel sets it.
export const action = async ({ request }: ActionFunctionArgs) => {
  const shopper = await customerAccountRequest(request);
  if (shopper instanceof Response) return shopper;
  if (request.method !== "POST") return shopper.error(405, "INVALID_REQUEST");
  const body = await customerAccountBody(request);
  if (body instanceof Response) return shopper.send(body);
  const birthday = parseBirthday(body);
  if (!birthday) return shopper.error(400, "INVALID_BIRTHDAY");
  const result = await setBirthday(prisma, shopper.shop, shopper.customerId, birthday);
  if (!result.ok) return shopper.error(409, "BIRTHDAY_OFF");
  return shopper.json({ birthday: result.birthday });
};
