/**
 * Every Admin GraphQL document the app sends. Keeping them in one module lets a test validate each
 * against the real 2026-10 Admin schema, so a misspelt field fails here, not in a merchant's store.
 */

export const CREATE_AMOUNT_DISCOUNT = `#graphql
  mutation LoyaltyCreateAmountDiscount($discount: DiscountCodeBasicInput!) {
    discountCodeBasicCreate(basicCodeDiscount: $discount) {
      codeDiscountNode {
        id
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export const CREATE_SHIPPING_DISCOUNT = `#graphql
  mutation LoyaltyCreateShippingDiscount($discount: DiscountCodeFreeShippingInput!) {
    discountCodeFreeShippingCreate(freeShippingCodeDiscount: $discount) {
      codeDiscountNode {
        id
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export const FIND_DISCOUNT_BY_CODE = `#graphql
  query LoyaltyFindDiscountByCode($code: String!) {
    codeDiscountNodeByCode(code: $code) {
      id
    }
  }
`;

export const ADMIN_OPERATIONS = {
  CREATE_AMOUNT_DISCOUNT,
  CREATE_SHIPPING_DISCOUNT,
  FIND_DISCOUNT_BY_CODE,
} as const;
