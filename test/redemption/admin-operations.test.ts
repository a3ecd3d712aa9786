import { describe, expect, it } from "vitest";
import { ADMIN_OPERATIONS } from "../../app/shopify/operations";
import { validateAdminDocument } from "../../sandbox/shopify";

describe("Admin GraphQL operations", () => {
  it.each(Object.entries(ADMIN_OPERATIONS))(
    "%s is valid against the real 2026-10 Admin schema",
    (_name, document) => {
      expect(validateAdminDocument(document).map((e) => e.message)).toEqual([]);
    },
  );

  it("would catch a misspelt field", () => {
    const broken = ADMIN_OPERATIONS.CREATE_AMOUNT_DISCOUNT.replace("userErrors", "userErorrs");
    expect(validateAdminDocument(broken).length).toBeGreaterThan(0);
  });
});
