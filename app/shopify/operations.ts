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

/** Cancelling a code: deactivating an already inactive code is harmless, so retries are safe. */
export const DEACTIVATE_DISCOUNT = `#graphql
  mutation LoyaltyDeactivateDiscount($id: ID!) {
    discountCodeDeactivate(id: $id) {
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

/**
 * Store credit rewards (app/loyalty/store-credit.server.ts). Neither mutation takes an idempotency
 * key in 2026-10, so a lost answer is settled by finding the transaction in the account's list.
 */
export const CREDIT_STORE_CREDIT = `#graphql
  mutation LoyaltyCreditStoreCredit($id: ID!, $creditInput: StoreCreditAccountCreditInput!) {
    storeCreditAccountCredit(id: $id, creditInput: $creditInput) {
      storeCreditAccountTransaction {
        id
        amount {
          amount
          currencyCode
        }
        createdAt
        expiresAt
        account {
          id
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

export const DEBIT_STORE_CREDIT = `#graphql
  mutation LoyaltyDebitStoreCredit($id: ID!, $debitInput: StoreCreditAccountDebitInput!) {
    storeCreditAccountDebit(id: $id, debitInput: $debitInput) {
      storeCreditAccountTransaction {
        id
        amount {
          amount
          currencyCode
        }
        createdAt
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

/**
 * A customer's store credit account in one currency, with its latest transactions, newest first.
 * One account: ten with 100 transactions each would cost over Shopify's 1,000-point query limit.
 */
export const STORE_CREDIT_TRANSACTIONS = `#graphql
  query LoyaltyStoreCreditTransactions($customerId: ID!, $accountQuery: String!) {
    customer(id: $customerId) {
      storeCreditAccounts(first: 1, query: $accountQuery) {
        nodes {
          id
          balance {
            amount
            currencyCode
          }
          transactions(first: 100, reverse: true) {
            nodes {
              __typename
              createdAt
              event
              amount {
                amount
                currencyCode
              }
              ... on StoreCreditAccountCreditTransaction {
                id
                expiresAt
                remainingAmount {
                  amount
                  currencyCode
                }
              }
              ... on StoreCreditAccountDebitTransaction {
                id
              }
            }
          }
        }
      }
    }
  }
`;

/**
 * Tier perks (app/loyalty/tier-perks.server.ts): the one automatic app discount that runs the
 * tier-perks function, created with its config metafield; found by its tag (and title) when a
 * create's answer was lost (creating again would make a second discount).
 */
export const CREATE_TIER_PERKS_DISCOUNT = `#graphql
  mutation LoyaltyCreateTierPerksDiscount($discount: DiscountAutomaticAppInput!) {
    discountAutomaticAppCreate(automaticAppDiscount: $discount) {
      automaticAppDiscount {
        discountId
        title
        status
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export const FIND_TIER_PERKS_DISCOUNT = `#graphql
  query LoyaltyFindTierPerksDiscount($query: String!) {
    discountNodes(first: 25, query: $query) {
      nodes {
        id
        discount {
          __typename
          ... on DiscountAutomaticApp {
            title
          }
        }
      }
    }
  }
`;

/** Whether the tier perks discount still exists (a merchant can delete it in Shopify admin). */
export const TIER_PERKS_DISCOUNT = `#graphql
  query LoyaltyTierPerksDiscount($id: ID!) {
    discountNode(id: $id) {
      id
    }
  }
`;

/** The app installation owns the app-data metafields the theme extension reads. */
export const CURRENT_APP_INSTALLATION = `#graphql
  query LoyaltyCurrentAppInstallation {
    currentAppInstallation {
      id
    }
  }
`;

/** The shop's time zone, for the dashboard's days. */
export const SHOP_TIME_ZONE = `#graphql
  query LoyaltyShopTimeZone {
    shop {
      ianaTimezone
    }
  }
`;

export const SET_METAFIELDS = `#graphql
  mutation LoyaltySetMetafields($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields {
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

/** Import: resolves an email to a customer (first: 2 so an ambiguous email can be refused). */
export const FIND_CUSTOMERS_BY_EMAIL = `#graphql
  query LoyaltyFindCustomersByEmail($query: String!) {
    customers(first: 2, query: $query) {
      nodes {
        id
        defaultEmailAddress {
          emailAddress
        }
        firstName
        lastName
      }
    }
  }
`;

/** Import: confirms customer ids exist (up to 250 per call) and fetches their contact details. */
export const CUSTOMERS_BY_ID = `#graphql
  query LoyaltyCustomersById($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on Customer {
        id
        defaultEmailAddress {
          emailAddress
        }
        firstName
        lastName
      }
    }
  }
`;

/** A loyalty event for the merchant's Shopify Flow workflows (app/loyalty/flow-triggers.server.ts). */
export const FLOW_TRIGGER_RECEIVE = `#graphql
  mutation LoyaltyFlowTriggerReceive($handle: String!, $payload: JSON!) {
    flowTriggerReceive(handle: $handle, payload: $payload) {
      userErrors {
        field
        message
      }
    }
  }
`;

/** Customer sync: a batch of members' metafields, each written only if unchanged since we wrote it. */
export const SYNC_CUSTOMER_METAFIELDS = `#graphql
  mutation LoyaltySyncCustomerMetafields($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields {
        key
        compareDigest
      }
      userErrors {
        field
        message
        code
        elementIndex
      }
    }
  }
`;

/** Customer sync: metafields with nothing to say any more (no tier, no expiry date). */
export const DELETE_CUSTOMER_METAFIELDS = `#graphql
  mutation LoyaltyDeleteCustomerMetafields($metafields: [MetafieldIdentifierInput!]!) {
    metafieldsDelete(metafields: $metafields) {
      deletedMetafields {
        key
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export const ADD_CUSTOMER_TAGS = `#graphql
  mutation LoyaltyAddCustomerTags($id: ID!, $tags: [String!]!) {
    tagsAdd(id: $id, tags: $tags) {
      userErrors {
        field
        message
      }
    }
  }
`;

export const REMOVE_CUSTOMER_TAGS = `#graphql
  mutation LoyaltyRemoveCustomerTags($id: ID!, $tags: [String!]!) {
    tagsRemove(id: $id, tags: $tags) {
      userErrors {
        field
        message
      }
    }
  }
`;

/**
 * A free product reward's variant, read when a member redeems it: its price now is what the code
 * takes off, and whether the shop sells it at all. Needs read_products.
 */
export const FREE_PRODUCT_VARIANT = `#graphql
  query LoyaltyFreeProductVariant($id: ID!) {
    productVariant(id: $id) {
      id
      price
      availableForSale
      product {
        status
      }
    }
  }
`;

/**
 * A collection's products, for campaigns on collections (order payloads name a line's product,
 * never its collections). Needs read_products.
 */
export const COLLECTION_PRODUCTS = `#graphql
  query LoyaltyCollectionProducts($id: ID!, $after: String) {
    collection(id: $id) {
      products(first: 250, after: $after) {
        nodes {
          id
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`;

export const ADMIN_OPERATIONS = {
  CREATE_AMOUNT_DISCOUNT,
  CREATE_SHIPPING_DISCOUNT,
  FIND_DISCOUNT_BY_CODE,
  DEACTIVATE_DISCOUNT,
  CREDIT_STORE_CREDIT,
  DEBIT_STORE_CREDIT,
  STORE_CREDIT_TRANSACTIONS,
  CREATE_TIER_PERKS_DISCOUNT,
  FIND_TIER_PERKS_DISCOUNT,
  TIER_PERKS_DISCOUNT,
  CURRENT_APP_INSTALLATION,
  SHOP_TIME_ZONE,
  SET_METAFIELDS,
  FIND_CUSTOMERS_BY_EMAIL,
  CUSTOMERS_BY_ID,
  FLOW_TRIGGER_RECEIVE,
  SYNC_CUSTOMER_METAFIELDS,
  DELETE_CUSTOMER_METAFIELDS,
  ADD_CUSTOMER_TAGS,
  REMOVE_CUSTOMER_TAGS,
  COLLECTION_PRODUCTS,
  FREE_PRODUCT_VARIANT,
} as const;
