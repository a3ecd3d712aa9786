/* eslint-disable eslint-comments/disable-enable-pair */
/* eslint-disable eslint-comments/no-unlimited-disable */
/* eslint-disable */
import type * as AdminTypes from './admin.types.js';

export type LoyaltyCreateAmountDiscountMutationVariables = AdminTypes.Exact<{
  discount: AdminTypes.DiscountCodeBasicInput;
}>;


export type LoyaltyCreateAmountDiscountMutation = { discountCodeBasicCreate?: AdminTypes.Maybe<{ codeDiscountNode?: AdminTypes.Maybe<Pick<AdminTypes.DiscountCodeNode, 'id'>>, userErrors: Array<Pick<AdminTypes.DiscountUserError, 'field' | 'message' | 'code'>> }> };

export type LoyaltyCreateShippingDiscountMutationVariables = AdminTypes.Exact<{
  discount: AdminTypes.DiscountCodeFreeShippingInput;
}>;


export type LoyaltyCreateShippingDiscountMutation = { discountCodeFreeShippingCreate?: AdminTypes.Maybe<{ codeDiscountNode?: AdminTypes.Maybe<Pick<AdminTypes.DiscountCodeNode, 'id'>>, userErrors: Array<Pick<AdminTypes.DiscountUserError, 'field' | 'message' | 'code'>> }> };

export type LoyaltyFindDiscountByCodeQueryVariables = AdminTypes.Exact<{
  code: AdminTypes.Scalars['String']['input'];
}>;


export type LoyaltyFindDiscountByCodeQuery = { codeDiscountNodeByCode?: AdminTypes.Maybe<Pick<AdminTypes.DiscountCodeNode, 'id'>> };

export type LoyaltyDeactivateDiscountMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type LoyaltyDeactivateDiscountMutation = { discountCodeDeactivate?: AdminTypes.Maybe<{ codeDiscountNode?: AdminTypes.Maybe<Pick<AdminTypes.DiscountCodeNode, 'id'>>, userErrors: Array<Pick<AdminTypes.DiscountUserError, 'field' | 'message' | 'code'>> }> };

export type LoyaltyCreditStoreCreditMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  creditInput: AdminTypes.StoreCreditAccountCreditInput;
}>;


export type LoyaltyCreditStoreCreditMutation = { storeCreditAccountCredit?: AdminTypes.Maybe<{ storeCreditAccountTransaction?: AdminTypes.Maybe<(
      Pick<AdminTypes.StoreCreditAccountCreditTransaction, 'id' | 'createdAt' | 'expiresAt'>
      & { amount: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'>, account: Pick<AdminTypes.StoreCreditAccount, 'id'> }
    )>, userErrors: Array<Pick<AdminTypes.StoreCreditAccountCreditUserError, 'field' | 'message' | 'code'>> }> };

export type LoyaltyDebitStoreCreditMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  debitInput: AdminTypes.StoreCreditAccountDebitInput;
}>;


export type LoyaltyDebitStoreCreditMutation = { storeCreditAccountDebit?: AdminTypes.Maybe<{ storeCreditAccountTransaction?: AdminTypes.Maybe<(
      Pick<AdminTypes.StoreCreditAccountDebitTransaction, 'id' | 'createdAt'>
      & { amount: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }
    )>, userErrors: Array<Pick<AdminTypes.StoreCreditAccountDebitUserError, 'field' | 'message' | 'code'>> }> };

export type LoyaltyStoreCreditTransactionsQueryVariables = AdminTypes.Exact<{
  customerId: AdminTypes.Scalars['ID']['input'];
  accountQuery: AdminTypes.Scalars['String']['input'];
}>;


export type LoyaltyStoreCreditTransactionsQuery = { customer?: AdminTypes.Maybe<{ storeCreditAccounts: { nodes: Array<(
        Pick<AdminTypes.StoreCreditAccount, 'id'>
        & { balance: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'>, transactions: { nodes: Array<(
            { __typename: 'StoreCreditAccountCreditTransaction' }
            & Pick<AdminTypes.StoreCreditAccountCreditTransaction, 'id' | 'expiresAt' | 'createdAt' | 'event'>
            & { remainingAmount: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'>, amount: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }
          ) | (
            { __typename: 'StoreCreditAccountDebitRevertTransaction' }
            & Pick<AdminTypes.StoreCreditAccountDebitRevertTransaction, 'createdAt' | 'event'>
            & { amount: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }
          ) | (
            { __typename: 'StoreCreditAccountDebitTransaction' }
            & Pick<AdminTypes.StoreCreditAccountDebitTransaction, 'id' | 'createdAt' | 'event'>
            & { amount: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }
          ) | (
            { __typename: 'StoreCreditAccountExpirationTransaction' }
            & Pick<AdminTypes.StoreCreditAccountExpirationTransaction, 'createdAt' | 'event'>
            & { amount: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }
          )> } }
      )> } }> };

export type LoyaltyCreateTierPerksDiscountMutationVariables = AdminTypes.Exact<{
  discount: AdminTypes.DiscountAutomaticAppInput;
}>;


export type LoyaltyCreateTierPerksDiscountMutation = { discountAutomaticAppCreate?: AdminTypes.Maybe<{ automaticAppDiscount?: AdminTypes.Maybe<Pick<AdminTypes.DiscountAutomaticApp, 'discountId' | 'title' | 'status'>>, userErrors: Array<Pick<AdminTypes.DiscountUserError, 'field' | 'message' | 'code'>> }> };

export type LoyaltyFindTierPerksDiscountQueryVariables = AdminTypes.Exact<{
  query: AdminTypes.Scalars['String']['input'];
}>;


export type LoyaltyFindTierPerksDiscountQuery = { discountNodes: { nodes: Array<(
      Pick<AdminTypes.DiscountNode, 'id'>
      & { discount: (
        { __typename: 'DiscountAutomaticApp' }
        & Pick<AdminTypes.DiscountAutomaticApp, 'title'>
      ) | { __typename: 'DiscountAutomaticBasic' | 'DiscountAutomaticBxgy' | 'DiscountAutomaticFreeShipping' | 'DiscountCodeApp' | 'DiscountCodeBasic' | 'DiscountCodeBxgy' | 'DiscountCodeFreeShipping' } }
    )> } };

export type LoyaltyTierPerksDiscountQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type LoyaltyTierPerksDiscountQuery = { discountNode?: AdminTypes.Maybe<Pick<AdminTypes.DiscountNode, 'id'>> };

export type LoyaltyCurrentAppInstallationQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type LoyaltyCurrentAppInstallationQuery = { currentAppInstallation: Pick<AdminTypes.AppInstallation, 'id'> };

export type LoyaltyShopTimeZoneQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type LoyaltyShopTimeZoneQuery = { shop: Pick<AdminTypes.Shop, 'ianaTimezone'> };

export type LoyaltySetMetafieldsMutationVariables = AdminTypes.Exact<{
  metafields: Array<AdminTypes.MetafieldsSetInput> | AdminTypes.MetafieldsSetInput;
}>;


export type LoyaltySetMetafieldsMutation = { metafieldsSet?: AdminTypes.Maybe<{ metafields?: AdminTypes.Maybe<Array<Pick<AdminTypes.Metafield, 'id'>>>, userErrors: Array<Pick<AdminTypes.MetafieldsSetUserError, 'field' | 'message' | 'code'>> }> };

export type LoyaltyFindCustomersByEmailQueryVariables = AdminTypes.Exact<{
  query: AdminTypes.Scalars['String']['input'];
}>;


export type LoyaltyFindCustomersByEmailQuery = { customers: { nodes: Array<(
      Pick<AdminTypes.Customer, 'id' | 'firstName' | 'lastName'>
      & { defaultEmailAddress?: AdminTypes.Maybe<Pick<AdminTypes.CustomerEmailAddress, 'emailAddress'>> }
    )> } };

export type LoyaltyCustomersByIdQueryVariables = AdminTypes.Exact<{
  ids: Array<AdminTypes.Scalars['ID']['input']> | AdminTypes.Scalars['ID']['input'];
}>;


export type LoyaltyCustomersByIdQuery = { nodes: Array<AdminTypes.Maybe<(
    Pick<AdminTypes.Customer, 'id' | 'firstName' | 'lastName'>
    & { defaultEmailAddress?: AdminTypes.Maybe<Pick<AdminTypes.CustomerEmailAddress, 'emailAddress'>> }
  )>> };

export type LoyaltyFlowTriggerReceiveMutationVariables = AdminTypes.Exact<{
  handle: AdminTypes.Scalars['String']['input'];
  payload: AdminTypes.Scalars['JSON']['input'];
}>;


export type LoyaltyFlowTriggerReceiveMutation = { flowTriggerReceive?: AdminTypes.Maybe<{ userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type LoyaltySyncCustomerMetafieldsMutationVariables = AdminTypes.Exact<{
  metafields: Array<AdminTypes.MetafieldsSetInput> | AdminTypes.MetafieldsSetInput;
}>;


export type LoyaltySyncCustomerMetafieldsMutation = { metafieldsSet?: AdminTypes.Maybe<{ metafields?: AdminTypes.Maybe<Array<Pick<AdminTypes.Metafield, 'key' | 'compareDigest'>>>, userErrors: Array<Pick<AdminTypes.MetafieldsSetUserError, 'field' | 'message' | 'code' | 'elementIndex'>> }> };

export type LoyaltyDeleteCustomerMetafieldsMutationVariables = AdminTypes.Exact<{
  metafields: Array<AdminTypes.MetafieldIdentifierInput> | AdminTypes.MetafieldIdentifierInput;
}>;


export type LoyaltyDeleteCustomerMetafieldsMutation = { metafieldsDelete?: AdminTypes.Maybe<{ deletedMetafields?: AdminTypes.Maybe<Array<AdminTypes.Maybe<Pick<AdminTypes.MetafieldIdentifier, 'key'>>>>, userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type LoyaltyAddCustomerTagsMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  tags: Array<AdminTypes.Scalars['String']['input']> | AdminTypes.Scalars['String']['input'];
}>;


export type LoyaltyAddCustomerTagsMutation = { tagsAdd?: AdminTypes.Maybe<{ userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type LoyaltyRemoveCustomerTagsMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  tags: Array<AdminTypes.Scalars['String']['input']> | AdminTypes.Scalars['String']['input'];
}>;


export type LoyaltyRemoveCustomerTagsMutation = { tagsRemove?: AdminTypes.Maybe<{ userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type LoyaltyFreeProductVariantQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type LoyaltyFreeProductVariantQuery = { productVariant?: AdminTypes.Maybe<(
    Pick<AdminTypes.ProductVariant, 'id' | 'price' | 'availableForSale'>
    & { product: Pick<AdminTypes.Product, 'status'> }
  )> };

export type LoyaltyCollectionProductsQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  after?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
}>;


export type LoyaltyCollectionProductsQuery = { collection?: AdminTypes.Maybe<{ products: { nodes: Array<Pick<AdminTypes.Product, 'id'>>, pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'> } }> };

interface GeneratedQueryTypes {
  "#graphql\n  query LoyaltyFindDiscountByCode($code: String!) {\n    codeDiscountNodeByCode(code: $code) {\n      id\n    }\n  }\n": {return: LoyaltyFindDiscountByCodeQuery, variables: LoyaltyFindDiscountByCodeQueryVariables},
  "#graphql\n  query LoyaltyStoreCreditTransactions($customerId: ID!, $accountQuery: String!) {\n    customer(id: $customerId) {\n      storeCreditAccounts(first: 1, query: $accountQuery) {\n        nodes {\n          id\n          balance {\n            amount\n            currencyCode\n          }\n          transactions(first: 100, reverse: true) {\n            nodes {\n              __typename\n              createdAt\n              event\n              amount {\n                amount\n                currencyCode\n              }\n              ... on StoreCreditAccountCreditTransaction {\n                id\n                expiresAt\n                remainingAmount {\n                  amount\n                  currencyCode\n                }\n              }\n              ... on StoreCreditAccountDebitTransaction {\n                id\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n": {return: LoyaltyStoreCreditTransactionsQuery, variables: LoyaltyStoreCreditTransactionsQueryVariables},
  "#graphql\n  query LoyaltyFindTierPerksDiscount($query: String!) {\n    discountNodes(first: 25, query: $query) {\n      nodes {\n        id\n        discount {\n          __typename\n          ... on DiscountAutomaticApp {\n            title\n          }\n        }\n      }\n    }\n  }\n": {return: LoyaltyFindTierPerksDiscountQuery, variables: LoyaltyFindTierPerksDiscountQueryVariables},
  "#graphql\n  query LoyaltyTierPerksDiscount($id: ID!) {\n    discountNode(id: $id) {\n      id\n    }\n  }\n": {return: LoyaltyTierPerksDiscountQuery, variables: LoyaltyTierPerksDiscountQueryVariables},
  "#graphql\n  query LoyaltyCurrentAppInstallation {\n    currentAppInstallation {\n      id\n    }\n  }\n": {return: LoyaltyCurrentAppInstallationQuery, variables: LoyaltyCurrentAppInstallationQueryVariables},
  "#graphql\n  query LoyaltyShopTimeZone {\n    shop {\n      ianaTimezone\n    }\n  }\n": {return: LoyaltyShopTimeZoneQuery, variables: LoyaltyShopTimeZoneQueryVariables},
  "#graphql\n  query LoyaltyFindCustomersByEmail($query: String!) {\n    customers(first: 2, query: $query) {\n      nodes {\n        id\n        defaultEmailAddress {\n          emailAddress\n        }\n        firstName\n        lastName\n      }\n    }\n  }\n": {return: LoyaltyFindCustomersByEmailQuery, variables: LoyaltyFindCustomersByEmailQueryVariables},
  "#graphql\n  query LoyaltyCustomersById($ids: [ID!]!) {\n    nodes(ids: $ids) {\n      ... on Customer {\n        id\n        defaultEmailAddress {\n          emailAddress\n        }\n        firstName\n        lastName\n      }\n    }\n  }\n": {return: LoyaltyCustomersByIdQuery, variables: LoyaltyCustomersByIdQueryVariables},
  "#graphql\n  query LoyaltyFreeProductVariant($id: ID!) {\n    productVariant(id: $id) {\n      id\n      price\n      availableForSale\n      product {\n        status\n      }\n    }\n  }\n": {return: LoyaltyFreeProductVariantQuery, variables: LoyaltyFreeProductVariantQueryVariables},
  "#graphql\n  query LoyaltyCollectionProducts($id: ID!, $after: String) {\n    collection(id: $id) {\n      products(first: 250, after: $after) {\n        nodes {\n          id\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": {return: LoyaltyCollectionProductsQuery, variables: LoyaltyCollectionProductsQueryVariables},
}

interface GeneratedMutationTypes {
  "#graphql\n  mutation LoyaltyCreateAmountDiscount($discount: DiscountCodeBasicInput!) {\n    discountCodeBasicCreate(basicCodeDiscount: $discount) {\n      codeDiscountNode {\n        id\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n": {return: LoyaltyCreateAmountDiscountMutation, variables: LoyaltyCreateAmountDiscountMutationVariables},
  "#graphql\n  mutation LoyaltyCreateShippingDiscount($discount: DiscountCodeFreeShippingInput!) {\n    discountCodeFreeShippingCreate(freeShippingCodeDiscount: $discount) {\n      codeDiscountNode {\n        id\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n": {return: LoyaltyCreateShippingDiscountMutation, variables: LoyaltyCreateShippingDiscountMutationVariables},
  "#graphql\n  mutation LoyaltyDeactivateDiscount($id: ID!) {\n    discountCodeDeactivate(id: $id) {\n      codeDiscountNode {\n        id\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n": {return: LoyaltyDeactivateDiscountMutation, variables: LoyaltyDeactivateDiscountMutationVariables},
  "#graphql\n  mutation LoyaltyCreditStoreCredit($id: ID!, $creditInput: StoreCreditAccountCreditInput!) {\n    storeCreditAccountCredit(id: $id, creditInput: $creditInput) {\n      storeCreditAccountTransaction {\n        id\n        amount {\n          amount\n          currencyCode\n        }\n        createdAt\n        expiresAt\n        account {\n          id\n        }\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n": {return: LoyaltyCreditStoreCreditMutation, variables: LoyaltyCreditStoreCreditMutationVariables},
  "#graphql\n  mutation LoyaltyDebitStoreCredit($id: ID!, $debitInput: StoreCreditAccountDebitInput!) {\n    storeCreditAccountDebit(id: $id, debitInput: $debitInput) {\n      storeCreditAccountTransaction {\n        id\n        amount {\n          amount\n          currencyCode\n        }\n        createdAt\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n": {return: LoyaltyDebitStoreCreditMutation, variables: LoyaltyDebitStoreCreditMutationVariables},
  "#graphql\n  mutation LoyaltyCreateTierPerksDiscount($discount: DiscountAutomaticAppInput!) {\n    discountAutomaticAppCreate(automaticAppDiscount: $discount) {\n      automaticAppDiscount {\n        discountId\n        title\n        status\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n": {return: LoyaltyCreateTierPerksDiscountMutation, variables: LoyaltyCreateTierPerksDiscountMutationVariables},
  "#graphql\n  mutation LoyaltySetMetafields($metafields: [MetafieldsSetInput!]!) {\n    metafieldsSet(metafields: $metafields) {\n      metafields {\n        id\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n": {return: LoyaltySetMetafieldsMutation, variables: LoyaltySetMetafieldsMutationVariables},
  "#graphql\n  mutation LoyaltyFlowTriggerReceive($handle: String!, $payload: JSON!) {\n    flowTriggerReceive(handle: $handle, payload: $payload) {\n      userErrors {\n        field\n        message\n      }\n    }\n  }\n": {return: LoyaltyFlowTriggerReceiveMutation, variables: LoyaltyFlowTriggerReceiveMutationVariables},
  "#graphql\n  mutation LoyaltySyncCustomerMetafields($metafields: [MetafieldsSetInput!]!) {\n    metafieldsSet(metafields: $metafields) {\n      metafields {\n        key\n        compareDigest\n      }\n      userErrors {\n        field\n        message\n        code\n        elementIndex\n      }\n    }\n  }\n": {return: LoyaltySyncCustomerMetafieldsMutation, variables: LoyaltySyncCustomerMetafieldsMutationVariables},
  "#graphql\n  mutation LoyaltyDeleteCustomerMetafields($metafields: [MetafieldIdentifierInput!]!) {\n    metafieldsDelete(metafields: $metafields) {\n      deletedMetafields {\n        key\n      }\n      userErrors {\n        field\n        message\n      }\n    }\n  }\n": {return: LoyaltyDeleteCustomerMetafieldsMutation, variables: LoyaltyDeleteCustomerMetafieldsMutationVariables},
  "#graphql\n  mutation LoyaltyAddCustomerTags($id: ID!, $tags: [String!]!) {\n    tagsAdd(id: $id, tags: $tags) {\n      userErrors {\n        field\n        message\n      }\n    }\n  }\n": {return: LoyaltyAddCustomerTagsMutation, variables: LoyaltyAddCustomerTagsMutationVariables},
  "#graphql\n  mutation LoyaltyRemoveCustomerTags($id: ID!, $tags: [String!]!) {\n    tagsRemove(id: $id, tags: $tags) {\n      userErrors {\n        field\n        message\n      }\n    }\n  }\n": {return: LoyaltyRemoveCustomerTagsMutation, variables: LoyaltyRemoveCustomerTagsMutationVariables},
}
declare module '@shopify/admin-api-client' {
  type InputMaybe<T> = AdminTypes.InputMaybe<T>;
  interface AdminQueries extends GeneratedQueryTypes {}
  interface AdminMutations extends GeneratedMutationTypes {}
}
