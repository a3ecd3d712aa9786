import type { Reward } from "@prisma/client";
import prisma from "../db.server";
import type { Campaign } from "../domain/campaigns";
import { toCampaign } from "./campaigns.server";
import type { Db, ProgramRules } from "./program.server";
import { programFor, tiersFor } from "./program.server";
import { welcomeReward as welcomeRewardOf } from "./referrals.server";

/**
 * What every widget load needs and only the merchant changes: the program, its tiers, its
 * enabled rewards and its campaigns. Kept per process and checked on every use against
 * `Program.configVersion`, which triggers bump on any change of any of them by any path (an
 * admin save on another instance, an import, a migration, a `psql` session). One read of an
 * integer instead of four model reads (issue #15: the first three were a third of the
 * storefront member view, and three of an order's statements), and never a stale copy. The copy
 * is shared: callers must not change it.
 */
export interface ShopConfig extends ProgramRules {
  /** Enabled rewards, cheapest first. */
  rewards: Reward[];
  /**
   * Enabled campaigns that had not ended by `campaignsSince`: the copy is kept until the settings
   * change, so users check each one's window (campaignRules) at the time they need.
   */
  campaigns: Campaign[];
  /**
   * Every campaign running at or after this instant is in `campaigns`: a week before the copy
   * was loaded, so an order paid in a campaign that has since ended, whose webhook comes late
   * (Shopify retries for 48 hours), still finds it here. Older payments ask the database.
   */
  campaignsSince: Date;
  /** The reward whose terms referred friends' welcome codes have; null while referrals are off. */
  welcomeReward: Reward | null;
}

/** How far back the copy keeps ended campaigns (see campaignsSince). */
const CAMPAIGN_LOOKBACK_MS = 7 * 24 * 60 * 60 * 1000;

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
  const campaignsSince = new Date(Date.now() - CAMPAIGN_LOOKBACK_MS);
  const [program, tiers, rewards, campaigns] = await Promise.all([
    // Creates the shop's default program on its first visit (then there is no version to keep).
    programFor(db, shop),
    tiersFor(db, shop),
    db.reward.findMany({ where: { shop, enabled: true }, orderBy: { pointsCost: "asc" } }),
    db.campaign.findMany({ where: { shop, enabled: true, endsAt: { gt: campaignsSince } } }),
  ]);
  // After the program: whether referrals are on decides whether it is read at all.
  const welcomeReward = await welcomeRewardOf(db, program);
  const config = {
    program,
    tiers,
    rewards,
    campaigns: campaigns.map(toCampaign),
    campaignsSince,
    welcomeReward,
  };
  cache.delete(shop);
  if (version !== null) cache.set(shop, { version, config });
  if (cache.size > MAX_SHOPS) cache.delete(cache.keys().next().value!);
  return config;
}
