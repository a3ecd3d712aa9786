// The "Award loyalty points" Shopify Flow action (issue #12): requests signed as the sandbox's
// Flow signs them (sandbox/flow.ts), sent to the route the extension's runtime_url names.
import { beforeEach, describe, expect, it } from "vitest";
import { failedEvents } from "../../app/admin/support.server";
import prisma from "../../app/db.server";
import { action } from "../../app/routes/flow.award-points";
import { flowActionRequest, flowActions } from "../../sandbox/flow";
import { signIn } from "../support/admin";
import { expectLedgerConsistent, memberOf, resetShop } from "../support/engine";
import { API_SECRET_KEY } from "@shopify/shopify-api/test-helpers";
import { routeArgs, TEST_SHOP } from "../support/shopify";

const HANDLE = "award-loyalty-points";
const URL = "https://loyalty.example/flow/award-points";

async function run(
  properties: Record<string, unknown>,
  options: { runId?: string; secret?: string; shop?: string } = {},
) {
  const request = flowActionRequest(URL, options.secret ?? API_SECRET_KEY, {
    shop: options.shop ?? TEST_SHOP,
    handle: HANDLE,
    properties,
    ...(options.runId ? { runId: options.runId } : {}),
  });
  try {
    return await action(routeArgs(request));
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

const review = { customer_id: "9101", points: 50, reason: "Product review" };

beforeEach(async () => {
  await resetShop();
  // Flow's requests are for installed shops: the package looks up the shop's offline session.
  await signIn();
});

describe("the Award loyalty points Flow action", () => {
  it("is declared with the runtime path the app serves", () => {
    expect(flowActions()).toContainEqual({ handle: HANDLE, path: "/flow/award-points" });
  });

  it("credits a customer with the points and the merchant's reason, as points earned", async () => {
    const response = await run(review, { runId: "run-1" });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ points: 50, balance: 50 });

    const member = await memberOf(9101);
    expect(member).toMatchObject({ balance: 50, lifetimeEarned: 50 });
    const entry = await prisma.ledgerEntry.findFirstOrThrow({ where: { memberId: member!.id } });
    expect(entry).toMatchObject({
      kind: "EARN",
      source: "FLOW",
      sourceId: "run-1",
      idempotencyKey: "flow:run-1",
      description: "Product review",
      points: 50,
    });
    expect(entry.rule).toEqual({
      reason: "Product review",
      contributions: [{ rule: "BONUS_ACTION", points: 50 }],
    });
    await expectLedgerConsistent();
  });

  it("awards a run once, however often and however concurrently Flow sends it", async () => {
    const first = await run(review, { runId: "run-2" });
    const again = await run({ ...review, points: 80 }, { runId: "run-2" });
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(await again.json()).toEqual({ points: 80, balance: 50 });

    const together = await Promise.all(
      Array.from({ length: 4 }, () => run(review, { runId: "run-3" })),
    );
    expect(together.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect((await memberOf(9101))?.balance).toBe(100);
    expect(await prisma.ledgerEntry.count()).toBe(2);
    await expectLedgerConsistent();
  });

  it("moves the member up a tier when the points cross a threshold", async () => {
    const silver = await prisma.tier.create({
      data: { shop: TEST_SHOP, name: "Silver", threshold: 100 },
    });
    await run({ ...review, points: 120 });
    expect((await memberOf(9101))?.tierId).toBe(silver.id);
  });

  it("refuses a request Flow did not sign, or for a shop without the app, and keeps nothing", async () => {
    // 400 Bad Request is the Shopify package's answer (authenticate.flow) to both.
    const response = await run(review, { secret: "not-the-app-secret" });
    expect(response.status).toBe(400);
    expect((await run(review, { shop: "not-installed.myshopify.com" })).status).toBe(400);
    expect(await prisma.ledgerEntry.count()).toBe(0);
    expect(await prisma.failedEvent.count()).toBe(0);
  });

  it("answers a signed run it cannot carry out with a message, records it, and awards nothing", async () => {
    const cases: [Record<string, unknown>, number, RegExp][] = [
      [{ ...review, points: "ten" }, 400, /^properties\.points: points must be a whole number$/],
      [{ ...review, points: 0 }, 400, /points must be above 0/],
      [{ ...review, reason: "  " }, 400, /reason is required/],
      [{ ...review, customer_id: "someone" }, 400, /customer_id must be a customer's id/],
      [{ ...review, points: 100_001 }, 422, /^Award between 1 and 100,000 points/],
    ];
    for (const [properties, status, message] of cases) {
      const response = await run(properties);
      expect(response.status, JSON.stringify(properties)).toBe(status);
      expect((await response.json()).message).toMatch(message);
    }
    expect(await prisma.ledgerEntry.count()).toBe(0);
    const failed = await prisma.failedEvent.findMany({ where: { shop: TEST_SHOP } });
    expect(failed).toHaveLength(cases.length);
    expect(failed[0]).toMatchObject({
      topic: "flow/award-loyalty-points",
      reason: "INVALID",
      status: "DEAD",
    });
    // Listed with the failed webhooks, but with no Replay: Flow itself runs the action again.
    const listed = await failedEvents(TEST_SHOP, 1);
    expect(listed.events.map((e) => e.replayable)).toEqual(cases.map(() => false));

    await prisma.program.update({ where: { shop: TEST_SHOP }, data: { enabled: false } });
    const off = await run(review);
    expect(off.status).toBe(422);
    expect((await off.json()).message).toBe(
      "The loyalty program is switched off, so no points were awarded.",
    );
    expect(await prisma.ledgerEntry.count()).toBe(0);
  });

  it("accepts the customer as a gid too", async () => {
    const response = await run({ ...review, customer_id: "gid://shopify/Customer/9101" });
    expect(response.status).toBe(200);
    expect((await memberOf(9101))?.balance).toBe(50);
  });
});
