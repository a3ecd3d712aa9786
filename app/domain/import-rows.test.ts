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
});
