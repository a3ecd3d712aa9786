import { describe, expect, it } from "vitest";
import {
  describeEarnRate,
  hundredths,
  parseProgramSettings,
  storefrontProgramValue,
} from "./program-settings";

const base = {
  enabled: "true",
  earnPoints: "1",
  earnPerAmount: "1",
  rounding: "DOWN",
  signupBonus: "0",
  pendingDays: "0",
  expiryPolicy: "NEVER",
  pointsNameOne: "point",
  pointsNameOther: "points",
  redemptionsPerHour: "5",
  maxPointsPerOrder: "100000",
};

describe("program settings form", () => {
  it("turns posted strings into settings; unticked checkboxes are false", () => {
    const parsed = parseProgramSettings(
      { ...base, expiryPolicy: "INACTIVITY", expiryMonths: " 18 ", earnPerAmount: "10.00" },
      "USD",
    );
    expect(parsed).toEqual({
      ok: true,
      data: {
        enabled: true,
        earnPoints: 1,
        earnPerAmount: "10.00",
        rounding: "DOWN",
        awardTestOrders: false,
        signupBonus: 0,
        pendingDays: 0,
        expiryMonths: 18,
        pointsNameOne: "point",
        pointsNameOther: "points",
        pointsNames: {},
        allowNegativeBalance: false,
        returnPointsOnExpiredCodes: false,
        redemptionsPerHour: 5,
        maxPointsPerOrder: 100_000,
        flowTriggers: false,
        expiryNoticeDays: 14,
        customerSync: false,
        tierTags: false,
        // Forms from before referrals and birthdays: their defaults.
        referrals: false,
        referralPoints: 500,
        referralRewardId: null,
        referralPendingDays: 14,
        referralsPerMonth: 10,
        birthdayPoints: 0,
        npsSurvey: false,
        npsPoints: 0,
        npsIntervalDays: 90,
        socialFollows: [],
      },
    });
  });

  it("asks for the friends' reward while referrals are on", () => {
    const on = parseProgramSettings({ ...base, referrals: "on" }, "USD");
    expect(on).toEqual({
      ok: false,
      errors: { referralRewardId: "Choose the reward your friends get" },
    });
    const chosen = parseProgramSettings(
      { ...base, referrals: "on", referralRewardId: "rw_1", birthdayPoints: "-1" },
      "USD",
    );
    expect(chosen).toMatchObject({
      ok: false,
      errors: { birthdayPoints: "Enter 0 for none, or a whole number of points" },
    });
  });

  it("reads the Shopify Flow settings, refusing a notice period out of range", () => {
    expect(
      parseProgramSettings({ ...base, flowTriggers: "on", expiryNoticeDays: "30" }, "USD"),
    ).toMatchObject({ ok: true, data: { flowTriggers: true, expiryNoticeDays: 30 } });
    for (const days of ["0", "61", "a week"]) {
      expect(parseProgramSettings({ ...base, expiryNoticeDays: days }, "USD")).toEqual({
        ok: false,
        errors: { expiryNoticeDays: "Enter a number of days from 1 to 60" },
      });
    }
  });

  it("keeps a name per storefront language; a plural alone names both forms", () => {
    const parsed = parseProgramSettings(
      {
        ...base,
        expiryPolicy: "NEVER",
        pointsName_de_one: " Stern ",
        pointsName_de_other: "Sterne",
        pointsName_ja_other: "スター",
        pointsName_fr_one: "",
        pointsName_fr_other: "",
      },
      "USD",
    );
    expect(parsed.ok && parsed.data.pointsNames).toEqual({
      de: { one: "Stern", other: "Sterne" },
      ja: { one: "スター", other: "スター" },
    });
  });

  it("asks for the plural when only a language's singular is given, with the other errors", () => {
    expect(
      parseProgramSettings(
        {
          ...base,
          expiryPolicy: "NEVER",
          earnPoints: "0",
          pointsName_es_one: "estrella",
          pointsName_fr_other: "x".repeat(21),
        },
        "USD",
      ),
    ).toEqual({
      ok: false,
      errors: {
        earnPoints: "Enter a whole number from 1 to 1000",
        pointsName_es_other: "Enter the plural name too",
        pointsName_fr_other: "Use 20 characters or fewer",
      },
    });
  });

  it("ignores the months field when points never expire", () => {
    const parsed = parseProgramSettings({ ...base, expiryMonths: "nonsense" }, "USD");
    expect(parsed.ok && parsed.data.expiryMonths).toBeNull();
  });

  it("checks the earn amount against the shop currency's decimals", () => {
    expect(parseProgramSettings({ ...base, earnPerAmount: "100" }, "JPY").ok).toBe(true);
    const jpy = parseProgramSettings({ ...base, earnPerAmount: "1.5" }, "JPY");
    expect(jpy.ok ? null : jpy.errors.earnPerAmount).toMatch(/JPY allows \(0\)/);
    expect(parseProgramSettings({ ...base, earnPerAmount: "0.125" }, "KWD").ok).toBe(true);
    for (const bad of ["0", "-1", "1e3", "", "abc", "2000000"]) {
      const result = parseProgramSettings({ ...base, earnPerAmount: bad }, "USD");
      expect(result.ok, bad).toBe(false);
    }
  });

  it("rejects multi-line and over-long point names", () => {
    const result = parseProgramSettings(
      { ...base, pointsNameOne: "a\nb", pointsNameOther: "x".repeat(21) },
      "USD",
    );
    expect(result).toEqual({
      ok: false,
      errors: { pointsNameOne: "Use a single line", pointsNameOther: "Use 20 characters or fewer" },
    });
  });
});

describe("program settings errors a merchant sees", () => {
  const errorsFor = (fields: Record<string, string>, currency = "USD") => {
    const result = parseProgramSettings({ ...base, ...fields }, currency);
    return result.ok ? {} : result.errors;
  };

  it("accepts each number field at its bounds", () => {
    const result = parseProgramSettings(
      {
        ...base,
        earnPoints: "1000",
        signupBonus: "1000000",
        pendingDays: "365",
        redemptionsPerHour: "100",
        maxPointsPerOrder: "100000000",
        expiryPolicy: "INACTIVITY",
        expiryMonths: "120",
        earnPerAmount: " 1000000 ",
      },
      "USD",
    );
    expect(result.ok && result.data).toMatchObject({
      earnPoints: 1000,
      signupBonus: 1_000_000,
      pendingDays: 365,
      redemptionsPerHour: 100,
      maxPointsPerOrder: 100_000_000,
      expiryMonths: 120,
      // Stored as the merchant typed it, minus the spaces.
      earnPerAmount: "1000000",
    });
    const low = parseProgramSettings(
      {
        ...base,
        redemptionsPerHour: "1",
        maxPointsPerOrder: "1",
        expiryPolicy: "INACTIVITY",
        expiryMonths: "1",
      },
      "USD",
    );
    expect(low.ok && low.data).toMatchObject({
      redemptionsPerHour: 1,
      maxPointsPerOrder: 1,
      expiryMonths: 1,
    });
  });

  it("names the allowed range when a number is out of it", () => {
    expect(
      errorsFor({
        earnPoints: "1001",
        signupBonus: "-1",
        pendingDays: "366",
        redemptionsPerHour: "0",
        maxPointsPerOrder: "100000001",
      }),
    ).toEqual({
      earnPoints: "Enter a whole number from 1 to 1000",
      signupBonus: "Enter 0 for no bonus, or a whole number of points",
      pendingDays: "Enter a number of days from 0 to 365",
      redemptionsPerHour: "Enter a number from 1 to 100",
      maxPointsPerOrder: "Enter a whole number of points from 1 to 100,000,000",
    });
    expect(errorsFor({ earnPoints: "0" })).toEqual({
      earnPoints: "Enter a whole number from 1 to 1000",
    });
  });

  it("explains what is wrong with the earn amount", () => {
    const positive = "Enter an amount in USD greater than zero, e.g. 1 or 10.00";
    for (const bad of ["", "abc", "1e3", "0", "0.00", "-1"])
      expect(errorsFor({ earnPerAmount: bad }), bad).toEqual({ earnPerAmount: positive });
    expect(errorsFor({ earnPerAmount: "1000000.01" })).toEqual({
      earnPerAmount: "Enter 1,000,000 or less",
    });
    expect(errorsFor({ earnPerAmount: "1.234" })).toEqual({
      earnPerAmount: '"1.234" has more decimals than USD allows (2)',
    });
    // The message names the shop's own currency.
    expect(errorsFor({ earnPerAmount: "0" }, "EUR")).toEqual({
      earnPerAmount: "Enter an amount in EUR greater than zero, e.g. 1 or 10.00",
    });
  });

  it("accepts every rounding choice", () => {
    for (const rounding of ["DOWN", "NEAREST", "UP"]) {
      const result = parseProgramSettings({ ...base, rounding }, "USD");
      expect(result.ok && result.data.rounding).toBe(rounding);
    }
  });

  it("asks for a choice when a select posts something unknown", () => {
    expect(errorsFor({ rounding: "SIDEWAYS", expiryPolicy: "SOMETIMES" })).toEqual({
      rounding: "Choose how to round points",
      expiryPolicy: "Choose when points expire",
    });
  });

  it("asks for both point names", () => {
    expect(errorsFor({ pointsNameOne: " ", pointsNameOther: "" })).toEqual({
      pointsNameOne: "Enter the singular name, e.g. point or star",
      pointsNameOther: "Enter the plural name, e.g. points or stars",
    });
  });

  it("needs 1 to 120 months when points expire after inactivity", () => {
    const message = { expiryMonths: "Enter a number of months from 1 to 120" };
    for (const bad of ["0", "121", "", "1.5", "soon"])
      expect(errorsFor({ expiryPolicy: "INACTIVITY", expiryMonths: bad }), bad).toEqual(message);
    // A form that did not post the field at all (base has no expiryMonths).
    expect(errorsFor({ expiryPolicy: "INACTIVITY" })).toEqual(message);
  });

  it("reads ticked checkboxes", () => {
    const result = parseProgramSettings(
      {
        ...base,
        enabled: "on",
        awardTestOrders: "on",
        allowNegativeBalance: "true",
        returnPointsOnExpiredCodes: "on",
      },
      "USD",
    );
    expect(result.ok && result.data).toMatchObject({
      enabled: true,
      awardTestOrders: true,
      allowNegativeBalance: true,
      returnPointsOnExpiredCodes: true,
    });
    const off = parseProgramSettings({ ...base, enabled: "" }, "USD");
    expect(off.ok && off.data.enabled).toBe(false);
  });
});

describe("storefront metafield value", () => {
  it("expresses the earn amount in Liquid money units (× 100) for every currency", () => {
    expect(hundredths("1")).toBe(100);
    expect(hundredths("2.5")).toBe(250);
    expect(hundredths("100")).toBe(10000);
    expect(hundredths("0.125")).toBe(13);
    expect(hundredths("0.124")).toBe(12);
    expect(hundredths(" 2.5 ")).toBe(250);
    expect(() => hundredths("-1")).toThrow(new RangeError('"-1" is not a positive decimal amount'));
    // Trailing text is not an amount, even after a valid number.
    expect(() => hundredths("1.5abc")).toThrow(RangeError);
  });

  it("has exactly the shape the theme extension reads", () => {
    expect(
      storefrontProgramValue({
        enabled: false,
        earnPoints: 3,
        earnPerAmount: "10",
        rounding: "NEAREST",
        pointsNameOne: "star",
        pointsNameOther: "stars",
      }),
    ).toEqual({
      enabled: false,
      earnPoints: 3,
      earnPerCents: 1000,
      rounding: "NEAREST",
      pointsName: { one: "star", other: "stars" },
      pointsNames: {
        en: { one: "star", other: "stars" },
        fr: { one: "star", other: "stars" },
        de: { one: "star", other: "stars" },
        es: { one: "star", other: "stars" },
        ja: { one: "star", other: "stars" },
      },
    });
  });

  it("gives Liquid each language's own word while points keep their default name", () => {
    const value = storefrontProgramValue({
      enabled: true,
      earnPoints: 1,
      earnPerAmount: "1",
      rounding: "DOWN",
      pointsNameOne: "point",
      pointsNameOther: "points",
      pointsNames: { es: { one: "estrella", other: "estrellas" } },
    });
    expect(value.pointsNames).toEqual({
      en: { one: "point", other: "points" },
      fr: { one: "point", other: "points" },
      de: { one: "Punkt", other: "Punkte" },
      es: { one: "estrella", other: "estrellas" },
      ja: { one: "ポイント", other: "ポイント" },
    });
  });

  it("describes the rate in words", () => {
    expect(
      describeEarnRate({
        earnPoints: 1,
        earnPerAmount: "1",
        pointsNameOne: "star",
        pointsNameOther: "stars",
        currency: "EUR",
      }),
    ).toBe("1 star per €1.00 spent");
    expect(
      describeEarnRate({
        earnPoints: 5,
        earnPerAmount: "10.00",
        pointsNameOne: "star",
        pointsNameOther: "stars",
        currency: "EUR",
      }),
    ).toBe("5 stars per €10.00 spent");
  });
});

describe("social follows in the program form", () => {
  it("keeps each network with an address, checked to be the network's own https page", () => {
    const parsed = parseProgramSettings(
      {
        ...base,
        follow_instagram_url: " https://www.instagram.com/ourshop ",
        follow_instagram_points: "50",
        follow_tiktok_url: "",
        follow_tiktok_points: "oops",
      },
      "USD",
    );
    expect(parsed.ok && parsed.data.socialFollows).toEqual([
      { network: "instagram", url: "https://www.instagram.com/ourshop", points: 50 },
    ]);
    const bad = parseProgramSettings(
      {
        ...base,
        follow_instagram_url: "http://instagram.com/ourshop",
        follow_instagram_points: "50",
        follow_x_url: "https://evil.example/x.com",
        follow_x_points: "50",
        follow_youtube_url: "https://youtube.com/@ourshop",
        follow_youtube_points: "0",
      },
      "USD",
    );
    expect(bad).toEqual({
      ok: false,
      errors: {
        follow_instagram_url: "Enter an https:// address on instagram.com",
        follow_x_url: "Enter an https:// address on x.com",
        follow_youtube_points: "Enter a whole number of points, at least 1",
      },
    });
  });
});
