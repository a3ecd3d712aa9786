import { describe, expect, it } from "vitest";
import { describeFault, FaultInputError, parseFault } from "./faults";

function problem(input: unknown): string {
  try {
    parseFault(input);
  } catch (error) {
    expect(error).toBeInstanceOf(FaultInputError);
    return (error as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(input)}`);
}

describe("parseFault: the control API's JSON body", () => {
  it("builds every kind, with match, times and endpoint", () => {
    expect(parseFault({ kind: "lostResponse", match: "discountCodeBasicCreate" })).toEqual({
      kind: "lostResponse",
      match: "discountCodeBasicCreate",
    });
    expect(parseFault({ kind: "delay", ms: 5000, times: 2, match: "CreateReward" })).toEqual({
      kind: "delay",
      ms: 5000,
      times: 2,
      match: "CreateReward",
    });
    expect(parseFault({ kind: "http", status: 503, body: "down", headers: { a: "b" } })).toEqual({
      kind: "http",
      status: 503,
      body: "down",
      headers: { a: "b" },
    });
    expect(parseFault({ kind: "network", message: "ETIMEDOUT", endpoint: "oauth" })).toEqual({
      kind: "network",
      message: "ETIMEDOUT",
      endpoint: "oauth",
    });
    expect(parseFault({ kind: "throttled", currentlyAvailable: 3 })).toEqual({
      kind: "throttled",
      currentlyAvailable: 3,
    });
    expect(parseFault({ kind: "internalError" })).toEqual({ kind: "internalError" });
    // A single userError from `message` (and `code`), or the full list.
    expect(parseFault({ kind: "userErrors", message: "boom", code: "INVALID" })).toEqual({
      kind: "userErrors",
      userErrors: [{ field: null, message: "boom", code: "INVALID" }],
    });
    expect(
      parseFault({
        kind: "userErrors",
        userErrors: [{ field: ["basicCodeDiscount", "code"], message: "taken" }],
      }),
    ).toEqual({
      kind: "userErrors",
      userErrors: [{ field: ["basicCodeDiscount", "code"], message: "taken" }],
    });
  });

  it("says what is wrong with a bad body", () => {
    expect(problem(null)).toMatch(/JSON object/);
    expect(problem([])).toMatch(/JSON object/);
    expect(problem({})).toMatch(/"kind" must be one of http, network, lostResponse, delay/);
    expect(problem({ kind: "explode" })).toMatch(/got "explode"/);
    expect(problem({ kind: "delay" })).toMatch(/needs "ms"/);
    expect(problem({ kind: "delay", ms: -1 })).toMatch(/"ms" must be a whole number/);
    expect(problem({ kind: "delay", ms: "5000" })).toMatch(/"ms" must be a whole number/);
    expect(problem({ kind: "http" })).toMatch(/needs "status"/);
    expect(problem({ kind: "http", status: 99 })).toMatch(
      /"status" must be a whole number from 200/,
    );
    expect(problem({ kind: "network", times: 0 })).toMatch(/"times" must be a whole number from 1/);
    expect(problem({ kind: "network", times: 1.5 })).toMatch(/"times"/);
    expect(problem({ kind: "network", match: "" })).toMatch(/"match" must be a non-empty string/);
    expect(problem({ kind: "network", match: 7 })).toMatch(/"match"/);
    expect(problem({ kind: "network", endpoint: "rest" })).toMatch(/"endpoint"/);
    // A field of another kind (or a typo) is refused rather than ignored.
    expect(problem({ kind: "network", ms: 10 })).toMatch(/Unknown field "ms" for a network fault/);
    expect(problem({ kind: "lostResponse", time: 2 })).toMatch(/Unknown field "time"/);
    expect(problem({ kind: "userErrors" })).toMatch(/"userErrors" \(an array\) or "message"/);
    expect(problem({ kind: "userErrors", userErrors: [{ field: "code" }] })).toMatch(
      /non-empty array/,
    );
    expect(problem({ kind: "userErrors", userErrors: [], message: "x" })).toMatch(/not both/);
    expect(problem({ kind: "http", status: 500, headers: { a: 1 } })).toMatch(/"headers"/);
  });
});

describe("describeFault", () => {
  it("lists kind, match, endpoint, remaining uses and the kind's fields", () => {
    expect(describeFault({ kind: "delay", ms: 100, match: "CreateReward", times: 3 })).toEqual({
      kind: "delay",
      match: "CreateReward",
      endpoint: "graphql",
      remaining: 3,
      ms: 100,
    });
    expect(describeFault({ kind: "network", match: () => true, endpoint: "oauth" })).toEqual({
      kind: "network",
      match: "(predicate)",
      endpoint: "oauth",
      remaining: 1,
    });
  });
});
