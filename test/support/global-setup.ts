import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { migrateDeploy } from "./migrate";

declare module "vitest" {
  export interface ProvidedContext {
    templateDatabase: string;
  }
}

// Migrating once and copying the file per test file keeps the suite on real SQLite without
// paying for the schema engine in every file.
export default function setup(project: TestProject) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "loyalty-test-"));
  const template = path.join(dir, "template.sqlite");
  migrateDeploy(`file:${template}`);
  project.provide("templateDatabase", template);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
