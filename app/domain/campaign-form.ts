import { z } from "zod";
import type { Campaign, CampaignKind } from "./campaigns";
import type { FieldErrors, FormResult } from "./forms";
import { checkboxField, issuesToFieldErrors, pickedResourcesField } from "./forms";
import { currencyDecimals, formatAmount, isDecimalString, toMinorUnits } from "./money";
import { parseLocalDateTime } from "./time-zones";

export type CampaignFormData = Omit<Campaign, "id" | "collectionProductIds">;

/** Limits of the admin's resource picker here: for more products, a collection is the tool. */
export const MAX_CAMPAIGN_PRODUCTS = 100;
export const MAX_CAMPAIGN_COLLECTIONS = 10;

export const CAMPAIGN_KINDS: { value: CampaignKind; label: string }[] = [
  { value: "MULTIPLIER", label: "Multiply the points orders earn" },
  { value: "BONUS", label: "Fixed bonus points per order" },
];

const MAX_MULTIPLIER_PERCENT = 1_000;
const MAX_BONUS_POINTS = 1_000_000;
/** A campaign is a promotion, not a new earn rate: longer ones belong in the program settings. */
const MAX_DAYS = 366;
const DAY_MS = 24 * 60 * 60 * 1000;

const shape = () =>
  z.object({
    name: z.string().default(""),
    kind: z.enum(["MULTIPLIER", "BONUS"], { error: "Choose what the campaign gives" }),
    multiplier: z.string().default(""),
    bonusPoints: z.string().default(""),
    minimumSpend: z.string().default(""),
    startsAt: z.string().default(""),
    endsAt: z.string().default(""),
    // Several tiers post as one comma-separated field (the form's ChoiceList).
    tierIds: z.string().default(""),
    products: pickedResourcesField("Product", MAX_CAMPAIGN_PRODUCTS, "products", "or a collection"),
    collections: pickedResourcesField("Collection", MAX_CAMPAIGN_COLLECTIONS, "collections"),
    enabled: checkboxField(),
  });

/**
 * The admin's campaign form. Times are entered in the shop's time zone (`timeZone`) and become
 * instants here; amounts stay decimal strings in the shop currency. Tier ids are checked against
 * the shop's tiers by the caller (they live in the database).
 */
export function parseCampaignForm(
  input: Record<string, string>,
  currency: string,
  timeZone: string,
): FormResult<CampaignFormData> {
  const parsed = shape().safeParse(input);
  if (!parsed.success) return { ok: false, errors: issuesToFieldErrors(parsed.error.issues) };
  const value = parsed.data;
  const errors: FieldErrors = {};
  const name = value.name.trim();
  if (!name) errors.name = "Enter a name shoppers will see, such as “Double points weekend”";
  else if (name.length > 80) errors.name = "Use 80 characters or fewer";

  let multiplierPercent: number | null = null;
  let bonusPoints: number | null = null;
  let minimumSpend: string | null = null;
  if (value.kind === "MULTIPLIER") {
    // "2" or "1.5": whole hundredths, as tiers take them.
    const text = value.multiplier.trim();
    const percent = /^\d+(\.\d{1,2})?$/.test(text) ? Math.round(Number(text) * 100) : Number.NaN;
    if (!(percent > 100 && percent <= MAX_MULTIPLIER_PERCENT)) {
      errors.multiplier = "Enter a multiplier above 1 and up to 10, such as 2 for double points";
    } else multiplierPercent = percent;
  } else {
    const text = value.bonusPoints.trim();
    const points = /^\d+$/.test(text) ? Number(text) : Number.NaN;
    if (!(points >= 1 && points <= MAX_BONUS_POINTS)) {
      errors.bonusPoints = `Enter whole points from 1 to ${MAX_BONUS_POINTS.toLocaleString("en")}`;
    } else bonusPoints = points;
    const minimum = value.minimumSpend.trim();
    if (minimum) {
      if (!isDecimalString(minimum) || !(minimumValue(minimum, currency) > 0)) {
        errors.minimumSpend = `Enter a minimum in ${currency} with at most ${currencyDecimals(currency)} decimals, or leave it empty`;
      } else minimumSpend = minimum;
    }
  }

  const startsAt = parseLocalDateTime(value.startsAt, timeZone);
  const endsAt = parseLocalDateTime(value.endsAt, timeZone);
  if (!startsAt) errors.startsAt = "Enter the date and time the campaign starts";
  if (!endsAt) errors.endsAt = "Enter the date and time the campaign ends";
  if (startsAt && endsAt) {
    if (endsAt <= startsAt) errors.endsAt = "End the campaign after it starts";
    else if (endsAt.getTime() - startsAt.getTime() > MAX_DAYS * DAY_MS) {
      errors.endsAt = `Keep a campaign to ${MAX_DAYS} days or fewer; change the earn rate for longer`;
    }
  }
  const tierIds = [
    ...new Set(
      value.tierIds
        .split(",")
        .map((id) => id.trim())
        .filter(Boolean),
    ),
  ];

  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    data: {
      name,
      kind: value.kind,
      multiplierPercent,
      bonusPoints,
      minimumSpend,
      tierIds,
      products: value.products,
      collections: value.collections,
      startsAt: startsAt!,
      endsAt: endsAt!,
      enabled: value.enabled,
    },
  };
}

function minimumValue(amount: string, currency: string): number {
  try {
    return toMinorUnits(amount, currency);
  } catch {
    return Number.NaN;
  }
}

/**
 * "2× points", "100 bonus points per order of $50.00 or more", "2× points on 3 products and
 * 1 collection": how a campaign reads in lists.
 */
export function describeCampaign(
  campaign: Pick<
    Campaign,
    "kind" | "multiplierPercent" | "bonusPoints" | "minimumSpend" | "products" | "collections"
  >,
  currency: string,
): string {
  const scope = [
    count(campaign.products.length, "product"),
    count(campaign.collections.length, "collection"),
  ].filter(Boolean);
  const on = scope.length ? ` on ${scope.join(" and ")}` : "";
  if (campaign.kind === "MULTIPLIER") {
    return `${(campaign.multiplierPercent ?? 100) / 100}× points${on}`;
  }
  const points = `${(campaign.bonusPoints ?? 0).toLocaleString("en")} bonus points per order`;
  if (!campaign.minimumSpend) return on ? `${points} with spend${on}` : points;
  const minimum = formatAmount(campaign.minimumSpend, currency);
  return on ? `${points} with ${minimum} or more spent${on}` : `${points} of ${minimum} or more`;
}

function count(n: number, noun: string): string {
  return n ? `${n.toLocaleString("en")} ${noun}${n === 1 ? "" : "s"}` : "";
}
