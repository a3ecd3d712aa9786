/**
 * Seeds the demo shop the way a real shop gets its data: the merchant opens the app (token
 * exchange), configures the program through the app's own admin modules, customers sign up and
 * order (signed customers/create, orders/paid, refunds/create, orders/cancelled webhooks to the
 * app's real routes), staff adjust balances through the app's ledger (postEntry), and shoppers
 * redeem through the storefront's signed app proxy and spend the codes at checkout. Nothing is
 * inserted behind the ledger's back, so its invariants hold for seeded data too.
 */
import prisma from "../app/db.server";
import { updateSetup } from "../app/admin/dashboard.server";
import { loadProgram, saveProgram, settingsOf } from "../app/admin/program.server";
import { createReward } from "../app/admin/rewards.server";
import { saveTiers } from "../app/admin/tiers.server";
import { postEntry } from "../app/loyalty/ledger.server";
import { programFor } from "../app/loyalty/program.server";
import { applyQueuedWebhooks } from "../app/loyalty/webhook-inbox.server";
import { unauthenticated } from "../app/shopify.server";
import { DEMO_SHOP, DEMO_STAFF_USER_ID } from "./config";
import { hostParam } from "./pages/admin";
import { CATALOG, type CartLine } from "./shop";
import { parseGid } from "./shopify/state";
import type { Sandbox } from "./start";

const FIRST = [
  "Ada",
  "Grace",
  "Alan",
  "Katherine",
  "Linus",
  "Margaret",
  "Dennis",
  "Barbara",
  "Ken",
  "Frances",
  "Tim",
  "Radia",
  "Edsger",
  "Hedy",
  "Donald",
  "Joan",
  "Guido",
  "Shafi",
  "Bjarne",
  "Sophie",
  "John",
  "Annie",
  "Niklaus",
  "Evelyn",
  "Claude",
  "Jean",
  "Vint",
  "Mary",
  "Leslie",
  "Adele",
  "Brian",
  "Carol",
  "Seymour",
  "Lynn",
  "Ward",
  "Elizabeth",
  "Yukihiro",
  "Roberta",
  "James",
  "Ida",
  "Tony",
  "Susan",
  "Larry",
  "Marian",
  "Robin",
  "Kathleen",
  "Butler",
  "Dorothy",
  "Rasmus",
  "Jean",
];
const LAST = [
  "Lovelace",
  "Hopper",
  "Turing",
  "Johnson",
  "Torvalds",
  "Hamilton",
  "Ritchie",
  "Liskov",
  "Thompson",
  "Allen",
  "Berners-Lee",
  "Perlman",
  "Dijkstra",
  "Lamarr",
  "Knuth",
  "Clarke",
  "van Rossum",
  "Goldwasser",
  "Stroustrup",
  "Wilson",
  "McCarthy",
  "Easley",
  "Wirth",
  "Boyd",
  "Shannon",
  "Bartik",
  "Cerf",
  "Keller",
  "Lamport",
  "Goldberg",
  "Kernighan",
  "Shaw",
  "Papert",
  "Conway",
  "Cunningham",
  "Feinler",
  "Matsumoto",
  "Williams",
  "Gosling",
  "Rhodes",
  "Hoare",
  "Kare",
  "Page",
  "Croak",
  "Milner",
  "Booth",
  "Lampson",
  "Vaughan",
  "Lerdorf",
  "Sammet",
];

/** Deterministic, so every fresh demo shop (and every screenshot) has the same story. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = 24 * 60 * 60 * 1000;
const MERCHANT_BROWSER =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36";
export const DEMO_SHOPPER_EMAIL = "ada@example.com";

type Event =
  | { at: number; kind: "customer"; index: number }
  /** index -1: a guest checkout. */
  | {
      at: number;
      kind: "order";
      index: number;
      lines: CartLine[];
      refund?: boolean;
      cancel?: boolean;
    };

export async function seedDemoShop(
  sandbox: Sandbox,
  options: { members: number; log: (line: string) => void },
): Promise<void> {
  const started = Date.now();
  const { shop, webhooks } = sandbox;
  const rand = random(20261122);
  const pick = <T>(items: readonly T[]) => items[Math.floor(rand() * items.length)]!;

  // 1. The merchant opens the app from the admin: Shopify-managed install, token exchange.
  const install = await fetch(
    `${sandbox.internal.appUrl}/app?${new URLSearchParams({
      embedded: "1",
      host: hostParam(DEMO_SHOP),
      id_token: sandbox.api.sessionToken({ userId: DEMO_STAFF_USER_ID }),
      shop: DEMO_SHOP,
    })}`,
    // The app turns away self-identified bots (undici's "node" is one); merchants use browsers.
    { headers: { "user-agent": MERCHANT_BROWSER } },
  );
  await install.arrayBuffer();
  if (install.status !== 200) throw new Error(`Opening the app failed with HTTP ${install.status}`);
  const { admin } = await unauthenticated.admin(DEMO_SHOP);

  // 2. Program, tiers and rewards, saved as the admin pages save them.
  const current = settingsOf(await loadProgram(DEMO_SHOP));
  const saved = await saveProgram({
    shop: DEMO_SHOP,
    admin,
    settings: { ...current, earnPoints: 1, earnPerAmount: "1", signupBonus: 100 },
    confirmedExpiring: null,
  });
  if (!saved.ok) throw new Error(`Seeding the program failed: ${JSON.stringify(saved.errors)}`);
  const tiers = await saveTiers(
    DEMO_SHOP,
    {
      tierBasis: "POINTS_EARNED",
      tierPeriod: "LIFETIME",
      tiers: [
        { id: null, name: "Bronze", threshold: 0, multiplierPercent: 100, perks: "", position: 0 },
        {
          id: null,
          name: "Silver",
          threshold: 500,
          multiplierPercent: 125,
          perks: "Early access to sales",
          position: 1,
        },
        {
          id: null,
          name: "Gold",
          threshold: 1500,
          multiplierPercent: 150,
          perks: "Free shipping on every order",
          position: 2,
        },
      ],
    },
    "sandbox seed",
  );
  if (!tiers.ok) throw new Error(`Seeding tiers failed: ${JSON.stringify(tiers.errors)}`);
  const gold = await prisma.tier.findFirstOrThrow({ where: { shop: DEMO_SHOP, name: "Gold" } });
  const reward = {
    amount: null,
    percentage: null,
    minimumSubtotal: null,
    codeLifetimeDays: 30,
    combinesWithOrder: false,
    combinesWithProduct: true,
    combinesWithShipping: true,
    tierId: null,
    enabled: true,
  };
  const mug = CATALOG.find((p) => p.handle === "trail-mug")!;
  const rewards = [
    { ...reward, name: "Free shipping", type: "FREE_SHIPPING" as const, pointsCost: 300 },
    { ...reward, name: "$5 off", type: "FIXED_AMOUNT" as const, pointsCost: 500, amount: "5.00" },
    {
      ...reward,
      name: "$15 off orders over $75",
      type: "FIXED_AMOUNT" as const,
      pointsCost: 1200,
      amount: "15.00",
      minimumSubtotal: "75.00",
    },
    {
      ...reward,
      name: "Free Trail Mug",
      type: "FREE_PRODUCT" as const,
      pointsCost: 1500,
      variant: { id: `gid://shopify/ProductVariant/${mug.variants[0]!.id}`, title: mug.title },
    },
    {
      ...reward,
      name: "20% off (Gold)",
      type: "PERCENTAGE" as const,
      pointsCost: 2000,
      percentage: 20,
      tierId: gold.id,
    },
  ];
  for (const data of rewards) {
    const created = await createReward(DEMO_SHOP, data);
    if (!created.ok)
      throw new Error(`Seeding reward ${data.name} failed: ${JSON.stringify(created.errors)}`);
  }
  // The sandbox theme has the launcher app embed switched on, so the merchant can say so.
  await updateSetup(DEMO_SHOP, "confirmEmbed");

  // 3. A history: customers sign up over the past months and order; a few refund or cancel.
  const count = Math.max(0, options.members);
  const now = Date.now();
  const events: Event[] = [];
  const products = CATALOG.flatMap((p) => p.variants.map((v) => v.id));
  for (let i = 0; i < count; i += 1) {
    const joined = now - (i === 0 ? 200 : 20 + Math.floor(rand() * 170)) * DAY;
    events.push({ at: joined, kind: "customer", index: i });
    const orders = i === 0 ? 5 : Math.floor(rand() * 5);
    for (let o = 0; o < orders; o += 1) {
      const at = joined + Math.floor(rand() * (now - joined - DAY)) + DAY / 2;
      const lines: CartLine[] = [];
      const n = 1 + Math.floor(rand() * 3);
      for (let l = 0; l < n; l += 1) {
        const variantId = pick(products);
        if (!lines.some((x) => x.variantId === variantId))
          lines.push({ variantId, quantity: 1 + Math.floor(rand() * 2) });
      }
      const roll = rand();
      events.push({
        at,
        kind: "order",
        index: i,
        lines,
        refund: i !== 0 && roll < 0.07,
        cancel: i !== 0 && roll > 0.975,
      });
    }
  }
  // Guests check out too; the app records their orders and awards nothing.
  for (let g = 0; g < Math.ceil(count / 5); g += 1) {
    const at = now - Math.floor((1 + rand() * 170) * DAY);
    events.push({
      at,
      kind: "order",
      index: -1,
      lines: [{ variantId: pick(products), quantity: 1 }],
    });
  }
  events.sort((a, b) => a.at - b.at);

  const customerIds: string[] = [];
  let orders = 0;
  for (const event of events) {
    if (event.kind === "customer") {
      const first = FIRST[event.index % FIRST.length]!;
      const last = LAST[event.index % LAST.length]!;
      const email =
        event.index === 0
          ? DEMO_SHOPPER_EMAIL
          : `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, "") + `${event.index}@example.com`;
      const { customer } = await shop.createCustomer({
        firstName: first,
        lastName: last,
        email,
        createdAt: new Date(event.at),
      });
      customerIds[event.index] = parseGid(customer.id)!.id;
      continue;
    }
    const createdAt = new Date(event.at);
    const { order } = await shop.placeOrder({
      customerId: event.index < 0 ? null : customerIds[event.index]!,
      lines: event.lines,
      createdAt,
    });
    orders += 1;
    const later = new Date(Math.min(now - 60_000, event.at + 3 * DAY));
    if (event.refund) {
      const line = order.lines[0]!;
      await shop.refund(order.id, { lines: [{ lineItemId: line.id, quantity: 1 }] }, {}, later);
    }
    if (event.cancel) await shop.cancel(order.id, { refund: true }, {}, later);
  }
  const failed = webhooks.log.filter((d) => d.state === "failed");
  if (failed.length)
    throw new Error(
      `Seeding: ${failed.length} webhook deliveries failed, e.g. ${failed[0]!.topic} → ${failed[0]!.attempts.at(-1)?.status}`,
    );

  // The app answers webhooks first and applies them from its queue (the worker may not have got
  // to the last ones yet); the members the next steps need exist once it is empty.
  await applyQueuedWebhooks();

  // 4. Points carried over from a previous program for a few early members: an IMPORT entry,
  //    posted through the ledger like every other change.
  for (const index of [1, 2, 3].filter((i) => i < count)) {
    const customerId = customerIds[index]!;
    await prisma.$transaction(async (tx) => {
      const program = await programFor(tx, DEMO_SHOP);
      const member = await tx.member.findUniqueOrThrow({
        where: { shop_customerId: { shop: DEMO_SHOP, customerId } },
      });
      const at = new Date(now - 150 * DAY);
      await postEntry(
        tx,
        program,
        member,
        {
          kind: "IMPORT",
          points: 250,
          source: "IMPORT",
          sourceId: "previous-program.csv",
          idempotencyKey: `import:previous-program:${customerId}`,
          description: "Points carried over from the previous loyalty program",
          occurredAt: at,
          createdBy: "sandbox seed",
        },
        at,
      );
    });
  }

  // 5. Shoppers redeem through the storefront (signed app proxy → Admin API discount codes) and
  //    some spend the code at checkout, which marks the reward used.
  let redeemed = 0;
  const rewardRows = await prisma.reward.findMany({
    where: { shop: DEMO_SHOP, tierId: null },
    orderBy: { pointsCost: "asc" },
  });
  const candidates = await prisma.member.findMany({
    where: { shop: DEMO_SHOP, balance: { gte: 600 }, customerId: { not: customerIds[0] } },
    orderBy: { balance: "desc" },
    take: 6,
  });
  for (const [i, member] of candidates.entries()) {
    const choice = rewardRows[i % 2]!;
    const login = await fetch(`${sandbox.internal.url}/account/login`, {
      method: "POST",
      body: new URLSearchParams({ customerId: member.customerId }),
      redirect: "manual",
    });
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const response = await fetch(`${sandbox.internal.url}/apps/loyalty/redeem`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", cookie },
      body: JSON.stringify({ rewardId: choice.id }),
    });
    const body = (await response.json()) as { code?: string; error?: { message: string } };
    if (!response.ok || !body.code)
      throw new Error(`Seeding a redemption failed (${response.status}): ${body.error?.message}`);
    redeemed += 1;
    if (i < 4) {
      await shop.placeOrder({
        customerId: member.customerId,
        lines: [{ variantId: pick(products), quantity: 2 }],
        code: body.code,
      });
      orders += 1;
    }
  }

  options.log(
    `[sandbox] seeded ${DEMO_SHOP}: ${count} members, ${orders} orders, ${redeemed} redemptions, ` +
      `${webhooks.log.length} webhooks delivered (${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
}
