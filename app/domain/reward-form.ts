import { z } from "zod";
import type { FieldErrors, FormResult } from "./forms";
import { checkboxField, issuesToFieldErrors, pickedResourcesField } from "./forms";
import { formatAmount } from "./money";
import type { RewardTerms, RewardType } from "./rewards";
import { REWARD_TYPE_VALUES, rewardTermErrors } from "./rewards";

export interface RewardFormData extends RewardTerms {
  /** Members of this tier or a higher one only; null = everyone. */
  tierId: string | null;
  enabled: boolean;
}

/** Collections a reward's code may be limited to (the admin's resource picker). */
export const MAX_REWARD_COLLECTIONS = 10;

export const REWARD_TYPES: { value: RewardType; label: string }[] = [
  { value: "FIXED_AMOUNT", label: "Amount off the order or some collections" },
  { value: "PERCENTAGE", label: "Percentage off the order or some collections" },
  { value: "FREE_SHIPPING", label: "Free shipping" },
  { value: "STORE_CREDIT", label: "Store credit on the shopper's account" },
  { value: "FREE_PRODUCT", label: "A free product" },
];

// Loose shape only: the meaning of each field is checked by rewardTermErrors, the same rules
// the redemption path applies, so the admin cannot save a reward that could never be redeemed.
const shape = () =>
  z.object({
    name: z.string().default(""),
    type: z.enum(REWARD_TYPE_VALUES, {
      error: "Choose a reward type",
    }),
    pointsCost: z.string().default(""),
    amount: z.string().optional(),
    percentage: z.string().optional(),
    minimumSubtotal: z.string().optional(),
    codeLifetimeDays: z.string().default(""),
    combinesWithOrder: checkboxField(),
    combinesWithProduct: checkboxField(),
    combinesWithShipping: checkboxField(),
    tierId: z.string().optional(),
    collections: pickedResourcesField("Collection", MAX_REWARD_COLLECTIONS, "collections"),
    variant: pickedResourcesField("ProductVariant", 1, "product"),
    enabled: checkboxField(),
  });

function wholeNumber(value: string | undefined): number {
  const trimmed = (value ?? "").trim();
  return /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}

function blankToNull(value: string | undefined): string | null {
  const trimmed = (value ?? "").trim();
  return trimmed === "" ? null : trimmed;
}

const MAX_POINTS_COST = 10_000_000;

export function parseRewardForm(
  input: Record<string, string>,
  currency: string,
): FormResult<RewardFormData> {
  const parsed = shape().safeParse(input);
  if (!parsed.success) return { ok: false, errors: issuesToFieldErrors(parsed.error.issues) };
  const value = parsed.data;
  const data: RewardFormData = {
    name: value.name.trim(),
    type: value.type,
    pointsCost: wholeNumber(value.pointsCost),
    amount:
      value.type === "FIXED_AMOUNT" || value.type === "STORE_CREDIT"
        ? blankToNull(value.amount)
        : null,
    percentage: value.type === "PERCENTAGE" ? wholeNumber(value.percentage) : null,
    // Store credit pays for anything, with no minimum purchase; a free product needs only itself.
    minimumSubtotal:
      value.type === "STORE_CREDIT" || value.type === "FREE_PRODUCT"
        ? null
        : blankToNull(value.minimumSubtotal),
    codeLifetimeDays: wholeNumber(value.codeLifetimeDays),
    combinesWithOrder: value.combinesWithOrder,
    combinesWithProduct: value.combinesWithProduct,
    combinesWithShipping: value.combinesWithShipping,
    // As amount and percentage: only what the type uses (free shipping is off the whole order,
    // store credit pays for anything, a free product is that product).
    collections:
      value.type === "FIXED_AMOUNT" || value.type === "PERCENTAGE" ? value.collections : [],
    ...(value.type === "FREE_PRODUCT" && value.variant[0] && { variant: value.variant[0] }),
    tierId: blankToNull(value.tierId),
    enabled: value.enabled,
  };
  const errors: FieldErrors = { ...rewardTermErrors(data, currency) };
  if (data.name.length > 80) errors.name = "Use 80 characters or fewer";
  if (!errors.pointsCost && data.pointsCost > MAX_POINTS_COST)
    errors.pointsCost = `Enter ${MAX_POINTS_COST.toLocaleString("en")} points or fewer`;
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, data };
}

/**
 * "$5.00 off", "10% off", "Free shipping", "$5.00 store credit", "Free Trail Mug" — how a reward
 * reads in lists.
 */
export function describeReward(
  reward: Pick<RewardTerms, "type" | "amount" | "percentage" | "minimumSubtotal"> & {
    /** As stored: the picked collections, or anything else (not a list: none shown). */
    collections?: unknown;
    /** As stored: the picked variant, or anything else (no title: none shown). */
    variant?: unknown;
  },
  currency: string,
): string {
  const titles = Array.isArray(reward.collections)
    ? reward.collections.map((c: { title?: unknown }) => String(c?.title ?? "")).filter(Boolean)
    : [];
  const off = titles.length ? ` ${titles.join(", ")}` : "";
  // With collections, the minimum counts their products alone (as Shopify checks it).
  const minimum = reward.minimumSubtotal
    ? titles.length && reward.type !== "FREE_SHIPPING"
      ? ` with ${formatAmount(reward.minimumSubtotal, currency)} or more of them`
      : ` on orders of ${formatAmount(reward.minimumSubtotal, currency)} or more`
    : "";
  switch (reward.type) {
    case "FIXED_AMOUNT":
      return `${formatAmount(reward.amount ?? "0", currency)} off${off}${minimum}`;
    case "PERCENTAGE":
      return `${reward.percentage}% off${off}${minimum}`;
    case "FREE_SHIPPING":
      return `Free shipping${minimum}`;
    case "STORE_CREDIT":
      return `${formatAmount(reward.amount ?? "0", currency)} store credit`;
    case "FREE_PRODUCT": {
      const variant = reward.variant as { title?: unknown } | null | undefined;
      return typeof variant?.title === "string" ? `Free ${variant.title}` : "Free product";
    }
  }
}
