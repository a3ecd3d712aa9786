/**
 * The one place that decides which database the app, the Prisma CLI and the tests talk to.
 * Kept free of Prisma imports so prisma.config.ts can load it without a generated client.
 */
export const DEFAULT_DATABASE_URL = "file:prisma/data/dev.sqlite";

export type DatabaseKind = "sqlite" | "postgresql";

export function resolveDatabaseUrl(env: Record<string, string | undefined> = process.env): string {
  const url = env.DATABASE_URL?.trim();
  return url ? url : DEFAULT_DATABASE_URL;
}

export function databaseKind(url: string): DatabaseKind {
  if (url.startsWith("file:")) return "sqlite";
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) return "postgresql";
  throw new Error(
    `DATABASE_URL must start with file: (SQLite) or postgres:// / postgresql:// (PostgreSQL) (got "${url.split(":")[0]}:")`,
  );
}

/** libSQL opens a file URL relative to the working directory but will not create its folder. */
export function sqliteFilePath(url: string): string | undefined {
  if (!url.startsWith("file:")) return undefined;
  return url.slice("file:".length).replace(/^\/\/(?=\/)/, "");
}
