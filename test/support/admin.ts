import { expect } from "vitest";
import prisma from "../../app/db.server";
export { resetShop } from "./engine";
import {
  adminRequest,
  routeArgs,
  storeOfflineSession,
  storeStaffSession,
  TEST_SHOP,
} from "./shopify";

/** Helpers for embedded-admin loader/action tests: real auth, real database. */

export const OTHER_SHOP = "other-shop.myshopify.com";

type RouteFn = (args: {
  request: Request;
  params: Record<string, string | undefined>;
  context: Record<string, unknown>;
}) => unknown;

async function settle(result: unknown): Promise<unknown> {
  try {
    return await result;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

/** Runs a loader as Shopify admin would (document request with a session token). */
export async function load<T = unknown>(
  loader: RouteFn,
  path: string,
  options: { shop?: string; params?: Record<string, string> } = {},
): Promise<T> {
  const request = await adminRequest(path, options.shop ?? TEST_SHOP);
  return (await settle(loader({ ...routeArgs(request), params: options.params ?? {} }))) as T;
}

/** Posts a form to an action. */
export async function post<T = unknown>(
  action: RouteFn,
  path: string,
  body: Record<string, string> | FormData,
  options: { shop?: string; params?: Record<string, string> } = {},
): Promise<T> {
  const request = await adminRequest(path, options.shop ?? TEST_SHOP, {
    method: "POST",
    body: body instanceof FormData ? body : new URLSearchParams(body),
  });
  return (await settle(action({ ...routeArgs(request), params: options.params ?? {} }))) as T;
}

export function expectStatus(result: unknown, status: number) {
  expect(result).toBeInstanceOf(Response);
  expect((result as Response).status).toBe(status);
}

export async function signIn() {
  await prisma.session.deleteMany();
  await storeOfflineSession(TEST_SHOP);
  await storeOfflineSession(OTHER_SHOP);
  await storeStaffSession(TEST_SHOP);
  await storeStaffSession(OTHER_SHOP);
}

/** Every loyalty row of a shop, to prove an action left the database exactly as it was. */
export async function shopRows(shop = TEST_SHOP) {
  const where = { where: { shop } };
  return {
    program: await prisma.program.findMany(where),
    tiers: await prisma.tier.findMany({ ...where, orderBy: { id: "asc" } }),
    members: await prisma.member.findMany({ ...where, orderBy: { id: "asc" } }),
    entries: await prisma.ledgerEntry.findMany({ ...where, orderBy: { id: "asc" } }),
    tierChanges: await prisma.tierChange.findMany({ ...where, orderBy: { id: "asc" } }),
    rewards: await prisma.reward.findMany({ ...where, orderBy: { id: "asc" } }),
    campaigns: await prisma.campaign.findMany({ ...where, orderBy: { id: "asc" } }),
    redemptions: await prisma.redemption.findMany({ ...where, orderBy: { id: "asc" } }),
    imports: await prisma.importBatch.findMany({ ...where, orderBy: { id: "asc" } }),
    importRows: await prisma.importRow.findMany({ ...where, orderBy: { id: "asc" } }),
    jobs: await prisma.tierReevaluation.findMany({ ...where, orderBy: { id: "asc" } }),
  };
}

/** A member with an opening balance posted through the ledger, as the engine would leave it. */
export async function seedMember(
  customerId: string,
  points: number,
  options: {
    shop?: string;
    email?: string;
    firstName?: string;
    lastName?: string;
    lastActivityAt?: Date;
  } = {},
) {
  const { postEntry } = await import("../../app/loyalty/ledger.server");
  const { programFor } = await import("../../app/loyalty/program.server");
  const shop = options.shop ?? TEST_SHOP;
  return prisma.$transaction(async (tx) => {
    const program = await programFor(tx, shop);
    let member = await tx.member.create({
      data: {
        shop,
        customerId,
        email: options.email ?? `${customerId}@example.com`,
        firstName: options.firstName ?? null,
        lastName: options.lastName ?? null,
      },
    });
    if (points !== 0) {
      member = await postEntry(
        tx,
        program,
        member,
        {
          kind: "MANUAL",
          points,
          source: "MANUAL",
          idempotencyKey: `seed:${customerId}`,
          description: "Opening balance",
          occurredAt: options.lastActivityAt ?? new Date(),
        },
        options.lastActivityAt ?? new Date(),
      );
    }
    return member;
  });
}

/** A member who earned `points` on an order of `amountMinor` (counts towards tiers). */
export async function seedEarner(
  customerId: string,
  points: number,
  amountMinor = points * 100,
  shop = TEST_SHOP,
) {
  const { postEntry } = await import("../../app/loyalty/ledger.server");
  const { programFor } = await import("../../app/loyalty/program.server");
  return prisma.$transaction(async (tx) => {
    const program = await programFor(tx, shop);
    const member = await tx.member.upsert({
      where: { shop_customerId: { shop, customerId } },
      create: { shop, customerId, email: `${customerId}@example.com` },
      update: {},
    });
    return postEntry(
      tx,
      program,
      member,
      {
        kind: "EARN",
        points,
        source: "ORDER",
        sourceId: `order-${customerId}-${points}`,
        orderId: `order-${customerId}-${points}`,
        amountMinor,
        currency: program.currency,
        idempotencyKey: `seed-earn:${customerId}:${points}:${amountMinor}`,
        description: "Seeded order",
        occurredAt: new Date(),
      },
      new Date(),
    );
  });
}

/** A "$5 off" reward for 500 points unless told otherwise: what most redemption tests spend. */
export function seedReward(
  overrides: Partial<Parameters<typeof prisma.reward.create>[0]["data"]> = {},
) {
  return prisma.reward.create({
    data: {
      shop: TEST_SHOP,
      name: "$5 off",
      type: "FIXED_AMOUNT",
      amount: "5.00",
      pointsCost: 500,
      ...overrides,
    },
  });
}
