/**
 * Times the app's own functions on a seeded large shop (bench/large.ts starts this in a child
 * process, because the app binds its database when first imported). Phase "reads": member lookup,
 * members search, dashboard ranges; phase "jobs": each scheduled job in turn. Prints one JSON line.
 *
 * In process rather than over HTTP: an admin page needs a Shopify session token exchange that no
 * machine here can make. What is timed is what the loaders await — the database and Prisma.
 */
import os from "node:os";
import { percentile } from "./load";
import { LARGE_SHOP } from "./large-seed";

const phase = process.argv[2];
const { default: prisma, databaseProvider, yieldWritesToWeb } = await import("../app/db.server");
const { memberView } = await import("../app/loyalty/storefront.server");
const { listMembers } = await import("../app/admin/members.server");
const { dashboard } = await import("../app/admin/dashboard.server");
const { parseDateRange } = await import("../app/domain/dashboard");
const { parseMembersQuery } = await import("../app/domain/members-query");
const jobs = await import("../app/loyalty/jobs.server");
const { foldRollups } = await import("../app/loyalty/rollups.server");
const { redactCustomer } = await import("../app/loyalty/compliance.server");

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

async function samples(count: number, work: (i: number) => Promise<unknown>) {
  const times: number[] = [];
  for (let i = 0; i < count; i += 1) times.push((await timed(() => work(i))).ms);
  times.sort((a, b) => a - b);
  return {
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    max: times.at(-1) ?? 0,
  };
}

const members = Number(process.argv[3]);
const customer = (i: number) => String(7_000_000 + 1 + ((i * 7919) % members));

/** What a merchant types into the members search, from a name to half the shop. */
export const SEARCHES = [
  { label: "a first name", q: "amelia" },
  { label: "a last name", q: "okafor" },
  { label: "first and last name", q: "mia turing" },
  { label: "digits of an address", q: "12345" },
  { label: "a whole email address", q: "olivia.smith2400@gmail.com" },
  { label: "a customer id", q: "7000123" },
  { label: "one of five email domains", q: "proton" },
];

/** Every word of `q` in the email, first or last name, as a Prisma filter (a scan, not an index). */
async function likeWhere(q: string) {
  const { containsIgnoringCase } = await import("../app/db.server");
  const { searchTerms } = await import("../app/domain/members-query");
  const { words } = searchTerms(q);
  return {
    shop: LARGE_SHOP,
    AND: words.map((word) => ({
      OR: [
        { email: containsIgnoringCase(word) },
        { firstName: containsIgnoringCase(word) },
        { lastName: containsIgnoringCase(word) },
      ],
    })),
  };
}

if (phase === "reads") {
  const noop = await samples(300, () => prisma.$queryRawUnsafe("SELECT 1"));
  // Warmed up on other members first: the first calls compile each query (Prisma's compiler, the
  // JIT), and counted in 500 samples they made the p99 (9.8 ms against 3.1 ms steady, SQLite).
  await samples(300, (i) => memberView(LARGE_SHOP, customer(i + 2_000)));
  const lookup = await samples(2_000, (i) => memberView(LARGE_SHOP, customer(i)));
  const search: Record<string, unknown> = {};
  for (const { label, q } of SEARCHES) {
    const query = parseMembersQuery(new URLSearchParams({ q }));
    const first = await listMembers(LARGE_SHOP, query);
    // The app stops counting at 1,000; the table says how many there are in all.
    const matches = first.totalCapped
      ? await prisma.member.count({ where: await likeWhere(q) })
      : first.total;
    search[label] = {
      q,
      matches,
      ...(await samples(20, () => listMembers(LARGE_SHOP, query))),
    };
    if (label === "a first name") {
      // Next, from the last member shown.
      const after = first.members.at(-1)!.id;
      const next = parseMembersQuery(new URLSearchParams({ q, page: "2", after }));
      search["the next page of a first name"] = {
        q,
        matches,
        ...(await samples(20, () => listMembers(LARGE_SHOP, next))),
      };
    }
  }
  const sorted = await samples(10, () =>
    listMembers(LARGE_SHOP, parseMembersQuery(new URLSearchParams({ sort: "joined desc" }))),
  );
  const deepPage = await samples(10, () =>
    listMembers(LARGE_SHOP, parseMembersQuery(new URLSearchParams({ page: "1000" }))),
  );
  // The same page as the admin reaches it, by the Next button: after page 999's last member
  // (or the last page there is, in a smaller trial run).
  const total = await prisma.member.count({ where: { shop: LARGE_SHOP } });
  const deep = Math.max(2, Math.min(1000, Math.ceil(total / 50)));
  const [edge] = await prisma.member.findMany({
    where: { shop: LARGE_SHOP },
    orderBy: [{ balance: "desc" }, { id: "desc" }],
    skip: (deep - 1) * 50 - 1,
    take: 1,
    select: { id: true },
  });
  const cursorPage = await samples(10, () =>
    listMembers(
      LARGE_SHOP,
      parseMembersQuery(new URLSearchParams({ page: String(deep), after: edge!.id })),
    ),
  );
  const dashboards: Record<string, unknown> = {};
  const day = (daysAgo: number) =>
    new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
  const ranges: Record<string, URLSearchParams> = {
    "7d": new URLSearchParams({ range: "7d" }),
    "30d": new URLSearchParams({ range: "30d" }),
    "12m": new URLSearchParams({ range: "12m" }),
    // Ranges that end before the members' latest activity count active members from the gaps
    // between activity entries.
    "12 months to 30 days ago": new URLSearchParams({
      range: "custom",
      start: day(395),
      end: day(30),
    }),
    "the 12 months before the last 12": new URLSearchParams({
      range: "custom",
      start: day(730),
      end: day(366),
    }),
  };
  for (const [range, params] of Object.entries(ranges)) {
    const parsed = parseDateRange(params, new Date());
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    let peak = heapBefore;
    const watch = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }, 5);
    const times = await samples(3, () => dashboard(LARGE_SHOP, parsed, "bench-key"));
    clearInterval(watch);
    dashboards[range] = { ...times, heapGrowthMb: (peak - heapBefore) / 2 ** 20 };
  }
  console.log(
    JSON.stringify({
      provider: databaseProvider,
      noop,
      lookup,
      search,
      sorted,
      deepPage,
      cursorPage,
      dashboards,
    }),
  );
} else if (phase === "like") {
  // The search as it was before the trigram indexes: every word LIKE '%word%' on the three
  // columns (bench/large.ts drops PostgreSQL's trigram indexes first), page and count.
  const like: Record<string, unknown> = {};
  // Whole addresses and customer ids were looked up exactly before too.
  for (const { label, q } of SEARCHES.filter((s) => !/whole|customer id/.test(s.label))) {
    const where = await likeWhere(q);
    like[label] = await samples(3, () =>
      Promise.all([
        prisma.member.count({ where }),
        prisma.member.findMany({ where, orderBy: [{ balance: "desc" }, { id: "asc" }], take: 51 }),
      ]),
    );
  }
  console.log(JSON.stringify({ like }));
} else if (phase === "jobs") {
  // As the worker does when it starts (scripts/worker.mjs): web requests come first, for the
  // CPU and for SQLite's write lock.
  os.setPriority(Math.max(os.getPriority(), 10));
  yieldWritesToWeb();
  const now = new Date();
  const release = await timed(() => jobs.releasePendingPoints(prisma, now));
  const expiry = await timed(() => jobs.expireBalances(prisma, now));
  const review = await timed(() => jobs.reevaluateTiers(prisma, now, LARGE_SHOP));
  // The rollup deltas the jobs' entries left, as the every-minute job takes them in.
  const fold = await timed(() => foldRollups(prisma));
  // customers/redact, one customer at a time as the worker applies the webhooks: each deletes the
  // member with their entries (through the rollup and gap triggers) and search row.
  const redacted = await prisma.member.findMany({
    where: { shop: LARGE_SHOP },
    select: { customerId: true, email: true },
    orderBy: { id: "asc" },
    take: 1_000,
  });
  const redaction = await timed(async () => {
    for (const customer of redacted) {
      // In one transaction, as the webhook's handler applies it.
      await prisma.$transaction((tx) => redactCustomer(tx, LARGE_SHOP, customer));
    }
    return redacted.length;
  });
  console.log(
    JSON.stringify({
      release: { ms: release.ms, done: release.value },
      expiry: { ms: expiry.ms, done: expiry.value },
      review: { ms: review.ms, changed: review.value, members },
      fold: { ms: fold.ms, done: fold.value.ledger + fold.value.gaps + fold.value.members },
      redaction: { ms: redaction.ms, done: redaction.value },
    }),
  );
}
await prisma.$disconnect();
process.exit(0);
