import type { Prisma, Program, Tier } from "@prisma/client";
import type { EarnRule, Rounding } from "../domain/earning";
import type { EarningRule } from "../domain/earning-rules";
import { parseSocialFollows, socialNetwork } from "../domain/social";
import type { TierBasis, TierDefinition, TierPeriod } from "../domain/tiers";

export type Db = Prisma.TransactionClient;

/** What earning and tier qualification follow: the shop's program and its tiers, lowest first. */
export interface ProgramRules {
  program: Program;
  tiers: (Tier & TierDefinition)[];
}

/**
 * Every shop starts with a working program: 1 point per 1 unit of shop currency on the subtotal
 * after discounts (no shipping, no tax), rounded down; no pending period, no expiry.
 * The column defaults in prisma/schema.prisma are that program.
 */
export async function programFor(db: Db, shop: string, currency?: string): Promise<Program> {
  const existing = await db.program.findUnique({ where: { shop } });
  if (existing) {
    // The first order teaches us the shop's currency; later ones cannot change it.
    if (currency && existing.currency !== currency && !(await hasEarned(db, shop))) {
      return db.program.update({ where: { shop }, data: { currency } });
    }
    return existing;
  }
  // Two first requests for a new shop may race here; upsert lets both see the same row.
  return db.program.upsert({
    where: { shop },
    create: { shop, ...(currency ? { currency } : {}) },
    update: {},
  });
}

async function hasEarned(db: Db, shop: string) {
  return (await db.orderRecord.count({ where: { shop, status: "EARNED" } })) > 0;
}

export function earnRule(program: Program): EarnRule {
  return {
    earnPoints: program.earnPoints,
    perAmount: program.earnPerAmount,
    rounding: program.rounding as Rounding,
  };
}

/**
 * The shop's earning rules as they apply to a member in `tier` (null: in none), with the
 * campaigns that apply to them then (campaignRules in app/domain/campaigns.ts).
 */
export function earningRules(
  program: Program,
  tier: Pick<Tier, "name" | "multiplierPercent"> | null,
  campaigns: readonly EarningRule[] = [],
  /** The friend's welcome offer, when the program's referral settings have a usable one. */
  referralOffer: string | null = null,
): EarningRule[] {
  return [
    { kind: "ORDER_SPEND", ...earnRule(program) },
    ...(tier
      ? [
          {
            kind: "TIER_MULTIPLIER" as const,
            tier: tier.name,
            multiplierPercent: tier.multiplierPercent,
          },
        ]
      : []),
    { kind: "SIGNUP_BONUS", points: program.signupBonus },
    { kind: "BONUS_ACTION", maxPoints: program.maxPointsPerOrder },
    ...campaigns,
    ...parseSocialFollows(program.socialFollows).map((f) => ({
      kind: "SOCIAL_FOLLOW" as const,
      network: f.network,
      label: socialNetwork(f.network)!.label,
      points: f.points,
    })),
    ...(program.npsSurvey && program.npsPoints > 0
      ? [{ kind: "SURVEY" as const, points: program.npsPoints }]
      : []),
    ...(program.birthdayPoints > 0
      ? [{ kind: "BIRTHDAY" as const, points: program.birthdayPoints }]
      : []),
    ...(program.referrals && referralOffer
      ? [{ kind: "REFERRAL" as const, points: program.referralPoints, offer: referralOffer }]
      : []),
  ];
}

export function tierBasis(program: Program): TierBasis {
  return program.tierBasis as TierBasis;
}

export function tierPeriod(program: Program): TierPeriod {
  return program.tierPeriod as TierPeriod;
}

export async function tiersFor(db: Db, shop: string): Promise<(Tier & TierDefinition)[]> {
  return db.tier.findMany({ where: { shop }, orderBy: { threshold: "asc" } });
}
