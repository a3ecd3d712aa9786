import { afterEach, beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { loader as member } from "../../app/routes/proxy.member";
import { action as redeem } from "../../app/routes/proxy.redeem";
import { loader as redemption } from "../../app/routes/proxy.redemptions.$id";
import { adminSandbox } from "../support/admin-sandbox";
import { seedReward } from "../support/admin";
import { proxyRequest } from "../support/app-proxy";
import { deliver, expectLedgerConsistent, resetShop } from "../support/engine";
import { orderPayload } from "../support/payloads";
import { routeArgs, storeOfflineSession, TEST_SHOP } from "../support/shopify";

const sandbox = adminSandbox();
const CUSTOMER = "8101";

async function call(
  handler: (args: ReturnType<typeof routeArgs>) => Promise<Response>,
  request: Request,
) {
  try {
    return await handler(routeArgs(request));
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

async function snapshot() {
  return {
    entries: await prisma.ledgerEntry.count(),
    redemptions: await prisma.redemption.count(),
    members: await prisma.member.findMany({ orderBy: { id: "asc" } }),
  };
}

let rewardId: string;

beforeEach(async () => {
  await prisma.redemption.deleteMany();
  await prisma.reward.deleteMany();
  await resetShop();
  await resetShop("other-shop.myshopify.com");
  await prisma.session.deleteMany();
  await storeOfflineSession();
  sandbox.api.addCustomer({ id: `gid://shopify/Customer/${CUSTOMER}` });
  await prisma.program.create({ data: { shop: TEST_SHOP, signupBonus: 50 } });
  await deliver({
    topic: "orders/paid",
    payload: orderPayload({ customerId: Number(CUSTOMER), subtotal: "620.00" }),
  });
  await prisma.tier.create({
    data: { shop: TEST_SHOP, name: "Platinum", threshold: 1000, multiplierPercent: 200 },
  });
  rewardId = (await seedReward()).id;
  await prisma.reward.create({
    data: {
      shop: TEST_SHOP,
      name: "$50 off",
      type: "FIXED_AMOUNT",
      amount: "50.00",
      pointsCost: 5000,
    },
  });
  sandbox.api.state.calls.length = 0;
});

afterEach(() => expectLedgerConsistent());

describe("GET {proxy}/member", () => {
  it("answers a logged-in shopper with their points, tier progress, rewards and history", async () => {
    const response = await call(
      member,
      proxyRequest({ path: "/proxy/member", customerId: CUSTOMER }),
    );

    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("private, no-store");
    const body = await response.json();
    expect(body).toMatchObject({
      loggedIn: true,
      points: 620,
      pendingPoints: 0,
      tier: null,
      nextTier: { name: "Platinum", remaining: 380, threshold: 1000 },
      pointsName: { one: "point", other: "points" },
      expiresAt: null,
    });
    expect(body.rewards).toEqual([
      { id: rewardId, name: "$5 off", cost: 500, type: "FIXED_AMOUNT", affordable: true },
      expect.objectContaining({ name: "$50 off", cost: 5000, affordable: false }),
    ]);
    expect(body.history[0]).toMatchObject({ points: 620, kind: "EARN" });
    expect(body.program.waysToEarn.map((w: { id: string }) => w.id)).toEqual(["order", "signup"]);
    // Reading member data never needs the Admin API.
    expect(sandbox.api.state.calls).toHaveLength(0);
  });

  it("gives spend-based tier progress as an amount in the shop currency", async () => {
    await prisma.program.update({
      where: { shop: TEST_SHOP },
      data: { tierBasis: "AMOUNT_SPENT" },
    });
    await prisma.tier.updateMany({ where: { shop: TEST_SHOP }, data: { threshold: 100_000 } });

    const response = await call(
      member,
      proxyRequest({ path: "/proxy/member", customerId: CUSTOMER }),
    );

    // 620.00 spent of 1,000.00: the widget shows "$380.00 to reach Platinum", not 38,000 points.
    expect((await response.json()).nextTier).toEqual({
      name: "Platinum",
      basis: "AMOUNT_SPENT",
      remaining: 38_000,
      remainingAmount: "380.00",
      currency: "USD",
      threshold: 100_000,
    });
  });

  it("names the tier a locked reward is kept for", async () => {
    const platinum = await prisma.tier.findFirstOrThrow({ where: { shop: TEST_SHOP } });
    await prisma.reward.create({
      data: {
        shop: TEST_SHOP,
        name: "Free shipping",
        type: "FREE_SHIPPING",
        pointsCost: 100,
        tierId: platinum.id,
      },
    });

    const body = await (
      await call(member, proxyRequest({ path: "/proxy/member", customerId: CUSTOMER }))
    ).json();

    // Enough points, but not Platinum: the widget says why instead of offering the button.
    expect(body.rewards.find((r: { name: string }) => r.name === "Free shipping")).toMatchObject({
      cost: 100,
      affordable: false,
      requiresTier: "Platinum",
    });
    expect(
      body.rewards.find((r: { name: string }) => r.name === "$5 off").requiresTier,
    ).toBeUndefined();
  });

  it("writes its own texts in the storefront's language, from the locale the widget sends", async () => {
    await prisma.program.update({
      where: { shop: TEST_SHOP },
      data: { pointsNames: { fr: { one: "étoile", other: "étoiles" } } },
    });
    const fr = await (
      await call(
        member,
        proxyRequest({
          path: "/proxy/member",
          customerId: CUSTOMER,
          extraParams: { locale: "fr-CA" },
        }),
      )
    ).json();
    expect(fr.pointsName).toEqual({ one: "étoile", other: "étoiles" });
    expect(fr.program.waysToEarn).toEqual([
      {
        id: "order",
        title: "Passer une commande",
        points: 1,
        description: "1 étoile pour chaque tranche de 1,00\u00a0$US dépensée",
      },
      {
        id: "signup",
        title: "Créer un compte",
        points: 50,
        description: "50 étoiles à l’inscription",
      },
    ]);
    expect(fr.history.map((entry: { description: string }) => entry.description)).toEqual([
      expect.stringMatching(/^Commande #\d+$/),
    ]);

    // Without the parameter, the browser's language; German keeps its own word for points.
    const de = await (
      await call(
        member,
        new Request(proxyRequest({ path: "/proxy/member" }), {
          headers: { "Accept-Language": "de;q=0.9,en;q=0.8" },
        }),
      )
    ).json();
    expect(de.pointsName).toEqual({ one: "Punkt", other: "Punkte" });
    expect(de.program.waysToEarn[1].description).toBe("50 Punkte bei der Anmeldung");
    // A language the widget does not ship gets English.
    const pt = await (
      await call(member, proxyRequest({ path: "/proxy/member", extraParams: { locale: "pt-BR" } }))
    ).json();
    expect(pt.program.waysToEarn[0].title).toBe("Place an order");
  });

  it("says when pending points become spendable, and never a date already past", async () => {
    await prisma.program.update({ where: { shop: TEST_SHOP }, data: { pendingDays: 14 } });
    for (const subtotal of ["45.00", "30.00"]) {
      await deliver({
        topic: "orders/paid",
        payload: orderPayload({ customerId: Number(CUSTOMER), subtotal }),
      });
    }
    const read = async () =>
      (await call(member, proxyRequest({ path: "/proxy/member", customerId: CUSTOMER }))).json();
    const body = await read();
    expect(body.pendingPoints).toBe(75);
    // Both orders are due the same day: one line for both.
    expect(body.nextRelease.points).toBe(75);
    const due = new Date(body.nextRelease.date).getTime();
    expect(Math.abs(due - (Date.now() + 14 * 86_400_000))).toBeLessThan(60_000);

    // The release job is late: the points are due now, not on the day that passed.
    await prisma.orderRecord.updateMany({
      where: { shop: TEST_SHOP, pendingRemaining: { gt: 0 } },
      data: { availableAt: new Date(Date.now() - 86_400_000) },
    });
    const late = await read();
    expect(Math.abs(new Date(late.nextRelease.date).getTime() - Date.now())).toBeLessThan(60_000);
    expect(late.nextRelease.points).toBe(75);

    // Days apart, both overdue: the job's next run releases both, so both count as due now.
    const [older] = await prisma.orderRecord.findMany({
      where: { shop: TEST_SHOP, pendingRemaining: { gt: 0 } },
      orderBy: { basisMinor: "desc" },
    });
    await prisma.orderRecord.update({
      where: { id: older!.id },
      data: { availableAt: new Date(Date.now() - 5 * 86_400_000) },
    });
    expect((await read()).nextRelease.points).toBe(75);
    // Due in three weeks, the other now: only the one due now.
    await prisma.orderRecord.update({
      where: { id: older!.id },
      data: { availableAt: new Date(Date.now() + 21 * 86_400_000) },
    });
    expect((await read()).nextRelease.points).toBe(30);
  });

  it("answers a logged-out visitor with the program summary", async () => {
    const body = await (await call(member, proxyRequest({ path: "/proxy/member" }))).json();
    expect(body).toMatchObject({ loggedIn: false, pointsName: { other: "points" } });
    expect(body.points).toBeUndefined();
    expect(body.program.rewards.map((r: { name: string }) => r.name)).toEqual([
      "$5 off",
      "$50 off",
    ]);
  });

  it("works without a stored offline session", async () => {
    await prisma.session.deleteMany();
    const response = await call(
      member,
      proxyRequest({ path: "/proxy/member", customerId: CUSTOMER }),
    );
    expect((await response.json()).points).toBe(620);
  });

  it("rejects a forged signature and a stale timestamp", async () => {
    const forged = await call(
      member,
      proxyRequest({ path: "/proxy/member", customerId: CUSTOMER, secret: "nope" }),
    );
    expect(forged.status).toBe(400);
    const stale = await call(
      member,
      proxyRequest({
        path: "/proxy/member",
        customerId: CUSTOMER,
        timestamp: Math.floor(Date.now() / 1000) - 600,
      }),
    );
    expect(stale.status).toBe(400);
  });

  it("rejects a tampered customer id even with an otherwise valid signature", async () => {
    const request = proxyRequest({ path: "/proxy/member", customerId: "1" });
    const tampered = new Request(
      request.url.replace("logged_in_customer_id=1", `logged_in_customer_id=${CUSTOMER}`),
    );
    expect((await call(member, tampered)).status).toBe(400);
  });

  it("never shows one shop's member to another shop", async () => {
    const body = await (
      await call(
        member,
        proxyRequest({
          path: "/proxy/member",
          shop: "other-shop.myshopify.com",
          customerId: CUSTOMER,
        }),
      )
    ).json();
    expect(body).toMatchObject({ loggedIn: true, points: 0, history: [], rewards: [] });
  });
});

describe("POST {proxy}/redeem", () => {
  it("redeems for the signed-in shopper and returns the code", async () => {
    const response = await call(
      redeem,
      proxyRequest({
        path: "/proxy/redeem",
        method: "POST",
        customerId: CUSTOMER,
        body: { rewardId },
      }),
    );
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({
      points: 120,
      applyUrl: `https://${TEST_SHOP}/discount/${body.code}?redirect=/cart`,
    });
    expect(sandbox.api.findDiscountByCode(body.code)?.eligibility).toEqual([
      `gid://shopify/Customer/${CUSTOMER}`,
    ]);

    // The widget shows the shopper's unused code beside its reward on the next visit…
    const memberView = async () =>
      (await call(member, proxyRequest({ path: "/proxy/member", customerId: CUSTOMER }))).json();
    expect((await memberView()).codes).toEqual({
      [rewardId]: expect.objectContaining({ code: body.code, applyUrl: body.applyUrl }),
    });
    // …and no longer once it is cancelled (or used, or expired).
    await prisma.redemption.updateMany({ data: { status: "CANCELLED" } });
    expect((await memberView()).codes).toEqual({});
  });

  it("ignores a customer id in the body: the signed parameter decides who pays", async () => {
    await deliver({
      topic: "orders/paid",
      payload: orderPayload({ customerId: 8102, subtotal: "900.00" }),
    });
    const response = await call(
      redeem,
      proxyRequest({
        path: "/proxy/redeem",
        method: "POST",
        customerId: CUSTOMER,
        body: { rewardId, customerId: "8102", logged_in_customer_id: "8102" },
      }),
    );
    expect(response.status).toBe(200);
    const balances = await prisma.member.findMany({
      where: { shop: TEST_SHOP },
      orderBy: { customerId: "asc" },
    });
    expect(balances.map((m) => [m.customerId, m.balance])).toEqual([
      [CUSTOMER, 120],
      ["8102", 900],
    ]);
  });

  it("answers errors as JSON with a code and writes nothing", async () => {
    const before = await snapshot();
    const cases: [Request, number, string][] = [
      [
        proxyRequest({ path: "/proxy/redeem", method: "POST", body: { rewardId } }),
        401,
        "NOT_LOGGED_IN",
      ],
      [
        proxyRequest({
          path: "/proxy/redeem",
          method: "POST",
          customerId: CUSTOMER,
          body: { nope: 1 },
        }),
        400,
        "INVALID_REQUEST",
      ],
      [
        proxyRequest({
          path: "/proxy/redeem",
          method: "POST",
          customerId: CUSTOMER,
          body: "rewardId=x",
          contentType: "application/x-www-form-urlencoded",
        }),
        415,
        "INVALID_REQUEST",
      ],
      [
        proxyRequest({
          path: "/proxy/redeem",
          method: "POST",
          customerId: CUSTOMER,
          body: { rewardId: "missing" },
        }),
        404,
        "REWARD_NOT_FOUND",
      ],
    ];
    for (const [request, status, code] of cases) {
      const response = await call(redeem, request);
      expect(response.status).toBe(status);
      expect((await response.json()).error).toMatchObject({ code, message: expect.any(String) });
    }
    const expensive = await prisma.reward.findFirstOrThrow({ where: { name: "$50 off" } });
    const poor = await call(
      redeem,
      proxyRequest({
        path: "/proxy/redeem",
        method: "POST",
        customerId: CUSTOMER,
        body: { rewardId: expensive.id },
      }),
    );
    expect(poor.status).toBe(409);
    expect((await poor.json()).error.code).toBe("INSUFFICIENT_POINTS");
    expect(await snapshot()).toEqual(before);
  });

  it("explains a refusal in the shopper's language", async () => {
    const expensive = await prisma.reward.findFirstOrThrow({ where: { name: "$50 off" } });
    const refuse = async (locale: string, customerId: string | null = CUSTOMER) =>
      (
        await call(
          redeem,
          proxyRequest({
            path: "/proxy/redeem",
            method: "POST",
            customerId,
            body: { rewardId: expensive.id },
            extraParams: { locale },
          }),
        )
      ).json();
    expect((await refuse("es")).error).toEqual({
      code: "INSUFFICIENT_POINTS",
      message: "Aún no tienes suficientes puntos para esta recompensa.",
    });
    expect((await refuse("de", null)).error).toEqual({
      code: "NOT_LOGGED_IN",
      message: "Melde dich an, um deine Punkte einzulösen.",
    });
    await prisma.program.update({ where: { shop: TEST_SHOP }, data: { enabled: false } });
    expect((await refuse("ja")).error.code).toBe("PROGRAM_PAUSED");
    expect((await refuse("ja")).error.message).toBe(
      "リワードプログラムは現在一時停止中です。ポイントはそのまま保持されます。",
    );
  });

  it("rejects forged requests before reading anything", async () => {
    const before = await snapshot();
    const response = await call(
      redeem,
      proxyRequest({
        path: "/proxy/redeem",
        method: "POST",
        customerId: CUSTOMER,
        body: { rewardId },
        secret: "forged",
      }),
    );
    expect(response.status).toBe(400);
    expect(await snapshot()).toEqual(before);
  });

  it("answers 202 while Shopify's answer is lost, then the poll finds the code", async () => {
    // The code is created but the answer never arrives, and looking it up fails too.
    sandbox.api.state.faults.push(
      { kind: "lostResponse", match: "discountCodeBasicCreate", times: 4 },
      { kind: "network", match: "codeDiscountNodeByCode", times: 4 },
    );
    const first = await call(
      redeem,
      proxyRequest({
        path: "/proxy/redeem",
        method: "POST",
        customerId: CUSTOMER,
        body: { rewardId, requestId: "click-lost-answer" },
      }),
    );
    expect(first.status).toBe(202);
    const processing = await first.json();
    expect(processing).toMatchObject({
      status: "PROCESSING",
      points: 120,
      message: "Your reward is being prepared. This can take a minute.",
    });

    const poll = (customerId: string) =>
      call(
        (args) => redemption({ ...args, params: { id: processing.id } }),
        proxyRequest({ path: `/proxy/redemptions/${processing.id}`, customerId }),
      );
    // Another shopper cannot see it.
    expect((await poll("8102")).status).toBe(404);
    const polled = await poll(CUSTOMER);
    expect(polled.status).toBe(200);
    const issued = await polled.json();
    expect(issued).toMatchObject({ status: "ISSUED", id: processing.id, points: 120 });
    expect(sandbox.api.findDiscountByCode(issued.code)).toBeDefined();
    expect(polled.headers.get("cache-control")).toBe("private, no-store");
  });

  it("answers a retried or replayed request with its idempotency key with the first answer", async () => {
    const send = () =>
      call(
        redeem,
        proxyRequest({
          path: "/proxy/redeem",
          method: "POST",
          customerId: CUSTOMER,
          body: { rewardId, requestId: "click-0b7d2c9e" },
        }),
      );
    // A double submit at the same moment, then the widget's retry after a dropped connection.
    const twins = await Promise.all([send(), send()]);
    const retry = await send();
    const retryBody = await retry.json();
    expect(retry.status).toBe(200);
    // Whichever came second arrived while the first was still creating the code: it is told the
    // same redemption is being prepared (the widget polls it), or given the same code — never a
    // second redemption.
    for (const twin of twins) {
      const body = await twin.json();
      expect(body.id, JSON.stringify(body)).toBe(retryBody.id);
      if (twin.status === 200) expect(body.code).toBe(retryBody.code);
      else expect([twin.status, body.status]).toEqual([202, "PROCESSING"]);
    }
    expect(twins.some((t) => t.status === 200)).toBe(true);
    expect(await prisma.redemption.count({ where: { shop: TEST_SHOP } })).toBe(1);
    expect(
      (await prisma.member.findFirstOrThrow({ where: { customerId: CUSTOMER } })).balance,
    ).toBe(120);

    // A new click (a new key) is a new redemption.
    await deliver({
      topic: "orders/paid",
      payload: orderPayload({ customerId: Number(CUSTOMER), subtotal: "500.00" }),
    });
    const another = await call(
      redeem,
      proxyRequest({
        path: "/proxy/redeem",
        method: "POST",
        customerId: CUSTOMER,
        body: { rewardId, requestId: "click-51aa77f0" },
      }),
    );
    expect(another.status).toBe(200);
    expect(await prisma.redemption.count({ where: { shop: TEST_SHOP } })).toBe(2);
    await expectLedgerConsistent();
  });

  it("refuses a body larger than a redeem request could be, before reading it", async () => {
    const response = await call(
      redeem,
      proxyRequest({
        path: "/proxy/redeem",
        method: "POST",
        customerId: CUSTOMER,
        body: { rewardId, padding: "x".repeat(100_000) },
      }),
    );
    expect(response.status).toBe(413);
    expect(await prisma.redemption.count({ where: { shop: TEST_SHOP } })).toBe(0);
  });

  it("explains that rewards are unavailable when the shop has no offline session", async () => {
    await prisma.session.deleteMany();
    const response = await call(
      redeem,
      proxyRequest({
        path: "/proxy/redeem",
        method: "POST",
        customerId: CUSTOMER,
        body: { rewardId },
      }),
    );
    expect(response.status).toBe(503);
    expect((await response.json()).error.code).toBe("STORE_NOT_CONNECTED");
  });
});
