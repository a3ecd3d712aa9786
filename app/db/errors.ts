/**
 * Prisma error checks that work for both generated clients. Each client generated with a custom
 * output carries its own copy of Prisma's runtime, so `instanceof` against one client's error
 * class is false for the other's errors; the error name and code are the same in both.
 */

function prismaCode(error: unknown): string | undefined {
  if (!(error instanceof Error) || error.name !== "PrismaClientKnownRequestError") return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : undefined;
}

/** A unique constraint refused the write: someone else already wrote the same natural key. */
export function isUniqueViolation(error: unknown): boolean {
  return prismaCode(error) === "P2002";
}

/** An update or delete found no row to change. */
export function isRecordNotFound(error: unknown): boolean {
  return prismaCode(error) === "P2025";
}

/** Prisma codes for "the database could not do it now" rather than "this cannot be done". */
const TRANSIENT_CODES = new Set([
  "P1001", // can't reach the server
  "P1002", // server reached, timed out
  "P1008", // operation timed out (a SQLite lock held elsewhere surfaces as this)
  "P1017", // server closed the connection
  "P2024", // timed out waiting for a connection from the pool
  "P2028", // transaction API error (could not start or expired)
  "P2034", // write conflict or deadlock: retry
]);

/**
 * The database was unavailable, busy or overloaded: trying again later can succeed. Such
 * failures say nothing about the request, so they are not counted against it.
 */
export function isTransientDatabaseError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === "PrismaClientInitializationError") return true;
  const code = prismaCode(error);
  if (code && TRANSIENT_CODES.has(code)) return true;
  return /SQLITE_BUSY|database is locked|Operation has timed out|Connection terminated|ECONNREFUSED/i.test(
    error.message,
  );
}
