import { z } from "zod";
import type { FieldErrors, FormResult } from "./forms";
import { currencyDecimals, fromMinorUnits, isDecimalString, toMinorUnits } from "./money";
import type { TierBasis, TierPeriod } from "./tiers";

/**
 * The tiers page edits the whole ladder at once: qualification basis and period plus every tier,
 * lowest first. Saving it as one unit means a merchant can never leave a half-edited ladder
 * (two tiers with the same threshold, a rename that collides) in front of their members.
 */

export interface TierRowInput {
  id: string | null;
  name: string;
  /** Points, or an amount in the shop currency when the basis is money spent. */
  threshold: string;
  /** "1", "1.5", "2.25" */
  multiplier: string;
  perks: string;
  /** Whole percent off members' orders at checkout, "" for none. */
  perkPercent?: string;
  perkFreeShipping?: boolean;
}

export interface TierRow {
  id: string | null;
  name: string;
  /** Points, or minor units spent. */
  threshold: number;
  multiplierPercent: number;
  perks: string;
  /** Given automatically at checkout (extensions/tier-perks): percent off, free shipping. */
  perkPercent?: number | null;
  perkFreeShipping?: boolean;
  position: number;
}

export interface TierLadder {
  tierBasis: TierBasis;
  tierPeriod: TierPeriod;
  tiers: TierRow[];
}

export const TIER_BASIS_OPTIONS: { value: TierBasis; label: string }[] = [
  { value: "POINTS_EARNED", label: "Points earned" },
  { value: "AMOUNT_SPENT", label: "Amount spent" },
];

export const TIER_PERIOD_OPTIONS: { value: TierPeriod; label: string }[] = [
  { value: "LIFETIME", label: "Lifetime" },
  { value: "CALENDAR_YEAR", label: "Calendar year" },
  { value: "ROLLING_12_MONTHS", label: "Rolling 12 months" },
];

export const MAX_TIERS = 20;

const rowSchema = () =>
  z.object({
    id: z.string().nullish(),
    name: z.string().default(""),
    threshold: z.string().default(""),
    multiplier: z.string().default("1"),
    perks: z.string().default(""),
    perkPercent: z.string().default(""),
    perkFreeShipping: z.boolean().default(false),
  });

const ladderSchema = () =>
  z.object({
    tierBasis: z.enum(["POINTS_EARNED", "AMOUNT_SPENT"], {
      error: "Choose what tiers are based on",
    }),
    tierPeriod: z.enum(["LIFETIME", "CALENDAR_YEAR", "ROLLING_12_MONTHS"], {
      error: "Choose the qualification period",
    }),
    tiers: z
      .string()
      .transform((text, ctx) => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          ctx.addIssue({ code: "custom", message: "The tiers could not be read; reload the page" });
          return z.NEVER;
        }
      })
      .pipe(
        z
          .array(rowSchema())
          .max(MAX_TIERS, { error: `A program can have up to ${MAX_TIERS} tiers` }),
      ),
  });

/** "1.5" → 150; whole percent so earning stays in integer arithmetic. */
export function parseMultiplier(value: string): number | null {
  const match = /^(\d{1,2})(?:\.(\d{1,2}))?$/.exec(value.trim());
  if (!match) return null;
  const percent = Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
  return percent >= 100 && percent <= 1000 ? percent : null;
}

/** 150 → "1.5" */
export function formatMultiplier(percent: number): string {
  const whole = Math.floor(percent / 100);
  const fraction = String(percent % 100)
    .padStart(2, "0")
    .replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : String(whole);
}

export function formatThreshold(threshold: number, basis: TierBasis, currency: string): string {
  return basis === "AMOUNT_SPENT" ? fromMinorUnits(threshold, currency) : String(threshold);
}

/**
 * A threshold typed for one basis, rewritten for the other when the merchant switches it: the
 * number is kept ("250.00" USD ↔ "250" points) so the ladder stays in order and can be saved;
 * the page asks the merchant to check the values. Text that does not parse is left as typed.
 */
export function convertThreshold(
  value: string,
  from: TierBasis,
  to: TierBasis,
  currency: string,
): string {
  const parsed = from === to ? null : parseThreshold(value, from, currency);
  if (parsed === null) return value;
  if (to === "POINTS_EARNED") {
    return String(Math.round(parsed / 10 ** currencyDecimals(currency)));
  }
  return fromMinorUnits(parsed * 10 ** currencyDecimals(currency), currency);
}

function parseThreshold(value: string, basis: TierBasis, currency: string): number | null {
  const trimmed = value.trim();
  if (basis === "POINTS_EARNED") {
    return /^\d{1,9}$/.test(trimmed) ? Number(trimmed) : null;
  }
  if (!isDecimalString(trimmed) || trimmed.startsWith("-")) return null;
  try {
    return toMinorUnits(trimmed, currency);
  } catch {
    return null;
  }
}

export function parseTierLadder(
  input: Record<string, string>,
  currency: string,
): FormResult<TierLadder> {
  const parsed = ladderSchema().safeParse(input);
  if (!parsed.success) {
    const errors: FieldErrors = {};
    for (const issue of parsed.error.issues) {
      const key = issue.path[0] === "tiers" ? "form" : String(issue.path[0] ?? "form");
      errors[key] ??= issue.message;
    }
    return { ok: false, errors };
  }
  const { tierBasis, tierPeriod } = parsed.data;
  const errors: FieldErrors = {};
  const seen = new Map<string, number>();
  const tiers: TierRow[] = parsed.data.tiers.map((row, index) => {
    const name = row.name.trim();
    if (!name) errors[`tiers.${index}.name`] = "Give the tier a name";
    else if (name.length > 40) errors[`tiers.${index}.name`] = "Use 40 characters or fewer";
    else if (seen.has(name.toLowerCase()))
      errors[`tiers.${index}.name`] = `Another tier is already called ${name}`;
    seen.set(name.toLowerCase(), index);

    const threshold = parseThreshold(row.threshold, tierBasis, currency);
    if (threshold === null) {
      errors[`tiers.${index}.threshold`] =
        tierBasis === "POINTS_EARNED"
          ? "Enter a whole number of points, 0 or more"
          : `Enter an amount in ${currency}, 0 or more`;
    }
    const multiplierPercent = parseMultiplier(row.multiplier);
    if (multiplierPercent === null)
      errors[`tiers.${index}.multiplier`] = "Enter a multiplier from 1 to 10, e.g. 1.5";
    if (row.perks.length > 500) errors[`tiers.${index}.perks`] = "Use 500 characters or fewer";
    const percent = row.perkPercent.trim();
    const perkPercent = /^\d{1,3}$/.test(percent) ? Number(percent) : null;
    if (percent && (perkPercent === null || perkPercent < 1 || perkPercent > 100))
      errors[`tiers.${index}.perkPercent`] =
        "Enter a whole percentage from 1 to 100, or leave it empty";
    return {
      id: row.id || null,
      name,
      threshold: threshold ?? 0,
      multiplierPercent: multiplierPercent ?? 100,
      perks: row.perks.trim(),
      perkPercent,
      perkFreeShipping: row.perkFreeShipping,
      position: index,
    };
  });
  for (let index = 1; index < tiers.length; index++) {
    const previous = tiers[index - 1]!;
    const current = tiers[index]!;
    if (errors[`tiers.${index}.threshold`] || errors[`tiers.${index - 1}.threshold`]) continue;
    if (current.threshold <= previous.threshold) {
      errors[`tiers.${index}.threshold`] =
        `Must be higher than ${previous.name || "the tier above it in the list"} (${formatThreshold(previous.threshold, tierBasis, currency)})`;
    }
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, data: { tierBasis, tierPeriod, tiers } };
}

/** Whether members' tiers can change: anything that decides qualification, not names or perks. */
export function ladderAffectsQualification(
  before: { tierBasis: string; tierPeriod: string; tiers: { id: string; threshold: number }[] },
  after: TierLadder,
): boolean {
  if (before.tierBasis !== after.tierBasis || before.tierPeriod !== after.tierPeriod) return true;
  if (before.tiers.length !== after.tiers.length) return true;
  const old = new Map(before.tiers.map((t) => [t.id, t.threshold]));
  return after.tiers.some((t) => t.id === null || old.get(t.id) !== t.threshold);
}
