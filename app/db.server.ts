import fs from "node:fs";
import path from "node:path";
import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { PrismaClient } from "@prisma/client";
import { databaseKind, resolveDatabaseUrl, sqliteFilePath } from "./database-url";

/**
 * Builds a Prisma client on the driver adapter that matches DATABASE_URL. Callers only ever see
 * `PrismaClient`, so adding the PostgreSQL adapter later changes this function and nothing else.
 */
export function createPrismaClient(url: string = resolveDatabaseUrl()): PrismaClient {
  switch (databaseKind(url)) {
    case "sqlite": {
      const file = sqliteFilePath(url);
      if (file) fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      return new PrismaClient({ adapter: new PrismaLibSQL({ url }) });
    }
    case "postgresql":
      throw new Error(
        "PostgreSQL is not wired up yet: see docs/database.md for the steps (schema provider, " +
          "@prisma/adapter-pg, migrations).",
      );
  }
}

declare global {
  // Remix dev re-imports server modules on every change; reuse one client instead of leaking them.
  var __loyaltyPrisma: PrismaClient | undefined;
}

const prisma: PrismaClient =
  process.env.NODE_ENV === "development"
    ? (globalThis.__loyaltyPrisma ??= createPrismaClient())
    : createPrismaClient();

export default prisma;
