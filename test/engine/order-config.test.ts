// Orders read the program and tiers from the per-process copy (app/loyalty/shop-config.server.ts):
// each order must still follow them as they are now, whatever path changed them.
import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { deliver, expectLedgerConsistent, memberOf, resetShop } from "../support/engine";
import { orderPayload } from "../support/payloads";
import { TEST_SHOP } from "../support/shopify";

const CUSTOMER = 8301;

beforeEach(async () => {
  await resetShop();
  await prisma.program.create({ data: { shop: TEST_SHOP } });
});

async function pay(subtotal: string) {
  const payload = orderPayload({ customerId: CUSTOMER, subtotal });
  expect(await deliver({ topic: "orders/paid", payload })).toBe(200);
  return prisma.orderRecord.findFirstOrThrow({ where: { orderId: String(payload.id) } });
}

describe("an order after the program or its tiers changed", () => {
  it("earns under the program and tiers as they are now", async () => {
    expect((await pay("100.00")).earnedPoints).toBe(100);

    // No code of the app runs for these (another instance, a psql session): only the database
    // can say they happened.
    await prisma.$executeRaw`UPDATE "Program" SET "earnPoints" = 2 WHERE "shop" = ${TEST_SHOP}`;
    expect((await pay("100.00")).earnedPoints).toBe(200);

    await prisma.tier.create({
      data: { shop: TEST_SHOP, name: "Silver", threshold: 250, multiplierPercent: 150 },
    });
    // Evaluated after this order's award, which the new tier does not multiply yet.
    expect((await pay("100.00")).earnedPoints).toBe(200);
    expect((await memberOf(CUSTOMER))?.tierId).not.toBeNull();
    expect((await pay("100.00")).earnedPoints).toBe(300);

    await prisma.$executeRaw`UPDATE "Tier" SET "multiplierPercent" = 200 WHERE "shop" = ${TEST_SHOP}`;
    expect((await pay("100.00")).earnedPoints).toBe(400);

    await prisma.$executeRaw`UPDATE "Program" SET "enabled" = false WHERE "shop" = ${TEST_SHOP}`;
    const off = await pay("100.00");
    expect([off.status, off.skipReason, off.earnedPoints]).toEqual(["SKIPPED", "PROGRAM_OFF", 0]);

    expect((await memberOf(CUSTOMER))?.balance).toBe(100 + 200 + 200 + 300 + 400);
    await expectLedgerConsistent();
  });
});
