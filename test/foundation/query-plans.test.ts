// The hot reads of a large shop go through an index on both databases (issue #15 measured the
// members search and the dashboard scanning whole tables at 1M members). Each case is the SQL
// shape Prisma sends for it; the planner must name the index we rely on.
import { beforeAll, describe, expect, it } from "vitest";
import type { Prisma } from "@prisma/client";
import { walkQuery } from "../../app/admin/members.server";
import prisma from "../../app/db.server";
import { parseMembersQuery } from "../../app/domain/members-query";
import { resetShop } from "../support/engine";
import { TEST_SHOP } from "../support/shopify";

const postgres = process.env.LOYALTY_TEST_DB === "postgresql";

async function plan(sql: string | Prisma.Sql, settings: string[] = []): Promise<string> {
  // A statement the app builds: its text with placeholders, and its values.
  const [text, values] =
    typeof sql === "string" ? [sql, []] : [postgres ? sql.text : sql.sql, sql.values];
  if (!postgres) {
    const rows = await prisma.$queryRawUnsafe<{ detail: string }[]>(
      `EXPLAIN QUERY PLAN ${text}`,
      ...values,
    );
    return rows.map((row) => row.detail).join("\n");
  }
  // On a small table PostgreSQL rightly prefers a sequential scan; with it priced out, the plan
  // shows whether an index can serve the query at all.
  return prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe("SET LOCAL enable_seqscan = off");
    for (const setting of settings) await tx.$executeRawUnsafe(`SET LOCAL ${setting}`);
    const rows = await tx.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(`EXPLAIN ${text}`, ...values);
    return rows.map((row) => row["QUERY PLAN"]).join("\n");
  });
}

beforeAll(async () => {
  await resetShop();
  const tier = await prisma.tier.create({
    data: { id: "tier-gold", shop: TEST_SHOP, name: "Gold", threshold: 100 },
  });
  for (let i = 0; i < 200; i += 1) {
    const member = await prisma.member.create({
      data: {
        shop: TEST_SHOP,
        customerId: String(5000 + i),
        email: `m${i}@example.com`,
        balance: i,
        tierId: i % 2 ? tier.id : null,
        expiresAt: i % 2 ? new Date(Date.UTC(2026, 0, 1) + i * 86_400_000) : null,
      },
    });
    // Two years of a member's history, so the planners see a ledger to choose indexes for.
    await prisma.ledgerEntry.createMany({
      data: Array.from({ length: 10 }, (_, k) => ({
        shop: TEST_SHOP,
        memberId: member.id,
        kind: k % 5 === 4 ? ("REDEEM" as const) : ("EARN" as const),
        points: 10,
        balanceAfter: 10 * (k + 1),
        pendingAfter: 0,
        source: "ORDER" as const,
        idempotencyKey: `plan-${i}-${k}`,
        description: "Order",
        occurredAt: new Date(Date.UTC(2025, 0, 1) + (i * 37 + k * 73) * 3_600_000),
      })),
    });
    await prisma.orderRecord.create({
      data: {
        shop: TEST_SHOP,
        orderId: String(9000 + i),
        status: "EARNED",
        paidAt: new Date(Date.UTC(2025, 0, 1) + i * 86_400_000),
        // Most orders are long released; a few still wait out their pending period.
        pendingRemaining: i % 20 === 0 ? 10 : 0,
        availableAt: new Date(Date.UTC(2025, 0, 15) + i * 86_400_000),
      },
    });
  }
  if (postgres) {
    // A shop large enough that a rare word is worth its trigram index over the shop's own.
    await prisma.$executeRawUnsafe(
      `INSERT INTO "Member" ("id", "shop", "customerId", "email", "joinedAt", "updatedAt")
       SELECT 'bulk-' || g, '${TEST_SHOP}', (100000 + g)::text, 'bulk' || g || '@example.net', now(), now()
       FROM generate_series(1, 50000) AS g`,
    );
  }
  await prisma.$executeRawUnsafe(
    postgres
      ? // VACUUM too: an index-only scan is only worth it over pages marked all-visible.
        `VACUUM ANALYZE "Member", "LedgerEntry", "OrderRecord", "WebhookDelivery", "LedgerRollup", "MemberActivity", "ActivityGap"`
      : "ANALYZE",
  );
});

const shop = `'${TEST_SHOP}'`;
const cases: { what: string; sql: string; index: string }[] = [
  {
    what: "a member by customer id (storefront, webhooks, members search)",
    sql: `SELECT "id" FROM "Member" WHERE "shop" = ${shop} AND "customerId" = '5007'`,
    index: "Member_shop_customerId_key",
  },
  {
    what: "a member by whole email address (members search)",
    sql: `SELECT "id" FROM "Member" WHERE "shop" = ${shop} AND "email" IN ('m7@example.com')`,
    index: "Member_shop_email_idx",
  },
  {
    what: "a tier's members, highest balance first (members list)",
    sql: `SELECT "id" FROM "Member" WHERE "shop" = ${shop} AND "tierId" = 'tier-gold' ORDER BY "balance" DESC LIMIT 51`,
    index: "Member_shop_tierId_balance_id_idx",
  },
  {
    what: "newest members first (members list)",
    sql: `SELECT "id" FROM "Member" WHERE "shop" = ${shop} ORDER BY "joinedAt" DESC LIMIT 51`,
    index: "Member_shop_joinedAt_id_idx",
  },
  {
    what: "a period's ledger entries (dashboard)",
    sql: `SELECT "kind", "points" FROM "LedgerEntry" WHERE "shop" = ${shop} AND "occurredAt" >= '2026-01-01' AND "occurredAt" < '2026-02-01'`,
    index: "LedgerEntry_shop_occurredAt_idx",
  },
  {
    what: "a member's tier metric (storefront member view)",
    sql: `SELECT SUM("points") FROM "LedgerEntry" WHERE "memberId" = 'm1' AND CAST("kind" AS TEXT) IN ('EARN', 'SIGNUP_BONUS') AND "occurredAt" >= '2026-01-01'`,
    index: "LedgerEntry_memberId_occurredAt_idx",
  },
  {
    what: "a member's newest entries (storefront member view)",
    sql: `SELECT e."points" FROM "Member" m JOIN "LedgerEntry" e ON e."memberId" = m."id" WHERE m."shop" = ${shop} AND m."customerId" = '5001' ORDER BY e."id" DESC LIMIT 10`,
    index: "LedgerEntry_memberId_occurredAt_idx",
  },
  {
    what: "a member's codes still usable (storefront member view)",
    sql: `SELECT r."code" FROM "Member" m JOIN "Redemption" r ON r."memberId" = m."id" WHERE m."shop" = ${shop} AND m."customerId" = '5001' AND CAST(r."status" AS TEXT) = 'ISSUED' AND r."cancelledAt" IS NULL AND r."endsAt" > '2026-01-01' ORDER BY r."createdAt" ASC`,
    index: "Redemption_memberId_createdAt_idx",
  },
  {
    what: "a period's points rollups (dashboard)",
    sql: `SELECT "kind", "points" FROM "LedgerRollup" WHERE "shop" = ${shop} AND "slot" >= '2026-01-01' AND "slot" < '2026-02-01'`,
    index: postgres ? "LedgerRollup_pkey" : "sqlite_autoindex_LedgerRollup_1",
  },
  {
    what: "a period's ledger deltas not folded yet (dashboard)",
    sql: `SELECT "kind", "points" FROM "LedgerRollupDelta" WHERE "shop" = ${shop} AND "slot" >= '2026-01-01' AND "slot" < '2026-02-01'`,
    index: "LedgerRollupDelta_shop_slot_idx",
  },
  {
    what: "members active since a date (dashboard)",
    sql: `SELECT COUNT(*) FROM "MemberActivity" WHERE "shop" = ${shop} AND "lastAt" >= '2026-01-01'`,
    index: "MemberActivity_shop_lastAt_idx",
  },
  {
    what: "the gaps in members' activity across a past range (dashboard)",
    sql: `SELECT SUM("gaps") FROM "ActivityGap" WHERE "shop" = ${shop} AND "toDay" >= 20454 AND "fromDay" < 20089`,
    index: postgres ? "ActivityGap_pkey" : "sqlite_autoindex_ActivityGap_1",
  },
  {
    what: "the gap deltas not folded yet (dashboard)",
    sql: `SELECT SUM("gaps") FROM "ActivityGapDelta" WHERE "shop" = ${shop} AND "toDay" >= 20454 AND "fromDay" < 20089`,
    index: "ActivityGapDelta_shop_toDay_idx",
  },
  {
    what: "a member's activity entry before or after an instant (activity gap trigger)",
    sql: `SELECT "occurredAt" FROM "LedgerEntry" WHERE "memberId" = 'm1' AND "kind" IN ('EARN', 'REDEEM') AND "occurredAt" <= '2026-01-01' ORDER BY "occurredAt" DESC LIMIT 1`,
    index: "LedgerEntry_memberId_occurredAt_idx",
  },
  {
    what: "a period's paid orders (dashboard)",
    sql: `SELECT "customerId", "totalMinor" FROM "OrderRecord" WHERE "shop" = ${shop} AND "paidAt" >= '2026-01-01' AND "paidAt" < '2026-02-01'`,
    index: "OrderRecord_shop_paidAt_customerId_totalMinor_idx",
  },
  {
    what: "orders whose pending points are due, every shop (release job)",
    sql: `SELECT "id" FROM "OrderRecord" WHERE "pendingRemaining" > 0 AND "availableAt" <= '2026-12-01' LIMIT 200`,
    index: "OrderRecord_pendingRemaining_availableAt_idx",
  },
  {
    what: "members whose balance is due to expire, every shop (expiry job)",
    sql: `SELECT "id" FROM "Member" WHERE "expiresAt" <= '2026-12-01' AND "balance" > 0 LIMIT 200`,
    index: "Member_expiresAt_idx",
  },
  {
    what: "queued webhooks that are due (the worker's claim)",
    sql: `SELECT "id" FROM "WebhookDelivery" WHERE "status" = 'QUEUED' AND "runAfter" <= '2026-12-01' AND ("claimedUntil" IS NULL OR "claimedUntil" <= '2026-12-01') ORDER BY "runAfter" LIMIT 25`,
    index: "WebhookDelivery_status_runAfter_idx",
  },
];

// Words in the members search, as app/admin/members.server.ts sends them: SQLite's FTS5 trigram
// table names the candidates, each then read by its primary key; PostgreSQL's trigram GIN
// indexes serve ILIKE on each column. Materialized first, so no plan walks the sort index instead.
const search = postgres
  ? {
      sql: `WITH c AS MATERIALIZED (SELECT m."id", m."balance" FROM "Member" m WHERE m."shop" = ${shop} AND (m."email" ILIKE '%m17@%' OR m."firstName" ILIKE '%m17@%' OR m."lastName" ILIKE '%m17@%')) SELECT c."id" FROM c ORDER BY c."balance" DESC LIMIT 51`,
      indexes: ["Member_email_trgm_idx", "Member_firstName_trgm_idx", "Member_lastName_trgm_idx"],
      scan: /Seq Scan/,
    }
  : {
      sql: `WITH c AS MATERIALIZED (SELECT m."id", m."balance" FROM "MemberSearch" s CROSS JOIN "Member" m WHERE m."shop" = ${shop} AND s."MemberSearch" MATCH 'text : "m17@"' AND s."shop" = ${shop} AND m."id" = s."memberId") SELECT c."id" FROM c ORDER BY c."balance" DESC LIMIT 51`,
      indexes: ["VIRTUAL TABLE INDEX", "SEARCH m USING INDEX sqlite_autoindex_Member_1 (id=?)"],
      scan: /^SCAN m\b/m,
    };

describe("query plans", () => {
  it("finds members by words in their name or email through a trigram index", async () => {
    const text = await plan(search.sql);
    for (const index of search.indexes) expect(text).toContain(index);
    expect(text).not.toMatch(search.scan);
  });

  it("starts a members page after a cursor member through the sort index's range", async () => {
    // readFrom in app/admin/members.server.ts: the bound on the sort column stands outside the
    // OR that breaks ties by id, so it is an index condition rather than a filter on every row;
    // the id follows the sort's direction, so the index gives the order without a sort.
    const text = await plan(
      `SELECT "id" FROM "Member" WHERE "shop" = ${shop} AND "balance" <= 100 AND ("balance" < 100 OR "id" < 'cm0') ORDER BY "balance" DESC, "id" DESC LIMIT 51`,
    );
    expect(text).toMatch(
      postgres
        ? /Index Cond: \(\(shop = '[^']+'::text\) AND \(balance <= 100\)\)/
        : /USING (COVERING )?INDEX Member_shop_balance_id_idx \(shop=\? AND balance<\?\)/,
    );
    expect(text).not.toMatch(postgres ? /Sort/ : /TEMP B-TREE/);
  });

  it("walks a word many members share down the sort index from the cursor member", async () => {
    // walkMatches in app/admin/members.server.ts, past MEMBERS_COUNT_CAP matches: each member is
    // tested on the way rather than every match gathered and sorted.
    for (const sort of ["balance desc", "joined asc"]) {
      const query = parseMembersQuery(new URLSearchParams({ q: "example", sort, after: "cm0" }));
      const text = await plan(walkQuery(TEST_SHOP, query, ["example"], "after").walk);
      const [index, column, op] =
        sort === "balance desc"
          ? ["Member_shop_balance_id_idx", "balance", "<="]
          : ["Member_shop_joinedAt_id_idx", "joinedAt", ">="];
      expect(text, sort).toMatch(
        postgres
          ? new RegExp(
              `using "${index}" on "Member" m .*\\n\\s+Index Cond: \\(\\(shop = '[^']+'::text\\) AND \\(\\(?"?${column}"? ${op} `,
            )
          : // Both ends: the cursor, and the end of the window.
            new RegExp(
              `SEARCH m USING INDEX ${index} \\(shop=\\? AND ${column}>\\? AND ${column}<\\?\\)`,
            ),
      );
      expect(text, sort).not.toMatch(postgres ? /Sort/ : /TEMP B-TREE/);
    }
  });

  it("reads a period's orders and a past period's active members from covering indexes", async () => {
    const covered = postgres ? /Index Only Scan using "?(\w+)/ : /USING COVERING INDEX (\w+)/;
    // Tiny tables: PostgreSQL would as soon read the rows through a bitmap.
    const onlyIndexes = ["enable_bitmapscan = off"];
    const orders = await plan(
      `SELECT CASE WHEN "customerId" IS NULL THEN 1 ELSE 0 END, COUNT(*), SUM(COALESCE("totalMinor", 0)) FROM "OrderRecord" WHERE "shop" = ${shop} AND "paidAt" >= '2025-01-01' AND "paidAt" < '2025-06-01' GROUP BY 1`,
      onlyIndexes,
    );
    expect(covered.exec(orders)?.[1]).toBe("OrderRecord_shop_paidAt_customerId_totalMinor_idx");
    const active = await plan(
      `SELECT COUNT(DISTINCT "memberId") FROM "LedgerEntry" WHERE "shop" = ${shop} AND "occurredAt" >= '2025-01-01' AND "occurredAt" < '2025-06-01' AND "kind" IN ('EARN', 'REDEEM')`,
      onlyIndexes,
    );
    expect(covered.exec(active)?.[1]).toBe("LedgerEntry_shop_kind_occurredAt_memberId_idx");
  });

  for (const { what, sql, index } of cases) {
    it(`reads ${what} through ${index}`, async () => {
      const text = await plan(sql);
      expect(text).toContain(index);
      expect(text).not.toMatch(
        postgres
          ? /Seq Scan/
          : /^SCAN (Member|LedgerEntry|OrderRecord|WebhookDelivery|LedgerRollup\w*|MemberActivity|ActivityGap\w*)\b/m,
      );
    });
  }
});
