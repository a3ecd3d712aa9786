import { z } from "zod";
import type { RefundLine, RuleSnapshot } from "./earning";
import { EARNING_RULE_KINDS } from "./earning-rules";
import type { RewardTerms } from "./rewards";
import { REWARD_TYPE_VALUES } from "./rewards";

/**
 * Json columns hold copies of rules and rewards as they were when points moved. Reading one back
 * goes through these schemas instead of a cast, so a row written by an older release (or edited
 * by hand) fails loudly with the field that is wrong rather than computing with `undefined`.
 */

const contributionSchema = z.object({
  rule: z.enum(EARNING_RULE_KINDS),
  points: z.number().int(),
  tier: z.string().optional(),
  multiplierPercent: z.number().int().optional(),
  campaignId: z.string().optional(),
  campaign: z.string().optional(),
  minimumMinor: z.number().int().optional(),
  lineIds: z.array(z.string()).optional(),
  eligibleMinor: z.number().int().optional(),
  network: z.string().optional(),
});

export const ruleSnapshotSchema = z.object({
  earnPoints: z.number().int(),
  perAmount: z.string(),
  rounding: z.enum(["DOWN", "NEAREST", "UP"]),
  multiplierPercent: z.number().int(),
  tier: z.string().nullable(),
  basisMinor: z.number().int(),
  currency: z.string(),
  taxesIncluded: z.boolean(),
  pendingDays: z.number().int(),
  // Recorded since the earning basis became line by line; older snapshots lack them.
  giftCardsMinor: z.number().int().optional(),
  taxRemovedMinor: z.number().int().optional(),
  // Recorded since earning rules became a union; older snapshots lack them. They explain the
  // points to the merchant, and a campaign's fixed bonus is taken back by its own rule
  // (fixedBonusOf). A contribution this release cannot read (a rule kind a later release added,
  // then rolled back) is left out on its own, never failing a refund of the order.
  contributions: z
    .array(z.unknown())
    .transform((items) =>
      items.flatMap((item) => {
        const parsed = contributionSchema.safeParse(item);
        return parsed.success ? [parsed.data] : [];
      }),
    )
    .optional()
    .catch(undefined),
}) satisfies z.ZodType<RuleSnapshot>;

export const rewardTermsSchema = z.object({
  name: z.string(),
  type: z.enum(REWARD_TYPE_VALUES),
  pointsCost: z.number().int(),
  amount: z.string().nullable(),
  percentage: z.number().int().nullable(),
  minimumSubtotal: z.string().nullable(),
  codeLifetimeDays: z.number().int(),
  combinesWithOrder: z.boolean(),
  combinesWithProduct: z.boolean(),
  combinesWithShipping: z.boolean(),
  collections: z.array(z.object({ id: z.string(), title: z.string() })).optional(),
  variant: z.object({ id: z.string(), title: z.string() }).optional(),
}) satisfies z.ZodType<RewardTerms>;

export const stringListSchema = z.array(z.string());

export const refundLinesSchema = z.array(
  z.object({
    lineId: z.string(),
    quantity: z.number().int(),
    subtotalMinor: z.number().int(),
    taxMinor: z.number().int(),
    giftCard: z.boolean().nullable(),
  }),
) satisfies z.ZodType<RefundLine[]>;

export function ruleSnapshot(value: unknown): RuleSnapshot | null {
  return value === null || value === undefined ? null : ruleSnapshotSchema.parse(value);
}

export function rewardTerms(value: unknown): RewardTerms {
  return rewardTermsSchema.parse(value);
}
