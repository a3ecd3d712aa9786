import type { PrismaClient } from "@prisma/client";
import { errorFields, log } from "../log.server";
import type { AdminGraphqlClient } from "../shopify/admin-api.server";
import { adminCall, adminQuery, failedCall } from "../shopify/admin-api.server";
import {
  CREATE_TIER_PERKS_DISCOUNT,
  FIND_TIER_PERKS_DISCOUNT,
  SET_METAFIELDS,
  TIER_PERKS_DISCOUNT,
} from "../shopify/operations";
import type {
  LoyaltyCreateTierPerksDiscountMutation,
  LoyaltyCreateTierPerksDiscountMutationVariables,
  LoyaltyFindTierPerksDiscountQuery,
  LoyaltySetMetafieldsMutation,
  LoyaltySetMetafieldsMutationVariables,
  LoyaltyTierPerksDiscountQuery,
} from "../types/admin.generated";
import type { DiscountClass } from "../types/admin.types";
import { TIER_PERKS_METAFIELD, tierPerksConfig } from "../../extensions/tier-perks/src/perks";

/**
 * Tier perks given at checkout with no code: one automatic app discount per shop runs the
 * tier-perks function (extensions/tier-perks), which reads each buyer's tier from the customer
 * metafield customer sync writes and the perks from this discount's `$app.tier-perks` metafield.
 * The worker keeps that discount in step with the tiers: it creates it the first time a tier has
 * a perk, then writes the config again whenever the tiers' perks change (the tiers page sends the
 * job, and it runs every 15 minutes). Nothing at checkout waits on the app.
 */

export const TIER_PERKS_TITLE = "Loyalty tier perks";
/** The discount's tag: how it is found again (discountNodes filters on tags). */
export const TIER_PERKS_TAG = "loyalty-tier-perks";

export interface TierPerksSyncResult {
  synced: number;
  failed: number;
}

/** A failure the merchant is told about as it is. */
class TierPerksError extends Error {}
/** The discount no longer exists (the merchant deleted it): the next run creates it again. */
class DiscountGone extends TierPerksError {}

export async function syncTierPerks(
  prisma: PrismaClient,
  adminFor: (shop: string) => Promise<AdminGraphqlClient | null>,
  now: Date,
  options: { shop?: string } = {},
): Promise<TierPerksSyncResult> {
  const result: TierPerksSyncResult = { synced: 0, failed: 0 };
  const withPerks = await prisma.tier.findMany({
    where: {
      ...(options.shop && { shop: options.shop }),
      OR: [{ perkPercent: { not: null } }, { perkFreeShipping: true }],
    },
    distinct: ["shop"],
    select: { shop: true },
  });
  const programs = await prisma.program.findMany({
    where: {
      ...(options.shop && { shop: options.shop }),
      OR: [{ tierPerksDiscountId: { not: null } }, { shop: { in: withPerks.map((t) => t.shop) } }],
    },
    select: { shop: true, tierPerksDiscountId: true, tierPerksConfig: true, tierPerksError: true },
  });
  for (const program of programs) {
    try {
      const synced = await syncShop(prisma, adminFor, program, now);
      if (synced) result.synced += 1;
      if (program.tierPerksError)
        await prisma.program.updateMany({
          where: { shop: program.shop, tierPerksError: { not: null } },
          data: { tierPerksError: null },
        });
    } catch (error) {
      result.failed += 1;
      const message =
        error instanceof TierPerksError
          ? error.message
          : "Shopify did not answer; the tier perks will be written again shortly";
      log.warn("tier perks not written", { shop: program.shop, ...errorFields(error) });
      const gone = error instanceof DiscountGone;
      // Written only when it changes: every write of the program reloads the shop's settings in
      // each process (Program.configVersion).
      if (program.tierPerksError !== message || gone)
        await prisma.program.update({
          where: { shop: program.shop },
          // A discount the merchant deleted is created again on the next run.
          data: { tierPerksError: message, ...(gone && { tierPerksDiscountId: null }) },
        });
    }
  }
  return result;
}

/**
 * One shop: creates the discount if it has none, writes the config if it changed. With nothing
 * to write, the cron's run checks that the discount still exists (a merchant may delete it in
 * Shopify admin; perks would silently stop). Returns whether anything was written.
 */
async function syncShop(
  prisma: PrismaClient,
  adminFor: (shop: string) => Promise<AdminGraphqlClient | null>,
  program: { shop: string; tierPerksDiscountId: string | null; tierPerksConfig: string | null },
  now: Date,
): Promise<boolean> {
  const tiers = await prisma.tier.findMany({
    where: { shop: program.shop },
    orderBy: { threshold: "asc" },
    select: { name: true, perkPercent: true, perkFreeShipping: true },
  });
  let config: string;
  try {
    config = JSON.stringify(tierPerksConfig(tiers));
  } catch (error) {
    throw new TierPerksError(`A tier's checkout perk is not valid: ${String(error)}`);
  }
  const admin = await adminFor(program.shop);
  if (!admin) throw new TierPerksError("The app has no access to the shop; reinstall it");
  if (program.tierPerksConfig === config && program.tierPerksDiscountId) {
    if (!(await exists(admin, program.tierPerksDiscountId)))
      throw new DiscountGone(
        "The tier perks discount was deleted in Shopify; the app creates it again shortly",
      );
    return false;
  }
  let discountId =
    program.tierPerksDiscountId ??
    (await findDiscount(admin)) ??
    (await create(admin, config, now));
  if (program.tierPerksDiscountId !== discountId) {
    const { count } = await prisma.program.updateMany({
      where: { shop: program.shop, tierPerksDiscountId: program.tierPerksDiscountId },
      data: { tierPerksDiscountId: discountId },
    });
    // Another run recorded its discount first: that one is the shop's.
    if (!count) {
      const current = await prisma.program.findUniqueOrThrow({ where: { shop: program.shop } });
      discountId = current.tierPerksDiscountId ?? discountId;
    }
  }
  await writeConfig(admin, discountId, config);
  await prisma.program.update({
    where: { shop: program.shop },
    data: { tierPerksConfig: config },
  });
  return true;
}

async function exists(admin: AdminGraphqlClient, discountId: string): Promise<boolean> {
  const { discountNode } = await adminQuery<LoyaltyTierPerksDiscountQuery>(
    admin,
    TIER_PERKS_DISCOUNT,
    { id: discountId },
  );
  return discountNode !== null;
}

/** The discount a create whose answer was lost may have made, or one an earlier install left. */
async function findDiscount(admin: AdminGraphqlClient): Promise<string | null> {
  const { discountNodes } = await adminQuery<LoyaltyFindTierPerksDiscountQuery>(
    admin,
    FIND_TIER_PERKS_DISCOUNT,
    { query: `tag:${TIER_PERKS_TAG} method:automatic` },
  );
  // Only ours: were the filter ever ignored, the list would hold the merchant's own discounts.
  const ours = discountNodes.nodes.find(
    (node) =>
      node.discount.__typename === "DiscountAutomaticApp" &&
      node.discount.title === TIER_PERKS_TITLE,
  );
  return ours?.id ?? null;
}

async function create(admin: AdminGraphqlClient, config: string, now: Date): Promise<string> {
  let call;
  try {
    call = await adminCall<LoyaltyCreateTierPerksDiscountMutation>(
      admin,
      CREATE_TIER_PERKS_DISCOUNT,
      {
        discount: {
          title: TIER_PERKS_TITLE,
          tags: [TIER_PERKS_TAG],
          functionHandle: "tier-perks",
          discountClasses: ["ORDER", "SHIPPING"] as DiscountClass[],
          startsAt: now.toISOString(),
          // Members' perks stack with reward codes on products and shipping, not on the order
          // total: a code off the order and a tier percentage off it would both apply in full.
          combinesWith: { orderDiscounts: false, productDiscounts: true, shippingDiscounts: true },
          metafields: [{ ...TIER_PERKS_METAFIELD, type: "json", value: config }],
        },
      } satisfies LoyaltyCreateTierPerksDiscountMutationVariables,
      undefined,
      // A second create makes a second discount: after a lost answer, the next run finds it.
      { repeatable: false },
    );
  } catch (error) {
    const failed = failedCall(error);
    throw new TierPerksError(
      failed.kind === "refused"
        ? `Shopify refused the tier perks discount: ${failed.reason}`
        : "Shopify did not confirm the tier perks discount; the app checks again shortly",
    );
  }
  const payload = call.data.discountAutomaticAppCreate;
  const id = payload?.automaticAppDiscount?.discountId;
  if (!id || payload.userErrors.length) {
    const detail = (payload?.userErrors ?? []).map((e) => e.message).join("; ");
    throw new TierPerksError(`Shopify refused the tier perks discount: ${detail || "no discount"}`);
  }
  return id;
}

async function writeConfig(admin: AdminGraphqlClient, discountId: string, config: string) {
  const { metafieldsSet } = await adminQuery<LoyaltySetMetafieldsMutation>(admin, SET_METAFIELDS, {
    metafields: [{ ...TIER_PERKS_METAFIELD, ownerId: discountId, type: "json", value: config }],
  } satisfies LoyaltySetMetafieldsMutationVariables);
  const errors = metafieldsSet?.userErrors ?? [];
  if (!errors.length) return;
  const detail = errors.map((e) => e.message).join("; ");
  if (errors.some((e) => /owner does not exist/i.test(e.message)))
    throw new DiscountGone(
      "The tier perks discount was deleted in Shopify; the app creates it again shortly",
    );
  throw new TierPerksError(`Shopify refused the tier perks: ${detail}`);
}
