import { describe, expect, it } from "vitest";
import {
  detectColumns,
  duplicateLines,
  grantedTierUntil,
  normalizeCustomerId,
  parseImportFile,
} from "./import-rows";

const tiers = [{ id: "t-gold", name: "Gold" }];

describe("import file", () => {
  it("recognises common header spellings", () => {
    expect(
      detectColumns(["E-mail", "Customer_ID", "Points Balance", "VIP Tier", "First Name"]),
    ).toEqual({
      email: 0,
      customerId: 1,
      points: 2,
      tier: 3,
      firstName: 4,
    });
  });

  it("parses valid rows and explains every problem in a bad one", () => {
    const parsed = parseImportFile(
      "email,points,tier\nAda@Example.com,1200,GOLD\n\nbad,-5,Silver\n,0,\n",
      tiers,
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.rows[0]).toMatchObject({
      line: 2,
      email: "ada@example.com",
      points: 1200,
      tierId: "t-gold",
      errors: [],
    });
    expect(parsed.rows[1]).toMatchObject({ line: 4 });
    expect(parsed.rows[1]!.errors).toEqual([
      "“bad” is not an email address",
      "Points “-5” should be a whole number, 0 or more, without separators",
      "No tier called “Silver”; create it on the Tiers page or leave the cell empty",
    ]);
    expect(parsed.rows[2]!.errors).toEqual(["Add an email or a customer ID"]);
  });

  it("refuses a row that would import nothing, and oversize files", () => {
    const parsed = parseImportFile("customer_id,points\n42,0\n", tiers);
    expect(parsed.ok && parsed.rows[0]!.errors).toEqual([
      "Nothing to import: 0 points and no tier",
    ]);
    const many = ["customer_id,points", ...Array.from({ length: 10_001 }, (_, i) => `${i + 1},1`)];
    expect(parseImportFile(many.join("\n"), tiers)).toEqual({
      ok: false,
      error: "The file has 10001 rows; import at most 10000 at a time",
    });
  });

  it("normalises customer ids and GIDs", () => {
    expect(normalizeCustomerId(" gid://shopify/Customer/12 ")).toBe("12");
    expect(normalizeCustomerId("12")).toBe("12");
    expect(normalizeCustomerId("12a")).toBeNull();
  });

  it("flags later rows for a customer already in the file", () => {
    expect(
      duplicateLines([
        { line: 5, customerId: "1" },
        { line: 2, customerId: "1" },
        { line: 3, customerId: "2" },
        { line: 4, customerId: null },
      ]),
    ).toEqual(new Map([[5, 2]]));
  });

  it("holds an imported tier until the qualification period ends", () => {
    const now = new Date("2026-11-22T12:00:00Z");
    expect(grantedTierUntil("LIFETIME", now)).toBeNull();
    expect(grantedTierUntil("CALENDAR_YEAR", now)?.toISOString()).toBe("2027-01-01T00:00:00.000Z");
    expect(grantedTierUntil("ROLLING_12_MONTHS", now)?.toISOString()).toBe(
      "2027-11-22T12:00:00.000Z",
    );
  });

  it("matches headers with stray spaces and any capitalisation, first matching column wins", () => {
    // Spreadsheets often pad header cells or double a space inside them.
    expect(detectColumns([" Email  Address ", "POINTS", "e-mail", " Last   Name"])).toEqual({
      email: 0,
      points: 1,
      lastName: 3,
    });
  });

  it("refuses files it cannot read before looking at any row", () => {
    expect(parseImportFile("x".repeat(2_000_001), tiers)).toEqual({
      ok: false,
      error: "The file is larger than 2 MB; split it into smaller files",
    });
    expect(parseImportFile('email,points\nada@example.com,1"2\n', tiers)).toEqual({
      ok: false,
      error: "Line 2: a quote inside an unquoted cell",
    });
    expect(parseImportFile("", tiers)).toEqual({ ok: false, error: "The file is empty" });
    // Only blank lines (and a line of empty cells) after the header: nothing to import.
    expect(parseImportFile("customer_id,points\n\n , \n\n", tiers)).toEqual({
      ok: false,
      error: "The file has a header but no rows",
    });
  });

  it("accepts a file of exactly 2 MB and exactly 10,000 rows", () => {
    const header = "customer_id,points,first_name\n1,5,";
    const exact = header + "a".repeat(2_000_000 - header.length);
    expect(exact).toHaveLength(2_000_000);
    expect(parseImportFile(exact, tiers).ok).toBe(true);
    const rows = ["customer_id,points", ...Array.from({ length: 10_000 }, (_, i) => `${i + 1},1`)];
    const parsed = parseImportFile(rows.join("\n"), tiers);
    expect(parsed.ok && parsed.rows).toHaveLength(10_000);
    // Parsing 2 MB character by character takes seconds under Stryker's instrumentation.
  }, 30_000);

  it("names the headers it found when a required column is missing", () => {
    const error = (text: string) => {
      const parsed = parseImportFile(text, tiers);
      return parsed.ok ? null : parsed.error;
    };
    const prefix =
      "The first row must name the columns: email or customer_id, points, and optionally tier. Found: ";
    // No points column.
    expect(error(" Email , Tier \nada@example.com,Gold\n")).toBe(prefix + "Email, Tier");
    // Points, but neither an email nor a customer id.
    expect(error("name,,points\nAda,,5\n")).toBe(prefix + "name, points");
    expect(error(" , \n1,2\n")).toBe(prefix + "nothing");
  });

  it("reads padded cells and short rows", () => {
    const parsed = parseImportFile(
      "customer_id,points,tier,first_name,last_name\n 42 , 1200 , gold , Ada , Lovelace \n43,7\n",
      [{ id: "t-gold", name: " Gold " }],
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.rows).toMatchObject([
      {
        line: 2,
        customerId: "42",
        email: null,
        points: 1200,
        tierId: "t-gold",
        firstName: "Ada",
        lastName: "Lovelace",
        errors: [],
      },
      // A row cut short after the points: no tier and no names, not an error.
      {
        line: 3,
        customerId: "43",
        points: 7,
        tierId: null,
        firstName: null,
        lastName: null,
        errors: [],
      },
    ]);
  });

  it("explains bad customer ids and points to the merchant", () => {
    const parsed = parseImportFile(
      "email,customer_id,points\n,12a,5\nada@example.com,,\n,44,12abc\n,45,10000001\n,46,10000000\n",
      tiers,
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.rows.map((row) => row.errors)).toEqual([
      ["Customer ID “12a” should be a number such as 7012345678901"],
      ["Points are missing"],
      ["Points “12abc” should be a whole number, 0 or more, without separators"],
      ["Points must be at most 10000000"],
      [],
    ]);
    expect(parsed.rows.map((row) => row.points)).toEqual([5, null, null, null, 10_000_000]);
    expect(parsed.rows[0]!.customerId).toBeNull();
  });

  it("imports 0 points when the row grants a tier", () => {
    const parsed = parseImportFile("customer_id,points,tier\n42,0,Gold\n", tiers);
    expect(parsed.ok && parsed.rows[0]).toMatchObject({ points: 0, tierId: "t-gold", errors: [] });
  });

  it("accepts only a whole customer id or a whole Customer GID", () => {
    expect(normalizeCustomerId("xgid://shopify/Customer/12")).toBeNull();
    expect(normalizeCustomerId("gid://shopify/Customer/12x")).toBeNull();
    expect(normalizeCustomerId("gid://shopify/Order/12")).toBeNull();
    expect(normalizeCustomerId("a12")).toBeNull();
    expect(normalizeCustomerId("1".repeat(20))).toBe("1".repeat(20));
    expect(normalizeCustomerId("1".repeat(21))).toBeNull();
  });

  it("does not treat rows without a customer id as duplicates of each other", () => {
    // Rows matched by email only have no customer id yet; the server checks them after lookup.
    expect(
      duplicateLines([
        { line: 2, customerId: null },
        { line: 3, customerId: null },
      ]),
    ).toEqual(new Map());
  });
});
