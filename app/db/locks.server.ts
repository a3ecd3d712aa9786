import type { Prisma } from "@prisma/client";
import { databaseProvider } from "../db.server";

type Db = Prisma.TransactionClient;

/**
 * Row locks for read-then-write sequences that must not interleave across processes. On SQLite
 * every transaction already holds the database's write lock from its first statement (BEGIN
 * IMMEDIATE), so these are no-ops there. On PostgreSQL (READ COMMITTED) two instances could
 * otherwise both read an order's "points not yet taken back" and both take them back: the row is
 * locked until the transaction ends, and callers read it again after locking.
 */

export async function lockOrderRecord(db: Db, shop: string, orderId: string) {
  if (databaseProvider !== "postgresql") return;
  await db.$queryRaw`SELECT 1 FROM "OrderRecord" WHERE "shop" = ${shop} AND "orderId" = ${orderId} FOR UPDATE`;
}

export async function lockMember(db: Db, memberId: string) {
  if (databaseProvider !== "postgresql") return;
  await db.$queryRaw`SELECT 1 FROM "Member" WHERE "id" = ${memberId} FOR UPDATE`;
}
