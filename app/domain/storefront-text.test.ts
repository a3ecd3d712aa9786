import { describe, expect, it } from "vitest";
import type { EarningRule } from "./earning-rules";
import type { EntryText } from "./storefront-text";
import {
  entryText,
  formatPoints,
  parseEntryText,
  pointsNameFor,
  processingMessage,
  shopperError,
  STOREFRONT_LOCALES,
  storefrontLocale,
  waysToEarn,
} from "./storefront-text";

const program = {
  earnPoints: 3,
  earnPerAmount: "1",
  currency: "EUR",
  signupBonus: 100,
  pointsNameOne: "point",
  pointsNameOther: "points",
};

describe("the shopper's language", () => {
  it("takes the language of a regional tag and English for anything else", () => {
    expect(storefrontLocale("fr")).toBe("fr");
    expect(storefrontLocale("de-CH")).toBe("de");
    expect(storefrontLocale("ES_mx")).toBe("es");
    expect(storefrontLocale(" ja ")).toBe("ja");
    expect(storefrontLocale("pt-BR")).toBe("en");
    expect(storefrontLocale("")).toBe("en");
    expect(storefrontLocale(null)).toBe("en");
    expect(storefrontLocale(undefined)).toBe("en");
  });
});

describe("entry texts", () => {
  const all: EntryText[] = [
    { key: "order", order: "#1001" },
    { key: "release", order: "#1001" },
    { key: "refund", order: "#1001" },
    { key: "cancel", order: "#1001" },
    { key: "expire", months: 12 },
    { key: "signup" },
    { key: "redeem", reward: "$5 off" },
    { key: "reissue", reward: "$5 off" },
    { key: "codeFailed" },
    { key: "codeCancelled", code: "LOYAL-AB12" },
    { key: "codeExpired", code: "LOYAL-AB12" },
    { key: "codeUsedAfterReturn", code: "LOYAL-AB12" },
    { key: "creditFailed" },
    { key: "creditCancelled", reward: "$5 store credit" },
    { key: "creditFoundAfterReturn", reward: "$5 store credit" },
    { key: "import" },
    { key: "importUndone" },
  ];

  it("are in English what the admin has always shown", () => {
    expect(all.map((text) => entryText(text))).toEqual([
      "Order #1001",
      "Points from order #1001 are now available",
      "Refund on order #1001",
      "Order #1001 cancelled",
      "Points expired after 12 months without activity",
      "Welcome bonus for joining",
      "Redeemed $5 off",
      "Redeemed $5 off (issued again by staff)",
      "Points returned: the discount code could not be created",
      "Points returned: code LOYAL-AB12 cancelled by staff",
      "Points returned: code LOYAL-AB12 expired unused",
      "Points taken again: code LOYAL-AB12 was used after its points were returned",
      "Points returned: the store credit could not be added",
      "Points returned: $5 store credit taken back by staff",
      "Points taken again: $5 store credit reached your account after its points were returned",
      "Points transferred from our previous rewards program",
      "Transferred points corrected",
    ]);
    expect(entryText({ key: "expire", months: 1 })).toBe(
      "Points expired after 1 month without activity",
    );
    expect(entryText({ key: "expire", months: 1 }, "de")).toBe(
      "Punkte nach 1 Monat ohne Aktivität verfallen",
    );
  });

  it("exist in every widget language, each carrying its parameters", () => {
    for (const locale of STOREFRONT_LOCALES) {
      const lines = all.map((text) => entryText(text, locale));
      expect(new Set(lines).size).toBe(all.length);
      all.forEach((text, index) => {
        for (const value of Object.values(text).slice(1)) {
          expect(lines[index]).toContain(String(value));
        }
      });
    }
    expect(entryText({ key: "order", order: "#1001" }, "fr")).toBe("Commande #1001");
    expect(entryText({ key: "refund", order: "#7" }, "de")).toBe("Erstattung für Bestellung #7");
    expect(entryText({ key: "signup" }, "es")).toBe("Bono de bienvenida");
    expect(entryText({ key: "redeem", reward: "5€" }, "ja")).toBe("5€ と交換");
  });

  it("are read back only when complete", () => {
    for (const text of all) expect(parseEntryText(JSON.parse(JSON.stringify(text)))).toEqual(text);
    expect(parseEntryText(null)).toBeNull();
    expect(parseEntryText("order")).toBeNull();
    expect(parseEntryText([{ key: "signup" }])).toBeNull();
    expect(parseEntryText({ key: "toString" })).toBeNull();
    expect(parseEntryText({ key: "unknown" })).toBeNull();
    expect(parseEntryText({ key: "order" })).toBeNull();
    expect(parseEntryText({ key: "order", order: 1001 })).toBeNull();
    expect(parseEntryText({ key: "expire", months: "12" })).toBeNull();
    expect(parseEntryText({ key: "expire", months: 1.5 })).toBeNull();
    expect(parseEntryText({ key: "codeExpired", reward: "x" })).toBeNull();
  });
});

describe("points names", () => {
  it("replace the English default with each language's own word", () => {
    expect(pointsNameFor(program, "de")).toEqual({ one: "Punkt", other: "Punkte" });
    expect(pointsNameFor(program, "ja")).toEqual({ one: "ポイント", other: "ポイント" });
    expect(pointsNameFor(program, "en")).toEqual({ one: "point", other: "points" });
  });

  it("keep the merchant's own name in languages they gave no name for", () => {
    const stars = {
      ...program,
      pointsNameOne: "star",
      pointsNameOther: "stars",
      pointsNames: { de: { one: "Stern", other: "Sterne" }, fr: { other: "étoiles" }, xx: {} },
    };
    expect(pointsNameFor(stars, "de")).toEqual({ one: "Stern", other: "Sterne" });
    expect(pointsNameFor(stars, "fr")).toEqual({ one: "étoiles", other: "étoiles" });
    expect(pointsNameFor(stars, "es")).toEqual({ one: "star", other: "stars" });
    // The main name counts as the default only when both forms are.
    expect(pointsNameFor({ ...program, pointsNameOne: "star" }, "de")).toEqual({
      one: "star",
      other: "points",
    });
  });

  it("ignore malformed stored names", () => {
    for (const pointsNames of [null, "x", [], { de: "Sterne" }, { de: { other: " " } }]) {
      expect(pointsNameFor({ ...program, pointsNames }, "de")).toEqual({
        one: "Punkt",
        other: "Punkte",
      });
    }
  });

  it("are chosen by the language's plural rules and grouped by its digits", () => {
    const name = { one: "point", other: "points" };
    expect(formatPoints(1, name, "en")).toBe("1 point");
    expect(formatPoints(0, name, "en")).toBe("0 points");
    // French treats 0 as singular.
    expect(formatPoints(0, name, "fr")).toBe("0 point");
    expect(formatPoints(1234, name, "en")).toBe("1,234 points");
    expect(formatPoints(1234, { one: "Punkt", other: "Punkte" }, "de")).toBe("1.234 Punkte");
  });
});

/** The rules app/loyalty/program.server.ts builds from `program` for a member in no tier. */
function rulesOf(p: { earnPoints: number; earnPerAmount: string; signupBonus: number }) {
  return [
    { kind: "ORDER_SPEND", earnPoints: p.earnPoints, perAmount: p.earnPerAmount, rounding: "DOWN" },
    { kind: "SIGNUP_BONUS", points: p.signupBonus },
  ] satisfies EarningRule[];
}

describe("ways to earn", () => {
  it("are written in the shopper's language with the shop's money", () => {
    expect(waysToEarn(rulesOf(program), program, "en")).toEqual([
      {
        id: "order",
        title: "Place an order",
        points: 3,
        description: "3 points for every €1.00 spent",
      },
      {
        id: "signup",
        title: "Create an account",
        points: 100,
        description: "100 points when you join",
      },
    ]);
    expect(waysToEarn(rulesOf(program), program, "fr").map((way) => way.description)).toEqual([
      "3 points pour chaque tranche de 1,00\u00a0€ dépensée",
      "100 points à l’inscription",
    ]);
    expect(waysToEarn(rulesOf(program), program, "de")[0]).toMatchObject({
      title: "Bestellung aufgeben",
      description: "3 Punkte für je 1,00\u00a0€ Einkaufswert",
    });
    expect(waysToEarn(rulesOf({ ...program, earnPoints: 1 }), program, "en")[0]?.description).toBe(
      "1 point for every €1.00 spent",
    );
  });

  it("leave out the sign-up bonus when there is none", () => {
    expect(
      waysToEarn(rulesOf({ ...program, signupBonus: 0 }), program, "ja").map((way) => way.id),
    ).toEqual(["order"]);
  });

  it("leave out a tier's multiplier, which is a perk of the tier", () => {
    const rules: EarningRule[] = [
      ...rulesOf(program),
      { kind: "TIER_MULTIPLIER", tier: "Gold", multiplierPercent: 150 },
    ];
    expect(waysToEarn(rules, program, "en").map((way) => way.id)).toEqual(["order", "signup"]);
  });

  it("name a running campaign and when it ends, in the shop's time zone and the shopper's words", () => {
    const endsAt = new Date("2026-12-06T23:00:00Z");
    const rules: EarningRule[] = [
      ...rulesOf({ ...program, signupBonus: 0 }),
      {
        kind: "CAMPAIGN_MULTIPLIER",
        campaignId: "c1",
        campaign: "Week-end",
        multiplierPercent: 150,
        endsAt,
      },
      {
        kind: "CAMPAIGN_BONUS",
        campaignId: "c2",
        campaign: "Big baskets",
        points: 200,
        minimumMinor: 5000,
        endsAt,
      },
      {
        kind: "CAMPAIGN_BONUS",
        campaignId: "c3",
        campaign: "Any order",
        points: 1,
        minimumMinor: 1,
        endsAt,
      },
    ];
    const shop = { ...program, timeZone: "Europe/Berlin" };
    expect(waysToEarn(rules, shop, "en").slice(1)).toEqual([
      {
        id: "campaign",
        title: "Week-end",
        points: 0,
        description: "1.5× points on orders until Dec 7, 2026, 12:00 AM",
        endsAt: endsAt.toISOString(),
      },
      {
        id: "campaign",
        title: "Big baskets",
        points: 200,
        description: "200 points extra on orders of €50.00 or more until Dec 7, 2026, 12:00 AM",
        endsAt: endsAt.toISOString(),
      },
      {
        id: "campaign",
        title: "Any order",
        points: 1,
        description: "1 point extra on every order until Dec 7, 2026, 12:00 AM",
        endsAt: endsAt.toISOString(),
      },
    ]);
    expect(
      waysToEarn(rules, shop, "de")
        .slice(1)
        .map((way) => way.description),
    ).toEqual([
      "1,5-fache Punkte auf Bestellungen bis 07.12.2026, 00:00",
      "200 Punkte extra auf Bestellungen ab 50,00\u00a0€ bis 07.12.2026, 00:00",
      "1 Punkt extra auf jede Bestellung bis 07.12.2026, 00:00",
    ]);
    // A shop whose zone is not known yet reads in UTC.
    expect(waysToEarn(rules, program, "en")[1]?.description).toBe(
      "1.5× points on orders until Dec 6, 2026, 11:00 PM",
    );
    for (const locale of STOREFRONT_LOCALES) {
      const texts = waysToEarn(rules, shop, locale).map((way) => way.description);
      expect(new Set(texts).size, locale).toBe(texts.length);
    }
  });
});

describe("processing message", () => {
  it("exists in every language", () => {
    const messages = STOREFRONT_LOCALES.map(processingMessage);
    expect(new Set(messages).size).toBe(STOREFRONT_LOCALES.length);
    expect(processingMessage("en")).toBe("Your reward is being prepared. This can take a minute.");
  });
});

describe("refusals", () => {
  it("have a text for every code in every language", () => {
    const codes = [
      "PROGRAM_PAUSED",
      "NOT_A_MEMBER",
      "REWARD_NOT_FOUND",
      "REWARD_DISABLED",
      "TIER_REQUIRED",
      "INSUFFICIENT_POINTS",
      "RATE_LIMITED",
      "CODE_NOT_CREATED",
      "NOT_LOGGED_IN",
      "INVALID_REQUEST",
      "STORE_NOT_CONNECTED",
      "TRY_AGAIN",
      "NOT_FOUND",
    ] as const;
    for (const locale of STOREFRONT_LOCALES) {
      for (const code of codes) expect(shopperError(code, locale)).toMatch(/\S{2}/);
      // Each language has its own words, not English copied over.
      if (locale !== "en") {
        expect(shopperError("NOT_LOGGED_IN", locale)).not.toBe(shopperError("NOT_LOGGED_IN"));
      }
    }
    expect(shopperError("PROGRAM_PAUSED")).toBe(
      "The rewards program is paused right now. Your points are safe.",
    );
    expect(shopperError("TRY_AGAIN", "fr")).toBe(
      "Nous sommes très sollicités. Réessayez dans un instant.",
    );
  });
});
