/**
 * Tiers and the signup bonus, called on the engine directly: which entries count towards a tier
 * (and the shortfall a balance floor left), a tier granted by an import as a floor until it ends,
 * what a tier change records, the progress the admin shows, and customers/create's bonus.
 */
import type { EntryKind, Member } from "@prisma/client";
import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { onCustomerCreated } from "../../app/loyalty/customers.server";
import { evaluateTier, tierProgress } from "../../app/loyalty/members.server";
import { programFor } from "../../app/loyalty/program.server";
import { shopConfig } from "../../app/loyalty/shop-config.server";
import { expectLedgerConsistent, memberOf, resetShop } from "../support/engine";
import { TEST_SHOP } from "../support/shopify";

const NOW = new Date("2026-12-01T12:00:00.000Z");

let tiers: Record<"Silver" | "Gold" | "Platinum", string>;

beforeEach(async () => {
  await resetShop();
  await programFor(prisma, TEST_SHOP);
  // Created out of threshold order, so "the first tier found" is never the right one by luck.
  const create = (name: string, threshold: number) =>
    prisma.tier.create({ data: { shop: TEST_SHOP, name, threshold } });
  const gold = await create("Gold", 200);
  const platinum = await create("Platinum", 300);
  const silver = await create("Silver", 100);
  tiers = { Silver: silver.id, Gold: gold.id, Platinum: platinum.id };
});

let keys = 0;
/** A raw ledger row: the tier metric only sums them, so balances need not be kept here. */
function entry(member: Member, kind: EntryKind, points: number, shortfall = 0) {
  keys += 1;
  return prisma.ledgerEntry.create({
    data: {
      shop: TEST_SHOP,
      memberId: member.id,
      kind,
      points,
      shortfall,
      balanceAfter: 0,
      pendingAfter: 0,
      source: "MANUAL",
      idempotencyKey: `k${keys}`,
      description: kind,
      occurredAt: NOW,
    },
  });
}

function member(customerId: string, data: Partial<Omit<Member, "syncDigests">> = {}) {
  return prisma.member.create({ data: { shop: TEST_SHOP, customerId, ...data } });
}

async function evaluate(m: Member) {
  return evaluateTier(prisma, await shopConfig(TEST_SHOP), m, NOW, "test reason");
}

describe("tier metric and changes", () => {
  it("counts earning net of clawbacks and their shortfall, not redemptions, and records the change", async () => {
    // Starts in Gold, the middle tier: the change must name Gold as where they came from.
    const m = await member("2001", { tierId: tiers.Gold });
    await entry(m, "EARN", 300);
    // The refund wanted 200 back; the balance floor let us take 100. Both count against tiers.
    await entry(m, "REFUND_CLAWBACK", -100, 100);
    // Spending points is no reason to lose a tier.
    await entry(m, "REDEEM", -150);

    const after = await evaluate(m);

    // 300 - 100 - 100 = 100: Silver. Without the shortfall it would be 200 (Gold, no change);
    // counting the redemption, -50 (no tier).
    expect(after.tierId).toBe(tiers.Silver);
    const changes = await prisma.tierChange.findMany({ where: { memberId: m.id } });
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({
      fromTierId: tiers.Gold,
      fromName: "Gold",
      toTierId: tiers.Silver,
      toName: "Silver",
      metric: 100,
      reason: "test reason",
    });

    const progress = await tierProgress(prisma, await programFor(prisma, TEST_SHOP), after, NOW);
    expect(progress).toMatchObject({
      metric: 100,
      tier: { id: tiers.Silver, name: "Silver" },
      next: { name: "Gold", remaining: 100 },
    });
  });

  it("shows the member's own tier in their progress, not the lowest one", async () => {
    const m = await member("2002", { tierId: tiers.Gold });
    await entry(m, "EARN", 250);
    const progress = await tierProgress(prisma, await programFor(prisma, TEST_SHOP), m, NOW);
    expect(progress).toEqual({
      metric: 250,
      tier: expect.objectContaining({ id: tiers.Gold, name: "Gold" }) as unknown,
      next: { name: "Platinum", remaining: 50 },
    });
  });

  it("keeps a granted tier as a floor until it ends, never lowering a better earned one", async () => {
    const future = new Date(NOW.getTime() + 86_400_000);
    const cases: {
      name: string;
      earned: number;
      granted: string | null;
      until: Date | null;
      expected: string | null;
    }[] = [
      {
        name: "above earned",
        earned: 100,
        granted: tiers.Platinum,
        until: future,
        expected: "Platinum",
      },
      { name: "no end", earned: 100, granted: tiers.Gold, until: null, expected: "Gold" },
      {
        name: "nothing earned",
        earned: 0,
        granted: tiers.Silver,
        until: future,
        expected: "Silver",
      },
      { name: "below earned", earned: 200, granted: tiers.Silver, until: future, expected: "Gold" },
      // Ends exactly now: already over.
      { name: "ended now", earned: 100, granted: tiers.Platinum, until: NOW, expected: "Silver" },
      // The granted tier was deleted since: what they earned stands.
      {
        name: "tier gone",
        earned: 100,
        granted: "deleted-tier",
        until: future,
        expected: "Silver",
      },
      { name: "none", earned: 0, granted: null, until: null, expected: null },
    ];
    for (const [i, c] of cases.entries()) {
      const m = await member(`30${i}`, { grantedTierId: c.granted, grantedTierUntil: c.until });
      if (c.earned) await entry(m, "EARN", c.earned);
      const after = await evaluate(m);
      const tier = after.tierId
        ? await prisma.tier.findUnique({ where: { id: after.tierId } })
        : null;
      expect(tier?.name ?? null, c.name).toBe(c.expected);
    }
  });
});

describe("customers/create", () => {
  const shopper = (customerId: string) => ({
    customerId,
    email: `${customerId}@example.com`,
    firstName: "Grace",
    lastName: "Hopper",
  });

  it("credits the configured bonus once per shopper, and it counts towards a tier", async () => {
    await prisma.program.update({ where: { shop: TEST_SHOP }, data: { signupBonus: 150 } });

    expect(await onCustomerCreated(prisma, TEST_SHOP, shopper("4001"), NOW, NOW)).toBe("applied");
    expect(await onCustomerCreated(prisma, TEST_SHOP, shopper("4001"), NOW, NOW)).toBe("duplicate");
    // Another shopper gets their own bonus, not a "duplicate" of the first one's.
    expect(await onCustomerCreated(prisma, TEST_SHOP, shopper("4002"), NOW, NOW)).toBe("applied");

    const m = await memberOf("4001");
    expect(m).toMatchObject({
      email: "4001@example.com",
      firstName: "Grace",
      lastName: "Hopper",
      balance: 150,
      tierId: tiers.Silver,
    });
    const entries = await prisma.ledgerEntry.findMany({ where: { memberId: m!.id } });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      kind: "SIGNUP_BONUS",
      points: 150,
      source: "CUSTOMER",
      sourceId: "4001",
      idempotencyKey: "customer:4001:signup",
      rule: { signupBonus: 150 },
      description: "Welcome bonus for joining",
    });
    const change = await prisma.tierChange.findFirstOrThrow({ where: { memberId: m!.id } });
    expect(change).toMatchObject({ toName: "Silver", metric: 150, reason: "signup bonus" });
    await expectLedgerConsistent();
  });

  it("only records the member when the program is off or has no bonus", async () => {
    await prisma.program.update({
      where: { shop: TEST_SHOP },
      data: { signupBonus: 150, enabled: false },
    });
    expect(await onCustomerCreated(prisma, TEST_SHOP, shopper("4003"), NOW, NOW)).toBe("skipped");
    await prisma.program.update({
      where: { shop: TEST_SHOP },
      data: { signupBonus: 0, enabled: true },
    });
    expect(await onCustomerCreated(prisma, TEST_SHOP, shopper("4004"), NOW, NOW)).toBe("skipped");
    expect((await memberOf("4003"))?.firstName).toBe("Grace");
    expect((await memberOf("4004"))?.balance).toBe(0);
    expect(await prisma.ledgerEntry.count({ where: { shop: TEST_SHOP } })).toBe(0);
  });
});
