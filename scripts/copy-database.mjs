#!/usr/bin/env node
// `npm run db:copy -- --from <DATABASE_URL> --to <DATABASE_URL>`: copies every row from one
// database to another (e.g. the SQLite file to a freshly migrated, empty PostgreSQL database),
// then checks row counts and that every member's balance equals their ledger on the target.
// Exits 1 when the copy is not exact. Runs from the production build; see docs/deployment.md.
import path from "node:path";
import { pathToFileURL } from "node:url";

function flag(name) {
  const index = process.argv.indexOf(name);
  return index > 0 ? process.argv[index + 1] : undefined;
}

const from = flag("--from");
const to = flag("--to");
if (!from || !to) {
  console.error(
    "usage: npm run db:copy -- --from <source DATABASE_URL> --to <target DATABASE_URL>",
  );
  process.exit(2);
}

const build = await import(pathToFileURL(path.resolve("build/index.js")).href);
const { copyDatabase, copyIsExact } = build.entry.module;
try {
  const report = await copyDatabase(from, to, (line) => console.log(line));
  console.log(JSON.stringify(report, null, 2));
  if (!copyIsExact(report)) {
    console.error("The copy is NOT exact: see the counts and balance mismatches above.");
    process.exit(1);
  }
  console.log(
    `Copy exact: ${report.members} members, total balance ${report.totalBalance.target}, every balance equal to its ledger.`,
  );
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
