import fs from "node:fs";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { defineConfig } from "prisma/config";
import { databaseKind, resolveDatabaseUrl } from "./app/database-url";
import { DurableSqliteAdapter } from "./app/db/sqlite.server";

// Prisma skips .env when a config file exists; load it ourselves so `npm run setup` and `npm start` agree.
if (fs.existsSync(".env")) process.loadEnvFile(".env");

/**
 * Workaround for prisma/orm#27403 (open in 6.19): the schema engine reads PostgreSQL's catalog,
 * whose `name` (OID 19) and `"char"` (OID 18) columns @prisma/adapter-pg cannot map, so
 * `migrate deploy` fails with "Column type 'name' could not be deserialized" (and `db pull` the
 * same for 'char'). Reporting them as `text` (OID 25), which is what they hold, is enough. Only
 * the CLI uses this client; the app never reads the catalog. Remove once a Prisma release with
 * the fix is in use.
 */
const CATALOG_TYPES = new Set([18, 19]);
const TEXT = 25;
class CatalogNameAsTextClient extends pg.Client {
  override query(...args: unknown[]): never {
    const asText = (result: pg.QueryResult | undefined) => {
      for (const field of result?.fields ?? []) {
        if (CATALOG_TYPES.has(field.dataTypeID)) field.dataTypeID = TEXT;
      }
      return result;
    };
    // pg.Pool calls query(text, values, callback); the adapter's transactions await a promise.
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === "function") {
      args[last] = (error: Error | null, result: pg.QueryResult) =>
        (callback as (e: Error | null, r: unknown) => void)(error, asText(result));
    }
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    return (result instanceof Promise ? result.then(asText) : result) as never;
  }
}

// There are no Rust engines on our machines: the CLI runs the WebAssembly schema engine over the
// same driver adapters the app uses (docs/decisions/0001 and 0004). DATABASE_URL picks the
// provider, and with it the schema and migrations folder.
const url = resolveDatabaseUrl();
const postgres = databaseKind(url) === "postgresql";
const root = postgres ? path.join("prisma", "postgresql") : "prisma";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join(root, "schema.prisma"),
  migrations: { path: path.join(root, "migrations") },
  async adapter() {
    if (postgres) {
      return new PrismaPg(new pg.Pool({ connectionString: url, Client: CatalogNameAsTextClient }));
    }
    return new DurableSqliteAdapter(url);
  },
});
