import { describe, expect, it } from "vitest";
import { ADMIN_OPERATIONS } from "../../app/shopify/operations";
import { validateAdminDocument } from "../../sandbox/shopify";

describe("Admin GraphQL operations", () => {
  // Shopify removes deprecated fields in a later version; failing now leaves time to move off them.
  it.each(Object.entries(ADMIN_OPERATIONS))(
    "%s is valid against the real 2026-10 Admin schema and uses nothing deprecated",
    (_name, document) => {
      expect(
        validateAdminDocument(document, { forbidDeprecated: true }).map((e) => e.message),
      ).toEqual([]);
    },
  );

  it("would catch a misspelt field", () => {
    const broken = ADMIN_OPERATIONS.CREATE_AMOUNT_DISCOUNT.replace("userErrors", "userErorrs");
    expect(validateAdminDocument(broken).length).toBeGreaterThan(0);
  });

  it("would catch a deprecated field", () => {
    const deprecated = ADMIN_OPERATIONS.CUSTOMERS_BY_ID.replace("firstName", "firstName\n email");
    expect(validateAdminDocument(deprecated).map((e) => e.message)).toEqual([]);
    expect(
      validateAdminDocument(deprecated, { forbidDeprecated: true }).map((e) => e.message),
    ).toEqual([expect.stringContaining("Customer.email is deprecated")]);
  });
});
