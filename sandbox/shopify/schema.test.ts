import { describe, expect, it } from "vitest";
import { adminSchema, validateAdminDocument } from "./schema";

const CREATE_REWARD = /* GraphQL */ `
  mutation CreateReward($input: DiscountCodeBasicInput!) {
    discountCodeBasicCreate(basicCodeDiscount: $input) {
      codeDiscountNode {
        id
        codeDiscount {
          ... on DiscountCodeBasic {
            title
            codes(first: 1) {
              nodes {
                code
              }
            }
          }
        }
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

describe("adminSchema", () => {
  it("is the real 2026-10 Admin schema", () => {
    const schema = adminSchema();
    const create = schema.getMutationType()?.getFields().discountCodeBasicCreate;
    expect(create?.args.map((a) => a.name)).toEqual(["basicCodeDiscount"]);
    expect(schema.getType("DiscountContextInput")).toBeDefined();
    // Loaded once and cached: the same instance every time.
    expect(adminSchema()).toBe(schema);
  });
});

describe("validateAdminDocument", () => {
  it("accepts a correct discountCodeBasicCreate mutation", () => {
    expect(validateAdminDocument(CREATE_REWARD)).toEqual([]);
  });

  it("rejects a misspelt field with graphql-js's message and location", () => {
    const misspelt = CREATE_REWARD.replace(/\bfield\b/, "feild");
    expect(misspelt).not.toBe(CREATE_REWARD);
    const errors = validateAdminDocument(misspelt);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toContain('Cannot query field "feild" on type "DiscountUserError"');
    expect(errors[0]?.locations?.[0]).toEqual({ line: 18, column: 9 });
  });

  it("rejects the pre-2025-10 customerSelection shape inside a literal oneOf context", () => {
    const errors = validateAdminDocument(`mutation {
      discountCodeBasicCreate(basicCodeDiscount: { context: { all: ALL, customers: { add: [] } } }) { userErrors { message } }
    }`);
    expect(errors.map((e) => e.message).join("\n")).toMatch(/exactly one key/i);
  });

  it("returns a syntax error instead of throwing", () => {
    const errors = validateAdminDocument("query { shop { name }");
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(/^Syntax Error/);
  });

  it("can forbid deprecated fields", () => {
    const query = `query($id: ID!) { codeDiscountNode(id: $id) { id } }`;
    expect(validateAdminDocument(query)).toEqual([]);
    const errors = validateAdminDocument(query, { forbidDeprecated: true });
    expect(errors[0]?.message).toContain(
      "QueryRoot.codeDiscountNode is deprecated. Use `discountNode` instead.",
    );
  });

  it("checks custom scalar literals Shopify would reject", () => {
    const errors = validateAdminDocument(`mutation {
      discountCodeBasicCreate(basicCodeDiscount: { startsAt: "next tuesday" }) { userErrors { message } }
    }`);
    expect(errors[0]?.message).toMatch(/DateTime/);
  });
});
