#!/usr/bin/env node
// Authors a new migration, for SQLite and PostgreSQL together, from the difference between each
// provider's committed migrations and prisma/schema.prisma (docs/decisions/0004).
//
// `prisma migrate dev` cannot be used here: without Rust engines its shadow-database replay loses
// SQLite indexes and reports false drift. Instead, for each provider, the committed migrations are
// replayed into a scratch database, introspected (`db pull` against an empty schema, so nothing of
// the current schema leaks in), and that datamodel is diffed against the provider's schema.
//
//   npm run migration:new -- <snake_case_name>   writes prisma/{,postgresql/}migrations/<stamp>_<name>
//   node scripts/new-migration.mjs --check       fails if either provider's migrations lag the schema
//
// PostgreSQL scratch databases are created on TEST_POSTGRES_URL's server
// (default postgresql://postgres@127.0.0.1:5432/test) and dropped afterwards.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import {
  migrationsPath,
  postgresSchemaIsCurrent,
  schemaPath,
  writePostgresSchema,
} from "./prisma-schemas.mjs";

const name = process.argv[2];
const check = name === "--check";
if (!name || (!check && !/^[a-z0-9_]+$/.test(name))) {
  console.error("usage: npm run migration:new -- <snake_case_name>   (or --check)");
  process.exit(2);
}

const execFileAsync = promisify(execFile);
const prismaBin = path.resolve("node_modules/.bin/prisma");
const adminUrl = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "loyalty-migration-"));

const run = async (databaseUrl, args) => {
  try {
    const { stdout } = await execFileAsync(prismaBin, args, {
      env: { ...process.env, DATABASE_URL: databaseUrl },
      encoding: "utf8",
    });
    return stdout;
  } catch (error) {
    error.message += `\n${error.stderr ?? ""}`;
    throw error;
  }
};

/** A scratch database for `provider`, and how to get rid of it. */
async function scratchDatabase(provider) {
  if (provider === "sqlite") {
    return { url: `file:${path.join(scratch, "replay.sqlite")}`, drop: async () => {} };
  }
  const database = `loyalty_migration_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5_000 });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is needed to check and write its migrations, and ${adminUrl} did not answer ` +
        `(${error.message}). Start it (pg_ctlcluster --skip-systemctl-redirect 15 main start) ` +
        "or set TEST_POSTGRES_URL.",
    );
  }
  await admin.query(`CREATE DATABASE "${database}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await admin.end();
    },
  };
}

// Objects that migrations create in SQL because Prisma's schema cannot declare them: the members
// search index (an FTS5 table and its shadow tables on SQLite, trigram indexes on PostgreSQL;
// docs/decisions/0008). Left out of the introspected side so the diff does not drop them.
const SQL_ONLY_MODEL = /^model MemberSearch\w* \{\n[^}]*\}\n*/gm;
const SQL_ONLY_INDEX = /^.*map: "Member_\w+_trgm_idx".*\n/gm;

function withoutSqlOnlyObjects(datamodel) {
  return datamodel.replace(SQL_ONLY_MODEL, "").replace(SQL_ONLY_INDEX, "");
}

/** SQL that brings `provider`'s migrated database to its schema ("" when they match). */
async function pendingSql(provider) {
  const db = await scratchDatabase(provider);
  try {
    await run(db.url, ["migrate", "deploy"]);
    const bare = path.join(scratch, `${provider}-bare.prisma`);
    fs.writeFileSync(
      bare,
      `datasource db {\n  provider = "${provider}"\n  url      = "file:unused"\n}\n`,
    );
    const from = ["--from-empty"];
    try {
      // `db pull --print` prefixes the datamodel with a driver-adapter warning on stdout.
      const pulled = await run(db.url, ["db", "pull", "--print", "--schema", bare]);
      const current = path.join(scratch, `${provider}-current.prisma`);
      const datamodel = withoutSqlOnlyObjects(
        pulled.slice(pulled.search(/^(generator|datasource) /m)),
      );
      fs.writeFileSync(current, datamodel);
      from.splice(0, 1, "--from-schema-datamodel", current);
    } catch (error) {
      // P4001: no tables yet (a provider's first migration); diff from nothing.
      if (!String(error.stderr).includes("P4001")) throw error;
    }
    const sql = await run(db.url, [
      "migrate",
      "diff",
      ...from,
      "--to-schema-datamodel",
      schemaPath(provider),
      "--script",
    ]);
    return /^\s*(CREATE|ALTER|DROP|INSERT|PRAGMA|UPDATE|DELETE)/im.test(sql) ? sql : "";
  } finally {
    await db.drop();
  }
}

try {
  if (check) {
    if (!postgresSchemaIsCurrent()) {
      console.error(
        "prisma/postgresql/schema.prisma is out of date with prisma/schema.prisma: " +
          "run npm run migration:new -- <name>",
      );
      process.exit(1);
    }
  } else if (writePostgresSchema()) {
    console.log("Rewrote prisma/postgresql/schema.prisma from prisma/schema.prisma.");
  }

  const providers = ["sqlite", "postgresql"];
  const sql = await Promise.all(providers.map(pendingSql));
  const pending = Object.fromEntries(providers.map((provider, i) => [provider, sql[i]]));

  if (check) {
    const behind = Object.entries(pending).filter(([, sql]) => sql);
    for (const [provider, sql] of behind) {
      console.error(`${provider}: prisma/schema.prisma has changes no migration covers:\n${sql}`);
    }
    if (behind.length) process.exit(1);
    console.log("migrations match prisma/schema.prisma (sqlite, postgresql)");
  } else {
    const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
    let wrote = 0;
    for (const [provider, sql] of Object.entries(pending)) {
      if (!sql) continue;
      const dir = path.join(migrationsPath(provider), `${stamp}_${name}`);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, "migration.sql"), sql);
      console.log(`Wrote ${dir}/migration.sql`);
      wrote += 1;
    }
    console.log(
      wrote ? "Review them, then run npm run setup." : "No schema changes: nothing to write.",
    );
  }
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}
