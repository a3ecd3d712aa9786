import { describe, expect, it } from "vitest";
import { npsCategory, npsSummary, parseSurveyAnswer } from "./nps";

describe("parseSurveyAnswer", () => {
  it("takes a whole score from 0 to 10 and an optional comment, cleaned", () => {
    expect(parseSurveyAnswer({ score: 0 })).toEqual({ score: 0, comment: null });
    expect(parseSurveyAnswer({ score: 10, comment: "  Great\u0000 shop\n " })).toEqual({
      score: 10,
      comment: "Great shop",
    });
    expect(parseSurveyAnswer({ score: 7, comment: "   " })).toEqual({ score: 7, comment: null });
  });

  it("refuses anything else", () => {
    for (const bad of [
      null,
      "9",
      { score: 11 },
      { score: -1 },
      { score: 8.5 },
      { score: "8" },
      { score: 8, comment: 5 },
      { score: 8, comment: "x".repeat(1_001) },
    ]) {
      expect(parseSurveyAnswer(bad)).toBeNull();
    }
  });
});

describe("npsSummary", () => {
  it("is the share of promoters less the share of detractors, rounded once", () => {
    expect(npsCategory(9)).toBe("promoter");
    expect(npsCategory(8)).toBe("passive");
    expect(npsCategory(6)).toBe("detractor");
    // 5 promoters, 2 passives, 3 detractors of 10: 50 % − 30 % = 20.
    expect(
      npsSummary([
        { score: 10, responses: 3 },
        { score: 9, responses: 2 },
        { score: 7, responses: 2 },
        { score: 0, responses: 1 },
        { score: 6, responses: 2 },
      ]),
    ).toEqual({ responses: 10, promoters: 5, passives: 2, detractors: 3, score: 20 });
    // 1 of 3 detracting: −33.33… rounds to −33.
    expect(
      npsSummary([
        { score: 8, responses: 2 },
        { score: 3, responses: 1 },
      ]).score,
    ).toBe(-33);
    expect(npsSummary([]).score).toBeNull();
  });
});
