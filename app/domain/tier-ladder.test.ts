import { describe, expect, it } from "vitest";
import {
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
