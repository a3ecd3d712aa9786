// The dashboard's sums come from the database (app/admin/dashboard-sums.server.ts). Checked
// against the same figures computed entry by entry, on random ledgers and at slot boundaries.
import fc from "fast-check";
import type { EntryKind } from "@prisma/client";
import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { activeMembers, ledgerSums, orderSums } from "../../app/admin/dashboard-sums.server";
import { pointsFlow } from "../../app/domain/dashboard";
import { resetShop } from "../support/engine";
import { TEST_SHOP } from "../support/shopify";

const DAY = 86_400_000;
const START = Date.UTC(2026, 10, 1);
const slots = Array.from({ length: 5 }, (_, i) => ({
  start: new Date(START + i * DAY),
  end: new Date(START + (i + 1) * DAY),
}));
const KINDS: EntryKind[] = ["EARN", "MANUAL", "IMPORT", "REDEEM", "EXPIRE", "REFUND_CLAWBACK"];

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
  await prisma.ledgerEntry.create({
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

  it("give the figures entry-by-entry arithmetic gives, for any ledger", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            at: fc.integer({ min: START - DAY, max: START + 6 * DAY }),
            kind: fc.constantFrom(...KINDS),
            points: fc.integer({ min: -500, max: 500 }),
            member: fc.integer({ min: 0, max: 2 }),
          }),
          { maxLength: 25 },
        ),
        async (entries) => {
          await prisma.ledgerEntry.deleteMany({ where: { shop: TEST_SHOP } });
          for (const e of entries) await entry(e.at, e.kind, e.points, e.member);

          const expected = slots.map((slot) => {
            const inSlot = entries.filter(
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
          const actual = slots.map(() => Object.fromEntries(flowKeys.map((key) => [key, 0])));
          for (const sum of await ledgerSums(TEST_SHOP, slots)) {
            const flow = pointsFlow({ kind: sum.kind, points: sum.total, pendingPoints: 0 });
            for (const key of flowKeys) actual[sum.slot]![key]! += flow[key];
          }
          expect(actual).toEqual(expected);

          const period = { start: slots[0]!.start, end: slots.at(-1)!.end };
          const active = new Set(
            entries
              .filter(
                (e) =>
                  e.at >= period.start.getTime() &&
                  e.at < period.end.getTime() &&
                  ["EARN", "MANUAL", "REDEEM"].includes(e.kind),
              )
              .map((e) => e.member),
          );
          expect(await activeMembers(TEST_SHOP, period, ["EARN", "MANUAL", "REDEEM"])).toBe(
            active.size,
          );
        },
      ),
      { numRuns: 15 },
    );
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
