import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { deliver, expectLedgerConsistent, memberOf, resetShop } from "../support/engine";
import { orderPayload } from "../support/payloads";
import { TEST_SHOP } from "../support/shopify";

beforeEach(() => resetShop());

describe("orders/paid", () => {
  it("awards 1 point per unit of shop currency on the subtotal, rounded down, with a rule snapshot", async () => {
    const order = orderPayload({ customerId: 501, subtotal: "45.99", total: "55.40" });

    expect(await deliver({ topic: "orders/paid", payload: order })).toBe(200);

    const member = await memberOf(501);
    expect(member).toMatchObject({ balance: 45, lifetimeEarned: 45, email: "shopper@example.com" });
    const [entry] = await prisma.ledgerEntry.findMany({ where: { memberId: member!.id } });
    expect(entry).toMatchObject({
      kind: "EARN",
      points: 45,
      balanceAfter: 45,
      source: "ORDER",
      orderId: String(order.id),
      amountMinor: 4599,
      idempotencyKey: `order:${order.id}:earn`,
    });
    expect(entry!.rule).toMatchObject({
      earnPoints: 1,
      perAmount: "1",
      rounding: "DOWN",
      multiplierPercent: 100,
    });
    const program = await prisma.program.findUniqueOrThrow({ where: { shop: TEST_SHOP } });
    expect(program).toMatchObject({
      earnPoints: 1,
      earnPerAmount: "1",
      rounding: "DOWN",
      currency: "USD",
    });
    await expectLedgerConsistent();
  });

  it("excludes tax from the basis when prices include it", async () => {
    await deliver({
      topic: "orders/paid",
      payload: orderPayload({
        customerId: 502,
        currency: "EUR",
        subtotal: "119.00",
        taxesIncluded: true,
        lineTax: "19.00",
      }),
    });
    expect((await memberOf(502))?.balance).toBe(100);
  });

  it("handles currencies with 0 and 3 decimals", async () => {
    await deliver({
      topic: "orders/paid",
      payload: orderPayload({ customerId: 503, currency: "JPY", subtotal: "4599" }),
    });
    expect((await memberOf(503))?.balance).toBe(4599);
    await resetShop();
    await deliver({
      topic: "orders/paid",
      payload: orderPayload({ customerId: 504, currency: "KWD", subtotal: "12.750" }),
    });
    expect((await memberOf(504))?.balance).toBe(12);
  });

  it("records guest orders as skipped with a reason and creates no member", async () => {
    const order = orderPayload({ customerId: null });
    expect(await deliver({ topic: "orders/paid", payload: order })).toBe(200);
    const record = await prisma.orderRecord.findFirstOrThrow({
      where: { orderId: String(order.id) },
    });
    expect(record).toMatchObject({ status: "SKIPPED", skipReason: "GUEST_CHECKOUT" });
    expect(await prisma.member.count()).toBe(0);
  });

  it("skips test orders unless the program awards them", async () => {
    await deliver({ topic: "orders/paid", payload: orderPayload({ customerId: 505, test: true }) });
    expect((await memberOf(505))?.balance).toBe(0);
    expect(
      await prisma.orderRecord.findFirst({ where: { skipReason: "TEST_ORDER" } }),
    ).not.toBeNull();

    await prisma.program.update({ where: { shop: TEST_SHOP }, data: { awardTestOrders: true } });
    await deliver({ topic: "orders/paid", payload: orderPayload({ customerId: 505, test: true }) });
    expect((await memberOf(505))?.balance).toBe(45);
  });

  it("skips orders while the program is off", async () => {
    await prisma.program.create({ data: { shop: TEST_SHOP, enabled: false } });
    await deliver({ topic: "orders/paid", payload: orderPayload({ customerId: 506 }) });
    expect(
      await prisma.orderRecord.findFirst({ where: { skipReason: "PROGRAM_OFF" } }),
    ).not.toBeNull();
    expect((await memberOf(506))?.balance).toBe(0);
  });

  it("uses the merchant's rate and the member's tier multiplier", async () => {
    await prisma.program.create({
      data: { shop: TEST_SHOP, earnPoints: 5, earnPerAmount: "2.00" },
    });
    const gold = await prisma.tier.create({
      data: { shop: TEST_SHOP, name: "Gold", threshold: 0, multiplierPercent: 150 },
    });
    await prisma.member.create({ data: { shop: TEST_SHOP, customerId: "507", tierId: gold.id } });

    await deliver({
      topic: "orders/paid",
      payload: orderPayload({ customerId: 507, subtotal: "10.00" }),
    });

    // 10.00 / 2.00 × 5 × 1.5 = 37.5 → 37
    const member = await memberOf(507);
    expect(member?.balance).toBe(37);
    const entry = await prisma.ledgerEntry.findFirstOrThrow({ where: { memberId: member!.id } });
    expect(entry.rule).toMatchObject({
      multiplierPercent: 150,
      tier: "Gold",
      earnPoints: 5,
      perAmount: "2.00",
      // What each rule gave: 25 at the rate, and what Gold's 1.5× adds after the one rounding.
      contributions: [
        { rule: "ORDER_SPEND", points: 25 },
        { rule: "TIER_MULTIPLIER", points: 12, tier: "Gold", multiplierPercent: 150 },
      ],
    });
    const record = await prisma.orderRecord.findFirstOrThrow({ where: { customerId: "507" } });
    expect(record.rule).toEqual(entry.rule);
  });

  it("moves a member up a tier when an order crosses the threshold and records the change", async () => {
    await prisma.tier.createMany({
      data: [
        { shop: TEST_SHOP, name: "Silver", threshold: 100, multiplierPercent: 110 },
        { shop: TEST_SHOP, name: "Gold", threshold: 500, multiplierPercent: 150 },
      ],
    });
    await deliver({
      topic: "orders/paid",
      payload: orderPayload({ customerId: 508, subtotal: "80.00" }),
    });
    expect((await memberOf(508))?.tierId).toBeNull();

    await deliver({
      topic: "orders/paid",
      payload: orderPayload({ customerId: 508, subtotal: "30.00" }),
    });
    const member = await prisma.member.findFirstOrThrow({
      where: { customerId: "508" },
      include: { tier: true },
    });
    expect(member.tier?.name).toBe("Silver");
    const changes = await prisma.tierChange.findMany({ where: { memberId: member.id } });
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ fromName: null, toName: "Silver", metric: 110 });
  });

  it("qualifies spend-based tiers on money spent", async () => {
    await prisma.program.create({ data: { shop: TEST_SHOP, tierBasis: "AMOUNT_SPENT" } });
    await prisma.tier.create({ data: { shop: TEST_SHOP, name: "VIP", threshold: 10_000 } });
    await deliver({
      topic: "orders/paid",
      payload: orderPayload({ customerId: 509, subtotal: "100.00" }),
    });
    const member = await prisma.member.findFirstOrThrow({
      where: { customerId: "509" },
      include: { tier: true },
    });
    expect(member.tier?.name).toBe("VIP");
  });
});

describe("customers/create", () => {
  it("credits a configured signup bonus exactly once", async () => {
    await prisma.program.create({ data: { shop: TEST_SHOP, signupBonus: 100 } });
    const payload = { id: 601, email: "new@example.com", first_name: "New", last_name: "Shopper" };

    await deliver({ topic: "customers/create", payload });
    await deliver({ topic: "customers/create", payload });

    const member = await memberOf(601);
    expect(member).toMatchObject({ balance: 100, email: "new@example.com" });
    const entries = await prisma.ledgerEntry.findMany({ where: { kind: "SIGNUP_BONUS" } });
    expect(entries).toHaveLength(1);
    expect(entries[0]!.rule).toEqual({
      signupBonus: 100,
      contributions: [{ rule: "SIGNUP_BONUS", points: 100 }],
    });
    await expectLedgerConsistent();
  });

  it("creates the member without points when there is no bonus", async () => {
    await deliver({ topic: "customers/create", payload: { id: 602, email: "x@example.com" } });
    expect(await memberOf(602)).toMatchObject({ balance: 0 });
    expect(await prisma.ledgerEntry.count()).toBe(0);
  });
});
