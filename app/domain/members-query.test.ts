import { describe, expect, it } from "vitest";
import {
  MEMBERS_SORTS,
  memberDisplayName,
  parseAdjustment,
  parseMembersQuery,
  searchTerms,
  sortParts,
} from "./members-query";

describe("members query", () => {
  it("splits every sort into its column and direction", () => {
    expect(MEMBERS_SORTS.map((s) => sortParts(s.value))).toEqual([
      ["balance", "desc"],
      ["balance", "asc"],
      ["joined", "desc"],
      ["joined", "asc"],
    ]);
  });

  it("defaults bad or missing parameters instead of failing", () => {
    expect(parseMembersQuery(new URLSearchParams("sort=evil&page=-3&q=%20ada%20"))).toEqual({
      q: "ada",
      tier: null,
      sort: "balance desc",
      page: 1,
      after: null,
      before: null,
    });
    expect(parseMembersQuery(new URLSearchParams("sort=joined+asc&page=3&tier=none"))).toEqual({
      q: "",
      tier: "none",
      sort: "joined asc",
      page: 3,
      after: null,
      before: null,
    });
  });

  it("takes a member id as a page cursor, one direction at a time", () => {
    const query = (text: string) => parseMembersQuery(new URLSearchParams(text));
    expect(query("page=4&after=cm1abc_-9")).toMatchObject({ after: "cm1abc_-9", before: null });
    expect(query("before=cm1abc")).toMatchObject({ after: null, before: "cm1abc" });
    expect(query("after=a&before=b")).toMatchObject({ after: "a", before: null });
    expect(query("after=a%20b")).toMatchObject({ after: null });
    expect(query(`before=${"x".repeat(65)}`)).toMatchObject({ before: null });
  });

  it("treats digits and customer GIDs as ids, other text as words", () => {
    expect(searchTerms("gid://shopify/Customer/42")).toEqual({
      customerId: "42",
      email: null,
      words: [],
    });
    expect(searchTerms("42")).toEqual({ customerId: "42", email: null, words: ["42"] });
    expect(searchTerms("ada  lovelace")).toEqual({
      customerId: null,
      email: null,
      words: ["ada", "lovelace"],
    });
    expect(searchTerms("Ada@Example.com")).toEqual({
      customerId: null,
      email: "Ada@Example.com",
      words: ["Ada@Example.com"],
    });
    expect(searchTerms("ada@")).toMatchObject({ email: null });
    expect(searchTerms("ada @example.com")).toMatchObject({ email: null });
  });

  it("caps the search at 100 characters and the page at 100,000", () => {
    const query = (text: string) => parseMembersQuery(new URLSearchParams(text));
    expect(query(`q=${"a".repeat(150)}`).q).toBe("a".repeat(100));
    expect(query("page=100000").page).toBe(100_000);
    expect(query("page=100001").page).toBe(1);
    expect(query("page=2.5").page).toBe(1);
  });

  it("matches an id only when the whole search is one", () => {
    expect(searchTerms("")).toEqual({ customerId: null, email: null, words: [] });
    expect(searchTerms("see gid://shopify/Customer/42")).toEqual({
      customerId: null,
      email: null,
      words: ["see", "gid://shopify/Customer/42"],
    });
    expect(searchTerms("gid://shopify/Customer/42 ada")).toEqual({
      customerId: null,
      email: null,
      words: ["gid://shopify/Customer/42", "ada"],
    });
    expect(searchTerms("ada 42")).toEqual({ customerId: null, email: null, words: ["ada", "42"] });
    expect(searchTerms("42 ada")).toEqual({ customerId: null, email: null, words: ["42", "ada"] });
  });

  it("uses at most five words", () => {
    expect(searchTerms("a b c d e f").words).toEqual(["a", "b", "c", "d", "e"]);
  });

  it("names a member by name, then email, then id", () => {
    const base = { firstName: null, lastName: null, email: null, customerId: "9" };
    expect(memberDisplayName(base)).toBe("Customer 9");
    expect(memberDisplayName({ ...base, email: "a@b.c" })).toBe("a@b.c");
    expect(memberDisplayName({ ...base, email: "a@b.c", lastName: "Hopper" })).toBe("Hopper");
    expect(memberDisplayName({ ...base, firstName: "Ada", lastName: "Lovelace" })).toBe(
      "Ada Lovelace",
    );
    // Whitespace-only names from Shopify do not hide the email, nor pad the name.
    expect(memberDisplayName({ ...base, firstName: " ", email: "a@b.c" })).toBe("a@b.c");
    expect(memberDisplayName({ ...base, firstName: "Ada", lastName: " " })).toBe("Ada");
  });
});

describe("adjustment form", () => {
  it("refuses numbers beyond any balance with the same words, however large", () => {
    for (const points of ["1000001", "-1000001", "99999999999999999999", "1e3", "Infinity"]) {
      expect(parseAdjustment({ points, reason: "Thanks" }), points).toEqual({
        ok: false,
        errors: { points: "Enter a whole number of points; use a minus sign to remove points" },
      });
    }
    expect(parseAdjustment({ points: "-0", reason: "ok" })).toEqual({
      ok: false,
      errors: {
        points: "Enter a number other than 0",
        reason: "Say why, for the member's history",
      },
    });
  });

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

  it("keeps a request id only when the whole of it is 8 to 64 letters, digits, - or _", () => {
    const requestId = (value: string) =>
      parseAdjustment({ points: "5", reason: "Thanks", requestId: value });
    expect(requestId("abcd_1234")).toMatchObject({ data: { requestId: "abcd_1234" } });
    expect(requestId("abcd-1234!")).toMatchObject({ data: { requestId: null } });
    expect(requestId("!abcd-1234")).toMatchObject({ data: { requestId: null } });
    expect(requestId("a".repeat(65))).toMatchObject({ data: { requestId: null } });
  });

  it("refuses zero, huge values and a missing reason", () => {
    expect(parseAdjustment({ points: "2000000", reason: "ok!" }).ok).toBe(false);
    expect(parseAdjustment({ points: "0", reason: "Nothing" })).toEqual({
      ok: false,
      errors: { points: "Enter a number other than 0" },
    });
    expect(parseAdjustment({ points: "5" })).toEqual({
      ok: false,
      errors: { reason: "Say why, for the member's history" },
    });
  });
});
