import type { PrismaClient } from "@prisma/client";
import type { Birthday } from "../domain/birthdays";
import { BIRTHDAY_CHANGE_WAIT_DAYS, birthdayKey, birthdaysOn } from "../domain/birthdays";
import { contributionsFor } from "../domain/earning-rules";
import { knownTimeZone, wallClock } from "../domain/time-zones";
import { isUniqueViolation } from "../db/errors";
import { lockMember } from "../db/locks.server";
import { log } from "../log.server";
import { postEntry } from "./ledger.server";
import { evaluateTier, memberFor, retryingNewMember } from "./members.server";
import { earningRules } from "./program.server";
import { shopConfig } from "./shop-config.server";

/**
 * Birthday points (rules in app/domain/birthdays.ts): the widget stores the day a shopper gives,
 * and the hourly `award-birthdays` job credits every member whose birthday it is in the shop's
 * time zone, once a year (ledger key birthday:<member>:<year>).
 */

const DAY_MS = 24 * 60 * 60 * 1000;
const BATCH = 500;

export type SetBirthdayResult = { ok: true; birthday: Birthday } | { ok: false; error: "OFF" };

/** The shopper's birthday from the widget; the same day again changes nothing (nor its date). */
export async function setBirthday(
  prisma: PrismaClient,
  shop: string,
  customerId: string,
  birthday: Birthday,
  now = new Date(),
): Promise<SetBirthdayResult> {
  const { program } = await shopConfig(shop);
  if (!program.enabled || program.birthdayPoints <= 0) return { ok: false, error: "OFF" };
  // A customer whose account webhook has not arrived yet is a member from now on.
  const member = await retryingNewMember(() =>
    memberFor(prisma, shop, { customerId, email: null, firstName: null, lastName: null }, now),
  );
  if (member.birthMonth !== birthday.month || member.birthDay !== birthday.day) {
    await prisma.member.update({
      where: { id: member.id },
      data: { birthMonth: birthday.month, birthDay: birthday.day, birthdaySetAt: now },
    });
  }
  return { ok: true, birthday };
}

/** The hourly job: each shop with birthday points, its members whose birthday today is. */
export async function awardBirthdays(prisma: PrismaClient, now: Date) {
  const programs = await prisma.program.findMany({
    where: { enabled: true, birthdayPoints: { gt: 0 } },
    select: { shop: true, timeZone: true },
  });
  let awarded = 0;
  for (const { shop, timeZone } of programs) {
    // The shop's calendar day: a birthday starts at the shop's midnight, not UTC's.
    const local = new Date(wallClock(now, knownTimeZone(timeZone)));
    const year = local.getUTCFullYear();
    const days = birthdaysOn({ year, month: local.getUTCMonth() + 1, day: local.getUTCDate() });
    const settledBy = new Date(now.getTime() - BIRTHDAY_CHANGE_WAIT_DAYS * DAY_MS);
    for (let after: string | undefined; ;) {
      const members = await prisma.member.findMany({
        where: {
          shop,
          OR: days.map((d) => ({ birthMonth: d.month, birthDay: d.day })),
          birthdaySetAt: { lte: settledBy },
          ...(after ? { id: { gt: after } } : {}),
        },
        select: { id: true },
        orderBy: { id: "asc" },
        take: BATCH,
      });
      if (!members.length) break;
      after = members[members.length - 1]!.id;
      const done = new Set(
        (
          await prisma.ledgerEntry.findMany({
            where: { shop, idempotencyKey: { in: members.map((m) => birthdayKey(m.id, year)) } },
            select: { idempotencyKey: true },
          })
        ).map((e) => e.idempotencyKey),
      );
      for (const { id } of members) {
        if (done.has(birthdayKey(id, year))) continue;
        if (await awardOne(prisma, shop, id, year, now)) awarded += 1;
      }
    }
  }
  return awarded;
}

async function awardOne(
  prisma: PrismaClient,
  shop: string,
  memberId: string,
  year: number,
  now: Date,
): Promise<boolean> {
  try {
    return await prisma.$transaction(async (tx) => {
      const rules = await shopConfig(shop, tx);
      const contributions = contributionsFor(earningRules(rules.program, null), {
        type: "BIRTHDAY",
      });
      const points = contributions.reduce((sum, c) => sum + c.points, 0);
      if (!rules.program.enabled || points <= 0) return false;
      await lockMember(tx, memberId);
      let member = await tx.member.findUnique({ where: { id: memberId } });
      if (!member) return false;
      member = await postEntry(
        tx,
        rules.program,
        member,
        {
          kind: "EARN",
          points,
          source: "BIRTHDAY",
          sourceId: String(year),
          idempotencyKey: birthdayKey(memberId, year),
          rule: { contributions },
          text: { key: "birthday" },
          occurredAt: now,
        },
        now,
      );
      await evaluateTier(tx, rules, member, now, "birthday");
      return true;
    });
  } catch (error) {
    // Another worker gave this year's bonus a moment ago.
    if (!isUniqueViolation(error)) throw error;
    log.info("birthday bonus already given", { shop, memberId, year });
    return false;
  }
}
