import { z } from "zod";
import type { Rounding } from "./earning";
import type { FormResult } from "./forms";
import { checkboxField, intField, parseForm, textField } from "./forms";
import { formatAmount, isDecimalString, toMinorUnits } from "./money";
import type { PointsNames, StorefrontLocale } from "./storefront-text";
import { pointsNameFor, STOREFRONT_LOCALES } from "./storefront-text";
import type { SocialFollow, SocialNetwork } from "./social";
import { SOCIAL_NETWORKS, socialUrlError } from "./social";

/** The program fields a merchant edits on the Program page. */
export interface ProgramSettings {
  enabled: boolean;
  earnPoints: number;
  earnPerAmount: string;
  rounding: Rounding;
  awardTestOrders: boolean;
  signupBonus: number;
  pendingDays: number;
  /** null = points never expire. */
  expiryMonths: number | null;
  pointsNameOne: string;
  pointsNameOther: string;
  /** Names for shoppers reading the storefront in one of the widget's languages. */
  pointsNames: PointsNames;
  allowNegativeBalance: boolean;
  returnPointsOnExpiredCodes: boolean;
  redemptionsPerHour: number;
  /** An order that would earn more is held for review instead of credited. */
  maxPointsPerOrder: number;
  /** Send loyalty events to Shopify Flow (app/domain/flow-triggers.ts). */
  flowTriggers: boolean;
  /** Days before a balance expires that "points expiring soon" goes to Flow. */
  expiryNoticeDays: number;
  /** Balance, tier and expiry date in app-owned customer metafields. */
  customerSync: boolean;
  /** The member's tier as a customer tag (`loyalty-gold`). */
  tierTags: boolean;
  /** Refer a friend (app/domain/referrals.ts). */
  referrals: boolean;
  referralPoints: number;
  /** The reward whose terms friends' welcome codes have; required while referrals are on. */
  referralRewardId: string | null;
  referralPendingDays: number;
  referralsPerMonth: number;
  /** Points on a member's birthday; 0 = off. */
  birthdayPoints: number;
  /** The NPS survey in the widget (app/domain/nps.ts). */
  npsSurvey: boolean;
  npsPoints: number;
  npsIntervalDays: number;
  /** Networks whose page earns points when opened from the widget (app/domain/social.ts). */
  socialFollows: SocialFollow[];
}

/** Form fields of one network's follow: follow_instagram_url, follow_instagram_points. */
export function followField<N extends SocialNetwork, F extends "url" | "points">(
  network: N,
  field: F,
): `follow_${N}_${F}` {
  return `follow_${network}_${field}`;
}

export const ROUNDING_OPTIONS: { value: Rounding; label: string }[] = [
  { value: "DOWN", label: "Round down (45.99 → 45)" },
  { value: "NEAREST", label: "Round to nearest (45.50 → 46)" },
  { value: "UP", label: "Round up (45.01 → 46)" },
];

// Generous upper bounds: they exist to catch typos (an extra zero), not to limit programs.
const MAX_EARN_POINTS = 1_000;
const MAX_SIGNUP_BONUS = 1_000_000;
const MAX_POINTS_PER_ORDER = 100_000_000;
const MAX_NAME_LENGTH = 20;

/** The storefront languages, as the Program page lists them for points names. */
export const POINTS_NAME_LANGUAGES: { locale: StorefrontLocale; label: string }[] = [
  { locale: "en", label: "English" },
  { locale: "fr", label: "French" },
  { locale: "de", label: "German" },
  { locale: "es", label: "Spanish" },
  { locale: "ja", label: "Japanese" },
];

/** Form field of one language's points name, e.g. pointsName_de_other. */
export function pointsNameField<L extends StorefrontLocale, F extends "one" | "other">(
  locale: L,
  form: F,
): `pointsName_${L}_${F}` {
  return `pointsName_${locale}_${form}`;
}

// Every check in one pass, so a language's length and pairing errors show together. Both fields
// are optional: a language left blank uses the main name (or its own word for "points").
const namesSchema = () =>
  z.record(z.string(), z.string().optional()).transform((value, ctx): PointsNames => {
    const names: PointsNames = {};
    const read = (locale: StorefrontLocale, form: "one" | "other") => {
      const field = pointsNameField(locale, form);
      const text = (value[field] ?? "").trim();
      const problem =
        text.length > MAX_NAME_LENGTH
          ? `Use ${MAX_NAME_LENGTH} characters or fewer`
          : /[\r\n]/.test(text)
            ? "Use a single line"
            : null;
      if (problem) ctx.addIssue({ code: "custom", path: [field], message: problem });
      return problem ? null : text;
    };
    for (const locale of STOREFRONT_LOCALES) {
      const one = read(locale, "one");
      const other = read(locale, "other");
      if (one === null || other === null) continue;
      // A singular alone would leave most counts unnamed; a language without plurals
      // (Japanese) needs only the plural field.
      if (one && !other) {
        ctx.addIssue({
          code: "custom",
          path: [pointsNameField(locale, "other")],
          message: "Enter the plural name too",
        });
      } else if (other) {
        names[locale] = { one: one || other, other };
      }
    }
    return names;
  });

function programSchema(currency: string) {
  return z
    .object({
      enabled: checkboxField(),
      earnPoints: intField(1, MAX_EARN_POINTS, `Enter a whole number from 1 to ${MAX_EARN_POINTS}`),
      earnPerAmount: z
        .string()
        .trim()
        .superRefine((value, ctx) => {
          const message = `Enter an amount in ${currency} greater than zero, e.g. 1 or 10.00`;
          if (!isDecimalString(value)) return void ctx.addIssue({ code: "custom", message });
          try {
            const minor = toMinorUnits(value, currency);
            if (minor <= 0) ctx.addIssue({ code: "custom", message });
            else if (minor > toMinorUnits("1000000", currency))
              ctx.addIssue({ code: "custom", message: "Enter 1,000,000 or less" });
          } catch (error) {
            ctx.addIssue({
              code: "custom",
              message: error instanceof RangeError ? error.message : message,
            });
          }
        }),
      rounding: z.enum(["DOWN", "NEAREST", "UP"], { error: "Choose how to round points" }),
      awardTestOrders: checkboxField(),
      signupBonus: intField(
        0,
        MAX_SIGNUP_BONUS,
        "Enter 0 for no bonus, or a whole number of points",
      ),
      pendingDays: intField(0, 365, "Enter a number of days from 0 to 365"),
      expiryPolicy: z.enum(["NEVER", "INACTIVITY"], { error: "Choose when points expire" }),
      expiryMonths: z.string().optional(),
      pointsNameOne: textField(MAX_NAME_LENGTH, "Enter the singular name, e.g. point or star"),
      pointsNameOther: textField(MAX_NAME_LENGTH, "Enter the plural name, e.g. points or stars"),
      allowNegativeBalance: checkboxField(),
      returnPointsOnExpiredCodes: checkboxField(),
      redemptionsPerHour: intField(1, 100, "Enter a number from 1 to 100"),
      maxPointsPerOrder: intField(
        1,
        MAX_POINTS_PER_ORDER,
        `Enter a whole number of points from 1 to ${MAX_POINTS_PER_ORDER.toLocaleString("en")}`,
      ),
      flowTriggers: checkboxField(),
      // Forms from before Flow events existed do not post it: the default then.
      expiryNoticeDays: z
        .string()
        .default("14")
        .pipe(intField(1, 60, "Enter a number of days from 1 to 60")),
      customerSync: checkboxField(),
      tierTags: checkboxField(),
      referrals: checkboxField(),
      // Forms from before referrals existed do not post these: the defaults then.
      referralPoints: z
        .string()
        .default("500")
        .pipe(intField(1, MAX_SIGNUP_BONUS, "Enter a whole number of points, at least 1")),
      referralRewardId: z.string().trim().default(""),
      referralPendingDays: z
        .string()
        .default("14")
        .pipe(intField(0, 365, "Enter a number of days from 0 to 365")),
      referralsPerMonth: z
        .string()
        .default("10")
        .pipe(intField(1, 1_000, "Enter a number from 1 to 1,000")),
      birthdayPoints: z
        .string()
        .default("0")
        .pipe(intField(0, MAX_SIGNUP_BONUS, "Enter 0 for none, or a whole number of points")),
      npsSurvey: checkboxField(),
      npsPoints: z
        .string()
        .default("0")
        .pipe(intField(0, MAX_SIGNUP_BONUS, "Enter 0 for none, or a whole number of points")),
      npsIntervalDays: z
        .string()
        .default("90")
        .pipe(intField(7, 365, "Enter a number of days from 7 to 365")),
    })
    .transform((value, ctx): Omit<ProgramSettings, "pointsNames" | "socialFollows"> => {
      let expiryMonths: number | null = null;
      if (value.expiryPolicy === "INACTIVITY") {
        const months = intField(1, 120, "Enter a number of months from 1 to 120").safeParse(
          value.expiryMonths ?? "",
        );
        if (!months.success) {
          ctx.addIssue({
            code: "custom",
            path: ["expiryMonths"],
            message: "Enter a number of months from 1 to 120",
          });
          return z.NEVER;
        }
        expiryMonths = months.data;
      }
      if (value.referrals && !value.referralRewardId) {
        ctx.addIssue({
          code: "custom",
          path: ["referralRewardId"],
          message: "Choose the reward your friends get",
        });
        return z.NEVER;
      }
      const { expiryPolicy: _policy, ...rest } = value;
      return {
        ...rest,
        rounding: value.rounding,
        expiryMonths,
        referralRewardId: value.referralRewardId || null,
      };
    });
}

/** Each network with an address: its page and points. A blank address leaves the network out. */
function parseFollows(input: Record<string, string>): FormResult<SocialFollow[]> {
  const follows: SocialFollow[] = [];
  const errors: Record<string, string> = {};
  for (const { id } of SOCIAL_NETWORKS) {
    const url = (input[followField(id, "url")] ?? "").trim();
    if (!url) continue;
    const urlError = socialUrlError(id, url);
    if (urlError) errors[followField(id, "url")] = urlError;
    const points = intField(
      1,
      MAX_SIGNUP_BONUS,
      "Enter a whole number of points, at least 1",
    ).safeParse(input[followField(id, "points")] ?? "");
    if (!points.success)
      errors[followField(id, "points")] = "Enter a whole number of points, at least 1";
    if (!urlError && points.success) follows.push({ network: id, url, points: points.data });
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, data: follows };
}

export function parseProgramSettings(
  input: Record<string, string>,
  currency: string,
): FormResult<ProgramSettings> {
  const main = parseForm(programSchema(currency), input);
  const names = parseForm(namesSchema(), input);
  const follows = parseFollows(input);
  // Parsed whatever the others say, so every field error shows at once.
  if (!main.ok || !names.ok || !follows.ok) {
    return {
      ok: false,
      errors: {
        ...(main.ok ? {} : main.errors),
        ...(names.ok ? {} : names.errors),
        ...(follows.ok ? {} : follows.errors),
      },
    };
  }
  return { ok: true, data: { ...main.data, pointsNames: names.data, socialFollows: follows.data } };
}

/**
 * What the theme extension reads from the app-data metafield `loyalty.program`. Liquid money
 * values are the amount × 100 whatever the currency's decimals, so a 3-decimal amount is rounded
 * half up to whole hundredths.
 */
export function storefrontProgramValue(program: {
  enabled: boolean;
  earnPoints: number;
  earnPerAmount: string;
  rounding: Rounding;
  pointsNameOne: string;
  pointsNameOther: string;
  pointsNames?: unknown;
}) {
  return {
    enabled: program.enabled,
    earnPoints: program.earnPoints,
    earnPerCents: hundredths(program.earnPerAmount),
    rounding: program.rounding,
    pointsName: { one: program.pointsNameOne, other: program.pointsNameOther },
    // Liquid picks the shopper's language: pointsNames[request.locale.iso_code].
    pointsNames: storefrontPointsNames(program),
  };
}

/** "12.345" → 1235: a decimal string × 100, rounded half up, without floating point. */
export function hundredths(amount: string): number {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(amount.trim());
  if (!match) throw new RangeError(`"${amount}" is not a positive decimal amount`);
  const [, whole = "0", fraction = ""] = match;
  const cents = BigInt(whole) * 100n + BigInt(fraction.padEnd(2, "0").slice(0, 2));
  const roundUp = (fraction[2] ?? "0") >= "5";
  return Number(roundUp ? cents + 1n : cents);
}

/** "1 point per $1.00 spent" — the earn rate as a merchant reads it. */
export function describeEarnRate(program: {
  earnPoints: number;
  earnPerAmount: string;
  pointsNameOne: string;
  pointsNameOther: string;
  currency: string;
}): string {
  const name = program.earnPoints === 1 ? program.pointsNameOne : program.pointsNameOther;
  return `${program.earnPoints} ${name} per ${formatAmount(program.earnPerAmount, program.currency)} spent`;
}

/**
 * Every widget language's name for points as the product block should print it, so Liquid needs
 * no fallback logic of its own.
 */
function storefrontPointsNames(program: {
  pointsNameOne: string;
  pointsNameOther: string;
  pointsNames?: unknown;
}) {
  return Object.fromEntries(
    STOREFRONT_LOCALES.map((locale) => [locale, pointsNameFor(program, locale)]),
  );
}
