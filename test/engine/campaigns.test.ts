// Campaigns (issue #12): time-boxed multipliers and fixed bonuses on orders, each a contribution
// of the order that a refund or cancellation takes back by its own rule.
import { beforeEach, describe, expect, it } from "vitest";
import prisma from "../../app/db.server";
import { programSummary, memberView } from "../../app/loyalty/storefront.server";
import { deliver, expectLedgerConsistent, memberOf, resetShop } from "../support/engine";
import { orderPayload, refundPayload } from "../support/payloads";
import { TEST_SHOP } from "../support/shopify";

const HOUR = 60 * 60 * 1000;
const at = (offsetHours: number) => new Date(Date.now() + offsetHours * HOUR);

function campaign(data: {
  name?: string;
  kind?: "MULTIPLIER" | "BONUS";
  multiplierPercent?: number;
  bonusPoints?: number;
  minimumSpend?: string;
  tierIds?: string[];
  startsAt?: Date;
  endsAt?: Date;
  enabled?: boolean;
  products?: { id: string; title: string }[];
  collections?: { id: string; title: string }[];
  collectionProductIds?: string[];
}) {
  return prisma.campaign.create({
    data: {
      shop: TEST_SHOP,
      name: data.name ?? "Double points weekend",
      kind: data.kind ?? "MULTIPLIER",
      multiplierPercent: data.multiplierPercent ?? (data.kind === "BONUS" ? null : 200),
      bonusPoints: data.bonusPoints ?? null,
      minimumSpend: data.minimumSpend ?? null,
      tierIds: data.tierIds ?? [],
      startsAt: data.startsAt ?? at(-24),
      endsAt: data.endsAt ?? at(24),
      enabled: data.enabled ?? true,
      products: data.products ?? [],
      collections: data.collections ?? [],
      collectionProductIds: data.collectionProductIds ?? [],
    },
  });
}

async function paid(customerId: number, subtotal: string, processedAt?: Date) {
  const order = orderPayload({ customerId, subtotal, processedAt: processedAt?.toISOString() });
  expect(await deliver({ topic: "orders/paid", payload: order })).toBe(200);
  return order;
}

async function earnRule(customerId: number) {
  const member = await memberOf(customerId);
  const entry = await prisma.ledgerEntry.findFirstOrThrow({
    where: { memberId: member!.id, kind: "EARN" },
  });
  return entry.rule as { contributions: unknown[] };
}

beforeEach(() => resetShop());

describe("campaign multipliers", () => {
  it("multiply what a Gold order earns, each share named in the snapshot", async () => {
    await prisma.program.create({ data: { shop: TEST_SHOP, earnPoints: 5, earnPerAmount: "2" } });
    const gold = await prisma.tier.create({
      data: { shop: TEST_SHOP, name: "Gold", threshold: 0, multiplierPercent: 150 },
    });
    await prisma.member.create({ data: { shop: TEST_SHOP, customerId: "901", tierId: gold.id } });
    const weekend = await campaign({});

    await paid(901, "10.00");

    // 10.00 / 2 × 5 = 25; Gold's 1.5× makes 37 (one rounding); double points make 75 (one rounding).
    expect((await memberOf(901))?.balance).toBe(75);
    expect((await earnRule(901)).contributions).toEqual([
      { rule: "ORDER_SPEND", points: 25 },
      { rule: "TIER_MULTIPLIER", points: 12, tier: "Gold", multiplierPercent: 150 },
      {
        rule: "CAMPAIGN_MULTIPLIER",
        points: 38,
        campaignId: weekend.id,
        campaign: "Double points weekend",
        multiplierPercent: 200,
      },
    ]);
    await expectLedgerConsistent();
  });

  it("follow when the order was paid, not when Shopify delivered it", async () => {
    // Ended an hour ago; the order was paid while it ran and its webhook comes only now.
    await campaign({ startsAt: at(-48), endsAt: at(-1) });
    await paid(902, "40.00", at(-2));
    expect((await memberOf(902))?.balance).toBe(80);

    // Paid ten days ago in a campaign that ended nine days ago (a delivery replayed from
    // history): older than the settings copy keeps, so the database is asked.
    await campaign({ startsAt: at(-24 * 11), endsAt: at(-24 * 9), multiplierPercent: 300 });
    await paid(908, "10.00", at(-24 * 10));
    expect((await memberOf(908))?.balance).toBe(30);

    // Paid just after the end, and at the very end (the end is exclusive): the rate only.
    await paid(903, "40.00", at(-0.5));
    expect((await memberOf(903))?.balance).toBe(40);
    await resetShop();
    const ended = await campaign({ startsAt: at(-48), endsAt: at(-1) });
    await paid(904, "40.00", ended.endsAt);
    expect((await memberOf(904))?.balance).toBe(40);
  });

  it("give nothing before they start, while switched off, or outside their tiers", async () => {
    await prisma.tier.create({ data: { shop: TEST_SHOP, name: "Bronze", threshold: 0 } });
    const gold = await prisma.tier.create({
      data: { shop: TEST_SHOP, name: "Gold", threshold: 30 },
    });
    await campaign({ startsAt: at(1), endsAt: at(48) });
    await campaign({ enabled: false });
    await campaign({ tierIds: ["some-other-tier"] });

    await paid(905, "40.00");
    await paid(906, "20.00");
    expect((await memberOf(905))?.balance).toBe(40);
    expect((await memberOf(906))?.balance).toBe(20);
    expect((await memberOf(905))?.tierId).toBe(gold.id);
    expect((await memberOf(906))?.tierId).not.toBe(gold.id);

    await campaign({ tierIds: [gold.id], multiplierPercent: 300 });
    await paid(905, "10.00");
    await paid(906, "5.00");
    expect((await memberOf(905))?.balance).toBe(70);
    expect((await memberOf(906))?.balance).toBe(25);
  });

  it("do not stack: the highest running multiplier and the largest reachable bonus apply", async () => {
    await campaign({ name: "Double", multiplierPercent: 200 });
    await campaign({ name: "Triple", multiplierPercent: 300 });
    await campaign({ name: "Small bonus", kind: "BONUS", bonusPoints: 50 });
    await campaign({ name: "Big bonus", kind: "BONUS", bonusPoints: 200, minimumSpend: "100" });

    await paid(907, "60.00");

    // 60 × 3 = 180, and the 50-point bonus: the 200-point one needs 100.00 of spend.
    expect((await memberOf(907))?.balance).toBe(230);
    const rules = (await earnRule(907)).contributions;
    expect(rules).toMatchObject([
      { rule: "ORDER_SPEND", points: 60 },
      { rule: "CAMPAIGN_MULTIPLIER", points: 120, campaign: "Triple" },
      { rule: "CAMPAIGN_BONUS", points: 50, campaign: "Small bonus", minimumMinor: 1 },
    ]);
  });
});

describe("campaigns on some products or collections", () => {
  const TOTE = 8_800_000_000_001;
  const MUG = 8_800_000_000_003;
  const SOCKS = 8_800_000_000_005;
  const product = (id: number, title: string) => ({ id: `gid://shopify/Product/${id}`, title });

  async function mixedOrder(customerId: number) {
    // Two totes at $20, a $25 mug, $10 of socks.
    const order = orderPayload({
      customerId,
      lines: [
        { productId: TOTE, price: "20.00", quantity: 2 },
        { productId: MUG, price: "25.00" },
        { productId: SOCKS, price: "10.00" },
      ],
    });
    expect(await deliver({ topic: "orders/paid", payload: order })).toBe(200);
    const [tote, mug, socks] = order.line_items.map((line) => line.id);
    return { order, tote: tote!, mug: mug!, socks: socks! };
  }

  it("earn on their lines only, and refunds of other lines take none of it back", async () => {
    const weekend = await campaign({ products: [product(TOTE, "Canvas Tote")] });
    const { order, tote, mug } = await mixedOrder(920);

    // 75 from the rate; the totes' $40 doubled adds 40.
    expect((await memberOf(920))?.balance).toBe(115);
    expect((await earnRule(920)).contributions).toEqual([
      { rule: "ORDER_SPEND", points: 75 },
      {
        rule: "CAMPAIGN_MULTIPLIER",
        points: 40,
        campaignId: weekend.id,
        campaign: "Double points weekend",
        multiplierPercent: 200,
        lineIds: [String(tote)],
        eligibleMinor: 4000,
      },
    ]);

    const refund = (subtotal: string, line: number | bigint, quantity = 1) =>
      deliver({
        topic: "refunds/create",
        payload: refundPayload(order.id, subtotal, { lineItemId: line, quantity }),
      });
    // The mug: its share of the rate's 75 points, and nothing of the campaign's.
    await refund("25.00", mug);
    expect((await memberOf(920))?.balance).toBe(90);
    // One tote: its share of the rate (20) and half of the campaign's (20).
    await refund("20.00", tote);
    expect((await memberOf(920))?.balance).toBe(50);
    // The other tote: the same, and nothing of the campaign is left.
    await refund("20.00", tote);
    expect((await memberOf(920))?.balance).toBe(10);
    await expectLedgerConsistent();
  });

  it("measure a bonus's minimum on their lines, and take it back when they fall below", async () => {
    await campaign({
      kind: "BONUS",
      bonusPoints: 100,
      minimumSpend: "30.00",
      products: [product(TOTE, "Canvas Tote")],
    });
    const { order, tote, mug } = await mixedOrder(921);
    expect((await memberOf(921))?.balance).toBe(175);

    // The mug leaves the totes' $40 above the minimum: the bonus stays.
    await deliver({
      topic: "refunds/create",
      payload: refundPayload(order.id, "25.00", { lineItemId: mug }),
    });
    expect((await memberOf(921))?.balance).toBe(150);
    // A tote leaves $20 of them: the bonus goes with the tote's share.
    await deliver({
      topic: "refunds/create",
      payload: refundPayload(order.id, "20.00", { lineItemId: tote }),
    });
    expect((await memberOf(921))?.balance).toBe(30);

    // An order of socks and a mug only: no bonus.
    await mixedOrderWithout(922);
    expect((await memberOf(922))?.balance).toBe(35);
    await expectLedgerConsistent();
  });

  async function mixedOrderWithout(customerId: number) {
    const order = orderPayload({
      customerId,
      lines: [
        { productId: MUG, price: "25.00" },
        { productId: SOCKS, price: "10.00" },
      ],
    });
    expect(await deliver({ topic: "orders/paid", payload: order })).toBe(200);
  }

  it("count the products of their collections as last read from Shopify", async () => {
    await campaign({
      multiplierPercent: 300,
      collections: [{ id: "gid://shopify/Collection/41", title: "Outdoor" }],
      collectionProductIds: [product(MUG, "Trail Mug").id, product(SOCKS, "Socks").id],
    });
    await mixedOrder(923);
    // 75 from the rate; the mug and socks ($35) tripled add 70.
    expect((await memberOf(923))?.balance).toBe(145);

    // Not read yet: no line counts, never every line.
    await resetShop();
    await campaign({ collections: [{ id: "gid://shopify/Collection/42", title: "New" }] });
    await mixedOrder(924);
    expect((await memberOf(924))?.balance).toBe(75);
  });

  it("say so in the widget's ways to earn", async () => {
    await prisma.program.create({ data: { shop: TEST_SHOP } });
    await campaign({ name: "Tote week", products: [product(TOTE, "Canvas Tote")] });
    const summary = await programSummary(TEST_SHOP, "en");
    expect(summary.program.waysToEarn.find((w) => w.title === "Tote week")?.description).toMatch(
      /^2× points on orders until .+ \(selected products only\)$/,
    );
    await campaign({
      name: "Tote bonus",
      kind: "BONUS",
      bonusPoints: 50,
      minimumSpend: "30",
      products: [product(TOTE, "Canvas Tote")],
    });
    const again = await programSummary(TEST_SHOP, "fr");
    expect(again.program.waysToEarn.find((w) => w.title === "Tote bonus")?.description).toMatch(
      /^50 points en plus dès 30,00\s\$US d’achats de produits sélectionnés, jusqu’au .+$/,
    );
  });
});

describe("campaign bonuses", () => {
  it("are kept through refunds that leave the minimum, and taken back whole by the one that does not", async () => {
    await campaign({ kind: "BONUS", name: "Bonus week", bonusPoints: 100, minimumSpend: "50.00" });
    const order = await paid(910, "55.00");
    expect((await memberOf(910))?.balance).toBe(155);

    // 50.00 left: the spend's share only (55 × 5/55 = 5).
    await deliver({ topic: "refunds/create", payload: refundPayload(order.id, "5.00") });
    expect((await memberOf(910))?.balance).toBe(150);
    // 40.00 left, below the minimum: the share (10) and the bonus (100).
    await deliver({ topic: "refunds/create", payload: refundPayload(order.id, "10.00") });
    expect((await memberOf(910))?.balance).toBe(40);
    // The rest: whatever the order still holds.
    await deliver({ topic: "refunds/create", payload: refundPayload(order.id, "40.00") });
    expect((await memberOf(910))?.balance).toBe(0);
    await expectLedgerConsistent();
  });

  it("are not given to an order below the minimum, and go with a cancellation", async () => {
    await campaign({ kind: "BONUS", bonusPoints: 100, minimumSpend: "50.00" });
    await paid(911, "49.99");
    expect((await memberOf(911))?.balance).toBe(49);

    const order = await paid(912, "80.00");
    expect((await memberOf(912))?.balance).toBe(180);
    await deliver({
      topic: "orders/cancelled",
      payload: { ...order, cancelled_at: new Date().toISOString() },
    });
    expect((await memberOf(912))?.balance).toBe(0);
    await expectLedgerConsistent();
  });

  it("count toward the ceiling that holds an order for review", async () => {
    await prisma.program.create({ data: { shop: TEST_SHOP, maxPointsPerOrder: 500 } });
    await campaign({ kind: "BONUS", bonusPoints: 480 });
    const order = await paid(913, "30.00");
    const record = await prisma.orderRecord.findFirstOrThrow({
      where: { orderId: String(order.id) },
    });
    expect(record).toMatchObject({ status: "HELD", earnedPoints: 510 });
  });
});

describe("campaigns in the widget", () => {
  it("are listed while they run, for the member's tiers, in the shopper's language", async () => {
    await prisma.program.create({ data: { shop: TEST_SHOP, timeZone: "Europe/Paris" } });
    const gold = await prisma.tier.create({
      data: { shop: TEST_SHOP, name: "Gold", threshold: 0 },
    });
    await prisma.member.create({ data: { shop: TEST_SHOP, customerId: "920", tierId: gold.id } });
    const ends = new Date("2099-06-01T22:00:00Z");
    await campaign({ name: "Gold rush", tierIds: [gold.id], endsAt: ends });
    await campaign({ name: "Next week", startsAt: at(24 * 7), endsAt: at(24 * 9) });

    const summary = await programSummary(TEST_SHOP, "en");
    expect(summary.program.waysToEarn.map((w) => w.title)).toEqual(["Place an order"]);

    const member = await memberView(TEST_SHOP, "920", "fr");
    expect(member.program.waysToEarn.at(-1)).toEqual({
      id: "campaign",
      title: "Gold rush",
      points: 0,
      // Midnight in Paris on 2 June.
      description: "Points × 2 sur vos commandes jusqu’au 2 juin 2099, 00:00",
      endsAt: ends.toISOString(),
    });

    // A campaign created by any path shows on the next load (it bumps the settings' version).
    await campaign({ name: "Bonus", kind: "BONUS", bonusPoints: 25, minimumSpend: "30" });
    const again = await memberView(TEST_SHOP, "920", "en");
    expect(again.program.waysToEarn.at(-1)).toMatchObject({
      title: "Bonus",
      points: 25,
      description: expect.stringMatching(/^25 points extra on orders of \$30\.00 or more until /),
    });
  });
});
