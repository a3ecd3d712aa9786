import type { Reward } from "@prisma/client";
import prisma, { dbNull } from "../db.server";
import type { FieldErrors } from "../domain/forms";
import type { FreeProductOffer } from "../domain/rewards";
import { canWelcomeFriends } from "../domain/rewards";
import type { RewardFormData } from "../domain/reward-form";
import { describeReward } from "../domain/reward-form";
import { freeProductPrice } from "../loyalty/free-product.server";
import { rewardTerms } from "../loyalty/redemptions.server";
import { appAdmin } from "../shopify.server";
import { log } from "../log.server";
import { loadProgram } from "./program.server";
import { notFound } from "./staff.server";

export async function listRewards(shop: string) {
  const program = await loadProgram(shop);
  const rewards = await prisma.reward.findMany({
    where: { shop },
    orderBy: [{ enabled: "desc" }, { pointsCost: "asc" }, { createdAt: "asc" }],
    include: { _count: { select: { redemptions: true } } },
  });
  const tiers = await prisma.tier.findMany({ where: { shop }, select: { id: true, name: true } });
  const tierName = new Map(tiers.map((t) => [t.id, t.name]));
  return {
    currency: program.currency,
    rewards: rewards.map((reward) => ({
      id: reward.id,
      name: reward.name,
      type: reward.type,
      summary: describeReward(reward, program.currency),
      pointsCost: reward.pointsCost,
      tier: reward.tierId ? (tierName.get(reward.tierId) ?? null) : null,
      enabled: reward.enabled,
      redemptions: reward._count.redemptions,
    })),
  };
}

export async function findReward(shop: string, id: string): Promise<Reward> {
  const reward = await prisma.reward.findFirst({ where: { id, shop } });
  if (!reward) notFound("Reward not found");
  return reward;
}

export type FreeProductNow =
  | FreeProductOffer
  /** Shopify did not answer: the page says nothing rather than guess. */
  | { kind: "unknown" };

/**
 * What a free product reward's variant costs in Shopify now, for its page: the amount a member
 * redeeming now gets, or why it cannot be given (redeeming it is refused, points kept).
 */
export async function freeProductNow(
  shop: string,
  reward: Reward,
  currency: string,
): Promise<FreeProductNow | null> {
  const variant = reward.type === "FREE_PRODUCT" ? rewardTerms(reward).variant : undefined;
  if (!variant) return null;
  try {
    return await freeProductPrice(await appAdmin(shop), variant.id, currency);
  } catch (error) {
    log.warn("free product price not read for the reward page", {
      shop,
      rewardId: reward.id,
      reason: error instanceof Error ? error.message : String(error),
    });
    return { kind: "unknown" };
  }
}

export async function redemptionCount(rewardId: string) {
  return prisma.redemption.count({ where: { rewardId } });
}

export async function rewardFormContext(shop: string) {
  const program = await loadProgram(shop);
  const tiers = await prisma.tier.findMany({
    where: { shop },
    orderBy: { threshold: "asc" },
    select: { id: true, name: true },
  });
  return { currency: program.currency, tiers };
}

async function tierError(shop: string, tierId: string | null): Promise<FieldErrors> {
  if (!tierId) return {};
  const tier = await prisma.tier.findFirst({ where: { id: tierId, shop } });
  return tier ? {} : { tierId: "Choose one of your tiers, or everyone" };
}

/** The friends' welcome offer must stay a reward a code can carry, or referral links would stop. */
async function offerError(shop: string, id: string, data: RewardFormData): Promise<FieldErrors> {
  if (canWelcomeFriends(data.type)) return {};
  const program = await prisma.program.findUnique({ where: { shop } });
  return program?.referrals && program.referralRewardId === id
    ? {
        type: "Referred friends get this reward as a code: choose another offer for them in Program settings first",
      }
    : {};
}

function columns(data: RewardFormData) {
  return {
    name: data.name,
    type: data.type,
    pointsCost: data.pointsCost,
    amount: data.amount,
    percentage: data.percentage,
    minimumSubtotal: data.minimumSubtotal,
    codeLifetimeDays: data.codeLifetimeDays,
    combinesWithOrder: data.combinesWithOrder,
    combinesWithProduct: data.combinesWithProduct,
    combinesWithShipping: data.combinesWithShipping,
    collections: [...(data.collections ?? [])],
    variant: data.variant ?? dbNull(),
    tierId: data.tierId,
    enabled: data.enabled,
  };
}

export async function createReward(
  shop: string,
  data: RewardFormData,
): Promise<{ ok: true; reward: Reward } | { ok: false; errors: FieldErrors }> {
  const errors = await tierError(shop, data.tierId);
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, reward: await prisma.reward.create({ data: { shop, ...columns(data) } }) };
}

/** Codes already issued keep the terms they were redeemed with (Redemption.rewardSnapshot). */
export async function updateReward(
  shop: string,
  id: string,
  data: RewardFormData,
): Promise<{ ok: true; reward: Reward } | { ok: false; errors: FieldErrors }> {
  await findReward(shop, id);
  const errors = { ...(await tierError(shop, data.tierId)), ...(await offerError(shop, id, data)) };
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, reward: await prisma.reward.update({ where: { id }, data: columns(data) }) };
}

export async function setRewardEnabled(shop: string, id: string, enabled: boolean) {
  await findReward(shop, id);
  return prisma.reward.update({ where: { id }, data: { enabled } });
}

/** Redemptions point at their reward, so a reward that was ever redeemed can only be disabled. */
export async function deleteReward(
  shop: string,
  id: string,
): Promise<{ ok: true } | { ok: false; errors: FieldErrors }> {
  await findReward(shop, id);
  const redemptions = await prisma.redemption.count({ where: { rewardId: id } });
  if (redemptions > 0) {
    return {
      ok: false,
      errors: {
        form: `This reward has been redeemed ${redemptions} ${redemptions === 1 ? "time" : "times"}, so it is kept for those members' history. Disable it instead.`,
      },
    };
  }
  await prisma.reward.delete({ where: { id } });
  return { ok: true };
}
