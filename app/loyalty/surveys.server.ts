import type { Member, PrismaClient } from "@prisma/client";
import type { SurveyAnswer } from "../domain/nps";
import { contributionsFor, totalPoints } from "../domain/earning-rules";
import type { Db } from "./program.server";
import { earningRules } from "./program.server";
import { postEntry } from "./ledger.server";
import { evaluateTier, lockedMemberFor, retryingNewMember } from "./members.server";
import { shopConfig } from "./shop-config.server";

/**
 * The NPS survey (rules in app/domain/nps.ts): the widget asks a member whose last answer is
 * older than the program's interval; an answer is stored with its points (if the program gives
 * any) in one transaction, the member locked, so two answers at once give points once.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whether the member may be asked now: no answer within the interval. */
export async function surveyDue(db: Db, memberId: string, intervalDays: number, now: Date) {
  const last = await db.npsResponse.findFirst({
    where: { memberId, createdAt: { gt: new Date(now.getTime() - intervalDays * DAY_MS) } },
    select: { id: true },
  });
  return last === null;
}

export type AnswerResult =
  { ok: true; points: number; balance: number } | { ok: false; error: "OFF" | "ALREADY_ANSWERED" };

export async function answerSurvey(
  prisma: PrismaClient,
  shop: string,
  customerId: string,
  answer: SurveyAnswer,
  now = new Date(),
): Promise<AnswerResult> {
  return retryingNewMember(() => answerOnce(prisma, shop, customerId, answer, now));
}

function answerOnce(
  prisma: PrismaClient,
  shop: string,
  customerId: string,
  answer: SurveyAnswer,
  now: Date,
): Promise<AnswerResult> {
  return prisma.$transaction(async (tx): Promise<AnswerResult> => {
    const rules = await shopConfig(shop, tx);
    const { program } = rules;
    if (!program.enabled || !program.npsSurvey) return { ok: false, error: "OFF" };
    // Locked before the interval is checked: of two answers at once, the second sees the first.
    let member: Member = await lockedMemberFor(tx, shop, customerId, now);
    if (!(await surveyDue(tx, member.id, program.npsIntervalDays, now)))
      return { ok: false, error: "ALREADY_ANSWERED" };
    const response = await tx.npsResponse.create({
      data: {
        shop,
        memberId: member.id,
        score: answer.score,
        comment: answer.comment,
        createdAt: now,
      },
    });
    const contributions = contributionsFor(earningRules(program, null), { type: "SURVEY" });
    const points = totalPoints(contributions);
    if (points > 0) {
      member = await tx.member.findUniqueOrThrow({ where: { id: member.id } });
      member = await postEntry(
        tx,
        program,
        member,
        {
          kind: "EARN",
          points,
          source: "SURVEY",
          sourceId: response.id,
          idempotencyKey: `survey:${response.id}`,
          rule: { contributions },
          text: { key: "survey" },
          occurredAt: now,
        },
        now,
      );
      member = await evaluateTier(tx, rules, member, now, "survey answered");
    }
    return { ok: true, points, balance: member.balance };
  });
}
