/**
 * The widget's Net Promoter Score survey, without the database: "How likely are you to
 * recommend us?" 0–10 and an optional comment, asked of a member again only after the program's
 * interval, with points for an answer at most once per interval. docs/engagement.md.
 */

export const MAX_COMMENT_LENGTH = 1_000;

export interface SurveyAnswer {
  score: number;
  comment: string | null;
}

/**
 * A posted answer: a whole score from 0 to 10 and a comment of at most 1,000 characters, kept on
 * one line per paragraph with control characters removed; null when it is not one.
 */
export function parseSurveyAnswer(value: unknown): SurveyAnswer | null {
  if (!value || typeof value !== "object") return null;
  const { score, comment } = value as Record<string, unknown>;
  if (typeof score !== "number" || !Number.isInteger(score) || score < 0 || score > 10) return null;
  if (comment !== undefined && comment !== null && typeof comment !== "string") return null;
  // Control characters other than line breaks (a pasted NUL, a bell) have no place in a comment.
  // eslint-disable-next-line no-control-regex
  const text = (comment ?? "").replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, "").trim();
  if (text.length > MAX_COMMENT_LENGTH) return null;
  return { score, comment: text || null };
}

/** 9–10 promote, 7–8 are passive, 0–6 detract: Bain's definition, which merchants compare with. */
export function npsCategory(score: number): "promoter" | "passive" | "detractor" {
  return score >= 9 ? "promoter" : score >= 7 ? "passive" : "detractor";
}

export interface NpsSummary {
  responses: number;
  promoters: number;
  passives: number;
  detractors: number;
  /** % promoters − % detractors, −100 to 100, rounded to a whole number; null without answers. */
  score: number | null;
}

/** The NPS of answers counted by score (score → how many gave it). */
export function npsSummary(
  counts: ReadonlyArray<{ score: number; responses: number }>,
): NpsSummary {
  const sum = { responses: 0, promoters: 0, passives: 0, detractors: 0 };
  for (const { score, responses } of counts) {
    sum.responses += responses;
    const category = npsCategory(score);
    if (category === "promoter") sum.promoters += responses;
    else if (category === "passive") sum.passives += responses;
    else sum.detractors += responses;
  }
  const score = sum.responses
    ? Math.round(((sum.promoters - sum.detractors) * 100) / sum.responses)
    : null;
  return { ...sum, score };
}
