// The tier metric is summed in SQL, with the member for the storefront (memberWithTierMetric) and
// alone for the engine (tierMetric). Both must give what the ledger says, summed here entry by
// entry, for any ledger, basis and period.
import type { EntryKind } from "@prisma/client";
import fc from "fast-check";
import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { periodStart } from "../../app/domain/tiers";
import {
  memberWithTierMetric,
  QUALIFYING_KINDS,
  tierMetric,
} from "../../app/loyalty/members.server";
import { resetShop } from "../support/engine";
import { TEST_SHOP } from "../support/shopify";

const KINDS: EntryKind[] = [
  "EARN",
  "RELEASE",
  "REFUND_CLAWBACK",
  "CANCEL_REVERSAL",
  "SIGNUP_BONUS",
  "EXPIRE",
  "MANUAL",
  "IMPORT",
  "REDEEM",
  "REDEEM_RETURN",
];
const NOW = new Date("2026-06-15T12:00:00Z");
const DAY = 86_400_000;

beforeEach(async () => {
  await resetShop();
  await prisma.program.create({ data: { shop: TEST_SHOP } });
});

describe("the tier metric", () => {
  it("is the ledger's qualifying sum for any ledger, tier basis and period", async () => {
    const members = await Promise.all(
      ["501", "502"].map((customerId) =>
        prisma.member.create({ data: { shop: TEST_SHOP, customerId, joinedAt: NOW } }),
      ),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            member: fc.integer({ min: 0, max: 1 }),
            kind: fc.constantFrom(...KINDS),
            points: fc.integer({ min: -900, max: 900 }),
            pendingPoints: fc.integer({ min: -300, max: 300 }),
            shortfall: fc.integer({ min: 0, max: 200 }),
            amountMinor: fc.option(fc.integer({ min: -50_000, max: 50_000 })),
            // From two years back to a little after NOW; exact period edges included.
            daysAgo: fc.oneof(fc.integer({ min: -3, max: 730 }), fc.constantFrom(0, 365, 166)),
          }),
          { maxLength: 20 },
        ),
        fc.constantFrom("POINTS_EARNED", "AMOUNT_SPENT"),
        fc.constantFrom("LIFETIME", "CALENDAR_YEAR", "ROLLING_12_MONTHS"),
        async (entries, tierBasis, tierPeriod) => {
          await prisma.ledgerEntry.deleteMany({ where: { shop: TEST_SHOP } });
          await prisma.ledgerEntry.createMany({
            data: entries.map((e, i) => ({
              shop: TEST_SHOP,
              memberId: members[e.member]!.id,
              kind: e.kind,
              points: e.points,
              pendingPoints: e.pendingPoints,
              shortfall: e.shortfall,
              amountMinor: e.amountMinor,
              balanceAfter: 0,
              pendingAfter: 0,
              source: "MANUAL",
              idempotencyKey: `metric-${i}`,
              description: "test",
              occurredAt: new Date(NOW.getTime() - e.daysAgo * DAY),
            })),
          });
          const program = await prisma.program.update({
            where: { shop: TEST_SHOP },
            data: { tierBasis, tierPeriod },
          });
          const start = periodStart(tierPeriod, NOW);
          const expected = (index: number) =>
            entries
              .filter((e) => e.member === index && QUALIFYING_KINDS.includes(e.kind))
              .filter((e) => !start || NOW.getTime() - e.daysAgo * DAY >= start.getTime())
              .reduce(
                (sum, e) =>
                  sum +
                  (tierBasis === "AMOUNT_SPENT"
                    ? (e.amountMinor ?? 0)
                    : e.points + e.pendingPoints - e.shortfall),
                0,
              );
          for (const [index, member] of members.entries()) {
            const read = await memberWithTierMetric(
              prisma,
              program,
              TEST_SHOP,
              member.customerId,
              NOW,
            );
            expect(read?.id).toBe(member.id);
            expect(read?.metric).toBe(expected(index));
            expect(await tierMetric(prisma, program, member.id, NOW)).toBe(expected(index));
          }
        },
      ),
      { numRuns: 40 },
    );
    expect(
      await memberWithTierMetric(
        prisma,
        await prisma.program.findUniqueOrThrow({ where: { shop: TEST_SHOP } }),
        TEST_SHOP,
        "unknown",
        NOW,
      ),
    ).toBeNull();
  });
});
