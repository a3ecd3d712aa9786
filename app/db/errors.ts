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
