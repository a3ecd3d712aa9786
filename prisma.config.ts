import fs from "node:fs";
import path from "node:path";
import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { defineConfig } from "prisma/config";
import { databaseKind, resolveDatabaseUrl, sqliteFilePath } from "./app/database-url";

// Prisma skips .env when a config file exists; load it ourselves so `npm run setup` and `npm start` agree.
if (fs.existsSync(".env")) process.loadEnvFile(".env");

// There are no Rust engines on our machines: the CLI runs the WebAssembly schema engine over the
// same driver adapter the app uses (see docs/decisions/0001-prisma-without-rust-engines.md).
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  async adapter() {
    const url = resolveDatabaseUrl();
    if (databaseKind(url) !== "sqlite") {
      throw new Error(
        "This build's migrations target SQLite; see docs/database.md for PostgreSQL.",
      );
    }
    const file = sqliteFilePath(url);
    if (file) fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    return new PrismaLibSQL({ url });
  },
});
