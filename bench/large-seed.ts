/**
 * A large shop written straight in SQL (seconds to minutes, not hours through the app): members
 * with realistic names and addresses, ten qualifying ledger entries each over three years, two
 * orders each, tiers consistent with the ledger except for 1% of Gold members left without a
 * tier (work for the tier review), one order in 1,000 due for release and one member in 1,000
 * idle for 400 days on a 12-month expiry policy (work for those jobs).
 */
import type { Database } from "./processes";

export const LARGE_SHOP = "large-shop.myshopify.com";
export const ENTRIES_PER_MEMBER = 10;
export const ORDERS_PER_MEMBER = 2;

const FIRST = [
  "Olivia",
  "Liam",
  "Emma",
  "Noah",
  "Amelia",
  "Oliver",
  "Ava",
  "Elijah",
  "Sophia",
  "Mateo",
  "Isabella",
  "Lucas",
  "Mia",
  "Levi",
  "Charlotte",
  "Asher",
  "Luna",
  "James",
  "Harper",
  "Leo",
  "Evelyn",
  "Grayson",
  "Aria",
  "Ezra",
  "Ella",
  "Luca",
  "Nova",
  "Ethan",
  "Camila",
  "Aiden",
  "Gianna",
  "Wyatt",
  "Sofia",
  "Sebastian",
  "Scarlett",
  "Benjamin",
  "Emily",
  "Mason",
  "Layla",
  "Henry",
];
const LAST = [
  "Smith",
  "Johnson",
  "Williams",
  "Brown",
  "Jones",
  "Garcia",
  "Miller",
  "Davis",
  "Rodriguez",
  "Martinez",
  "Hernandez",
  "Lopez",
  "Gonzalez",
  "Wilson",
  "Anderson",
  "Thomas",
  "Taylor",
  "Moore",
  "Jackson",
  "Martin",
  "Lee",
  "Perez",
  "Thompson",
  "White",
  "Harris",
  "Sanchez",
  "Clark",
  "Ramirez",
  "Lewis",
  "Robinson",
  "Walker",
  "Young",
  "Allen",
  "King",
  "Wright",
  "Scott",
  "Torres",
  "Nguyen",
  "Hill",
  "Flores",
  "Green",
  "Adams",
  "Nelson",
  "Baker",
  "Hall",
  "Rivera",
  "Campbell",
  "Mitchell",
  "Carter",
  "Roberts",
  "Okafor",
  "Kowalski",
  "Haddad",
  "Yamamoto",
  "Lovelace",
  "Hopper",
  "Turing",
  "Nakamura",
  "Petrov",
  "Dubois",
];
const DOMAINS = ["gmail.com", "yahoo.com", "outlook.com", "icloud.com", "proton.me"];

/** Points per entry for member i: 10–500, so a member's metric spans 100–5,000. */
// Hashed (Knuth's multiplicative hash, high bits), not `i % 50`: names are picked by `i % 40`, and
// both residues share `i % 10`, so every Amelia held one of 5 balances of 50, bunched far down
// the list's default order; a real shop's balances do not follow first names.
const POINTS = (i: string) => `(10 + ((${i}) * 2654435761 % 4294967296 / 65536 % 50) * 10)`;

export interface Seeded {
  members: number;
  entries: number;
  orders: number;
  seconds: number;
}

export async function seedLargeShop(database: Database, members: number): Promise<Seeded> {
  const started = Date.now();
  const sqlite = database.kind === "sqlite";
  const list = (values: string[]) =>
    sqlite
      ? `'${JSON.stringify(values)}'`
      : `ARRAY[${values.map((v) => `'${v}'`).join(",")}]::text[]`;
  const pick = (values: string[], index: string) =>
    sqlite
      ? `json_extract(${list(values)}, '$[' || (${index}) || ']')`
      : `(${list(values)})[(${index}) + 1]`;
  const text = (expression: string) =>
    sqlite ? `CAST(${expression} AS TEXT)` : `(${expression})::text`;
  // ISO text on SQLite (what Prisma stores there), timestamp(3) on PostgreSQL.
  const daysAgo = (days: string) =>
    sqlite
      ? `strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || (${days}) || ' days')`
      : `(now() - make_interval(days => (${days})::int))::timestamp(3)`;
  const daysAhead = (days: string) =>
    sqlite
      ? `strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+' || (${days}) || ' days')`
      : `(now() + make_interval(days => (${days})::int))::timestamp(3)`;
  const numbers = (count: number) =>
    sqlite
      ? `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count}) SELECT i FROM n`
      : `SELECT g AS i FROM generate_series(1, ${count}) AS g`;
  const run = (sql: string) => database.query(sql);

  if (sqlite) {
    await run("PRAGMA journal_mode = WAL");
    await run("PRAGMA synchronous = OFF");
    await run("PRAGMA cache_size = -1000000");
  }
  await run(
    `INSERT INTO "Program" ("shop", "currency", "tierBasis", "tierPeriod", "expiryMonths", "pendingDays", "updatedAt")
     VALUES ('${LARGE_SHOP}', 'USD', 'POINTS_EARNED', 'LIFETIME', 12, 14, ${daysAgo("400")})`,
  );
  await run(
    `INSERT INTO "Tier" ("id", "shop", "name", "threshold", "multiplierPercent", "position", "updatedAt") VALUES
     ('large-silver', '${LARGE_SHOP}', 'Silver', 1000, 125, 0, ${daysAgo("400")}),
     ('large-gold', '${LARGE_SHOP}', 'Gold', 3000, 150, 1, ${daysAgo("400")})`,
  );

  const metric = `(${POINTS("n.i")} * ${ENTRIES_PER_MEMBER})`;
  const first = pick(FIRST, `n.i % ${FIRST.length}`);
  const last = pick(LAST, `(n.i / ${FIRST.length}) % ${LAST.length}`);
  const domain = pick(DOMAINS, `n.i % ${DOMAINS.length}`);
  await run(
    `INSERT INTO "Member" ("id", "shop", "customerId", "email", "firstName", "lastName", "balance",
       "lifetimeEarned", "tierId", "lastActivityAt", "expiresAt", "joinedAt", "createdAt", "updatedAt")
     SELECT 'lm' || ${text("n.i")}, '${LARGE_SHOP}', ${text("7000000 + n.i")},
       lower(${first}) || '.' || lower(${last}) || ${text("n.i")} || '@' || ${domain},
       ${first}, ${last}, ${metric}, ${metric},
       CASE WHEN n.i % 100 = 49 THEN NULL
            WHEN ${metric} >= 3000 THEN 'large-gold' WHEN ${metric} >= 1000 THEN 'large-silver'
            ELSE NULL END,
       CASE WHEN n.i % 1000 = 0 THEN ${daysAgo("400 + n.i % 5")} ELSE ${daysAgo("n.i % 300")} END,
       CASE WHEN n.i % 1000 = 0 THEN ${daysAgo("1 + n.i % 5")} ELSE ${daysAhead("65 + n.i % 300")} END,
       ${daysAgo("n.i % 1095")}, ${daysAgo("n.i % 1095")}, ${daysAgo("n.i % 300")}
     FROM (${numbers(members)}) AS n`,
  );

  // The members count's changes, folded as the worker's every-minute job would.
  await run(
    `INSERT INTO "MemberTally" ("shop", "tierKey", "members")
     SELECT "shop", "tierKey", SUM("members") FROM "MemberTallyDelta" GROUP BY "shop", "tierKey"`,
  );
  await run(`DELETE FROM "MemberTallyDelta"`);

  // Ten million rows through the rollup triggers would triple the seeding time: they are off
  // while the ledger is written, and what they keep is filled in afterwards.
  const triggers = sqlite
    ? await database.query<{ sql: string; name: string }>(
        `SELECT "sql", "name" FROM sqlite_master WHERE "type" = 'trigger' AND "tbl_name" = 'LedgerEntry'`,
      )
    : [];
  if (sqlite) for (const { name } of triggers) await run(`DROP TRIGGER "${name}"`);
  else await run(`ALTER TABLE "LedgerEntry" DISABLE TRIGGER USER`);

  const k = sqlite
    ? `(WITH RECURSIVE k(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM k WHERE j < ${ENTRIES_PER_MEMBER - 1}) SELECT j FROM k)`
    : `(SELECT generate_series(0, ${ENTRIES_PER_MEMBER - 1}) AS j)`;
  const memberNumber = sqlite ? `CAST(substr(m."id", 3) AS INTEGER)` : `substr(m."id", 3)::int`;
  await run(
    `INSERT INTO "LedgerEntry" ("shop", "memberId", "kind", "points", "balanceAfter", "pendingAfter",
       "source", "sourceId", "orderId", "amountMinor", "currency", "idempotencyKey", "description", "occurredAt")
     SELECT '${LARGE_SHOP}', m."id", 'EARN', ${POINTS(memberNumber)}, ${POINTS(memberNumber)} * (k.j + 1), 0,
       'ORDER', ${text(`${memberNumber} * 10 + k.j`)}, ${text(`${memberNumber} * 10 + k.j`)},
       ${POINTS(memberNumber)} * 100, 'USD', 'seed-' || m."id" || '-' || ${text("k.j")}, 'Order',
       ${daysAgo(`(${memberNumber} * 7 + k.j * 109) % 1095`)}
     FROM "Member" m CROSS JOIN ${k} AS k WHERE m."shop" = '${LARGE_SHOP}'`,
  );

  // The rollups and last activities the triggers would have written entry by entry, summed once.
  const slot = sqlite
    ? `strftime('%Y-%m-%dT%H:', "occurredAt") || printf('%02d', CAST(strftime('%M', "occurredAt") AS INTEGER) / 15 * 15) || ':00.000+00:00'`
    : `date_bin('15 minutes', "occurredAt", TIMESTAMP '2000-01-01')`;
  await run(
    `INSERT INTO "LedgerRollup" ("shop", "slot", "kind", "credit", "points")
     SELECT "shop", ${slot}, "kind", "points" + "pendingPoints" >= 0, SUM("points" + "pendingPoints")
     FROM "LedgerEntry" WHERE "shop" = '${LARGE_SHOP}' GROUP BY 1, 2, 3, 4`,
  );
  await run(
    `INSERT INTO "MemberActivity" ("memberId", "shop", "lastAt")
     SELECT "memberId", "shop", MAX("occurredAt") FROM "LedgerEntry"
     WHERE "shop" = '${LARGE_SHOP}' AND "kind" IN ('EARN', 'SIGNUP_BONUS', 'REDEEM', 'MANUAL', 'IMPORT')
     GROUP BY "memberId", "shop"`,
  );
  // Every member's gaps between activity entries, by their UTC days (the activity_gaps migration).
  const utcDay = (at: string) =>
    sqlite ? `CAST(strftime('%s', ${at}) AS INTEGER) / 86400` : `${at}::date - DATE '1970-01-01'`;
  await run(
    `INSERT INTO "ActivityGap" ("shop", "toDay", "fromDay", "gaps")
     SELECT "shop", "toDay", "fromDay", COUNT(*) FROM (
       SELECT "shop", ${utcDay(`"occurredAt"`)} AS "toDay",
         COALESCE(${utcDay(`(LAG("occurredAt") OVER (PARTITION BY "memberId" ORDER BY "occurredAt", "id"))`)}, -1000000) AS "fromDay"
       FROM "LedgerEntry"
       WHERE "shop" = '${LARGE_SHOP}' AND "kind" IN ('EARN', 'SIGNUP_BONUS', 'REDEEM', 'MANUAL', 'IMPORT')
     ) gap GROUP BY "shop", "toDay", "fromDay"`,
  );
  if (sqlite) for (const { sql } of triggers) await run(sql);
  else await run(`ALTER TABLE "LedgerEntry" ENABLE TRIGGER USER`);

  const o = sqlite
    ? `(WITH RECURSIVE o(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM o WHERE j < ${ORDERS_PER_MEMBER - 1}) SELECT j FROM o)`
    : `(SELECT generate_series(0, ${ORDERS_PER_MEMBER - 1}) AS j)`;
  // One order in 1,000 still has pending points that are due: the release job's work.
  const due = `(${memberNumber} * 2 + o.j) % 1000 = 0`;
  await run(
    `INSERT INTO "OrderRecord" ("id", "shop", "orderId", "name", "customerId", "status", "currency",
       "totalMinor", "basisMinor", "earnedPoints", "pendingRemaining", "availableAt", "paidAt", "updatedAt",
       "discountCodes", "giftCardLineIds")
     SELECT 'lo' || m."id" || '-' || ${text("o.j")}, '${LARGE_SHOP}', ${text(`${memberNumber} * 10 + o.j`)},
       '#' || ${text(`${memberNumber} * 10 + o.j`)}, m."customerId", 'EARNED', 'USD',
       ${POINTS(memberNumber)} * 100, ${POINTS(memberNumber)} * 100, ${POINTS(memberNumber)},
       CASE WHEN ${due} THEN 10 ELSE 0 END,
       CASE WHEN ${due} THEN ${daysAgo("1")} ELSE ${daysAgo(`(${memberNumber} * 7 + o.j * 109) % 1095`)} END,
       ${daysAgo(`(${memberNumber} * 7 + o.j * 109) % 1095`)}, ${daysAgo("1")},
       ${sqlite ? "'[]'" : "'[]'::jsonb"}, ${sqlite ? "'[]'" : "'[]'::jsonb"}
     FROM "Member" m CROSS JOIN ${o} AS o WHERE m."shop" = '${LARGE_SHOP}'`,
  );
  // Members with due orders hold those pending points, so the release moves real points.
  await run(
    `UPDATE "Member" SET "pendingPoints" = 10 * (SELECT COUNT(*) FROM "OrderRecord" r
       WHERE r."shop" = "Member"."shop" AND r."customerId" = "Member"."customerId" AND r."pendingRemaining" > 0)
     WHERE "shop" = '${LARGE_SHOP}' AND "customerId" IN (SELECT "customerId" FROM "OrderRecord"
       WHERE "shop" = '${LARGE_SHOP}' AND "pendingRemaining" > 0)`,
  );
  await run(sqlite ? "ANALYZE" : "VACUUM ANALYZE");
  return {
    members,
    entries: members * ENTRIES_PER_MEMBER,
    orders: members * ORDERS_PER_MEMBER,
    seconds: (Date.now() - started) / 1000,
  };
}
