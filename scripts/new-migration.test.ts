import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { derivePostgresSchema, postgresSchemaIsCurrent } from "./prisma-schemas.mjs";

describe("one schema, two providers", () => {
  it("has a migration for every change in prisma/schema.prisma, on SQLite and PostgreSQL", () => {
    const output = execFileSync(
      path.resolve("node_modules/.bin/node"),
      ["scripts/new-migration.mjs", "--check"],
      { encoding: "utf8" },
    );
    expect(output).toContain("migrations match prisma/schema.prisma (sqlite, postgresql)");
  }, 180_000);

  it("keeps prisma/postgresql/schema.prisma derived from prisma/schema.prisma", () => {
    expect(postgresSchemaIsCurrent()).toBe(true);
    const derived = derivePostgresSchema(fs.readFileSync("prisma/schema.prisma", "utf8"));
    expect(derived).toContain('provider = "postgresql"');
    expect(derived).toContain("node_modules/.prisma/client-postgresql");
    expect(derived).not.toContain('"sqlite"');
  });

  it("keeps the same migrations, by name, for both providers after PostgreSQL's baseline", () => {
    const names = (dir: string) =>
      fs
        .readdirSync(dir)
        .filter((entry) => fs.statSync(path.join(dir, entry)).isDirectory())
        .map((entry) => entry.replace(/^\d+_/, ""));
    const sqlite = names("prisma/migrations");
    const postgres = names("prisma/postgresql/migrations");
    expect(postgres[0]).toBe("baseline");
    // Everything after the migration PostgreSQL's baseline stands in for exists on both.
    const baselineOf = sqlite.indexOf("native_enums_and_json");
    expect(postgres.slice(1)).toEqual(sqlite.slice(baselineOf + 1));
  });
});
