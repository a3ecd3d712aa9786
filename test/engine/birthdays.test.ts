// Birthday points (issue #12): the shopper gives a day in the widget; the hourly job credits it
// on that day in the shop's time zone, once a year, not within 30 days of a change.
import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { awardBirthdays } from "../../app/loyalty/birthdays.server";
import { memberView, programSummary } from "../../app/loyalty/storefront.server";
import { action } from "../../app/routes/proxy.birthday";
import { proxyRequest } from "../support/app-proxy";
import { expectLedgerConsistent, memberOf, resetShop } from "../support/engine";
import { storeOfflineSession, TEST_SHOP } from "../support/shopify";

const DAY = 24 * 60 * 60 * 1000;

async function give(customerId: string | null, body: unknown, contentType = "application/json") {
  const request = proxyRequest({
    path: "/proxy/birthday",
    method: "POST",
    customerId,
    body,
    contentType,
    extraParams: { locale: "fr" },
  });
  const response = await action({ request, params: {}, context: {} });
  return { status: response.status, body: (await response.json()) as unknown };
}

/** A member whose birthday was given long enough ago to count. */
async function born(customerId: string, month: number, day: number, at = new Date("2025-01-01")) {
  return prisma.member.create({
    data: {
      shop: TEST_SHOP,
      customerId,
      birthMonth: month,
      birthDay: day,
      birthdaySetAt: at,
    },
  });
}

beforeEach(async () => {
  await resetShop();
  await prisma.session.deleteMany();
  await storeOfflineSession();
  await prisma.program.create({
    data: { shop: TEST_SHOP, birthdayPoints: 200, timeZone: "Asia/Tokyo" },
  });
});

describe("giving a birthday in the widget", () => {
  it("stores the day for the signed-in shopper, who becomes a member if needed", async () => {
    expect(await give("9101", { month: 2, day: 29 })).toMatchObject({
      status: 200,
      body: { birthday: { points: 200, date: { month: 2, day: 29 }, next: expect.any(String) } },
    });
    const member = await memberOf(9101);
    expect(member).toMatchObject({ birthMonth: 2, birthDay: 29 });
    const setAt = member!.birthdaySetAt!;
    // The same day again is no change: the 30-day wait does not start over.
    await give("9101", { month: 2, day: 29 });
    expect((await memberOf(9101))!.birthdaySetAt).toEqual(setAt);

    // Given today: the first bonus is the first 29 February (28th) at least 30 days away.
    const view = await memberView(TEST_SHOP, "9101");
    expect(view.birthday).toMatchObject({ points: 200, date: { month: 2, day: 29 } });
    expect(new Date(view.birthday!.next!).getTime()).toBeGreaterThan(Date.now() + 29 * DAY);
    expect(view.birthday!.next).toMatch(/^\d{4}-02-2[89]$/);
  });

  it("refuses a day that does not exist, a guest, a form post, and a program without birthday points", async () => {
    expect(await give("9102", { month: 2, day: 30 })).toMatchObject({
      status: 400,
      body: {
        error: { code: "INVALID_BIRTHDAY", message: "Choisissez un mois et un jour de ce mois." },
      },
    });
    expect((await give("9102", { month: 13, day: 1 })).status).toBe(400);
    expect((await give(null, { month: 1, day: 1 })).status).toBe(401);
    expect((await give("9102", "month=1&day=1", "application/x-www-form-urlencoded")).status).toBe(
      415,
    );
    await prisma.program.update({ where: { shop: TEST_SHOP }, data: { birthdayPoints: 0 } });
    expect((await give("9102", { month: 1, day: 1 })).status).toBe(409);
    expect(await memberOf(9102)).toBeNull();
    expect((await memberView(TEST_SHOP, "9102")).birthday).toBeNull();
  });

  it("lists the birthday as a way to earn, in the shopper's language", async () => {
    const { program } = await programSummary(TEST_SHOP, "de");
    expect(program.waysToEarn).toContainEqual(
      expect.objectContaining({
        title: "Geburtstag feiern",
        description: "200 Punkte an deinem Geburtstag",
      }),
    );
  });
});

describe("the birthday job", () => {
  // 2026-05-16 15:30 UTC is 17 May 00:30 in Tokyo.
  const tokyoMay17 = new Date("2026-05-16T15:30:00Z");

  it("credits members on their day in the shop's time zone, once a year", async () => {
    await born("9201", 5, 17);
    await born("9202", 5, 16);
    expect(await awardBirthdays(prisma, new Date("2026-05-16T14:30:00Z"))).toBe(1); // 9202, the 16th in Tokyo
    expect(await awardBirthdays(prisma, tokyoMay17)).toBe(1); // 9201
    expect(await awardBirthdays(prisma, new Date(tokyoMay17.getTime() + 5 * 60 * 60 * 1000))).toBe(
      0,
    );

    expect(await memberOf(9201)).toMatchObject({ balance: 200 });
    const entry = await prisma.ledgerEntry.findFirstOrThrow({
      where: { member: { customerId: "9201" } },
    });
    expect(entry).toMatchObject({
      kind: "EARN",
      source: "BIRTHDAY",
      idempotencyKey: expect.stringMatching(/:2026$/),
      description: "Happy birthday!",
    });
    expect((await memberView(TEST_SHOP, "9201", "es")).history[0]?.description).toBe(
      "¡Feliz cumpleaños!",
    );
    // The next year, again: 9201 on the day, 9202 (the 16th) a day late, as a missed run would.
    expect(await awardBirthdays(prisma, new Date("2027-05-16T15:30:00Z"))).toBe(2);
    await expectLedgerConsistent();
  });

  it("waits 30 days after a change of date", async () => {
    await born("9203", 5, 17, new Date(tokyoMay17.getTime() - 10 * DAY));
    expect(await awardBirthdays(prisma, tokyoMay17)).toBe(0);
    await prisma.member.updateMany({
      data: { birthdaySetAt: new Date(tokyoMay17.getTime() - 31 * DAY) },
    });
    expect(await awardBirthdays(prisma, tokyoMay17)).toBe(1);
  });

  it("celebrates 29 February on the 28th when there is no 29th", async () => {
    await born("9204", 2, 29);
    expect(await awardBirthdays(prisma, new Date("2027-02-27T15:30:00Z"))).toBe(1); // 28 Feb in Tokyo
    expect(await awardBirthdays(prisma, new Date("2028-02-27T15:30:00Z"))).toBe(0); // a leap year: wait
    expect(await awardBirthdays(prisma, new Date("2028-02-28T15:30:00Z"))).toBe(1);
  });

  it("pays a birthday missed yesterday (a worker that was down), once", async () => {
    await born("9206", 5, 17);
    const nextDay = new Date(tokyoMay17.getTime() + 20 * 60 * 60 * 1000); // 18 May, 20:30 in Tokyo
    expect(await awardBirthdays(prisma, nextDay)).toBe(1);
    expect(await awardBirthdays(prisma, tokyoMay17)).toBe(0);
  });

  it("gives nothing while the program is off", async () => {
    await born("9205", 5, 17);
    await prisma.program.update({ where: { shop: TEST_SHOP }, data: { enabled: false } });
    expect(await awardBirthdays(prisma, tokyoMay17)).toBe(0);
  });
});
