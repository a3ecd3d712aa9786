import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import type { TestDatabaseKind } from "./databases";
import { createDatabase, databaseName, dropRunDatabases } from "./databases";
import { migrateDeploy } from "./migrate";

declare module "vitest" {
  export interface ProvidedContext {
    /** SQLite: the migrated template file. PostgreSQL: the migrated template database's name. */
    templateDatabase: string;
    /** Part of every PostgreSQL database name of this run, so teardown finds them all. */
    testRun: string;
  }
}

// Migrating once per run and copying the result per test file keeps every suite on a real,
// fully migrated database without paying for the schema engine in every file.
export default async function setup(project: TestProject) {
  const kind = (project.config.env?.LOYALTY_TEST_DB ?? "sqlite") as TestDatabaseKind;
  const run = `${Date.now().toString(36)}${randomBytes(2).toString("hex")}`;
  project.provide("testRun", run);

  if (kind === "sqlite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "loyalty-test-"));
    const template = path.join(dir, "template.sqlite");
    migrateDeploy(`file:${template}`);
    project.provide("templateDatabase", template);
    return () => fs.rmSync(dir, { recursive: true, force: true });
  }

  const name = databaseName(run, "template");
  const template = await createDatabase("postgresql", { name });
  migrateDeploy(template.url);
  project.provide("templateDatabase", name);
  return () => dropRunDatabases(run);
}
