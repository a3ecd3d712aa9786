#!/usr/bin/env node
// Authors a new migration from the difference between the committed migrations and
// prisma/schema.prisma. `prisma migrate dev` cannot be used here: without Rust engines its
// shadow-database replay loses SQLite indexes and reports false drift, so we replay the
// migrations into a scratch file, introspect it, and diff two datamodels instead.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const name = process.argv[2];
const check = name === "--check";
if (!name || (!check && !/^[a-z0-9_]+$/.test(name))) {
  console.error("usage: npm run migration:new -- <snake_case_name>   (or --check)");
  process.exit(2);
}

const prisma = path.resolve("node_modules/.bin/prisma");
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "loyalty-migration-"));
const env = { ...process.env, DATABASE_URL: `file:${path.join(scratch, "replay.sqlite")}` };
const run = (args) =>
  execFileSync(prisma, args, { env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

try {
  run(["migrate", "deploy"]);
  const current = path.join(scratch, "current.prisma");
  // `db pull --print` prefixes the datamodel with a driver-adapter warning on stdout.
  const pulled = run(["db", "pull", "--print"]);
  fs.writeFileSync(current, pulled.slice(pulled.search(/^(generator|datasource) /m)));
  const sql = run([
    "migrate",
    "diff",
    "--from-schema-datamodel",
    current,
    "--to-schema-datamodel",
    "prisma/schema.prisma",
    "--script",
  ]);
  const empty = !/^\s*(CREATE|ALTER|DROP|INSERT|PRAGMA|UPDATE|DELETE)/im.test(sql);
  if (check) {
    if (!empty) {
      console.error("prisma/schema.prisma has changes no migration covers:\n" + sql);
      process.exit(1);
    }
    console.log("migrations match prisma/schema.prisma");
  } else if (empty) {
    console.log("No schema changes: nothing to write.");
  } else {
    const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
    const dir = path.join("prisma", "migrations", `${stamp}_${name}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "migration.sql"), sql);
    console.log(`Wrote ${dir}/migration.sql — review it, then run npm run setup.`);
  }
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}
