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
