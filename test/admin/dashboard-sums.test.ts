// The dashboard's sums come from the database (app/admin/dashboard-sums.server.ts). Checked
// against the same figures computed entry by entry, on random ledgers and at slot boundaries.
import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import type { EntryKind } from "@prisma/client";
import { beforeEach, describe, expect, it } from "vitest";
import prisma, { databaseProvider } from "../../app/db.server";
import {
  ACTIVITY_KINDS,
  activeMembers,
  ledgerSums,
  ledgerSumsFromEntries,
  orderSums,
} from "../../app/admin/dashboard-sums.server";
import { foldActivityGaps, foldLedgerRollups } from "../../app/loyalty/rollups.server";
import { pointsFlow } from "../../app/domain/dashboard";
import { resetShop } from "../support/engine";
import { TEST_SHOP } from "../support/shopify";

const DAY = 86_400_000;
const START = Date.UTC(2026, 10, 1);
const slots = Array.from({ length: 5 }, (_, i) => ({
  start: new Date(START + i * DAY),
  end: new Date(START + (i + 1) * DAY),
}));
const KINDS: EntryKind[] = [
  "EARN",
  "MANUAL",
  "IMPORT",
  "REDEEM",
  "EXPIRE",
  "REFUND_CLAWBACK",
  "SIGNUP_BONUS",
  "RELEASE",
];

let members: string[];
let serial = 0;

beforeEach(async () => {
  await resetShop();
  await resetShop("other-shop.myshopify.com");
  members = [];
  for (const customerId of ["1", "2", "3"]) {
    const member = await prisma.member.create({ data: { shop: TEST_SHOP, customerId } });
    members.push(member.id);
  }
});

async function entry(
  at: number,
  kind: EntryKind,
  points: number,
  memberIndex = 0,
  shop = TEST_SHOP,
) {
  const memberId =
    shop === TEST_SHOP
      ? members[memberIndex]!
      : (
          await prisma.member.upsert({
            where: { shop_customerId: { shop, customerId: "9" } },
            create: { shop, customerId: "9" },
            update: {},
          })
        ).id;
  serial += 1;
  return prisma.ledgerEntry.create({
    data: {
      shop,
      memberId,
      kind,
      points,
      balanceAfter: 0,
      pendingAfter: 0,
      source: "MANUAL",
      idempotencyKey: `sum-${serial}`,
      description: "test",
      occurredAt: new Date(at),
    },
  });
}

const flowKeys = ["issued", "redeemed", "expired", "takenBack"] as const;

describe("ledger sums", () => {
  it("put an entry at a slot's first instant in that slot and one at its end in the next", async () => {
    await entry(START, "EARN", 10);
    await entry(START + DAY - 1, "EARN", 1);
    await entry(START + DAY, "EARN", 100);
    await entry(START - 1, "EARN", 1000);
    await entry(START + 5 * DAY, "EARN", 10_000);
    await entry(START, "EARN", 7, 0, "other-shop.myshopify.com");
    const sums = await ledgerSums(TEST_SHOP, slots);
    expect(sums.sort((a, b) => a.slot - b.slot)).toEqual([
      { slot: 0, kind: "EARN", credit: true, total: 11 },
      { slot: 1, kind: "EARN", credit: true, total: 100 },
    ]);
  });

  it("give the figures entry-by-entry arithmetic gives, for any ledger, folded or not", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            at: fc.integer({ min: START - DAY, max: START + 6 * DAY }),
            kind: fc.constantFrom(...KINDS),
            points: fc.integer({ min: -500, max: 500 }),
            member: fc.integer({ min: 0, max: 2 }),
            // Folded into the rollups after this entry; redacted (deleted) afterwards.
            foldAfter: fc.boolean(),
            deleted: fc.boolean(),
          }),
          { maxLength: 25 },
        ),
        fc.boolean(),
        async (entries, foldAtEnd) => {
          await prisma.ledgerEntry.deleteMany({ where: { shop: TEST_SHOP } });
          await foldLedgerRollups(prisma);
          const ids: number[] = [];
          for (const e of entries) {
            ids.push((await entry(e.at, e.kind, e.points, e.member)).id);
            if (e.foldAfter) await foldLedgerRollups(prisma, 3);
          }
          await prisma.ledgerEntry.deleteMany({
            where: { id: { in: ids.filter((_, i) => entries[i]!.deleted) } },
          });
          if (foldAtEnd) await foldLedgerRollups(prisma);
          const kept = entries.filter((e) => !e.deleted);

          const expected = slots.map((slot) => {
            const inSlot = kept.filter(
              (e) => e.at >= slot.start.getTime() && e.at < slot.end.getTime(),
            );
            return Object.fromEntries(
              flowKeys.map((key) => [
                key,
                inSlot.reduce(
                  (sum, e) =>
                    sum + pointsFlow({ kind: e.kind, points: e.points, pendingPoints: 0 })[key],
                  0,
                ),
              ]),
            );
          });
          const flows = (sums: Awaited<ReturnType<typeof ledgerSums>>) => {
            const actual = slots.map(() => Object.fromEntries(flowKeys.map((key) => [key, 0])));
            for (const sum of sums) {
              const flow = pointsFlow({ kind: sum.kind, points: sum.total, pendingPoints: 0 });
              for (const key of flowKeys) actual[sum.slot]![key]! += flow[key];
            }
            return actual;
          };
          expect(flows(await ledgerSums(TEST_SHOP, slots))).toEqual(expected);
          expect(flows(await ledgerSumsFromEntries(TEST_SHOP, slots))).toEqual(expected);
        },
      ),
      { numRuns: 15 },
    );
  });

  it("lose nothing when folds run while entries are posted", async () => {
    const folds = async () => {
      for (let round = 0; round < 6; round += 1) await foldLedgerRollups(prisma, 7);
    };
    await Promise.all([
      ...Array.from({ length: 60 }, (_, i) => entry(START + i * 60_000, "EARN", i + 1, i % 3)),
      folds(),
      folds(),
      folds(),
    ]);
    const day = [{ start: new Date(START), end: new Date(START + DAY) }];
    expect((await ledgerSums(TEST_SHOP, day)).map((s) => s.total)).toEqual([(60 * 61) / 2]);
    await foldLedgerRollups(prisma);
    expect(await prisma.ledgerRollupDelta.count({ where: { shop: TEST_SHOP } })).toBe(0);
    expect((await ledgerSums(TEST_SHOP, day)).map((s) => s.total)).toEqual([(60 * 61) / 2]);
  });

  it("read the rollups only on quarter-hour edges, and the entries otherwise", async () => {
    await entry(START + 10 * 60_000, "EARN", 5);
    await entry(START + 20 * 60_000, "EARN", 7);
    await foldLedgerRollups(prisma);
    // A slot edge at 00:15 splits the 00:00–00:15 rollup from the next; one at 00:12 cannot.
    const quarter = [
      { start: new Date(START), end: new Date(START + 15 * 60_000) },
      { start: new Date(START + 15 * 60_000), end: new Date(START + DAY) },
    ];
    const odd = [
      { start: new Date(START), end: new Date(START + 12 * 60_000) },
      { start: new Date(START + 12 * 60_000), end: new Date(START + DAY) },
    ];
    const totals = (sums: Awaited<ReturnType<typeof ledgerSums>>) =>
      sums.sort((a, b) => a.slot - b.slot).map((s) => [s.slot, s.total]);
    expect(totals(await ledgerSums(TEST_SHOP, quarter))).toEqual([
      [0, 5],
      [1, 7],
    ]);
    expect(totals(await ledgerSums(TEST_SHOP, odd))).toEqual([
      [0, 5],
      [1, 7],
    ]);
    // Entries the rollups have lost (a table emptied by hand) show which path answered.
    await prisma.ledgerRollup.deleteMany({ where: { shop: TEST_SHOP } });
    expect(await ledgerSums(TEST_SHOP, quarter)).toEqual([]);
    expect(totals(await ledgerSums(TEST_SHOP, odd))).toEqual([
      [0, 5],
      [1, 7],
    ]);
  });
});

describe("active members", () => {
  const period = { start: new Date(START), end: new Date(START + 5 * DAY) };

  it("count members with an activity entry in the period, whichever way it is answered", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            // Mostly before the period's end, as for a range that ends today.
            at: fc.integer({ min: START - DAY, max: START + 5 * DAY + DAY / 4 }),
            kind: fc.constantFrom(...KINDS),
            member: fc.integer({ min: 0, max: 2 }),
          }),
          { maxLength: 12 },
        ),
        async (entries) => {
          await prisma.member.deleteMany({ where: { shop: TEST_SHOP } });
          members = [];
          for (const customerId of ["1", "2", "3"]) {
            const member = await prisma.member.create({ data: { shop: TEST_SHOP, customerId } });
            members.push(member.id);
          }
          for (const e of entries) await entry(e.at, e.kind, 10, e.member);
          const active = new Set(
            entries
              .filter(
                (e) =>
                  e.at >= period.start.getTime() &&
                  e.at < period.end.getTime() &&
                  ACTIVITY_KINDS.includes(e.kind),
              )
              .map((e) => e.member),
          );
          expect(await activeMembers(TEST_SHOP, period)).toBe(active.size);
        },
      ),
      { numRuns: 25 },
    );
  });

  it("count any range, past ones from the gaps between activity entries, whatever order entries are posted, folded and redacted in", async () => {
    const QUARTER = 15 * 60_000;
    const quarters = 8 * 96;
    // On a 15-minute grid, so entries share instants and land on the ranges' edges; a few just
    // after an edge.
    const instant = fc
      .tuple(fc.integer({ min: 0, max: quarters }), fc.constantFrom(0, 0, 1, 7 * 60_000))
      .map(([q, offset]) => START - DAY + q * QUARTER + offset);
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            at: instant,
            kind: fc.constantFrom(...KINDS),
            member: fc.integer({ min: 0, max: 3 }),
            foldAfter: fc.boolean(),
          }),
          { maxLength: 20 },
        ),
        // Ranges start and end at any quarter hour, as a shop's midnights do.
        fc.array(
          fc
            .tuple(fc.integer({ min: 0, max: quarters }), fc.integer({ min: 1, max: 4 * 96 }))
            .map(([q, length]) => ({
              start: new Date(START - DAY + q * QUARTER),
              end: new Date(START - DAY + (q + length) * QUARTER),
            })),
          { minLength: 1, maxLength: 4 },
        ),
        fc.integer({ min: 0, max: 4 }),
        fc.boolean(),
        async (entries, ranges, redacted, foldAtEnd) => {
          await prisma.member.deleteMany({ where: { shop: TEST_SHOP } });
          await foldActivityGaps(prisma);
          members = [];
          for (const customerId of ["1", "2", "3", "4"]) {
            const member = await prisma.member.create({ data: { shop: TEST_SHOP, customerId } });
            members.push(member.id);
          }
          for (const e of entries) {
            await entry(e.at, e.kind, 10, e.member);
            if (e.foldAfter) await foldActivityGaps(prisma, 2);
          }
          // customers/redact deletes the member, and their entries with it.
          if (redacted < 4) await prisma.member.delete({ where: { id: members[redacted]! } });
          if (foldAtEnd) await foldActivityGaps(prisma);
          for (const range of ranges) {
            const active = new Set(
              entries
                .filter(
                  (e) =>
                    e.member !== redacted &&
                    e.at >= range.start.getTime() &&
                    e.at < range.end.getTime() &&
                    ACTIVITY_KINDS.includes(e.kind),
                )
                .map((e) => e.member),
            );
            expect(
              await activeMembers(TEST_SHOP, range),
              `${range.start.toISOString()}–${range.end.toISOString()}`,
            ).toBe(active.size);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it("lose no gap when folds run while entries are posted", async () => {
    const folds = async () => {
      for (let round = 0; round < 6; round += 1) await foldActivityGaps(prisma, 5);
    };
    // Each member's entries arrive latest first, so each one splits a gap.
    await Promise.all([
      ...members.map(async (_, m) => {
        for (let i = 20; i > 0; i -= 1) await entry(START + i * DAY + m, "EARN", 1, m);
      }),
      folds(),
      folds(),
    ]);
    const check = async () => {
      for (const [from, to, expected] of [
        [3, 4, 3],
        [0, 1, 0],
        [21, 22, 0],
        [5, 20, 3],
      ] as const) {
        const range = { start: new Date(START + from * DAY), end: new Date(START + to * DAY) };
        expect(await activeMembers(TEST_SHOP, range), `${from}–${to}`).toBe(expected);
      }
    };
    await check();
    await foldActivityGaps(prisma);
    expect(await prisma.activityGapDelta.count({ where: { shop: TEST_SHOP } })).toBe(0);
    await check();
  });

  it("are what the migration's backfill computes from a ledger written in any order", async () => {
    const root =
      databaseProvider === "postgresql" ? "prisma/postgresql/migrations" : "prisma/migrations";
    const dir = fs.readdirSync(root).find((name) => name.endsWith("_activity_gaps"))!;
    const sql = fs.readFileSync(path.join(root, dir, "migration.sql"), "utf8");
    const backfill = /INSERT INTO "ActivityGap"[^;]*;/.exec(sql)![0];
    const gaps = async () =>
      (
        await prisma.activityGap.findMany({
          where: { shop: TEST_SHOP, gaps: { not: 0 } },
          orderBy: [{ toDay: "asc" }, { fromDay: "asc" }],
        })
      ).map((g) => [g.toDay, g.fromDay, Number(g.gaps)]);
    for (const [i, at] of [9, 2, 2, 14, 5, 0, 30, 11].entries()) {
      await entry(START + at * DAY + i, KINDS[i % KINDS.length]!, 5, i % 3);
    }
    await prisma.member.delete({ where: { id: members[2]! } });
    await foldActivityGaps(prisma);
    const kept = await gaps();
    expect(kept.length).toBeGreaterThan(2);
    await prisma.activityGap.deleteMany({ where: { shop: TEST_SHOP } });
    await prisma.$executeRawUnsafe(backfill);
    expect(await gaps()).toEqual(kept);
  });

  it("are the kinds the database trigger records as a member's last activity", async () => {
    for (const [i, kind] of KINDS.entries()) {
      await entry(START + i * 60_000, kind, 1, 0);
      const activity = await prisma.memberActivity.findUnique({ where: { memberId: members[0]! } });
      if (ACTIVITY_KINDS.includes(kind)) {
        expect(activity?.lastAt.getTime(), kind).toBe(START + i * 60_000);
      } else {
        expect(activity?.lastAt.getTime() ?? null, kind).not.toBe(START + i * 60_000);
      }
    }
    // An older entry posted later leaves the last activity where it was.
    await entry(START - DAY, "EARN", 1, 0);
    const activity = await prisma.memberActivity.findUniqueOrThrow({
      where: { memberId: members[0]! },
    });
    expect(activity.lastAt.getTime()).toBeGreaterThan(START);
  });
});

describe("order sums", () => {
  it("count members' and guests' paid orders and revenue per slot", async () => {
    const order = (
      orderId: string,
      at: number,
      customerId: string | null,
      totalMinor: number | null,
    ) =>
      prisma.orderRecord.create({
        data: { shop: TEST_SHOP, orderId, paidAt: new Date(at), customerId, totalMinor },
      });
    await order("1", START, "1", 1_000);
    await order("2", START + 3_600_000, "2", 2_500);
    await order("3", START + 3_600_000, null, 700);
    await order("4", START + 2 * DAY, null, null);
    await order("5", START - 1, "1", 9_999);
    const sums = await orderSums(TEST_SHOP, slots);
    expect(sums.sort((a, b) => a.slot - b.slot || Number(a.guest) - Number(b.guest))).toEqual([
      { slot: 0, guest: false, orders: 2, revenueMinor: 3_500 },
      { slot: 0, guest: true, orders: 1, revenueMinor: 700 },
      { slot: 2, guest: true, orders: 1, revenueMinor: 0 },
    ]);
    expect(await orderSums(TEST_SHOP, [])).toEqual([]);
  });
});
