// The NPS survey (issue #12): a member answers 0–10 and a comment in the widget, points at most
// once per interval, and the dashboard shows the score and its trend.
import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { memberView, programSummary } from "../../app/loyalty/storefront.server";
import { loader as dashboardLoader } from "../../app/routes/app._index";
import { action } from "../../app/routes/proxy.survey";
import { load, signIn } from "../support/admin";
import { adminSandbox } from "../support/admin-sandbox";
import { proxyRequest } from "../support/app-proxy";
import { expectLedgerConsistent, memberOf, resetShop } from "../support/engine";
import { TEST_SHOP } from "../support/shopify";

adminSandbox();
const DAY = 24 * 60 * 60 * 1000;

async function answer(customerId: string | null, body: unknown) {
  const request = proxyRequest({
    path: "/proxy/survey",
    method: "POST",
    customerId,
    body,
    extraParams: { locale: "de" },
  });
  const response = await action({ request, params: {}, context: {} });
  return { status: response.status, body: (await response.json()) as unknown };
}

beforeEach(async () => {
  await resetShop();
  await signIn();
  await prisma.program.create({
    data: { shop: TEST_SHOP, npsSurvey: true, npsPoints: 50, npsIntervalDays: 90 },
  });
});

describe("answering the survey", () => {
  it("stores the answer and gives the points once per interval", async () => {
    expect((await memberView(TEST_SHOP, "9301")).survey).toEqual({ points: 50 });
    expect(await answer("9301", { score: 9, comment: "Fast shipping" })).toEqual({
      status: 200,
      body: { points: 50, balance: 50 },
    });
    expect(await prisma.npsResponse.findFirst()).toMatchObject({
      score: 9,
      comment: "Fast shipping",
    });
    expect((await memberView(TEST_SHOP, "9301")).survey).toBeNull();
    expect(await answer("9301", { score: 3 })).toMatchObject({
      status: 409,
      body: { error: { code: "ALREADY_ANSWERED" } },
    });
    expect(await prisma.npsResponse.count()).toBe(1);

    // After the interval the member is asked, and rewarded, again.
    await prisma.npsResponse.updateMany({ data: { createdAt: new Date(Date.now() - 91 * DAY) } });
    expect((await memberView(TEST_SHOP, "9301")).survey).toEqual({ points: 50 });
    expect((await answer("9301", { score: 10 })).status).toBe(200);
    expect(await memberOf(9301)).toMatchObject({ balance: 100 });
    const entries = await prisma.ledgerEntry.findMany({ orderBy: { id: "asc" } });
    expect(entries.map((e) => [e.kind, e.source, e.points, e.description])).toEqual([
      ["EARN", "SURVEY", 50, "Thanks for your feedback"],
      ["EARN", "SURVEY", 50, "Thanks for your feedback"],
    ]);
    await expectLedgerConsistent();
  });

  it("gives points once when two answers arrive at once", async () => {
    const both = await Promise.all([answer("9302", { score: 8 }), answer("9302", { score: 8 })]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await memberOf(9302)).toMatchObject({ balance: 50 });
    expect(await prisma.npsResponse.count()).toBe(1);
  });

  it("refuses a bad score, a guest and a program without the survey, in the shopper's language", async () => {
    expect(await answer("9303", { score: 11 })).toMatchObject({
      status: 400,
      body: { error: { code: "INVALID_ANSWER", message: expect.stringContaining("0 bis 10") } },
    });
    expect((await answer(null, { score: 5 })).status).toBe(401);
    await prisma.program.update({ where: { shop: TEST_SHOP }, data: { npsSurvey: false } });
    expect((await answer("9303", { score: 5 })).status).toBe(409);
    expect(await prisma.npsResponse.count()).toBe(0);
    expect((await memberView(TEST_SHOP, "9303")).survey).toBeNull();
  });

  it("lists the survey's points as a way to earn", async () => {
    const { program } = await programSummary(TEST_SHOP, "en");
    expect(program.waysToEarn).toContainEqual(
      expect.objectContaining({
        id: "survey",
        description: "50 points for answering our short survey",
      }),
    );
  });
});

describe("the dashboard's NPS", () => {
  type Dashboard = Awaited<ReturnType<typeof dashboardLoader>>;

  it("shows the period's score, its trend and the latest comments", async () => {
    const at = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY);
    const member = await prisma.member.create({
      data: { shop: TEST_SHOP, customerId: "9400", firstName: "Ines" },
    });
    const scores: [number, number, string | null][] = [
      [10, 1, "Love it"],
      [9, 1.1, null],
      [3, 1.2, "Slow delivery"],
      [10, 20, null],
      [2, 60, "Old answer"],
    ];
    for (const [score, daysAgo, comment] of scores) {
      await prisma.npsResponse.create({
        data: { shop: TEST_SHOP, memberId: member.id, score, comment, createdAt: at(daysAgo) },
      });
    }
    const data = await load<Dashboard>(dashboardLoader, "/app?range=30d");
    // Last 30 days: 3 promoters, 1 detractor of 4 = 50.
    expect(data.nps?.summary).toMatchObject({
      responses: 4,
      promoters: 3,
      detractors: 1,
      score: 50,
    });
    expect(data.nps?.trend.reduce((sum, t) => sum + t.responses, 0)).toBe(4);
    expect(data.nps?.comments.map((c) => c.comment)).toEqual(["Love it", "Slow delivery"]);
    expect(data.nps?.comments[0]).toMatchObject({ score: 10, member: "Ines" });
  });

  it("is absent for a shop that never asked", async () => {
    await prisma.program.update({ where: { shop: TEST_SHOP }, data: { npsSurvey: false } });
    expect((await load<Dashboard>(dashboardLoader, "/app")).nps).toBeNull();
  });
});
