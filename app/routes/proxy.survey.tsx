import type { ActionFunctionArgs } from "@remix-run/node";
import prisma from "../db.server";
import { parseSurveyAnswer } from "../domain/nps";
import { memberPost, shopperErrorResponse, shopperJson } from "../loyalty/proxy-post.server";
import { answerSurvey } from "../loyalty/surveys.server";

// POST /apps/loyalty/survey {"score": 9, "comment": "…"} from the widget's panel.
export const action = async ({ request }: ActionFunctionArgs) => {
  const post = await memberPost(request, "answer the survey");
  if (post instanceof Response) return post;
  const answer = parseSurveyAnswer(post.body);
  if (!answer) return shopperErrorResponse(400, "INVALID_ANSWER", post.locale);
  const result = await answerSurvey(prisma, post.shop, post.customerId, answer);
  if (!result.ok)
    return shopperErrorResponse(
      409,
      result.error === "OFF" ? "SURVEY_OFF" : "ALREADY_ANSWERED",
      post.locale,
    );
  return shopperJson({ points: result.points, balance: result.balance });
};
