/**
 * customers/redact and customers/data_request, called on the engine directly so each case can
 * put exactly the rows it needs in place: which stored webhook bodies count as "about" the
 * shopper, that nothing of another customer or shop goes with them, and the exact shape of the
 * export a merchant hands to the shopper.
 */
import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { exportCustomerData, redactCustomer } from "../../app/loyalty/compliance.server";
import { OTHER_SHOP } from "../support/admin";
import { resetShop } from "../support/engine";
import { TEST_SHOP } from "../support/shopify";

const FORGET = "1001";
const KEEP = "1002";
// Shares FORGET's digits: a body about this customer must not be taken for one about FORGET.
const LONGER = "10010";
const EMAIL = "Ann.Forget@Example.com";

beforeEach(async () => {
  await resetShop();
  await resetShop(OTHER_SHOP);
});

async function member(customerId: string, shop = TEST_SHOP, email = `${customerId}@example.com`) {
  return prisma.member.create({ data: { shop, customerId, email } });
}

async function redemption(
  memberId: string,
  customerId: string,
  rewardId: string,
  code: string,
  createdAt: Date,
  shop = TEST_SHOP,
) {
  return prisma.redemption.create({
    data: {
      shop,
      memberId,
      customerId,
      rewardId,
      pointsSpent: 500,
      code,
      status: "ISSUED",
      rewardSnapshot: {},
      startsAt: createdAt,
      endsAt: new Date(createdAt.getTime() + 30 * 86_400_000),
      createdAt,
    },
  });
}

function reward(shop = TEST_SHOP) {
  return prisma.reward.create({
    data: { shop, name: "$5 off", type: "FIXED_AMOUNT", amount: "5.00", pointsCost: 500 },
  });
}

function failedEvent(shop: string, payload: string, customerId: string | null = null) {
  return prisma.failedEvent.create({
    data: { shop, topic: "orders/paid", payload, customerId, error: "test" },
  });
}

describe("customers/redact", () => {
  it("takes exactly the shopper's rows and stored bodies, nobody else's", async () => {
    const forget = await member(FORGET, TEST_SHOP, EMAIL);
    const keep = await member(KEEP);
    const elsewhere = await member(FORGET, OTHER_SHOP, EMAIL);
    const here = await reward();
    const there = await reward(OTHER_SHOP);
    const day = new Date("2026-11-01T00:00:00.000Z");
    await redemption(forget.id, FORGET, here.id, "FORGET-1", day);
    await redemption(keep.id, KEEP, here.id, "KEEP-1", day);
    await redemption(elsewhere.id, FORGET, there.id, "OTHER-1", day, OTHER_SHOP);
    for (const customerId of [FORGET, KEEP]) {
      await prisma.dataRequest.create({ data: { shop: TEST_SHOP, customerId, data: {} } });
    }
    await prisma.dataRequest.create({ data: { shop: OTHER_SHOP, customerId: FORGET, data: {} } });

    const batch = await prisma.importBatch.create({
      data: { shop: TEST_SHOP, fileName: "old.csv", fileHash: "h", totalRows: 3, createdBy: "s" },
    });
    const row = (line: number, data: { customerId?: string; email?: string }) =>
      prisma.importRow.create({
        data: { batchId: batch.id, shop: TEST_SHOP, line, raw: {}, status: "VALID", ...data },
      });
    // The unmatched row is known only by its email: it carries the shopper's name all the same.
    await row(1, { email: EMAIL });
    await row(2, { customerId: FORGET });
    await row(3, { customerId: KEEP, email: "1002@example.com" });

    const gone = [
      // Known to be about the shopper although the body no longer names them.
      await failedEvent(TEST_SHOP, '{"note":"truncated"}', FORGET),
      // Names the id only inside the body.
      await failedEvent(TEST_SHOP, `{"customer":{"id":${FORGET}}}`),
      // Names the email only, in another case than Shopify sent for the redaction.
      await failedEvent(TEST_SHOP, '{"contact_email":"ANN.FORGET@example.COM"}'),
    ].map((e) => e.id);
    const kept = [
      await failedEvent(TEST_SHOP, `{"customer":{"id":${LONGER}}}`),
      await failedEvent(TEST_SHOP, `{"customer":{"id":${KEEP}}}`, KEEP),
      await failedEvent(OTHER_SHOP, `{"customer":{"id":${FORGET}}}`, FORGET),
    ].map((e) => e.id);

    await redactCustomer(prisma, TEST_SHOP, { customerId: FORGET, email: EMAIL });

    const left = await prisma.failedEvent.findMany({ select: { id: true } });
    expect(left.map((e) => e.id).sort()).toEqual([...kept].sort());
    expect(gone.every((id) => !left.some((e) => e.id === id))).toBe(true);

    const redemptions = await prisma.redemption.findMany({ orderBy: { code: "asc" } });
    expect(redemptions.map((r) => r.code)).toEqual(["KEEP-1", "OTHER-1"]);
    const requests = await prisma.dataRequest.findMany({
      select: { shop: true, customerId: true },
    });
    expect(requests).toEqual(
      expect.arrayContaining([
        { shop: TEST_SHOP, customerId: KEEP },
        { shop: OTHER_SHOP, customerId: FORGET },
      ]),
    );
    expect(requests).toHaveLength(2);
    const rows = await prisma.importRow.findMany({ select: { line: true } });
    expect(rows).toEqual([{ line: 3 }]);
    expect(await prisma.member.count({ where: { customerId: FORGET } })).toBe(1);
    expect(await prisma.member.count({ where: { shop: TEST_SHOP, customerId: KEEP } })).toBe(1);
  });
});

describe("customers/data_request", () => {
  it("exports every field of the member, their ledger in time order, tier history and codes", async () => {
    const silver = await prisma.tier.create({
      data: { shop: TEST_SHOP, name: "Silver", threshold: 100 },
    });
    const joined = new Date("2026-01-05T10:00:00.000Z");
    const expires = new Date("2027-06-01T00:00:00.000Z");
    const shopper = await prisma.member.create({
      data: {
        shop: TEST_SHOP,
        customerId: FORGET,
        email: EMAIL,
        firstName: "Ann",
        lastName: "Forget",
        balance: 120,
        lifetimeEarned: 150,
        tierId: silver.id,
        joinedAt: joined,
        expiresAt: expires,
        birthMonth: 5,
        birthDay: 17,
        birthdaySetAt: joined,
        referralCode: "abcdefghjk",
      },
    });
    // Inserted newest first, so only sorting by when it happened puts them in order (on SQLite
    // the (memberId, occurredAt) index happens to return them sorted anyway; PostgreSQL does not).
    const entry = (points: number, balanceAfter: number, day: string, key: string) =>
      prisma.ledgerEntry.create({
        data: {
          shop: TEST_SHOP,
          memberId: shopper.id,
          kind: points > 0 ? "EARN" : "MANUAL",
          points,
          balanceAfter,
          pendingAfter: 0,
          source: points > 0 ? "ORDER" : "MANUAL",
          idempotencyKey: key,
          description: key,
          occurredAt: new Date(day),
        },
      });
    await entry(-30, 120, "2026-03-01T00:00:00.000Z", "later");
    await entry(150, 150, "2026-02-01T00:00:00.000Z", "earlier");
    await prisma.tierChange.create({
      data: {
        shop: TEST_SHOP,
        memberId: shopper.id,
        toTierId: silver.id,
        toName: "Silver",
        metric: 150,
        reason: "order",
        createdAt: new Date("2026-02-01T00:00:01.000Z"),
      },
    });
    const other = await member(KEEP);
    const prize = await reward();
    // Newer code first again; and another shopper's code that is none of this one's business.
    await redemption(shopper.id, FORGET, prize.id, "B-NEWER", new Date("2026-04-02T00:00:00.000Z"));
    await redemption(shopper.id, FORGET, prize.id, "A-OLDER", new Date("2026-04-01T00:00:00.000Z"));
    await redemption(other.id, KEEP, prize.id, "C-KEEP", new Date("2026-03-15T00:00:00.000Z"));
    // Invited by the other shopper; and a survey answer. The friends a shopper invited are
    // counted, not named (their emails are theirs).
    const invitedAt = new Date("2026-01-01T00:00:00.000Z");
    await prisma.referral.create({
      data: {
        shop: TEST_SHOP,
        referrerId: other.id,
        customerId: FORGET,
        code: "FRIEND-ANN",
        rewardSnapshot: {},
        startsAt: invitedAt,
        endsAt: invitedAt,
        createdAt: invitedAt,
      },
    });
    await prisma.npsResponse.create({
      data: {
        shop: TEST_SHOP,
        memberId: shopper.id,
        score: 9,
        comment: "Nice",
        createdAt: new Date("2026-06-01T00:00:00.000Z"),
      },
    });

    const now = new Date("2026-12-01T00:00:00.000Z");
    const request = await exportCustomerData(prisma, TEST_SHOP, {
      customerId: FORGET,
      requestId: "55",
      eventId: "evt-1",
      now,
    });

    expect(request.data).toEqual({
      generatedAt: now.toISOString(),
      shop: TEST_SHOP,
      customerId: FORGET,
      member: {
        email: EMAIL,
        firstName: "Ann",
        lastName: "Forget",
        balance: 120,
        pendingPoints: 0,
        lifetimeEarned: 150,
        tier: "Silver",
        joinedAt: joined.toISOString(),
        expiresAt: expires.toISOString(),
        birthday: { month: 5, day: 17 },
        referralCode: "abcdefghjk",
        ledger: [
          {
            date: "2026-02-01T00:00:00.000Z",
            kind: "EARN",
            points: 150,
            pendingPoints: 0,
            balanceAfter: 150,
            description: "earlier",
          },
          {
            date: "2026-03-01T00:00:00.000Z",
            kind: "MANUAL",
            points: -30,
            pendingPoints: 0,
            balanceAfter: 120,
            description: "later",
          },
        ],
        tierChanges: [{ date: "2026-02-01T00:00:01.000Z", from: null, to: "Silver" }],
      },
      referrals: {
        invitedBy: [
          { date: "2026-01-01T00:00:00.000Z", welcomeCode: "FRIEND-ANN", status: "OFFERED" },
        ],
        friendsInvited: 0,
      },
      surveyAnswers: [{ date: "2026-06-01T00:00:00.000Z", score: 9, comment: "Nice" }],
      orders: [],
      redemptions: ["A-OLDER", "B-NEWER"].map((code, i) => ({
        date: `2026-04-0${i + 1}T00:00:00.000Z`,
        reward: "$5 off",
        code,
        status: "ISSUED",
        pointsSpent: 500,
        pointsReturned: false,
        validUntil: `2026-05-0${i + 1}T00:00:00.000Z`,
        usedOnOrder: null,
      })),
    });
  });

  it("stores a request once per event id or request id, and separate requests separately", async () => {
    await member(FORGET);
    const now = new Date("2026-12-01T00:00:00.000Z");
    const ask = (requestId: string | null, eventId: string | null) =>
      exportCustomerData(prisma, TEST_SHOP, { customerId: FORGET, requestId, eventId, now });

    // Redelivered with the same event id (and no request id): the first export comes back.
    const byEvent = await ask(null, "evt-1");
    expect((await ask(null, "evt-1")).id).toBe(byEvent.id);
    // Same request id, no event id: the same again.
    const byRequest = await ask("77", null);
    expect(byRequest.id).not.toBe(byEvent.id);
    expect((await ask("77", null)).id).toBe(byRequest.id);
    // A new request from the same shopper is a new export, not one of the earlier ones.
    const fresh = await ask("78", "evt-2");
    expect([byEvent.id, byRequest.id]).not.toContain(fresh.id);
    expect(await prisma.dataRequest.count({ where: { customerId: FORGET } })).toBe(3);
  });
});
