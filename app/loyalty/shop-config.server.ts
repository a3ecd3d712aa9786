import type { Reward } from "@prisma/client";
import prisma from "../db.server";
import type { Db, ProgramRules } from "./program.server";
import { programFor, tiersFor } from "./program.server";

/**
 * What every widget load needs and only the merchant changes: the program, its tiers and its
 * enabled rewards. Kept per process and checked on every use against `Program.configVersion`,
 * which triggers bump on any change of the three by any path (an admin save on another instance,
 * an import, a migration, a `psql` session). One read of an integer instead of three model reads
 * (issue #15: they were a third of the storefront member view, and three of an order's
 * statements), and never a stale copy. The copy is shared: callers must not change it.
 */
export interface ShopConfig extends ProgramRules {
  /** Enabled rewards, cheapest first. */
  rewards: Reward[];
}

/** Shops kept; beyond it the least recently used is dropped. */
const MAX_SHOPS = 500;
const cache = new Map<string, { version: string; config: ShopConfig }>();

async function currentVersion(db: Db, shop: string): Promise<string | null> {
  const [row] = await db.$queryRaw<{ createdAt: Date; configVersion: number | bigint }[]>`
    SELECT "createdAt", "configVersion" FROM "Program" WHERE "shop" = ${shop}`;
  // With createdAt: a program deleted (shop/redact) and created again starts over at 0.
  return row ? `${new Date(row.createdAt).getTime()}:${row.configVersion}` : null;
}

/**
 * Inside a transaction, pass it as `db`: the version is then read in it (on SQLite a second
 * connection would wait for the transaction's own write lock), and what the transaction itself
 * changed is seen. Never after changing the program, its tiers or rewards in that transaction: were
 * it rolled back, the copy would be kept under a version number the next change uses again.
 */
export async function shopConfig(shop: string, db: Db = prisma): Promise<ShopConfig> {
  // Read before the copy is loaded: a change landing while it loads leaves the copy newer than
  // its version, so the next use loads it again; never the other way round.
  const version = await currentVersion(db, shop);
  const cached = cache.get(shop);
  if (version !== null && cached?.version === version) {
    // Maps iterate in insertion order; moving the shop to the end keeps busy shops from eviction.
    cache.delete(shop);
    cache.set(shop, cached);
    return cached.config;
  }
  const [program, tiers, rewards] = await Promise.all([
    // Creates the shop's default program on its first visit (then there is no version to keep).
    programFor(db, shop),
    tiersFor(db, shop),
    db.reward.findMany({ where: { shop, enabled: true }, orderBy: { pointsCost: "asc" } }),
  ]);
  const config = { program, tiers, rewards };
  cache.delete(shop);
  if (version !== null) cache.set(shop, { version, config });
  if (cache.size > MAX_SHOPS) cache.delete(cache.keys().next().value!);
  return config;
}
