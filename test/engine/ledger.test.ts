// postEntry on its own. The redemption path checks the balance before it posts, so the
// conditional update that protects against a balance spent meanwhile is only reached when the
// member row changed underneath: these tests hand it exactly that situation.
import type { Member } from "@prisma/client";
import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import type { EntryInput } from "../../app/loyalty/ledger.server";
import { InsufficientPointsError, postEntry } from "../../app/loyalty/ledger.server";
import { programFor } from "../../app/loyalty/program.server";
import { expectLedgerConsistent, resetShop } from "../support/engine";
import { TEST_SHOP } from "../support/shopify";

beforeEach(() => resetShop());

const NOW = new Date("2026-06-01T12:00:00Z");
const EARLIER = new Date("2026-01-15T09:30:00Z");

async function setup(options: { balance: number; expiryMonths?: number | null }) {
  await programFor(prisma, TEST_SHOP);
  const program = await prisma.program.update({
    where: { shop: TEST_SHOP },
    data: { expiryMonths: options.expiryMonths ?? null },
  });
  let member = await prisma.member.create({
    data: { shop: TEST_SHOP, customerId: "7001", lastActivityAt: EARLIER },
  });
  if (options.balance > 0) {
    member = await postEntry(
      prisma,
      program,
      member,
      entry({ kind: "MANUAL", points: options.balance, idempotencyKey: "seed" }),
      EARLIER,
    );
  }
  return { program, member };
}

function entry(
  fields: Partial<Omit<EntryInput, "text" | "description">> & Pick<EntryInput, "kind" | "points">,
): EntryInput {
  return {
    source: "MANUAL",
    idempotencyKey: `${fields.kind}:${fields.points}`,
    description: "test entry",
    occurredAt: NOW,
    ...fields,
  };
}

const spend = (points: number) =>
  entry({
    kind: "REDEEM",
    points: -points,
    idempotencyKey: `spend:${points}`,
    requireBalance: true,
  });

describe("postEntry with requireBalance", () => {
  it("refuses a spend larger than the balance and writes nothing", async () => {
    const { program, member } = await setup({ balance: 50 });

    await expect(postEntry(prisma, program, member, spend(51), NOW)).rejects.toThrow(
      InsufficientPointsError,
    );
    // Callers and logs tell it apart by name and show its message.
    await expect(postEntry(prisma, program, member, spend(51), NOW)).rejects.toMatchObject({
      name: "InsufficientPointsError",
      message: "Not enough points",
    });

    expect(await prisma.member.findUniqueOrThrow({ where: { id: member.id } })).toMatchObject({
      balance: 50,
    });
    expect(await prisma.ledgerEntry.count({ where: { memberId: member.id } })).toBe(1);
  });

  it("refuses when the balance was spent after the caller read the member", async () => {
    const { program, member: stale } = await setup({ balance: 80 });
    // Another request spent most of the points after `stale` was read.
    await prisma.member.update({ where: { id: stale.id }, data: { balance: 30 } });

    await expect(postEntry(prisma, program, stale, spend(50), NOW)).rejects.toThrow(
      InsufficientPointsError,
    );

    const member = await prisma.member.findUniqueOrThrow({ where: { id: stale.id } });
    expect(member.balance).toBe(30);
    expect(await prisma.ledgerEntry.count({ where: { kind: "REDEEM" } })).toBe(0);
  });

  it("lets a spend of exactly the balance through and records the balance it leaves", async () => {
    const { program, member } = await setup({ balance: 50 });

    const after = await postEntry(prisma, program, member, spend(50), NOW);

    expect(after.balance).toBe(0);
    const redeem = await prisma.ledgerEntry.findFirstOrThrow({ where: { kind: "REDEEM" } });
    expect(redeem).toMatchObject({ points: -50, balanceAfter: 0 });
    await expectLedgerConsistent();
  });

  it("returns the row as the database left it, not the caller's copy", async () => {
    const { program, member: stale } = await setup({ balance: 80 });
    await prisma.member.update({ where: { id: stale.id }, data: { balance: 70 } });

    const after = await postEntry(prisma, program, stale, spend(20), NOW);

    expect(after.balance).toBe(50);
    expect(await prisma.ledgerEntry.findFirstOrThrow({ where: { kind: "REDEEM" } })).toMatchObject({
      balanceAfter: 50,
    });
  });

  it("does not stop a credit or an unguarded debit", async () => {
    const { program, member } = await setup({ balance: 10 });

    const credited = await postEntry(
      prisma,
      program,
      member,
      entry({ kind: "MANUAL", points: 5, requireBalance: true }),
      NOW,
    );
    expect(credited.balance).toBe(15);
    const debited = await postEntry(
      prisma,
      program,
      credited,
      entry({ kind: "MANUAL", points: -20 }),
      NOW,
    );
    expect(debited.balance).toBe(-5);
  });

  it("never refuses a credit or a zero entry, even to a member in the red", async () => {
    const { program, member } = await setup({ balance: 0 });
    const red = await prisma.member.update({ where: { id: member.id }, data: { balance: -20 } });

    const zero = await postEntry(
      prisma,
      program,
      red,
      entry({ kind: "MANUAL", points: 0, requireBalance: true }),
      NOW,
    );
    expect(zero.balance).toBe(-20);
    const credited = await postEntry(
      prisma,
      program,
      zero,
      entry({ kind: "MANUAL", points: 5, requireBalance: true }),
      NOW,
    );
    expect(credited.balance).toBe(-15);
  });

  it("keeps when pending points become available on the entry", async () => {
    const { program, member } = await setup({ balance: 0 });
    const availableAt = new Date("2026-06-15T12:00:00Z");

    await postEntry(
      prisma,
      program,
      member,
      entry({ kind: "EARN", points: 0, pendingPoints: 30, availableAt }),
      NOW,
    );

    const earn = await prisma.ledgerEntry.findFirstOrThrow({ where: { kind: "EARN" } });
    expect(earn).toMatchObject({ pendingPoints: 30, availableAt });
  });
});

describe("postEntry and the inactivity clock", () => {
  it.each(["REFUND_CLAWBACK", "CANCEL_REVERSAL", "EXPIRE", "RELEASE", "REDEEM_RETURN"] as const)(
    "%s does not count as activity",
    async (kind) => {
      const { program, member } = await setup({ balance: 40, expiryMonths: 12 });
      const before: Member = await prisma.member.findUniqueOrThrow({ where: { id: member.id } });

      const after = await postEntry(
        prisma,
        program,
        before,
        entry({ kind, points: kind === "RELEASE" || kind === "REDEEM_RETURN" ? 10 : -10 }),
        NOW,
      );

      expect(after.lastActivityAt).toEqual(EARLIER);
      expect(after.expiresAt).toEqual(new Date("2027-01-15T09:30:00Z"));
      expect(after.lifetimeEarned).toBe(before.lifetimeEarned);
    },
  );

  it.each(["EARN", "SIGNUP_BONUS", "REDEEM", "MANUAL", "IMPORT"] as const)(
    "%s restarts it",
    async (kind) => {
      const { program, member } = await setup({ balance: 40, expiryMonths: 12 });

      const after = await postEntry(
        prisma,
        program,
        member,
        entry({ kind, points: kind === "REDEEM" ? -10 : 10 }),
        NOW,
      );

      expect(after.lastActivityAt).toEqual(NOW);
      expect(after.expiresAt).toEqual(new Date("2027-06-01T12:00:00Z"));
      const last = await prisma.ledgerEntry.findFirstOrThrow({
        where: { kind },
        orderBy: { id: "desc" },
      });
      expect(last.expiresAt).toEqual(new Date("2027-06-01T12:00:00Z"));
    },
  );

  it("an entry that moves nothing is not activity", async () => {
    const { program, member } = await setup({ balance: 40, expiryMonths: 12 });

    const after = await postEntry(prisma, program, member, entry({ kind: "EARN", points: 0 }), NOW);

    expect(after.lastActivityAt).toEqual(EARLIER);
  });

  it("pending points alone are activity and count as earned", async () => {
    const { program, member } = await setup({ balance: 40, expiryMonths: 12 });

    const after = await postEntry(
      prisma,
      program,
      member,
      entry({ kind: "EARN", points: 0, pendingPoints: 25 }),
      NOW,
    );

    expect(after).toMatchObject({ lastActivityAt: NOW, pendingPoints: 25, lifetimeEarned: 25 });
  });
});
