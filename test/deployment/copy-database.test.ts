import { inject, describe, expect, it } from "vitest";
import { copyDatabase, copyIsExact } from "../../app/db/copy.server";
import { checkModelOrder } from "../../app/db/models";
import { createPrismaClient } from "../../app/db.server";
import { postEntry } from "../../app/loyalty/ledger.server";
import { programFor } from "../../app/loyalty/program.server";
import { createDatabase, testDatabaseKind } from "../support/databases";
import { migrateDeploy } from "../support/migrate";

const SHOP = "moving-shop.myshopify.com";
const postgres = testDatabaseKind() === "postgresql";

/** A SQLite shop as a year of use leaves it: members, ledger, orders, rewards, imports, jobs. */
async function seedSqliteShop(url: string) {
  const db = createPrismaClient(url);
  try {
    await db.session.create({
      data: {
        id: `offline_${SHOP}`,
        shop: SHOP,
        state: "",
        accessToken: "token",
        userId: 90_071_992_547_409_930n,
      },
    });
    await db.program.create({ data: { shop: SHOP, tierBasis: "AMOUNT_SPENT", pendingDays: 3 } });
    const gold = await db.tier.create({ data: { shop: SHOP, name: "Gold", threshold: 10_000 } });
    const reward = await db.reward.create({
      data: { shop: SHOP, name: "$5", type: "FIXED_AMOUNT", amount: "5.00", pointsCost: 50 },
    });
    for (let i = 0; i < 30; i += 1) {
      const program = await programFor(db, SHOP);
      let member = await db.member.create({
        data: { shop: SHOP, customerId: String(1000 + i), tierId: i % 3 ? null : gold.id },
      });
      for (let e = 0; e < 5; e += 1) {
        member = await postEntry(
          db,
          program,
          member,
          {
            kind: e === 4 ? "REDEEM" : "EARN",
            points: e === 4 ? -20 : 10 + i,
            source: e === 4 ? "REDEMPTION" : "ORDER",
            orderId: e === 4 ? undefined : `${i}-${e}`,
            idempotencyKey: `seed:${i}:${e}`,
            rule: e === 4 ? undefined : { earnPoints: 1 },
            description: "seed",
            occurredAt: new Date(Date.UTC(2026, 0, 1 + e)),
          },
          new Date(),
        );
      }
      await db.orderRecord.create({
        data: { shop: SHOP, orderId: `${i}-0`, status: "EARNED", discountCodes: ["WELCOME"] },
      });
      if (i < 5) {
        await db.redemption.create({
          data: {
            shop: SHOP,
            memberId: member.id,
            customerId: member.customerId,
            rewardId: reward.id,
            pointsSpent: 50,
            code: `CODE-${i}`,
            status: "ISSUED",
            rewardSnapshot: { name: "$5" },
            startsAt: new Date(),
            endsAt: new Date(),
          },
        });
      }
    }
    const batch = await db.importBatch.create({
      data: { shop: SHOP, fileName: "a.csv", fileHash: "x", totalRows: 1, createdBy: "staff" },
    });
    await db.importRow.create({
      data: { batchId: batch.id, shop: SHOP, line: 2, raw: ["a@b.c", "10"], status: "VALID" },
    });
    await db.failedEvent.create({
      data: { shop: SHOP, topic: "ORDERS_PAID", payload: "{", error: "bad" },
    });
    await db.dataRequest.create({ data: { shop: SHOP, customerId: "1", data: { a: 1 } } });
    await db.queuedJob.create({ data: { name: "expire-balances", data: {} } });
  } finally {
    await db.$disconnect();
  }
}

describe("moving a shop's database", () => {
  it("lists every model in the copy order", () => {
    expect(() => checkModelOrder()).not.toThrow();
  });

  it.runIf(postgres)(
    "copies SQLite to PostgreSQL, row for row, with every balance matching its ledger",
    async () => {
      const source = await createDatabase("sqlite");
      const target = await createDatabase("postgresql", {
        run: inject("testRun"),
        template: inject("templateDatabase"),
      });
      try {
        migrateDeploy(source.url);
        await seedSqliteShop(source.url);

        const report = await copyDatabase(source.url, target.url);

        expect(copyIsExact(report)).toBe(true);
        expect(report.rows.LedgerEntry).toEqual({ source: 150, target: 150 });
        expect(report.members).toBe(30);
        expect(report.balanceMismatches).toEqual([]);
        const copied = createPrismaClient(target.url);
        try {
          const member = await copied.member.findFirstOrThrow({
            where: { shop: SHOP, customerId: "1003" },
            include: { tier: true },
          });
          expect(member).toMatchObject({ balance: 4 * 13 - 20, tier: { name: "Gold" } });
          expect((await copied.session.findFirstOrThrow()).userId).toBe(90_071_992_547_409_930n);
          expect((await copied.importRow.findFirstOrThrow()).raw).toEqual(["a@b.c", "10"]);
          expect((await copied.orderRecord.findFirstOrThrow()).discountCodes).toEqual(["WELCOME"]);
          // New entries continue after the copied ids.
          const program = await programFor(copied, SHOP);
          await postEntry(
            copied,
            program,
            member,
            {
              kind: "MANUAL",
              points: 1,
              source: "MANUAL",
              idempotencyKey: "after-move",
              description: "after the move",
              occurredAt: new Date(),
            },
            new Date(),
          );
          expect(await copied.ledgerEntry.count()).toBe(151);
        } finally {
          await copied.$disconnect();
        }

        await expect(copyDatabase(source.url, target.url)).rejects.toThrow(/already has/);
      } finally {
        await source.drop();
        await target.drop();
      }
    },
    120_000,
  );
});
