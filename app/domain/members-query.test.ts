import { describe, expect, it } from "vitest";
import {
  memberDisplayName,
  parseAdjustment,
  parseMembersQuery,
  searchTerms,
} from "./members-query";

describe("members query", () => {
  it("defaults bad or missing parameters instead of failing", () => {
    expect(parseMembersQuery(new URLSearchParams("sort=evil&page=-3&q=%20ada%20"))).toEqual({
      q: "ada",
      tier: null,
      sort: "balance desc",
      page: 1,
    });
    expect(parseMembersQuery(new URLSearchParams("sort=joined+asc&page=3&tier=none"))).toEqual({
      q: "",
      tier: "none",
      sort: "joined asc",
      page: 3,
    });
  });

  it("treats digits and customer GIDs as ids, other text as words", () => {
    expect(searchTerms("gid://shopify/Customer/42")).toEqual({ customerId: "42", words: [] });
    expect(searchTerms("42")).toEqual({ customerId: "42", words: ["42"] });
    expect(searchTerms("ada  lovelace")).toEqual({ customerId: null, words: ["ada", "lovelace"] });
  });

  it("names a member by name, then email, then id", () => {
    const base = { firstName: null, lastName: null, email: null, customerId: "9" };
    expect(memberDisplayName(base)).toBe("Customer 9");
    expect(memberDisplayName({ ...base, email: "a@b.c" })).toBe("a@b.c");
    expect(memberDisplayName({ ...base, email: "a@b.c", lastName: "Hopper" })).toBe("Hopper");
  });
});

describe("adjustment form", () => {
  it("accepts signed whole numbers with a reason and drops a malformed request id", () => {
    expect(parseAdjustment({ points: "-25", reason: " Damaged item ", requestId: "x" })).toEqual({
      ok: true,
      data: { points: -25, reason: "Damaged item", requestId: null },
    });
    expect(
      parseAdjustment({ points: "+5", reason: "Thanks", requestId: "abcd-1234-efgh" }),
    ).toEqual({
      ok: true,
      data: { points: 5, reason: "Thanks", requestId: "abcd-1234-efgh" },
    });
  });

  it("refuses zero, huge values and a missing reason", () => {
    expect(parseAdjustment({ points: "2000000", reason: "ok!" }).ok).toBe(false);
    expect(parseAdjustment({ points: "5" })).toEqual({
      ok: false,
      errors: { reason: "Say why, for the member's history" },
    });
  });
});
