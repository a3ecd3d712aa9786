import fc from "fast-check";
import type { PrismaClient } from "@prisma/client";
import { beforeEach, describe, expect, it, vi } from "vitest";
import prisma from "../../app/db.server";
import {
  createDiscountCode,
  moveRedemption,
  reconcileRedemptions,
  redeemReward,
  redemptionStatus,
  RedemptionError,
  reserveRedemption,
  type RedeemResult,
} from "../../app/loyalty/redemptions.server";
import type { RetryPolicy } from "../../app/shopify/admin-api.server";
import { unauthenticated } from "../../app/shopify.server";
import type { Fault } from "../../sandbox/shopify";
import { adminSandbox } from "../support/admin-sandbox";
import { seedMember, seedReward } from "../support/admin";
import { expectLedgerConsistent, resetShop } from "../support/engine";
import { storeOfflineSession, TEST_SHOP } from "../support/shopify";

/**
 * The redemption invariant under Admin API faults at every step: once settled, either exactly one
 * usable code exists and the points are spent, or no usable code exists and the points are back.
 * Faults come from the sandbox's injector (sandbox/shopify/faults.ts), so the app sees what
 * Shopify's client would: dropped connections, late answers, 5xx, THROTTLED, userErrors.
 */

const sandbox = adminSandbox();
const CREATE = "discountCodeBasicCreate";
const LOOKUP = "codeDiscountNodeByCode";
/** Short real-time deadlines so a `delay` fault outlasts an attempt without slowing the suite. */
const ATTEMPT_MS = 100;
const DELAY_MS = 300;
/** Outlasts every attempt of the create and of the lookup that follows it. */
const LONG_DELAY_MS = 1_000;
const retry: RetryPolicy = {
  attempts: 3,
  baseDelayMs: 1,
  budgetMs: 2_000,
  attemptTimeoutMs: ATTEMPT_MS,
  sleep: async () => {},
};
const START = 600;
const COST = 500;

async function admin() {
  return (await unauthenticated.admin(TEST_SHOP)).admin;
}

async function member(customerId: string, points = START) {
  sandbox.api.addCustomer({ id: `gid://shopify/Customer/${customerId}` });
  return seedMember(customerId, points);
}

const reward = () => seedReward({ pointsCost: COST });

/** What the shopper saw: the code, "still processing", or a failure with the points back. */
type Seen = RedeemResult["status"] | "CODE_NOT_CREATED" | "ERROR";

async function redeem(
  rewardId: string,
  customerId: string,
  requestKey?: string,
  db: PrismaClient = prisma,
): Promise<Seen> {
  try {
    const result = await redeemReward({
      prisma: db,
      admin: await admin(),
      shop: TEST_SHOP,
      customerId,
      rewardId,
      requestKey,
      retry,
    });
    return result.status;
  } catch (error) {
    if (error instanceof RedemptionError) return error.code as Seen;
    return "ERROR";
  }
}

function usable(code: string): boolean {
  const discount = sandbox.api.findDiscountByCode(code);
  if (!discount) return false;
  return discount.endsAt === null || Date.parse(discount.endsAt) > Date.now();
}

/** Shopify is healthy again and every call still in flight has landed; the worker runs. */
async function settle() {
  sandbox.api.state.faults.length = 0;
  await vi.waitFor(
    () =>
      expect(sandbox.api.state.calls.filter((c) => c.fault === "delay" && !c.status)).toEqual([]),
    { timeout: 5_000, interval: 20 },
  );
  const later = new Date(Date.now() + 10 * 60 * 1000);
  for (let round = 0; round < 2; round += 1) {
    await reconcileRedemptions(prisma, async () => admin(), later, { retry });
  }
}

/** The invariant, for every redemption and every code Shopify holds. */
async function expectSettled() {
  const rows = await prisma.redemption.findMany({ orderBy: { createdAt: "asc" } });
  for (const row of rows) {
    expect(row.status, `redemption ${row.code}`).not.toBe("PENDING");
    if (row.status === "ISSUED") {
      expect(usable(row.code), `${row.code} is ISSUED`).toBe(true);
      expect(row.pointsReturned).toBe(false);
    } else {
      expect(usable(row.code), `${row.code} is ${row.status}`).toBe(false);
      expect(row.pointsReturned).toBe(true);
    }
  }
  // No code in Shopify that no redemption accounts for.
  const known = new Set(rows.map((r) => r.code));
  expect([...sandbox.api.state.discounts.values()].filter((d) => !known.has(d.code))).toEqual([]);
  const members = await prisma.member.findMany();
  for (const m of members) {
    const spent = rows
      .filter((r) => r.memberId === m.id && !r.pointsReturned)
      .reduce((sum, r) => sum + r.pointsSpent, 0);
    expect(m.balance, `balance of ${m.customerId}`).toBe(START - spent);
  }
  await expectLedgerConsistent();
  return rows;
}

beforeEach(async () => {
  await prisma.redemption.deleteMany();
  await prisma.reward.deleteMany();
  await resetShop();
  await prisma.session.deleteMany();
  await storeOfflineSession();
});

/**
 * The app's database, except that the first conditional move to `status` fails as a dropped
 * connection would: the write after Shopify answered never happens.
 */
function failingMoveTo(status: string): PrismaClient {
  let failed = false;
  const redemptions = new Proxy(prisma.redemption, {
    get(target, key) {
      const value = Reflect.get(target, key, target) as unknown;
      if (key !== "updateMany" || typeof value !== "function") return value;
      return (args: { data?: { status?: string } }) => {
        if (!failed && args.data?.status === status) {
          failed = true;
          return Promise.reject(new Error("Connection terminated unexpectedly"));
        }
        return (value as (a: unknown) => Promise<unknown>).call(target, args);
      };
    },
  });
  return new Proxy(prisma, {
    get(target, key) {
      if (key === "redemption") return redemptions;
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

const all = retry.attempts;
type FaultBody = {
  [K in Fault["kind"]]: Omit<Extract<Fault, { kind: K }>, "match" | "times" | "endpoint">;
}[Fault["kind"]];
const on = (match: string, fault: FaultBody, times = 1) => ({ ...fault, match, times }) as Fault;

interface Case {
  step: string;
  fault: string;
  faults: Fault[];
  /** What the shopper is told at once. */
  seen: Seen;
  /** What the redemption comes to once settled. */
  settled: "ISSUED" | "FAILED";
}

const CASES: Case[] = [
  // Before create: the call never takes effect.
  {
    step: "before create",
    fault: "http 403",
    faults: [on(CREATE, { kind: "http", status: 403 })],
    seen: "CODE_NOT_CREATED",
    settled: "FAILED",
  },
  {
    step: "before create",
    fault: "userErrors",
    faults: [on(CREATE, { kind: "userErrors", userErrors: [{ field: null, message: "Invalid" }] })],
    seen: "CODE_NOT_CREATED",
    settled: "FAILED",
  },
  {
    step: "before create",
    fault: "http 503 on every attempt",
    faults: [on(CREATE, { kind: "http", status: 503 }, all)],
    seen: "PROCESSING",
    settled: "FAILED",
  },
  {
    step: "before create",
    fault: "network on every attempt",
    faults: [on(CREATE, { kind: "network" }, all)],
    seen: "PROCESSING",
    settled: "FAILED",
  },
  {
    step: "before create",
    fault: "internalError on every attempt",
    faults: [on(CREATE, { kind: "internalError" }, all)],
    seen: "PROCESSING",
    settled: "FAILED",
  },
  {
    step: "before create",
    fault: "throttled once",
    faults: [on(CREATE, { kind: "throttled", currentlyAvailable: 0 })],
    seen: "ISSUED",
    settled: "ISSUED",
  },
  // Create: the call takes effect, its answer is lost or late.
  {
    step: "create",
    fault: "lostResponse",
    faults: [on(CREATE, { kind: "lostResponse" })],
    seen: "ISSUED",
    settled: "ISSUED",
  },
  {
    step: "create",
    fault: "lostResponse on every attempt",
    faults: [on(CREATE, { kind: "lostResponse" }, all)],
    seen: "ISSUED",
    settled: "ISSUED",
  },
  {
    step: "create",
    fault: "delay past the attempt deadline",
    faults: [on(CREATE, { kind: "delay", ms: DELAY_MS })],
    seen: "ISSUED",
    settled: "ISSUED",
  },
  {
    step: "create",
    fault: "delay on every attempt",
    faults: [on(CREATE, { kind: "delay", ms: LONG_DELAY_MS }, all)],
    seen: "PROCESSING",
    settled: "ISSUED",
  },
  // After create: the outcome is unknown and looking the code up fails too.
  {
    step: "after create",
    fault: "lostResponse, then lookup network",
    faults: [on(CREATE, { kind: "lostResponse" }, all), on(LOOKUP, { kind: "network" }, all)],
    seen: "PROCESSING",
    settled: "ISSUED",
  },
  {
    step: "after create",
    fault: "lostResponse, then lookup 503",
    faults: [
      on(CREATE, { kind: "lostResponse" }, all),
      on(LOOKUP, { kind: "http", status: 503 }, all),
    ],
    seen: "PROCESSING",
    settled: "ISSUED",
  },
  {
    step: "after create",
    fault: "503, then lookup lostResponse",
    faults: [
      on(CREATE, { kind: "http", status: 503 }, all),
      on(LOOKUP, { kind: "lostResponse" }, all),
    ],
    seen: "PROCESSING",
    settled: "FAILED",
  },
  {
    step: "after create",
    fault: "delay, then lookup delay",
    faults: [
      on(CREATE, { kind: "delay", ms: LONG_DELAY_MS }, all),
      on(LOOKUP, { kind: "delay", ms: DELAY_MS }, all),
    ],
    seen: "PROCESSING",
    settled: "ISSUED",
  },
];

describe("each fault at each step of a redemption", () => {
  it.each(CASES)("$step: $fault → shopper sees $seen, settles $settled", async (c) => {
    await member("7001");
    const { id } = await reward();
    sandbox.api.state.faults.push(...c.faults);

    const seen = await redeem(id, "7001");
    expect(seen).toBe(c.seen);
    // Whatever the shopper saw, the points are spent unless they were told they are back.
    expect((await prisma.member.findFirstOrThrow()).balance).toBe(
      seen === "CODE_NOT_CREATED" ? START : START - COST,
    );

    await settle();
    const [row] = await expectSettled();
    expect(row?.status).toBe(c.settled);
  });

  it("the final write fails after Shopify created the code: the retry and reconciliation settle it", async () => {
    await member("7002");
    const { id } = await reward();

    expect(await redeem(id, "7002", "click-final-write", failingMoveTo("ISSUED"))).toBe("ERROR");
    const pending = await prisma.redemption.findFirstOrThrow();
    expect(pending.status).toBe("PENDING");
    expect(usable(pending.code)).toBe(true);

    // The widget asks again with the same key, then polls: the code is found and issued.
    expect(await redeem(id, "7002", "click-final-write")).toBe("PROCESSING");
    const polled = await redemptionStatus({
      prisma,
      admin: await admin(),
      shop: TEST_SHOP,
      customerId: "7002",
      redemptionId: pending.id,
    });
    expect(polled?.status).toBe("ISSUED");
    await settle();
    expect((await expectSettled()).map((r) => r.status)).toEqual(["ISSUED"]);
  });

  it("the process dies after taking the points, before calling Shopify", async () => {
    await member("7003");
    const { id } = await reward();
    await reserveRedemption(prisma, TEST_SHOP, "7003", id, new Date());

    await settle();
    expect((await expectSettled()).map((r) => r.status)).toEqual(["FAILED"]);
  });

  it("the process dies after Shopify created the code, before recording it", async () => {
    await member("7004");
    const { id } = await reward();
    const { redemption } = await reserveRedemption(prisma, TEST_SHOP, "7004", id, new Date());
    expect((await createDiscountCode(await admin(), redemption, retry)).kind).toBe("created");

    await settle();
    expect((await expectSettled()).map((r) => r.status)).toEqual(["ISSUED"]);
  });
});

describe("late answers never flip a settled redemption", () => {
  it("a stalled create that lands after reconciliation looked: still pending until the window passes", async () => {
    await member("7005");
    const { id } = await reward();
    sandbox.api.state.faults.push(
      on(CREATE, { kind: "delay", ms: 2 * LONG_DELAY_MS }, all),
      on(LOOKUP, { kind: "network" }, all),
    );
    expect(await redeem(id, "7005")).toBe("PROCESSING");

    // The worker runs while the call is still stalled: the code is absent, but a call may still
    // be on its way, so the points are not returned.
    sandbox.api.state.faults.length = 0;
    const early = await reconcileRedemptions(
      prisma,
      async () => admin(),
      new Date(Date.now() + 2 * 60 * 1000),
      { retry },
    );
    expect(early).toMatchObject({ refunded: 0, stillPending: 1 });
    expect((await prisma.member.findFirstOrThrow()).balance).toBe(START - COST);

    await settle();
    expect((await expectSettled()).map((r) => r.status)).toEqual(["ISSUED"]);
  });

  it("a move to ISSUED after the row settled as FAILED changes nothing", async () => {
    await member("7006");
    const { id } = await reward();
    const { redemption } = await reserveRedemption(prisma, TEST_SHOP, "7006", id, new Date());
    const now = new Date();
    expect(
      await prisma.$transaction((tx) =>
        moveRedemption(tx, redemption, "FAILED", {
          returnPoints: { text: { key: "codeFailed" } },
          now,
        }),
      ),
    ).toBe(true);
    expect(
      await prisma.$transaction((tx) =>
        moveRedemption(tx, redemption, "ISSUED", { data: { discountId: "gid://late" }, now }),
      ),
    ).toBe(false);
    expect(await prisma.redemption.findFirstOrThrow()).toMatchObject({
      status: "FAILED",
      discountId: null,
      pointsReturned: true,
    });
    expect((await prisma.member.findFirstOrThrow()).balance).toBe(START);
  });

  it("reconciliation deactivates the live code of a failed redemption whose points are back", async () => {
    await member("7007");
    const { id } = await reward();
    const { redemption } = await reserveRedemption(prisma, TEST_SHOP, "7007", id, new Date());
    await createDiscountCode(await admin(), redemption, retry);
    // Settled as failed by an older version that did not look the code up.
    await prisma.$transaction((tx) =>
      moveRedemption(tx, redemption, "FAILED", {
        returnPoints: { text: { key: "codeFailed" } },
        now: new Date(),
      }),
    );
    expect(usable(redemption.code)).toBe(true);

    const later = new Date(Date.now() + 10 * 60 * 1000);
    const result = await reconcileRedemptions(prisma, async () => admin(), later, { retry });

    expect(result).toMatchObject({ deactivated: 1 });
    expect((await expectSettled()).map((r) => r.status)).toEqual(["FAILED"]);
    expect(await reconcileRedemptions(prisma, async () => admin(), later, { retry })).toMatchObject(
      {
        deactivated: 0,
      },
    );
  });
});

describe("random faults against concurrent redemptions", () => {
  const kinds: FaultBody[] = [
    { kind: "http", status: 503 },
    { kind: "http", status: 400 },
    { kind: "network" },
    { kind: "lostResponse" },
    { kind: "delay", ms: DELAY_MS },
    { kind: "throttled", currentlyAvailable: 0 },
    { kind: "internalError" },
    { kind: "userErrors", userErrors: [{ field: null, message: "Invalid" }] },
  ];
  const faultArb = fc
    .record({
      kind: fc.integer({ min: 0, max: kinds.length - 1 }),
      match: fc.constantFrom(CREATE, LOOKUP),
      times: fc.integer({ min: 1, max: 4 }),
    })
    .map(({ kind, match, times }) => on(match, kinds[kind]!, times));

  it("settles every redemption to one usable code with points spent, or none with points back", async () => {
    let round = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(faultArb, { maxLength: 6 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        async (faults, members, perMember) => {
          round += 1;
          await prisma.redemption.deleteMany();
          await prisma.reward.deleteMany();
          await resetShop();
          sandbox.api.state.discounts.clear();
          sandbox.api.state.calls.length = 0;
          const { id } = await reward();
          const customers = Array.from({ length: members }, (_, i) => `8${round}${i}`);
          for (const customer of customers) await member(customer);
          await prisma.program.update({
            where: { shop: TEST_SHOP },
            data: { redemptionsPerHour: 100 },
          });
          sandbox.api.state.faults.push(...faults);

          // Each member asks more often than their points allow: one redemption each at most.
          const seen = await Promise.all(
            customers.flatMap((customer) =>
              Array.from({ length: perMember }, () => redeem(id, customer)),
            ),
          );
          expect(seen).not.toContain("ERROR");
          await settle();
          const rows = await expectSettled();
          for (const customer of customers) {
            const issued = rows.filter((r) => r.customerId === customer && r.status === "ISSUED");
            expect(issued.length).toBeLessThanOrEqual(1);
          }
        },
      ),
      { numRuns: 30 },
    );
  });
});

vi.setConfig({ testTimeout: 120_000 });
