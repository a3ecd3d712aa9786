import type { PrismaClient } from "@prisma/client";
import type { Birthday } from "../domain/birthdays";
import {
  BIRTHDAY_CHANGE_WAIT_DAYS,
  birthdayKey,
  birthdaysOn,
  nextBirthdayBonus,
} from "../domain/birthdays";
import { contributionsFor, totalPoints } from "../domain/earning-rules";
import { knownTimeZone, wallClock } from "../domain/time-zones";
import { isUniqueViolation } from "../db/errors";
import { lockMember } from "../db/locks.server";
import { errorFields, log } from "../log.server";
import { postEntry } from "./ledger.server";
import { evaluateTier, memberFor, retryingNewMember } from "./members.server";
import type { Db } from "./program.server";
import { earningRules } from "./program.server";
import { shopConfig } from "./shop-config.server";

/**
 * Birthday points (rules in app/domain/birthdays.ts): the widget stores the day a shopper gives,
 * and the hourly `award-birthdays` job credits every member whose birthday it is in the shop's
 * time zone, once a year (ledger key birthday:<member>:<year>).
 */

const DAY_MS = 24 * 60 * 60 * 1000;
const BATCH = 500;

export type SetBirthdayResult =
  { ok: true; birthday: Awaited<ReturnType<typeof birthdayCard>> } | { ok: false; error: "OFF" };

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
  const saved =
    member.birthMonth === birthday.month && member.birthDay === birthday.day
      ? member
      : await prisma.member.update({
          where: { id: member.id },
          data: { birthMonth: birthday.month, birthDay: birthday.day, birthdaySetAt: now },
        });
  // What the widget shows next: the day and when its next bonus will be paid.
  return { ok: true, birthday: await birthdayCard(prisma, program, saved, now) };
}

/**
 * The hourly job: each shop with birthday points, its members whose birthday is today in the
 * shop's time zone, or was yesterday (a worker that was down for a day pays the next). One
 * member's or one shop's failure is logged and the rest go on.
 */
export async function awardBirthdays(prisma: PrismaClient, now: Date) {
  const programs = await prisma.program.findMany({
    where: { enabled: true, birthdayPoints: { gt: 0 } },
    select: { shop: true, timeZone: true },
  });
  let awarded = 0;
  for (const { shop, timeZone } of programs) {
    try {
      awarded += await awardShop(prisma, shop, knownTimeZone(timeZone), now);
    } catch (error) {
      log.error("birthday points: shop skipped this run", { shop, ...errorFields(error) });
    }
  }
  return awarded;
}

async function awardShop(prisma: PrismaClient, shop: string, timeZone: string, now: Date) {
  const settledBy = new Date(now.getTime() - BIRTHDAY_CHANGE_WAIT_DAYS * DAY_MS);
  let awarded = 0;
  // The shop's calendar: a birthday starts at the shop's midnight, not UTC's.
  for (const back of [0, 1]) {
    const local = new Date(wallClock(now, timeZone) - back * DAY_MS);
    const year = local.getUTCFullYear();
    const days = birthdaysOn({ year, month: local.getUTCMonth() + 1, day: local.getUTCDate() });
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
        try {
          if (await awardOne(prisma, { shop, memberId: id, year, days, settledBy }, now))
            awarded += 1;
        } catch (error) {
          log.error("birthday points: member skipped this run", {
            shop,
            memberId: id,
            ...errorFields(error),
          });
        }
      }
    }
  }
  return awarded;
}

async function awardOne(
  prisma: PrismaClient,
  job: { shop: string; memberId: string; year: number; days: Birthday[]; settledBy: Date },
  now: Date,
): Promise<boolean> {
  const { shop, memberId, year } = job;
  try {
    return await prisma.$transaction(async (tx) => {
      const rules = await shopConfig(shop, tx);
      const contributions = contributionsFor(earningRules(rules.program, null), {
        type: "BIRTHDAY",
      });
      const points = totalPoints(contributions);
      if (!rules.program.enabled || points <= 0) return false;
      await lockMember(tx, memberId);
      let member = await tx.member.findUnique({ where: { id: memberId } });
      // Read again under the lock: the date may have just been changed from the widget.
      const stillDue =
        member?.birthdaySetAt &&
        member.birthdaySetAt <= job.settledBy &&
        job.days.some((d) => d.month === member!.birthMonth && d.day === member!.birthDay);
      if (!member || !stillDue) return false;
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

/**
 * The widget's birthday card: the day the shopper gave and the day its next bonus will be paid
 * (ISO date in the shop's calendar), so the widget never promises a bonus the wait rules out.
 */
export async function birthdayCard(
  db: Db,
  program: { shop: string; birthdayPoints: number; timeZone: string | null },
  member: {
    id: string;
    birthMonth: number | null;
    birthDay: number | null;
    birthdaySetAt: Date | null;
  },
  now: Date,
) {
  const date =
    member.birthMonth && member.birthDay
      ? { month: member.birthMonth, day: member.birthDay }
      : null;
  if (!date || !member.birthdaySetAt)
    return { points: program.birthdayPoints, date: null, next: null };
  const zone = knownTimeZone(program.timeZone);
  const local = (at: Date) => {
    const wall = new Date(wallClock(at, zone));
    return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() };
  };
  const today = local(now);
  const paid = await db.ledgerEntry.findUnique({
    where: {
      shop_idempotencyKey: {
        shop: program.shop,
        idempotencyKey: birthdayKey(member.id, today.year),
      },
    },
    select: { id: true },
  });
  const next = nextBirthdayBonus({
    birthday: date,
    setOn: local(member.birthdaySetAt),
    today,
    paidThisYear: paid !== null,
  });
  const pad = (n: number) => String(n).padStart(2, "0");
  return {
    points: program.birthdayPoints,
    date,
    next: `${next.year}-${pad(next.month)}-${pad(next.day)}`,
  };
}
