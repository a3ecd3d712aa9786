import { execFileSync } from "node:child_process";
import path from "node:path";

/** Applies the committed migrations to a database with the real Prisma CLI, as `npm run setup` does. */
export function migrateDeploy(databaseUrl: string): string {
  return execFileSync(path.resolve("node_modules/.bin/prisma"), ["migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}
