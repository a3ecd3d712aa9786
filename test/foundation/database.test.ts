import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import prisma, { createPrismaClient } from "../../app/db.server";
import { loader as healthz } from "../../app/routes/healthz";
import { createDatabase, testDatabaseKind } from "../support/databases";
import { migrateDeploy } from "../support/migrate";

const kind = testDatabaseKind();
const migrationsDir = kind === "sqlite" ? "prisma/migrations" : "prisma/postgresql/migrations";

describe(`database (${kind})`, () => {
  it("applies every committed migration to a brand-new database", async () => {
    const database = await createDatabase(kind);
    const url =
      kind === "sqlite"
        ? database.url.replace(/test\.sqlite$/, "nested/fresh.sqlite")
        : database.url;

    const output = migrateDeploy(url);

    expect(output).toMatch(/successfully applied|No pending migrations/);
    const client = createPrismaClient(url);
    try {
      const tables =
        kind === "sqlite"
          ? await client.$queryRaw<{ name: string }[]>`
              SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`
          : await client.$queryRaw<{ name: string }[]>`
              SELECT table_name::text AS name FROM information_schema.tables
              WHERE table_schema = 'public' ORDER BY table_name`;
      expect(tables.map((t) => t.name)).toEqual(
        expect.arrayContaining(["Session", "Member", "LedgerEntry"]),
      );
      // What migrations create in SQL alone (docs/decisions/0008): a later migration that
      // rebuilds "Member" on SQLite would drop the search triggers with it.
      const searchObjects =
        kind === "sqlite"
          ? await client.$queryRaw<{ name: string }[]>`
              SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'Member'`
          : await client.$queryRaw<{ name: string }[]>`
              SELECT indexname::text AS name FROM pg_indexes
              WHERE tablename = 'Member' AND indexdef LIKE '%gin_trgm_ops%'`;
      expect(searchObjects.map((o) => o.name).sort()).toEqual(
        kind === "sqlite"
          ? [
              "Member_search_delete",
              "Member_search_insert",
              "Member_search_update",
              "Member_tally_delete",
              "Member_tally_insert",
              "Member_tally_tier",
            ]
          : ["Member_email_trgm_idx", "Member_firstName_trgm_idx", "Member_lastName_trgm_idx"],
      );
      if (kind === "postgresql") {
        // The members count per tier (MemberTally, docs/decisions/0009) is kept by triggers too.
        const memberTriggers = await client.$queryRaw<{ name: string }[]>`
          SELECT DISTINCT trigger_name::text AS name FROM information_schema.triggers
          WHERE event_object_table = 'Member'`;
        expect(memberTriggers.map((o) => o.name).sort()).toEqual([
          "Member_tally",
          "Member_tally_tier",
        ]);
      }
      // The dashboard's rollups (docs/decisions/0009) likewise live in triggers on "LedgerEntry".
      const rollupTriggers =
        kind === "sqlite"
          ? await client.$queryRaw<{ name: string }[]>`
              SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'LedgerEntry'`
          : await client.$queryRaw<{ name: string }[]>`
              SELECT DISTINCT trigger_name::text AS name FROM information_schema.triggers
              WHERE event_object_table = 'LedgerEntry'`;
      expect(rollupTriggers.map((o) => o.name).sort()).toEqual(
        kind === "sqlite"
          ? [
              "LedgerEntry_gap_delete",
              "LedgerEntry_gap_insert",
              "LedgerEntry_rollup_delete",
              "LedgerEntry_rollup_insert",
            ]
          : ["LedgerEntry_activity_gap", "LedgerEntry_rollup"],
      );
      // And the storefront's settings version (app/loyalty/shop-config.server.ts).
      const configTriggers =
        kind === "sqlite"
          ? await client.$queryRaw<{ name: string }[]>`
              SELECT name FROM sqlite_master
              WHERE type = 'trigger' AND tbl_name IN ('Program', 'Tier', 'Reward')`
          : await client.$queryRaw<{ name: string }[]>`
              SELECT DISTINCT trigger_name::text AS name FROM information_schema.triggers
              WHERE event_object_table IN ('Program', 'Tier', 'Reward')`;
      expect(configTriggers.map((o) => o.name).sort()).toEqual(
        kind === "sqlite"
          ? [
              "Program_config_version",
              "Reward_config_delete",
              "Reward_config_insert",
              "Reward_config_update",
              "Tier_config_delete",
              "Tier_config_insert",
              "Tier_config_update",
            ]
          : ["Program_config_version", "Reward_config_version", "Tier_config_version"],
      );
      const migrations = fs
        .readdirSync(migrationsDir)
        .filter((entry) => fs.statSync(path.join(migrationsDir, entry)).isDirectory());
      const applied = await client.$queryRaw<{ count: number | bigint }[]>`
        SELECT COUNT(*) AS count FROM _prisma_migrations WHERE finished_at IS NOT NULL`;
      expect(Number(applied[0]?.count)).toBe(migrations.length);
    } finally {
      await client.$disconnect();
      await database.drop();
    }
  });

  it("reports healthy when the database answers, and how far the worker is behind", async () => {
    const response = await healthz();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: "ok",
      webhooks: { waiting: 0, oldestSeconds: 0 },
    });
    const receivedAt = new Date(Date.now() - 90_000);
    await prisma.webhookDelivery.create({
      data: {
        shop: "lagging.myshopify.com",
        webhookId: "waiting-1",
        topic: "ORDERS_PAID",
        status: "QUEUED",
        payload: "{}",
        receivedAt,
        runAfter: receivedAt,
      },
    });
    const body = await (await healthz()).json();
    expect(body.webhooks.waiting).toBe(1);
    expect(body.webhooks.oldestSeconds).toBeGreaterThanOrEqual(90);
    await prisma.webhookDelivery.deleteMany({ where: { shop: "lagging.myshopify.com" } });
  });

  it("refuses a DATABASE_URL it cannot serve with a clear message", () => {
    expect(() => createPrismaClient("mysql://localhost/loyalty")).toThrow(
      /DATABASE_URL must start/,
    );
  });
});

describe("toolchain", () => {
  it("runs the test suite on Node 22 from the node@22 devDependency", () => {
    expect(process.versions.node.split(".")[0]).toBe("22");
  });
});
