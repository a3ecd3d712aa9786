import { describe, expect, it } from "vitest";
import {
  convertThreshold,
  formatMultiplier,
  formatThreshold,
  ladderAffectsQualification,
  parseMultiplier,
  parseTierLadder,
} from "./tier-ladder";

describe("multipliers", () => {
  it("round-trips whole percentages without floats", () => {
    for (const [text, percent] of [
      ["1", 100],
      ["1.5", 150],
      ["1.25", 125],
      ["2.05", 205],
      ["10", 1000],
    ] as const) {
      expect(parseMultiplier(text)).toBe(percent);
      expect(formatMultiplier(percent)).toBe(text);
    }
  });

  it("refuses less than 1×, more than 10× and over-precise values", () => {
    for (const bad of ["0.9", "10.01", "1.255", "-1", "x", ""])
      expect(parseMultiplier(bad)).toBeNull();
  });

  it("ignores spaces around a typed multiplier", () => {
    expect(parseMultiplier(" 1.5 ")).toBe(150);
  });
});

describe("ladder", () => {
  const tiers = (rows: object[]) => JSON.stringify(rows);

  it("reads money thresholds in the shop currency", () => {
    const parsed = parseTierLadder(
      {
        tierBasis: "AMOUNT_SPENT",
        tierPeriod: "CALENDAR_YEAR",
        tiers: tiers([{ name: "VIP", threshold: "10000", multiplier: "1" }]),
      },
      "JPY",
    );
    expect(parsed.ok && parsed.data.tiers[0]!.threshold).toBe(10000);
    expect(formatThreshold(12345, "AMOUNT_SPENT", "USD")).toBe("123.45");
    expect(formatThreshold(12345, "POINTS_EARNED", "USD")).toBe("12345");
  });

  it("allows a first tier at zero but not a tie", () => {
    const tie = parseTierLadder(
      {
        tierBasis: "POINTS_EARNED",
        tierPeriod: "LIFETIME",
        tiers: tiers([
          { name: "Base", threshold: "0" },
          { name: "Next", threshold: "0" },
        ]),
      },
      "USD",
    );
    expect(tie).toEqual({
      ok: false,
      errors: { "tiers.1.threshold": "Must be higher than Base (0)" },
    });
  });

  it("knows which edits can move members", () => {
    const before = {
      tierBasis: "POINTS_EARNED",
      tierPeriod: "LIFETIME",
      tiers: [{ id: "a", threshold: 100 }],
    };
    const same = {
      tierBasis: "POINTS_EARNED" as const,
      tierPeriod: "LIFETIME" as const,
      tiers: [
        {
          id: "a",
          name: "New name",
          threshold: 100,
          multiplierPercent: 300,
          perks: "x",
          perkPercent: 10,
          perkFreeShipping: true,
          position: 0,
        },
      ],
    };
    expect(ladderAffectsQualification(before, same)).toBe(false);
    expect(
      ladderAffectsQualification(before, {
        ...same,
        tiers: [{ ...same.tiers[0]!, threshold: 99 }],
      }),
    ).toBe(true);
    expect(ladderAffectsQualification(before, { ...same, tierPeriod: "CALENDAR_YEAR" })).toBe(true);
    expect(ladderAffectsQualification(before, { ...same, tiers: [] })).toBe(true);
    expect(
      ladderAffectsQualification(before, {
        ...same,
        tiers: [...same.tiers, { ...same.tiers[0]!, id: null }],
      }),
    ).toBe(true);
  });
});

describe("ladder form", () => {
  const post = (rows: object[], fields: Record<string, string> = {}, currency = "USD") =>
    parseTierLadder(
      {
        tierBasis: "POINTS_EARNED",
        tierPeriod: "LIFETIME",
        tiers: JSON.stringify(rows),
        ...fields,
      },
      currency,
    );
  const errorsOf = (result: ReturnType<typeof parseTierLadder>) => (result.ok ? {} : result.errors);

  it("turns the posted rows into tiers, lowest first", () => {
    expect(
      post(
        [
          { id: "", name: " Bronze ", threshold: " 0 ", perks: "  " },
          {
            id: "tier_2",
            name: "Silver",
            threshold: "999999999",
            multiplier: " 1.5 ",
            perks: " Free gift wrap ",
            perkPercent: " 10 ",
            perkFreeShipping: true,
          },
        ],
        { tierPeriod: "ROLLING_12_MONTHS" },
      ),
    ).toEqual({
      ok: true,
      data: {
        tierBasis: "POINTS_EARNED",
        tierPeriod: "ROLLING_12_MONTHS",
        tiers: [
          // A new row has no id yet, whether the page posts "" or nothing.
          {
            id: null,
            name: "Bronze",
            threshold: 0,
            multiplierPercent: 100,
            perks: "",
            perkPercent: null,
            perkFreeShipping: false,
            position: 0,
          },
          {
            id: "tier_2",
            name: "Silver",
            threshold: 999_999_999,
            multiplierPercent: 150,
            perks: "Free gift wrap",
            perkPercent: 10,
            perkFreeShipping: true,
            position: 1,
          },
        ],
      },
    });
  });

  it("takes a checkout perk of 1–100% off, or none", () => {
    const rows = (perkPercent: string) => [{ id: "", name: "Gold", threshold: "0", perkPercent }];
    expect(post(rows(""))).toMatchObject({ ok: true, data: { tiers: [{ perkPercent: null }] } });
    expect(post(rows("100"))).toMatchObject({ ok: true, data: { tiers: [{ perkPercent: 100 }] } });
    for (const bad of ["0", "101", "7.5", "ten"])
      expect(post(rows(bad))).toEqual({
        ok: false,
        errors: {
          "tiers.0.perkPercent": "Enter a whole percentage from 1 to 100, or leave it empty",
        },
      });
  });

  it("reads money thresholds as minor units and rejects negative or over-precise amounts", () => {
    const spent = post(
      [
        { name: "Base", threshold: "0" },
        { name: "Gold", threshold: " 250.50 " },
      ],
      { tierBasis: "AMOUNT_SPENT" },
    );
    expect(spent.ok && spent.data.tiers.map((t) => t.threshold)).toEqual([0, 25_050]);
    const amount = "Enter an amount in USD, 0 or more";
    for (const bad of ["-5", "-0.01", "1.234", "abc", "", "1,000"])
      expect(
        errorsOf(post([{ name: "Gold", threshold: bad }], { tierBasis: "AMOUNT_SPENT" })),
        bad,
      ).toEqual({
        "tiers.0.threshold": amount,
      });
    expect(
      errorsOf(post([{ name: "Gold", threshold: "1.5" }], { tierBasis: "AMOUNT_SPENT" }, "JPY")),
    ).toEqual({ "tiers.0.threshold": "Enter an amount in JPY, 0 or more" });
  });

  it("needs a whole number of points, up to nine digits", () => {
    const points = "Enter a whole number of points, 0 or more";
    for (const bad of ["10.5", "-5", "100abc", "abc100", "1e3", "", "1234567890"])
      expect(errorsOf(post([{ name: "Gold", threshold: bad }])), bad).toEqual({
        "tiers.0.threshold": points,
      });
  });

  it("checks names: present, at most 40 characters, unique ignoring case", () => {
    expect(
      errorsOf(
        post([
          { name: "  ", threshold: "0" },
          { name: "x".repeat(41), threshold: "10" },
          { name: "Gold", threshold: "20" },
          { name: " gold ", threshold: "30" },
          { name: "x".repeat(40), threshold: "40" },
        ]),
      ),
    ).toEqual({
      "tiers.0.name": "Give the tier a name",
      "tiers.1.name": "Use 40 characters or fewer",
      "tiers.3.name": "Another tier is already called gold",
    });
    expect(
      errorsOf(
        post([
          { name: "GOLD", threshold: "0" },
          { name: "Gold", threshold: "5" },
        ]),
      ),
    ).toEqual({
      "tiers.1.name": "Another tier is already called Gold",
    });
  });

  it("checks multipliers and the length of perks", () => {
    expect(
      errorsOf(
        post([
          { name: "Base", threshold: "0", multiplier: "0.5", perks: "x".repeat(500) },
          { name: "Gold", threshold: "10", multiplier: "11", perks: "x".repeat(501) },
        ]),
      ),
    ).toEqual({
      "tiers.0.multiplier": "Enter a multiplier from 1 to 10, e.g. 1.5",
      "tiers.1.multiplier": "Enter a multiplier from 1 to 10, e.g. 1.5",
      "tiers.1.perks": "Use 500 characters or fewer",
    });
  });

  it("names the tier a threshold must beat, in the basis' unit", () => {
    expect(
      errorsOf(
        post(
          [
            { name: "Silver", threshold: "250" },
            { name: "Gold", threshold: "100" },
          ],
          { tierBasis: "AMOUNT_SPENT" },
        ),
      ),
    ).toEqual({ "tiers.1.threshold": "Must be higher than Silver (250.00)" });
    // An unnamed tier above still gets a readable message (next to its own name error).
    expect(
      errorsOf(
        post([
          { name: "", threshold: "100" },
          { name: "Gold", threshold: "50" },
        ]),
      ),
    ).toEqual({
      "tiers.0.name": "Give the tier a name",
      "tiers.1.threshold": "Must be higher than the tier above it in the list (100)",
    });
  });

  it("does not compare a threshold that could not be read", () => {
    // Only the unreadable value is reported: the order message would point at the wrong row.
    expect(
      errorsOf(
        post([
          { name: "Base", threshold: "lots" },
          { name: "Silver", threshold: "0" },
          { name: "Gold", threshold: "10" },
        ]),
      ),
    ).toEqual({ "tiers.0.threshold": "Enter a whole number of points, 0 or more" });
    expect(
      errorsOf(
        post([
          { name: "Base", threshold: "100" },
          { name: "Silver", threshold: "lots" },
        ]),
      ),
    ).toEqual({ "tiers.1.threshold": "Enter a whole number of points, 0 or more" });
  });

  it("reports a bad basis, period or tier list as a form error", () => {
    expect(errorsOf(post([], { tierBasis: "VISITS", tierPeriod: "FOREVER" }))).toEqual({
      tierBasis: "Choose what tiers are based on",
      tierPeriod: "Choose the qualification period",
    });
    expect(errorsOf(post([], { tiers: "[{" }))).toEqual({
      form: "The tiers could not be read; reload the page",
    });
    const rows = Array.from({ length: 21 }, (_, i) => ({ name: `T${i}`, threshold: String(i) }));
    expect(errorsOf(post(rows))).toEqual({ form: "A program can have up to 20 tiers" });
    expect(post(rows.slice(0, 20)).ok).toBe(true);
    // Rows of the wrong shape come from a tampered post, not from the page: one generic error.
    expect(Object.keys(errorsOf(post([], { tiers: "{}" })))).toEqual(["form"]);
    expect(Object.keys(errorsOf(post([{ name: 5 }, { name: 6 }])))).toEqual(["form"]);
  });

  it("accepts an empty ladder", () => {
    expect(post([])).toEqual({
      ok: true,
      data: { tierBasis: "POINTS_EARNED", tierPeriod: "LIFETIME", tiers: [] },
    });
  });
});

describe("qualification changes", () => {
  const ladder = (tiers: { id: string | null; threshold: number }[]) => ({
    tierBasis: "POINTS_EARNED" as const,
    tierPeriod: "LIFETIME" as const,
    tiers: tiers.map((t, position) => ({
      ...t,
      name: `T${position}`,
      multiplierPercent: 100,
      perks: "",
      perkPercent: null,
      perkFreeShipping: false,
      position,
    })),
  });
  const before = {
    tierBasis: "POINTS_EARNED",
    tierPeriod: "LIFETIME",
    tiers: [
      { id: "a", threshold: 0 },
      { id: "b", threshold: 500 },
    ],
  };

  it("notices one changed threshold among unchanged ones", () => {
    expect(
      ladderAffectsQualification(
        before,
        ladder([
          { id: "a", threshold: 0 },
          { id: "b", threshold: 500 },
        ]),
      ),
    ).toBe(false);
    expect(
      ladderAffectsQualification(
        before,
        ladder([
          { id: "a", threshold: 0 },
          { id: "b", threshold: 400 },
        ]),
      ),
    ).toBe(true);
  });

  it("notices a switched basis and a replaced tier", () => {
    const same = ladder([
      { id: "a", threshold: 0 },
      { id: "b", threshold: 500 },
    ]);
    expect(ladderAffectsQualification(before, { ...same, tierBasis: "AMOUNT_SPENT" })).toBe(true);
    expect(
      ladderAffectsQualification(
        before,
        ladder([
          { id: "a", threshold: 0 },
          { id: null, threshold: 500 },
        ]),
      ),
    ).toBe(true);
  });
});

describe("switching the basis", () => {
  it("keeps each threshold's number in the new unit", () => {
    expect(convertThreshold("0.00", "AMOUNT_SPENT", "POINTS_EARNED", "USD")).toBe("0");
    expect(convertThreshold("250.00", "AMOUNT_SPENT", "POINTS_EARNED", "USD")).toBe("250");
    expect(convertThreshold("12.50", "AMOUNT_SPENT", "POINTS_EARNED", "USD")).toBe("13");
    expect(convertThreshold("12.49", "AMOUNT_SPENT", "POINTS_EARNED", "USD")).toBe("12");
    expect(convertThreshold("5000", "AMOUNT_SPENT", "POINTS_EARNED", "JPY")).toBe("5000");
    expect(convertThreshold("250", "POINTS_EARNED", "AMOUNT_SPENT", "USD")).toBe("250.00");
    expect(convertThreshold("0", "POINTS_EARNED", "AMOUNT_SPENT", "USD")).toBe("0.00");
    expect(convertThreshold("250", "POINTS_EARNED", "AMOUNT_SPENT", "JPY")).toBe("250");
    expect(convertThreshold("250", "POINTS_EARNED", "AMOUNT_SPENT", "KWD")).toBe("250.000");
  });

  it("leaves text it cannot read, and the same basis, as typed", () => {
    expect(convertThreshold("lots", "AMOUNT_SPENT", "POINTS_EARNED", "USD")).toBe("lots");
    expect(convertThreshold("", "POINTS_EARNED", "AMOUNT_SPENT", "USD")).toBe("");
    expect(convertThreshold("250.00", "AMOUNT_SPENT", "AMOUNT_SPENT", "USD")).toBe("250.00");
  });

  it("gives a ladder that saves after switching back and forth", () => {
    const rows = ["0.00", "250.00", "1000.00"].map((threshold, i) => ({
      id: null,
      name: `Tier ${i}`,
      threshold: convertThreshold(threshold, "AMOUNT_SPENT", "POINTS_EARNED", "USD"),
      multiplier: "1",
      perks: "",
    }));
    const result = parseTierLadder(
      { tierBasis: "POINTS_EARNED", tierPeriod: "LIFETIME", tiers: JSON.stringify(rows) },
      "USD",
    );
    expect(result.ok && result.data.tiers.map((t) => t.threshold)).toEqual([0, 250, 1000]);
  });
});
