import type { PointsName } from "./api";
import type { Host } from "./host";

export type Text = ReturnType<typeof textFor>;

/**
 * The extension's words in the shopper's language: its own strings from locales/ through
 * Shopify's i18n, and the program's name for points (the merchant's, from the backend) when known.
 */
export function textFor(host: Host, pointsName?: PointsName) {
  const locale = host.localization.language.value.isoCode;
  const rules = new Intl.PluralRules(locale);
  const t = (key: string, values?: Record<string, string | number>) =>
    host.i18n.translate(key, values);
  const number = (n: number) => host.i18n.formatNumber(n);
  const points = (n: number) => {
    const own = pointsName?.[rules.select(n)] ?? pointsName?.other;
    return own ? `${number(n)} ${own}` : t("points", { count: n, points: number(n) });
  };
  return {
    t,
    number,
    points,
    /** "+120" / "−50": a history line's change to the balance. */
    signed: (n: number) => host.i18n.formatNumber(n, { signDisplay: "exceptZero" }),
    money: (amount: string, currency: string) =>
      host.i18n.formatNumber(Number(amount), { style: "currency", currency }),
    /** A moment (ISO timestamp) as a date in the shopper's time zone. */
    date: (iso: string) => host.i18n.formatDate(new Date(iso), { dateStyle: "long" }),
    /** A calendar day ("2026-05-14"): read and shown in UTC so no time zone moves it. */
    day: (isoDay: string) =>
      host.i18n.formatDate(new Date(`${isoDay.slice(0, 10)}T00:00:00Z`), {
        dateStyle: "long",
        timeZone: "UTC",
      }),
    monthDay: (month: number, day: number) =>
      host.i18n.formatDate(new Date(Date.UTC(2000, month - 1, day)), {
        month: "long",
        day: "numeric",
        timeZone: "UTC",
      }),
    monthName: (month: number) =>
      host.i18n.formatDate(new Date(Date.UTC(2000, month - 1, 1)), {
        month: "long",
        timeZone: "UTC",
      }),
  };
}
