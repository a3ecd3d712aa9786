import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createPrismaClient } from "../../app/db.server";
import { loader as healthz } from "../../app/routes/healthz";
import { migrateDeploy } from "../support/migrate";

describe("database", () => {
  it("applies every committed migration to a brand-new database file", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "loyalty-fresh-"));
    const url = `file:${path.join(dir, "nested", "fresh.sqlite")}`;

    const output = migrateDeploy(url);

    expect(output).toMatch(/successfully applied|No pending migrations/);
    const client = createPrismaClient(url);
    try {
      const tables = await client.$queryRaw<{ name: string }[]>`
        SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`;
      expect(tables.map((t) => t.name)).toContain("Session");
      const migrations = fs
        .readdirSync("prisma/migrations")
        .filter((entry) => fs.statSync(path.join("prisma/migrations", entry)).isDirectory());
      const applied = await client.$queryRaw<{ count: number | bigint }[]>`
        SELECT COUNT(*) AS count FROM _prisma_migrations WHERE finished_at IS NOT NULL`;
      expect(Number(applied[0]?.count)).toBe(migrations.length);
    } finally {
      await client.$disconnect();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("has a migration for every change in prisma/schema.prisma", () => {
    const output = execFileSync(
      path.resolve("node_modules/.bin/node"),
      ["scripts/new-migration.mjs", "--check"],
      { encoding: "utf8" },
    );
    expect(output).toContain("migrations match prisma/schema.prisma");
  });

  it("reports healthy when the database answers", async () => {
    const response = await healthz();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
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
