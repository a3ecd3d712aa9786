import { beforeEach, describe, expect, it, vi } from "vitest";
import { adminCatalog } from "../shop";
import { createAdminApi, type AdminApi } from "./admin-api";
import { installShopifyFetch } from "./fetch";
import { validateAdminDocument } from "./schema";
import { createManualClock, type ManualClock } from "./state";

const CREATE_BASIC = /* GraphQL */ `
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

const LOOKUP_BY_CODE = /* GraphQL */ `
  query RewardByCode($code: String!) {
    codeDiscountNodeByCode(code: $code) {
      id
      codeDiscount {
        __typename
        ... on DiscountCodeBasic {
          title
          status
          startsAt
          endsAt
          usageLimit
          asyncUsageCount
          appliesOncePerCustomer
          combinesWith {
            orderDiscounts
            productDiscounts
            shippingDiscounts
          }
          context {
            __typename
            ... on DiscountCustomers {
              customers {
                id
                email
              }
            }
          }
          customerGets {
            value {
              __typename
              ... on DiscountAmount {
                amount {
                  amount
                  currencyCode
                }
                appliesOnEachItem
              }
              ... on DiscountPercentage {
                percentage
              }
            }
          }
          minimumRequirement {
            __typename
            ... on DiscountMinimumSubtotal {
              greaterThanOrEqualToSubtotal {
                amount
                currencyCode
              }
            }
          }
        }
      }
    }
  }
`;

interface CreateData {
  discountCodeBasicCreate: {
    codeDiscountNode: {
      id: string;
      codeDiscount: { title: string; codes: { nodes: Array<{ code: string }> } };
    } | null;
    userErrors: Array<{ field: string[] | null; message: string; code: string | null }>;
  };
}

let clock: ManualClock;
let api: AdminApi;
let alice: string;

function rewardInput(overrides: Record<string, unknown> = {}) {
  return {
    title: "Loyalty reward: $5 off",
    code: "LOYAL-5OFF-ALICE",
    startsAt: "2026-10-01T00:00:00Z",
    endsAt: "2026-12-31T00:00:00Z",
    context: { customers: { add: [alice] } },
    customerGets: {
      value: { discountAmount: { amount: "5.00", appliesOnEachItem: false } },
      items: { all: true },
    },
    minimumRequirement: { subtotal: { greaterThanOrEqualToSubtotal: "50.00" } },
    usageLimit: 1,
    appliesOncePerCustomer: true,
    combinesWith: { orderDiscounts: false, productDiscounts: true, shippingDiscounts: true },
    ...overrides,
  };
}

beforeEach(() => {
  clock = createManualClock(Date.UTC(2026, 9, 15, 12, 0, 0));
  api = createAdminApi({ shop: "loyal-shop.myshopify.com", clock: clock.now, currencyCode: "EUR" });
  alice = api.addCustomer({
    email: "alice@example.com",
    firstName: "Alice",
    lastName: "Liddell",
    tags: ["vip"],
  }).id;
});

describe("transport and auth", () => {
  it("answers 401 with Shopify's body for a missing or unknown token", async () => {
    for (const token of [null, "shpat_not_issued"]) {
      const reply = await api.graphql("{ shop { name } }", { token });
      expect(reply.status).toBe(401);
      expect(reply.body).toEqual({
        errors: "[API] Invalid API key or access token (unrecognized login or wrong password)",
      });
    }
  });

  it("accepts tokens it was seeded with", async () => {
    const seeded = createAdminApi({ accessTokens: ["totally_real_token"] });
    const reply = await seeded.graphql<{ shop: { myshopifyDomain: string } }>(
      "{ shop { myshopifyDomain } }",
      { token: "totally_real_token" },
    );
    expect(reply.body.data?.shop.myshopifyDomain).toBe("test-shop.myshopify.com");
  });

  it("404s paths and hosts that are not this shop's GraphQL endpoint", async () => {
    const wrongHost = await api.handle(
      new Request("https://other.myshopify.com/admin/api/2026-10/graphql.json", { method: "POST" }),
    );
    const wrongVersion = await api.handle(
      new Request("https://loyal-shop.myshopify.com/admin/api/2026-13/graphql.json", {
        method: "POST",
      }),
    );
    expect([wrongHost.status, wrongVersion.status]).toEqual([404, 404]);
  });

  it("serves shop fields with a cost extension and the version header", async () => {
    const reply = await api.graphql<{ shop: Record<string, string> }>(
      "{ shop { id name myshopifyDomain currencyCode email } }",
    );
    expect(reply.status).toBe(200);
    expect(reply.headers.get("x-shopify-api-version")).toBe("2026-10");
    expect(reply.body.data?.shop).toEqual({
      id: "gid://shopify/Shop/60000001",
      name: "loyal-shop",
      myshopifyDomain: "loyal-shop.myshopify.com",
      currencyCode: "EUR",
      email: "owner@loyal-shop.myshopify.com",
    });
    expect(reply.body.extensions?.cost).toEqual({
      requestedQueryCost: 1,
      actualQueryCost: 1,
      throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 2000, restoreRate: 100 },
    });
  });
});

describe("validation errors", () => {
  it("answers 200 with graphql-ruby style errors for an unknown field", async () => {
    const reply = await api.graphql("query Q { shop { nmae } }");
    expect(reply.status).toBe(200);
    expect(reply.body.data).toBeUndefined();
    expect(reply.body.errors).toEqual([
      {
        message: "Field 'nmae' doesn't exist on type 'Shop'",
        locations: [{ line: 1, column: 18 }],
        extensions: { code: "undefinedField", typeName: "Shop", fieldName: "nmae" },
      },
    ]);
  });

  it("merges missing required arguments into one error", async () => {
    const reply = await api.graphql("mutation { tagsAdd { userErrors { message } } }");
    expect(reply.body.errors).toEqual([
      expect.objectContaining({
        message: "Field 'tagsAdd' is missing required arguments: id, tags",
        extensions: expect.objectContaining({ code: "missingRequiredArguments" }),
      }),
    ]);
  });

  it("reports bad variables as INVALID_VARIABLE with problem paths", async () => {
    const reply = await api.graphql(CREATE_BASIC, {
      variables: {
        input: {
          ...rewardInput(),
          customerGets: { value: { discountAmount: { amount: "5.00" }, bogus: 1 } },
        },
      },
    });
    const [error] = reply.body.errors as Array<{
      message: string;
      extensions: { code: string; problems: unknown };
    }>;
    expect(error?.extensions.code).toBe("INVALID_VARIABLE");
    expect(error?.extensions.problems).toEqual([
      {
        path: ["customerGets", "value", "bogus"],
        explanation: "Field is not defined on DiscountCustomerGetsValueInput",
      },
    ]);
    expect(error?.message).toBe(
      "Variable $input of type DiscountCodeBasicInput! was provided invalid value for customerGets.value.bogus (Field is not defined on DiscountCustomerGetsValueInput)",
    );
    expect(api.state.discounts.size).toBe(0);
  });

  it("rejects numeric ids the way Shopify does (a webhook id is not a gid)", async () => {
    const reply = await api.graphql("query($id: ID!) { customer(id: $id) { id } }", {
      variables: { id: "123" },
    });
    expect(reply.body.errors?.[0]).toMatchObject({
      message: "Invalid global id '123'",
      path: ["customer"],
    });
    expect(reply.body.data).toEqual({ customer: null });
  });

  it("denies fields the token has no scope for", async () => {
    const token = api.issueAccessToken({ scopes: ["read_customers"] });
    const reply = await api.graphql(CREATE_BASIC, { token, variables: { input: rewardInput() } });
    expect(reply.body.errors?.[0]).toMatchObject({
      message:
        "Access denied for discountCodeBasicCreate field. Required access: `write_discounts` access scope.",
      extensions: { code: "ACCESS_DENIED" },
    });
    expect(api.state.discounts.size).toBe(0);
  });
});

describe("discount codes", () => {
  it("creates a basic code and finds it by code, case-insensitively", async () => {
    const created = await api.graphql<CreateData>(CREATE_BASIC, {
      variables: { input: rewardInput() },
    });
    const payload = created.body.data?.discountCodeBasicCreate;
    expect(payload?.userErrors).toEqual([]);
    expect(payload?.codeDiscountNode?.id).toMatch(/^gid:\/\/shopify\/DiscountCodeNode\/\d+$/);
    expect(payload?.codeDiscountNode?.codeDiscount).toEqual({
      title: "Loyalty reward: $5 off",
      codes: { nodes: [{ code: "LOYAL-5OFF-ALICE" }] },
    });
    expect(created.body.extensions?.cost.requestedQueryCost).toBe(10);

    const found = await api.graphql<{
      codeDiscountNodeByCode: { id: string; codeDiscount: Record<string, unknown> };
    }>(LOOKUP_BY_CODE, {
      variables: { code: "loyal-5off-alice" },
    });
    expect(found.body.errors).toBeUndefined();
    expect(found.body.data?.codeDiscountNodeByCode.id).toBe(payload?.codeDiscountNode?.id);
    expect(found.body.data?.codeDiscountNodeByCode.codeDiscount).toEqual({
      __typename: "DiscountCodeBasic",
      title: "Loyalty reward: $5 off",
      status: "ACTIVE",
      startsAt: "2026-10-01T00:00:00.000Z",
      endsAt: "2026-12-31T00:00:00.000Z",
      usageLimit: 1,
      asyncUsageCount: 0,
      appliesOncePerCustomer: true,
      combinesWith: { orderDiscounts: false, productDiscounts: true, shippingDiscounts: true },
      context: {
        __typename: "DiscountCustomers",
        customers: [{ id: alice, email: "alice@example.com" }],
      },
      // Shopify prints Decimal like Ruby's BigDecimal: "5.0", not "5.00".
      customerGets: {
        value: {
          __typename: "DiscountAmount",
          amount: { amount: "5.0", currencyCode: "EUR" },
          appliesOnEachItem: false,
        },
      },
      minimumRequirement: {
        __typename: "DiscountMinimumSubtotal",
        greaterThanOrEqualToSubtotal: { amount: "50.0", currencyCode: "EUR" },
      },
    });
    expect(api.state.discounts.get(payload?.codeDiscountNode?.id ?? "")?.eligibility).toEqual([
      alice,
    ]);
  });

  it("returns null for an unknown code", async () => {
    const reply = await api.graphql(LOOKUP_BY_CODE, { variables: { code: "NOPE" } });
    expect(reply.body.data).toEqual({ codeDiscountNodeByCode: null });
  });

  it("answers a duplicate code with TAKEN on basicCodeDiscount.code", async () => {
    await api.graphql(CREATE_BASIC, { variables: { input: rewardInput() } });
    const again = await api.graphql<CreateData>(CREATE_BASIC, {
      variables: { input: rewardInput({ code: "Loyal-5off-Alice", title: "Other" }) },
    });
    expect(again.body.data?.discountCodeBasicCreate).toEqual({
      codeDiscountNode: null,
      userErrors: [
        {
          field: ["basicCodeDiscount", "code"],
          message: "Code must be unique. Please try a different code.",
          code: "TAKEN",
        },
      ],
    });
    expect(api.state.discounts.size).toBe(1);
  });

  it("rejects endsAt before startsAt and customers that do not exist", async () => {
    const reply = await api.graphql<CreateData>(CREATE_BASIC, {
      variables: {
        input: rewardInput({
          endsAt: "2026-09-01T00:00:00Z",
          context: { customers: { add: [alice, "gid://shopify/Customer/999"] } },
        }),
      },
    });
    expect(reply.body.data?.discountCodeBasicCreate.userErrors).toEqual([
      {
        field: ["basicCodeDiscount", "endsAt"],
        message: "Ends at needs to be after starts_at",
        code: "END_DATE_BEFORE_START_DATE",
      },
      {
        field: ["basicCodeDiscount", "context", "customers", "add", "1"],
        message: "Customer does not exist",
        code: "INVALID",
      },
    ]);
    expect(api.state.discounts.size).toBe(0);
  });

  it("creates a free-shipping code", async () => {
    const reply = await api.graphql<{
      discountCodeFreeShippingCreate: {
        codeDiscountNode: { codeDiscount: unknown };
        userErrors: unknown[];
      };
    }>(
      `mutation($input: DiscountCodeFreeShippingInput!) {
        discountCodeFreeShippingCreate(freeShippingCodeDiscount: $input) {
          codeDiscountNode { codeDiscount { ... on DiscountCodeFreeShipping { title destinationSelection { __typename } discountClasses } } }
          userErrors { field message code }
        }
      }`,
      {
        variables: {
          input: {
            title: "Free shipping",
            code: "SHIPFREE-1",
            startsAt: "2026-10-01T00:00:00Z",
            context: { all: "ALL" },
            destination: { all: true },
          },
        },
      },
    );
    expect(reply.body.data?.discountCodeFreeShippingCreate).toEqual({
      codeDiscountNode: {
        codeDiscount: {
          title: "Free shipping",
          destinationSelection: { __typename: "DiscountCountryAll" },
          discountClasses: ["SHIPPING"],
        },
      },
      userErrors: [],
    });
  });

  it("deactivates (status EXPIRED) and deletes", async () => {
    const created = await api.graphql<CreateData>(CREATE_BASIC, {
      variables: { input: rewardInput() },
    });
    const id = created.body.data?.discountCodeBasicCreate.codeDiscountNode?.id;
    const deactivated = await api.graphql<{
      discountCodeDeactivate: {
        codeDiscountNode: { codeDiscount: { status: string; endsAt: string } };
      };
    }>(
      `mutation($id: ID!) { discountCodeDeactivate(id: $id) { codeDiscountNode { codeDiscount { ... on DiscountCodeBasic { status endsAt } } } userErrors { message } } }`,
      { variables: { id } },
    );
    expect(deactivated.body.data?.discountCodeDeactivate.codeDiscountNode.codeDiscount).toEqual({
      status: "EXPIRED",
      endsAt: "2026-10-15T12:00:00.000Z",
    });

    const deleted = await api.graphql(
      `mutation($id: ID!) { discountCodeDelete(id: $id) { deletedCodeDiscountId userErrors { field message } } }`,
      { variables: { id } },
    );
    expect(deleted.body.data).toEqual({
      discountCodeDelete: { deletedCodeDiscountId: id, userErrors: [] },
    });
    const again = await api.graphql(
      `mutation($id: ID!) { discountCodeDelete(id: $id) { deletedCodeDiscountId userErrors { field message } } }`,
      { variables: { id } },
    );
    expect(again.body.data).toEqual({
      discountCodeDelete: {
        deletedCodeDiscountId: null,
        userErrors: [{ field: ["id"], message: "Discount does not exist" }],
      },
    });
  });

  it("lists code discounts with a search query", async () => {
    await api.graphql(CREATE_BASIC, { variables: { input: rewardInput() } });
    await api.graphql(CREATE_BASIC, {
      variables: {
        input: rewardInput({ code: "OTHER-1", title: "Spring sale", context: { all: "ALL" } }),
      },
    });
    const reply = await api.graphql<{
      codeDiscountNodes: { nodes: Array<{ codeDiscount: { title: string } }> };
    }>(
      `{ codeDiscountNodes(first: 10, query: "title:Loyalty*") { nodes { codeDiscount { ... on DiscountCodeBasic { title } } } } }`,
    );
    expect(reply.body.data?.codeDiscountNodes.nodes).toEqual([
      { codeDiscount: { title: "Loyalty reward: $5 off" } },
    ]);
  });
});

describe("customers", () => {
  it("reads a customer's loyalty-relevant fields", async () => {
    const reply = await api.graphql(
      `query($id: ID!) { customer(id: $id) { id email firstName lastName displayName tags numberOfOrders amountSpent { amount currencyCode } } }`,
      { variables: { id: alice } },
    );
    expect(reply.body.data).toEqual({
      customer: {
        id: alice,
        email: "alice@example.com",
        firstName: "Alice",
        lastName: "Liddell",
        displayName: "Alice Liddell",
        tags: ["vip"],
        numberOfOrders: "0",
        amountSpent: { amount: "0.0", currencyCode: "EUR" },
      },
    });
  });

  it("searches and paginates", async () => {
    api.addCustomer({ email: "bob@example.com", tags: ["vip"] });
    api.addCustomer({ email: "carol@example.com" });
    const page1 = await api.graphql<{
      customers: {
        nodes: Array<{ email: string }>;
        pageInfo: { hasNextPage: boolean; endCursor: string };
      };
    }>(
      `{ customers(first: 1, query: "tag:vip") { nodes { email } pageInfo { hasNextPage endCursor } } }`,
    );
    expect(page1.body.data?.customers.nodes).toEqual([{ email: "alice@example.com" }]);
    expect(page1.body.data?.customers.pageInfo.hasNextPage).toBe(true);
    expect(page1.body.extensions?.cost.requestedQueryCost).toBe(3);

    const page2 = await api.graphql<{
      customers: { nodes: Array<{ email: string }>; pageInfo: { hasNextPage: boolean } };
    }>(
      `query($after: String) { customers(first: 5, after: $after, query: "tag:vip") { nodes { email } pageInfo { hasNextPage } } }`,
      { variables: { after: page1.body.data?.customers.pageInfo.endCursor } },
    );
    expect(page2.body.data?.customers).toEqual({
      nodes: [{ email: "bob@example.com" }],
      pageInfo: { hasNextPage: false },
    });
    // Requested 2 + 5 items, but only one came back.
    expect(page2.body.extensions?.cost).toMatchObject({
      requestedQueryCost: 7,
      actualQueryCost: 3,
    });
  });

  it("requires first or last on connections", async () => {
    const reply = await api.graphql(`{ customers { nodes { id } } }`);
    expect(reply.body.errors?.[0]).toMatchObject({
      message: "you must provide one of first or last",
      path: ["customers"],
    });
  });

  it("tagsAdd appends without duplicates", async () => {
    const reply = await api.graphql(
      `mutation($id: ID!, $tags: [String!]!) { tagsAdd(id: $id, tags: $tags) { node { id } userErrors { field message } } }`,
      {
        variables: { id: alice, tags: ["loyalty-gold", "VIP", "a, b"] },
      },
    );
    expect(reply.body.data).toEqual({ tagsAdd: { node: { id: alice }, userErrors: [] } });
    expect(api.state.customers.get(alice)?.tags).toEqual(["vip", "loyalty-gold", "a", "b"]);
  });
});

describe("metafields", () => {
  const SET = `mutation($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) { metafields { key namespace value compareDigest } userErrors { field message code elementIndex } }
  }`;

  it("sets app-owned metafields on the installation and the customer, readable back via $app", async () => {
    const installation = await api.graphql<{ currentAppInstallation: { id: string } }>(
      "{ currentAppInstallation { id } }",
    );
    const installationId = installation.body.data?.currentAppInstallation.id;
    const reply = await api.graphql<{
      metafieldsSet: { metafields: Array<{ namespace: string }>; userErrors: unknown[] };
    }>(SET, {
      variables: {
        metafields: [
          {
            ownerId: installationId,
            namespace: "$app",
            key: "program",
            type: "json",
            value: '{"pointsPerEuro":1}',
          },
          {
            ownerId: alice,
            namespace: "$app:loyalty",
            key: "points",
            type: "number_integer",
            value: "120",
          },
        ],
      },
    });
    expect(reply.body.data?.metafieldsSet.userErrors).toEqual([]);
    expect(reply.body.data?.metafieldsSet.metafields.map((m) => m.namespace)).toEqual([
      `app--${api.state.appId}`,
      `app--${api.state.appId}--loyalty`,
    ]);

    const read = await api.graphql(
      `query($id: ID!) {
      currentAppInstallation { metafield(namespace: "$app", key: "program") { jsonValue } }
      customer(id: $id) { metafield(namespace: "$app:loyalty", key: "points") { value jsonValue type } }
    }`,
      { variables: { id: alice } },
    );
    expect(read.body.data).toEqual({
      currentAppInstallation: { metafield: { jsonValue: { pointsPerEuro: 1 } } },
      customer: { metafield: { value: "120", jsonValue: 120, type: "number_integer" } },
    });
  });

  it("is atomic: one invalid entry writes nothing", async () => {
    const reply = await api.graphql<{
      metafieldsSet: { metafields: unknown[]; userErrors: unknown[] };
    }>(SET, {
      variables: {
        metafields: [
          {
            ownerId: alice,
            namespace: "loyalty",
            key: "points",
            type: "number_integer",
            value: "10",
          },
          {
            ownerId: alice,
            namespace: "loyalty",
            key: "tier",
            type: "number_integer",
            value: "gold",
          },
        ],
      },
    });
    expect(reply.body.data?.metafieldsSet).toEqual({
      metafields: [],
      userErrors: [
        {
          field: ["metafields", "1", "value"],
          message: "Value must be an integer.",
          code: "INVALID_VALUE",
          elementIndex: 1,
        },
      ],
    });
    expect(api.state.metafields.size).toBe(0);
  });

  it("refuses more than 25 metafields per call", async () => {
    const metafields = Array.from({ length: 26 }, (_, i) => ({
      ownerId: alice,
      namespace: "loyalty",
      key: `k${i}x`,
      type: "single_line_text_field",
      value: "v",
    }));
    const reply = await api.graphql<{ metafieldsSet: { userErrors: Array<{ code: string }> } }>(
      SET,
      { variables: { metafields } },
    );
    expect(reply.body.data?.metafieldsSet.userErrors.map((e) => e.code)).toEqual([
      "LESS_THAN_OR_EQUAL_TO",
    ]);
    expect(api.state.metafields.size).toBe(0);
  });

  it("enforces compareDigest", async () => {
    const first = await api.graphql<{
      metafieldsSet: { metafields: Array<{ compareDigest: string }> };
    }>(SET, {
      variables: {
        metafields: [
          {
            ownerId: alice,
            namespace: "loyalty",
            key: "points",
            type: "number_integer",
            value: "10",
            compareDigest: null,
          },
        ],
      },
    });
    const digest = first.body.data?.metafieldsSet.metafields[0]?.compareDigest;
    const stale = await api.graphql<{ metafieldsSet: { userErrors: Array<{ code: string }> } }>(
      SET,
      {
        variables: {
          metafields: [
            {
              ownerId: alice,
              namespace: "loyalty",
              key: "points",
              value: "20",
              compareDigest: "stale",
            },
          ],
        },
      },
    );
    expect(stale.body.data?.metafieldsSet.userErrors.map((e) => e.code)).toEqual(["STALE_OBJECT"]);
    const fresh = await api.graphql<{ metafieldsSet: { userErrors: unknown[] } }>(SET, {
      variables: {
        metafields: [
          {
            ownerId: alice,
            namespace: "loyalty",
            key: "points",
            value: "20",
            compareDigest: digest,
          },
        ],
      },
    });
    expect(fresh.body.data?.metafieldsSet.userErrors).toEqual([]);
    expect([...api.state.metafields.values()][0]?.value).toBe("20");
  });
});

describe("flowTriggerReceive", () => {
  it("records the trigger call", async () => {
    const reply = await api.graphql(
      `mutation($handle: String!, $payload: JSON!) { flowTriggerReceive(handle: $handle, payload: $payload) { userErrors { field message } } }`,
      {
        variables: { handle: "loyalty-tier-changed", payload: { customer_id: 1, tier: "gold" } },
      },
    );
    expect(reply.body.data).toEqual({ flowTriggerReceive: { userErrors: [] } });
    expect(api.state.flowTriggers).toEqual([
      {
        handle: "loyalty-tier-changed",
        payload: { customer_id: 1, tier: "gold" },
        body: null,
        receivedAt: "2026-10-15T12:00:00.000Z",
      },
    ]);
  });
});

describe("cost and throttling", () => {
  it("throttles when the bucket is empty and restores at restoreRate per second", async () => {
    api.state.throttle = {
      ...api.state.throttle,
      enabled: true,
      maximumAvailable: 100,
      restoreRate: 10,
      currentlyAvailable: 15,
      updatedAt: clock.now(),
    };
    const query = `{ customers(first: 10) { nodes { id } } }`; // 2 + 10 × 1 = 12 requested

    const ok = await api.graphql(query);
    // Only one customer came back: actual 3, so 15 - 3 = 12 left.
    expect(ok.body.extensions?.cost).toEqual({
      requestedQueryCost: 12,
      actualQueryCost: 3,
      throttleStatus: { maximumAvailable: 100, currentlyAvailable: 12, restoreRate: 10 },
    });
    const ok2 = await api.graphql(query);
    expect(ok2.body.extensions?.cost.throttleStatus.currentlyAvailable).toBe(9);

    const throttled = await api.graphql(query);
    expect(throttled.status).toBe(200);
    expect(throttled.body.data).toBeUndefined();
    expect(throttled.body.errors).toEqual([
      {
        message: "Throttled",
        extensions: {
          code: "THROTTLED",
          documentation: "https://shopify.dev/api/usage/rate-limits",
        },
      },
    ]);
    expect(throttled.body.extensions?.cost).toEqual({
      requestedQueryCost: 12,
      actualQueryCost: null,
      throttleStatus: { maximumAvailable: 100, currentlyAvailable: 9, restoreRate: 10 },
    });

    clock.advance(300); // +3 points → 12 available: enough again
    const restored = await api.graphql(query);
    expect(restored.body.errors).toBeUndefined();
    expect(restored.body.extensions?.cost.throttleStatus.currentlyAvailable).toBe(9);

    clock.advance(60_000); // refills to the maximum, never beyond
    const full = await api.graphql("{ shop { id } }");
    expect(full.body.extensions?.cost.throttleStatus.currentlyAvailable).toBe(99);
  });

  it("rejects a single query over 1000 points", async () => {
    const reply = await api.graphql(
      `{ customers(first: 250) { nodes { metafields(first: 250) { nodes { id } } } } }`,
    );
    expect(reply.body.errors?.[0]).toMatchObject({
      extensions: { code: "MAX_COST_EXCEEDED", cost: 63252, maxCost: 1000 },
    });
  });
});

describe("faults and the call log", () => {
  it("fails the next request with an HTTP status, then recovers", async () => {
    api.state.faults.push({
      kind: "http",
      status: 503,
      body: "Service Unavailable",
      headers: { "Retry-After": "1" },
    });
    const failed = await api.graphql("{ shop { id } }").catch((error: unknown) => error);
    // api.graphql parses JSON, so a non-JSON 503 body surfaces as a parse failure; use handle() to see the raw response.
    expect(failed).toBeInstanceOf(SyntaxError);
    expect(api.state.calls.at(-1)).toMatchObject({ status: 503, fault: "http" });
    const ok = await api.graphql("{ shop { id } }");
    expect(ok.status).toBe(200);
  });

  it("throws like fetch does for a network fault", async () => {
    api.state.faults.push({ kind: "network" });
    await expect(api.graphql("{ shop { id } }")).rejects.toThrow(new TypeError("fetch failed"));
  });

  it("targets faults by operation name and leaves others queued", async () => {
    api.state.faults.push({ kind: "throttled", match: "CreateReward" });
    const unrelated = await api.graphql("query ShopName { shop { name } }");
    expect(unrelated.body.errors).toBeUndefined();
    const throttled = await api.graphql(CREATE_BASIC, { variables: { input: rewardInput() } });
    expect(throttled.body.errors?.[0]).toMatchObject({ extensions: { code: "THROTTLED" } });
    expect(throttled.body.extensions?.cost.requestedQueryCost).toBe(10);
    expect(api.state.discounts.size).toBe(0);
    expect(api.state.faults).toEqual([]);
  });

  it("injects userErrors into a mutation without running it", async () => {
    api.state.faults.push({
      kind: "userErrors",
      match: "discountCodeBasicCreate",
      userErrors: [
        { field: ["basicCodeDiscount", "code"], message: "boom", code: "INTERNAL_ERROR" },
      ],
    });
    // A query has no payload for userErrors, so it leaves the fault queued.
    await api.graphql("{ shop { id } }");
    expect(api.state.faults).toHaveLength(1);
    const reply = await api.graphql<CreateData>(CREATE_BASIC, {
      variables: { input: rewardInput() },
    });
    expect(reply.body.data?.discountCodeBasicCreate).toEqual({
      codeDiscountNode: null,
      userErrors: [
        { field: ["basicCodeDiscount", "code"], message: "boom", code: "INTERNAL_ERROR" },
      ],
    });
    expect(api.state.discounts.size).toBe(0);
  });

  it("loses the response of a call that took effect", async () => {
    api.state.faults.push({ kind: "lostResponse", match: "discountCodeBasicCreate" });
    const lost = await api
      .graphql(CREATE_BASIC, { variables: { input: rewardInput() } })
      .catch((error: unknown) => error);
    // What undici throws when the socket drops: the caller cannot tell this from `network`.
    expect(lost).toBeInstanceOf(TypeError);
    expect(lost).toMatchObject({
      message: "fetch failed",
      cause: { message: "ECONNRESET: socket hang up" },
    });
    // …but the shop created the discount and logged what it answered.
    expect(api.findDiscountByCode("LOYAL-5OFF-ALICE")?.title).toBe("Loyalty reward: $5 off");
    expect(api.state.calls.at(-1)).toMatchObject({
      operationName: "CreateReward",
      status: 200,
      fault: "lostResponse",
      response: { data: { discountCodeBasicCreate: { userErrors: [] } } },
    });
    expect(api.state.faults).toEqual([]);
    // A blind retry with the same code now meets the code the lost call created.
    const retry = await api.graphql<CreateData>(CREATE_BASIC, {
      variables: { input: rewardInput() },
    });
    expect(retry.body.data?.discountCodeBasicCreate.userErrors).toEqual([
      expect.objectContaining({ code: "TAKEN" }),
    ]);
    expect(api.state.discounts.size).toBe(1);
  });

  it("applies a delayed call only once the delay is over", async () => {
    const waits: Array<{ ms: number; done: () => void }> = [];
    const slow = createAdminApi({
      clock: clock.now,
      sleep: (ms) => new Promise<void>((done) => waits.push({ ms, done })),
    });
    const customer = slow.addCustomer({ email: "bob@example.com" }).id;
    slow.state.faults.push({ kind: "delay", ms: 5_000, match: "CreateReward" });
    const reply = slow.graphql<CreateData>(CREATE_BASIC, {
      variables: { input: rewardInput({ context: { customers: { add: [customer] } } }) },
    });
    await vi.waitFor(() => expect(waits).toHaveLength(1));
    expect(waits[0]?.ms).toBe(5_000);
    expect(slow.state.discounts.size).toBe(0);
    expect(slow.state.calls.at(-1)).toMatchObject({ fault: "delay", status: 0 });
    waits[0]?.done();
    expect((await reply).body.data?.discountCodeBasicCreate.userErrors).toEqual([]);
    expect(slow.findDiscountByCode("LOYAL-5OFF-ALICE")).toBeDefined();
    expect(slow.state.calls.at(-1)).toMatchObject({ fault: "delay", status: 200 });
  });

  it("keeps processing a delayed call whose caller timed out, in real time", async () => {
    // Through the routed fetch, with the AbortSignal an app-side timeout would pass.
    const uninstall = installShopifyFetch(api);
    try {
      api.state.faults.push({ kind: "delay", ms: 150, match: "discountCodeBasicCreate" });
      const startedAt = performance.now();
      const call = fetch("https://loyal-shop.myshopify.com/admin/api/2026-10/graphql.json", {
        method: "POST",
        headers: { "content-type": "application/json", "x-shopify-access-token": api.accessToken },
        body: JSON.stringify({ query: CREATE_BASIC, variables: { input: rewardInput() } }),
        signal: AbortSignal.timeout(30),
      });
      await expect(call).rejects.toMatchObject({ name: "TimeoutError" });
      expect(performance.now() - startedAt).toBeLessThan(140);
      expect(api.state.discounts.size).toBe(0);
      // The shop was never told; the discount appears when the delay is over.
      await vi.waitFor(() => expect(api.findDiscountByCode("LOYAL-5OFF-ALICE")).toBeDefined(), {
        timeout: 2_000,
        interval: 10,
      });
      expect(performance.now() - startedAt).toBeGreaterThanOrEqual(145);
      expect(api.state.calls.at(-1)).toMatchObject({ fault: "delay", status: 200 });
    } finally {
      uninstall();
    }
  });

  it("answers as many matching calls as `times` says, then recovers", async () => {
    api.state.faults.push({ kind: "internalError", match: "ShopName", times: 2 });
    api.state.faults.push({ kind: "network", times: 3, endpoint: "oauth" });
    const shopName = () => api.graphql("query ShopName { shop { name } }");
    expect((await shopName()).body.errors?.[0]).toMatchObject({
      extensions: { code: "INTERNAL_SERVER_ERROR" },
    });
    // The queued copy counts down; the object the test pushed is left alone.
    expect(api.state.faults[0]).toMatchObject({ kind: "internalError", times: 1 });
    expect((await shopName()).body.errors?.[0]).toMatchObject({
      extensions: { code: "INTERNAL_SERVER_ERROR" },
    });
    expect((await shopName()).body.errors).toBeUndefined();
    expect(api.state.faults).toEqual([{ kind: "network", times: 3, endpoint: "oauth" }]);

    const token = () =>
      api.handle(
        new Request("https://loyal-shop.myshopify.com/admin/oauth/access_token", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ client_id: "testApiKey", client_secret: "x" }),
        }),
      );
    for (let i = 0; i < 3; i += 1) await expect(token()).rejects.toThrow("fetch failed");
    expect((await token()).status).not.toBe(0);
    expect(api.state.faults).toEqual([]);
  });

  it("logs operation name, variables, status and response", async () => {
    await api.graphql(CREATE_BASIC, { variables: { input: rewardInput() } });
    const call = api.state.calls.at(-1);
    expect(call).toMatchObject({
      endpoint: "graphql",
      apiVersion: "2026-10",
      operationName: "CreateReward",
      operationType: "mutation",
      rootFields: ["discountCodeBasicCreate"],
      variables: { input: expect.objectContaining({ code: "LOYAL-5OFF-ALICE" }) },
      status: 200,
      fault: null,
      deprecations: [],
    });
    expect(call?.response).toMatchObject({ data: { discountCodeBasicCreate: { userErrors: [] } } });
  });

  it("flags deprecated fields in the response header and the log", async () => {
    const reply = await api.graphql(`query($id: ID!) { codeDiscountNode(id: $id) { id } }`, {
      variables: { id: "gid://shopify/DiscountCodeNode/1" },
    });
    expect(reply.headers.get("x-shopify-api-deprecated-reason")).toBe(
      "https://shopify.dev/api/usage/versioning#deprecation-practices",
    );
    expect(api.state.calls.at(-1)?.deprecations).toEqual([
      "The field QueryRoot.codeDiscountNode is deprecated. Use `discountNode` instead.",
    ]);
  });

  it("reports valid-but-unsimulated fields loudly", async () => {
    const reply = await api.graphql(`{ shop { plan { partnerDevelopment } } }`);
    expect(reply.body.errors?.[0]).toMatchObject({
      message: "[sandbox] Shop.plan is valid Admin API but not simulated",
      extensions: { code: "SANDBOX_NOT_SIMULATED" },
    });
  });
});

// The operations the app sends for store credit, verbatim.
const CREDIT_STORE_CREDIT = /* GraphQL */ `
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

const DEBIT_STORE_CREDIT = /* GraphQL */ `
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

const STORE_CREDIT_TRANSACTIONS = /* GraphQL */ `
  query LoyaltyStoreCreditTransactions($customerId: ID!) {
    customer(id: $customerId) {
      storeCreditAccounts(first: 10) {
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

// Its requested cost is 10 × (2 + 100 × 3) + … = 3043, over Shopify's 1000 per query: the same
// read of the one account in the shop currency costs 307.
const STORE_CREDIT_TRANSACTIONS_CHEAP = /* GraphQL */ `
  query LoyaltyStoreCreditTransactions($customerId: ID!, $accountQuery: String) {
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

type Money = { amount: string; currencyCode: string };
type StoreCreditError = { field: string[]; message: string; code: string };
interface CreditData {
  storeCreditAccountCredit: {
    storeCreditAccountTransaction: {
      id: string;
      amount: Money;
      createdAt: string;
      expiresAt: string | null;
      account: { id: string };
    } | null;
    userErrors: StoreCreditError[];
  };
}
interface DebitData {
  storeCreditAccountDebit: {
    storeCreditAccountTransaction: { id: string; amount: Money; createdAt: string } | null;
    userErrors: StoreCreditError[];
  };
}
interface TransactionsData {
  customer: {
    storeCreditAccounts: {
      nodes: Array<{
        id: string;
        balance: Money;
        transactions: {
          nodes: Array<{
            __typename: string;
            createdAt: string;
            amount: Money;
            id?: string;
            expiresAt?: string | null;
            remainingAmount?: Money;
          }>;
        };
      }>;
    };
  } | null;
}

const DAY = 24 * 60 * 60 * 1000;

async function credit(
  id: string,
  amount: string,
  extra: { currencyCode?: string; expiresAt?: string; notify?: boolean } = {},
  token?: string,
) {
  const { currencyCode = "EUR", ...rest } = extra;
  return api.graphql<CreditData>(CREDIT_STORE_CREDIT, {
    variables: { id, creditInput: { creditAmount: { amount, currencyCode }, ...rest } },
    ...(token ? { token } : {}),
  });
}

async function debit(id: string, amount: string, currencyCode = "EUR") {
  return api.graphql<DebitData>(DEBIT_STORE_CREDIT, {
    variables: { id, debitInput: { debitAmount: { amount, currencyCode } } },
  });
}

async function ledger(customerId = alice) {
  const reply = await api.graphql<TransactionsData>(STORE_CREDIT_TRANSACTIONS_CHEAP, {
    variables: { customerId, accountQuery: "currency_code:EUR" },
  });
  expect(reply.body.errors).toBeUndefined();
  return reply.body.data!.customer!.storeCreditAccounts.nodes;
}

describe("store credit", () => {
  it("validates the app's operations against the real schema", () => {
    for (const operation of [
      CREDIT_STORE_CREDIT,
      DEBIT_STORE_CREDIT,
      STORE_CREDIT_TRANSACTIONS,
      STORE_CREDIT_TRANSACTIONS_CHEAP,
    ])
      expect(validateAdminDocument(operation, { forbidDeprecated: true })).toEqual([]);
  });

  it("refuses the transactions query with 10 accounts × 100 transactions for its cost", async () => {
    const reply = await api.graphql(STORE_CREDIT_TRANSACTIONS, {
      variables: { customerId: alice },
    });
    expect(reply.body.errors?.[0]).toMatchObject({
      extensions: { code: "MAX_COST_EXCEEDED", cost: 3043 },
    });
    const cheap = await api.graphql(STORE_CREDIT_TRANSACTIONS_CHEAP, {
      variables: { customerId: alice, accountQuery: "currency_code:EUR" },
    });
    expect(cheap.body.extensions?.cost.requestedQueryCost).toBe(307);
  });

  it("credits a customer by id, creating their account, then the account by its id", async () => {
    const first = await credit(alice, "12.50", { expiresAt: "2027-01-01T00:00:00Z", notify: true });
    const created = first.body.data?.storeCreditAccountCredit;
    expect(created?.userErrors).toEqual([]);
    expect(created?.storeCreditAccountTransaction).toEqual({
      id: expect.stringMatching(/^gid:\/\/shopify\/StoreCreditAccountCreditTransaction\/\d+$/),
      amount: { amount: "12.5", currencyCode: "EUR" },
      createdAt: "2026-10-15T12:00:00.000Z",
      expiresAt: "2027-01-01T00:00:00.000Z",
      account: { id: expect.stringMatching(/^gid:\/\/shopify\/StoreCreditAccount\/\d+$/) },
    });
    const accountId = created!.storeCreditAccountTransaction!.account.id;

    const second = await credit(accountId, "7.50");
    expect(
      second.body.data?.storeCreditAccountCredit.storeCreditAccountTransaction?.account.id,
    ).toBe(accountId);
    const again = await credit(alice, "1.00");
    expect(
      again.body.data?.storeCreditAccountCredit.storeCreditAccountTransaction?.account.id,
    ).toBe(accountId);

    const [account, ...others] = await ledger();
    expect(others).toEqual([]);
    expect(account).toMatchObject({
      id: accountId,
      balance: { amount: "21.0", currencyCode: "EUR" },
    });
    expect(account?.transactions.nodes.map((t) => t.amount.amount)).toEqual(["1.0", "7.5", "12.5"]);
    // notify is recorded for the credit that asked for it only.
    const [record] = [...api.state.storeCreditAccounts.values()];
    expect(record?.transactions.map((t) => [t.amount, t.notify, t.event])).toEqual([
      ["12.50", true, "ADJUSTMENT"],
      ["7.50", false, "ADJUSTMENT"],
      ["1.00", false, "ADJUSTMENT"],
    ]);
  });

  it("answers bad credits with Shopify's codes and writes nothing", async () => {
    const accountId = (await credit(alice, "5.00")).body.data!.storeCreditAccountCredit
      .storeCreditAccountTransaction!.account.id;
    const cases: Array<[Promise<{ body: { data?: CreditData | null } }>, StoreCreditError]> = [
      [
        credit(alice, "0"),
        {
          field: ["creditInput", "creditAmount", "amount"],
          message: "A positive amount must be used to credit a store credit account",
          code: "NEGATIVE_OR_ZERO_AMOUNT",
        },
      ],
      [
        credit(alice, "-100.00"),
        expect.objectContaining({ code: "NEGATIVE_OR_ZERO_AMOUNT" }) as StoreCreditError,
      ],
      [
        credit(alice, "5.00", { expiresAt: "2026-10-15T11:59:59Z" }),
        {
          field: ["creditInput", "expiresAt"],
          message: "The expiry date must be in the future",
          code: "EXPIRES_AT_IN_PAST",
        },
      ],
      [
        credit(accountId, "5.00", { currencyCode: "USD" }),
        {
          field: ["creditInput", "creditAmount", "currencyCode"],
          message: "The currency provided does not match the currency of the store credit account",
          code: "MISMATCHING_CURRENCY",
        },
      ],
      [
        credit(alice, "5.00", { currencyCode: "JPY" }),
        expect.objectContaining({ code: "UNSUPPORTED_CURRENCY" }) as StoreCreditError,
      ],
      [
        credit("gid://shopify/Customer/999999", "5.00"),
        { field: ["id"], message: "Owner does not exist", code: "OWNER_NOT_FOUND" },
      ],
      [
        credit("gid://shopify/StoreCreditAccount/999999", "5.00"),
        expect.objectContaining({ field: ["id"], code: "ACCOUNT_NOT_FOUND" }) as StoreCreditError,
      ],
    ];
    for (const [reply, error] of cases) {
      const payload = (await reply).body.data?.storeCreditAccountCredit;
      expect(payload).toEqual({ storeCreditAccountTransaction: null, userErrors: [error] });
    }
    expect(api.state.storeCreditAccounts.size).toBe(1);
    expect((await ledger())[0]?.balance.amount).toBe("5.0");
  });

  it("debits with a negative amount and refuses more than the balance", async () => {
    await credit(alice, "12.00");
    const spent = await debit(alice, "5.00");
    expect(spent.body.data?.storeCreditAccountDebit).toEqual({
      storeCreditAccountTransaction: {
        id: expect.stringMatching(/^gid:\/\/shopify\/StoreCreditAccountDebitTransaction\/\d+$/),
        // As in Shopify's storeCreditAccountDebit examples: the debit's amount is negative.
        amount: { amount: "-5.0", currencyCode: "EUR" },
        createdAt: "2026-10-15T12:00:00.000Z",
      },
      userErrors: [],
    });
    const tooMuch = await debit(alice, "7.01");
    expect(tooMuch.body.data?.storeCreditAccountDebit).toEqual({
      storeCreditAccountTransaction: null,
      userErrors: [
        {
          field: ["debitInput", "debitAmount", "amount"],
          message: "The store credit account does not have sufficient funds to satisfy the request",
          code: "INSUFFICIENT_FUNDS",
        },
      ],
    });
    const bob = api.addCustomer({ email: "bob@example.com" }).id;
    expect((await debit(bob, "1.00")).body.data?.storeCreditAccountDebit.userErrors).toEqual([
      expect.objectContaining({ field: ["id"], code: "ACCOUNT_NOT_FOUND" }),
    ]);
    expect((await debit(alice, "0.00")).body.data?.storeCreditAccountDebit.userErrors).toEqual([
      expect.objectContaining({ code: "NEGATIVE_OR_ZERO_AMOUNT" }),
    ]);
    expect((await debit(alice, "7.00")).body.data?.storeCreditAccountDebit.userErrors).toEqual([]);
    expect((await ledger())[0]?.balance.amount).toBe("0.0");
  });

  it("spends the soonest-expiring credit first", async () => {
    await credit(alice, "10.00"); // never expires
    await credit(alice, "5.00", { expiresAt: "2026-12-01T00:00:00Z" });
    await credit(alice, "5.00", { expiresAt: "2026-11-01T00:00:00Z" });
    await debit(alice, "7.00");
    const credits = (await ledger())[0]!.transactions.nodes.filter(
      (t) => t.__typename === "StoreCreditAccountCreditTransaction",
    );
    expect(credits.map((t) => [t.expiresAt, t.remainingAmount?.amount])).toEqual([
      ["2026-11-01T00:00:00.000Z", "0.0"],
      ["2026-12-01T00:00:00.000Z", "3.0"],
      [null, "10.0"],
    ]);
  });

  it("expires what is left of a credit at its expiresAt", async () => {
    await credit(alice, "10.00", { expiresAt: "2026-10-16T12:00:00Z" });
    await credit(alice, "2.00");
    await debit(alice, "4.00");
    clock.advance(2 * DAY);
    const [account] = await ledger();
    expect(account?.balance.amount).toBe("2.0");
    expect(account?.transactions.nodes[0]).toEqual({
      __typename: "StoreCreditAccountExpirationTransaction",
      createdAt: "2026-10-16T12:00:00.000Z",
      amount: { amount: "-6.0", currencyCode: "EUR" },
    });
    // The expired credit still says what remained when it expired.
    expect(account?.transactions.nodes.at(-1)?.remainingAmount?.amount).toBe("6.0");
    expect((await debit(alice, "2.01")).body.data?.storeCreditAccountDebit.userErrors).toEqual([
      expect.objectContaining({ code: "INSUFFICIENT_FUNDS" }),
    ]);
  });

  it("filters transactions by type, reverses and paginates", async () => {
    await credit(alice, "3.00");
    clock.advance(1000);
    await debit(alice, "1.00");
    clock.advance(1000);
    await credit(alice, "4.00");
    const accountId = [...api.state.storeCreditAccounts.keys()][0]!;
    const page = async (args: string) => {
      const reply = await api.graphql<{
        storeCreditAccount: {
          transactions: {
            nodes: Array<{ __typename: string; amount: { amount: string } }>;
            pageInfo: { hasNextPage: boolean; endCursor: string };
          };
        };
      }>(
        `query($id: ID!) { storeCreditAccount(id: $id) { transactions(${args}) { nodes { __typename amount { amount } } pageInfo { hasNextPage endCursor } } } }`,
        { variables: { id: accountId } },
      );
      expect(reply.body.errors).toBeUndefined();
      return reply.body.data!.storeCreditAccount.transactions;
    };
    const amounts = (t: Awaited<ReturnType<typeof page>>) => t.nodes.map((n) => n.amount.amount);
    expect(amounts(await page("first: 10"))).toEqual(["3.0", "-1.0", "4.0"]);
    expect(amounts(await page("first: 10, reverse: true"))).toEqual(["4.0", "-1.0", "3.0"]);
    expect(amounts(await page(`first: 10, query: "type:credit"`))).toEqual(["3.0", "4.0"]);
    expect(amounts(await page(`first: 10, query: "type:debit"`))).toEqual(["-1.0"]);
    expect(amounts(await page(`first: 10, query: "type:debit OR type:expiration"`))).toEqual([
      "-1.0",
    ]);
    const first = await page(`first: 1, reverse: true, query: "type:credit"`);
    expect([amounts(first), first.pageInfo.hasNextPage]).toEqual([["4.0"], true]);
    const next = await page(
      `first: 1, reverse: true, query: "type:credit", after: "${first.pageInfo.endCursor}"`,
    );
    expect([amounts(next), next.pageInfo.hasNextPage]).toEqual([["3.0"], false]);
  });

  it("resolves accounts and transactions through node and nodes", async () => {
    const made = (await credit(alice, "3.00")).body.data!.storeCreditAccountCredit
      .storeCreditAccountTransaction!;
    const reply = await api.graphql<{ nodes: unknown[] }>(
      `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id
        ... on StoreCreditAccount { balance { amount } owner { ... on Customer { email } } }
        ... on StoreCreditAccountCreditTransaction { event remainingAmount { amount } } } }`,
      { variables: { ids: [made.account.id, made.id, "gid://shopify/StoreCreditAccount/1"] } },
    );
    expect(reply.body.data?.nodes).toEqual([
      {
        __typename: "StoreCreditAccount",
        id: made.account.id,
        balance: { amount: "3.0" },
        owner: { email: "alice@example.com" },
      },
      {
        __typename: "StoreCreditAccountCreditTransaction",
        id: made.id,
        event: "ADJUSTMENT",
        remainingAmount: { amount: "3.0" },
      },
      null,
    ]);
  });

  it("needs write_store_credit_account_transactions to write and read_store_credit_accounts to read accounts", async () => {
    const noStoreCredit = api.issueAccessToken({ scopes: ["read_customers", "write_customers"] });
    const denied = await credit(alice, "5.00", {}, noStoreCredit);
    expect(denied.body.errors?.[0]).toMatchObject({
      message:
        "Access denied for storeCreditAccountCredit field. Required access: `write_store_credit_account_transactions` access scope.",
      extensions: { code: "ACCESS_DENIED" },
    });
    expect(api.state.storeCreditAccounts.size).toBe(0);

    // The write scope alone runs the mutation, but `account` is a StoreCreditAccount.
    const writeOnly = api.issueAccessToken({
      scopes: ["read_customers", "write_store_credit_account_transactions"],
    });
    const partly = await credit(alice, "5.00", {}, writeOnly);
    expect(partly.body.errors?.[0]).toMatchObject({
      message:
        "Access denied for account field. Required access: `read_store_credit_accounts` access scope.",
      path: ["storeCreditAccountCredit", "storeCreditAccountTransaction", "account"],
    });
    expect(api.state.storeCreditAccounts.size).toBe(1);
    const read = await api.graphql(STORE_CREDIT_TRANSACTIONS_CHEAP, {
      token: writeOnly,
      variables: { customerId: alice },
    });
    expect(read.body.errors?.[0]).toMatchObject({ extensions: { code: "ACCESS_DENIED" } });

    // Transactions are an interface: its own note (read_store_credit_account_transactions) applies.
    const accountsOnly = api.issueAccessToken({
      scopes: ["read_customers", "read_store_credit_accounts"],
    });
    const noTransactions = await api.graphql(STORE_CREDIT_TRANSACTIONS_CHEAP, {
      token: accountsOnly,
      variables: { customerId: alice },
    });
    expect(noTransactions.body.errors?.[0]).toMatchObject({
      message:
        "Access denied for nodes field. Required access: `read_store_credit_account_transactions` access scope.",
    });
  });
});

// The operations the app sends for its tier perks (settled with the app's engineer).
const CREATE_TIER_PERKS = /* GraphQL */ `
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

const FIND_TIER_PERKS = /* GraphQL */ `
  query LoyaltyFindTierPerksDiscount($query: String!) {
    automaticDiscountNodes(first: 5, query: $query) {
      nodes {
        id
        automaticDiscount {
          ... on DiscountAutomaticApp {
            title
            status
            discountClasses
          }
        }
      }
    }
  }
`;

const UPDATE_TIER_PERKS = /* GraphQL */ `
  mutation UpdateTierPerks($id: ID!, $discount: DiscountAutomaticAppInput!) {
    discountAutomaticAppUpdate(id: $id, automaticAppDiscount: $discount) {
      automaticAppDiscount {
        discountId
        title
        status
        endsAt
        tags
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

const READ_TIER_PERKS = /* GraphQL */ `
  query ReadTierPerks($id: ID!) {
    discountNode(id: $id) {
      id
      discount {
        __typename
        ... on DiscountAutomaticApp {
          title
          discountClasses
          status
        }
      }
      metafield(namespace: "$app", key: "tier-perks") {
        value
      }
    }
    automaticDiscountNode(id: $id) {
      automaticDiscount {
        ... on DiscountAutomaticApp {
          discountId
          title
          discountClasses
          status
          startsAt
          endsAt
          tags
          combinesWith {
            orderDiscounts
            productDiscounts
            shippingDiscounts
          }
          appDiscountType {
            functionId
            appKey
          }
        }
      }
      metafield(namespace: "$app", key: "tier-perks") {
        value
        jsonValue
        compareDigest
        ownerType
      }
    }
  }
`;

const TIER_PERKS_CONFIG = '{"version":1,"tiers":{"Gold":{"percentage":10,"freeShipping":true}}}';

function tierPerksInput(overrides: Record<string, unknown> = {}) {
  return {
    title: "Loyalty tier perks",
    functionHandle: "tier-perks",
    discountClasses: ["ORDER", "SHIPPING"],
    startsAt: "2026-10-01T00:00:00Z",
    combinesWith: { orderDiscounts: false, productDiscounts: true, shippingDiscounts: true },
    tags: ["loyalty-tier-perks"],
    metafields: [{ namespace: "$app", key: "tier-perks", type: "json", value: TIER_PERKS_CONFIG }],
    ...overrides,
  };
}

interface TierPerksCreated {
  discountAutomaticAppCreate: {
    automaticAppDiscount: { discountId: string; title: string; status: string } | null;
    userErrors: Array<{ field: string[] | null; message: string; code: string | null }>;
  };
}

async function createTierPerks(overrides: Record<string, unknown> = {}, token?: string) {
  return api.graphql<TierPerksCreated>(CREATE_TIER_PERKS, {
    variables: { discount: tierPerksInput(overrides) },
    ...(token && { token }),
  });
}

describe("automatic app discounts (tier perks)", () => {
  it("validates the app's operations against the real schema", () => {
    for (const document of [CREATE_TIER_PERKS, FIND_TIER_PERKS, UPDATE_TIER_PERKS, READ_TIER_PERKS])
      expect(validateAdminDocument(document)).toEqual([]);
  });

  it("creates the discount with its config metafield and reads it back every way the app can", async () => {
    const created = await createTierPerks();
    expect(created.body.data?.discountAutomaticAppCreate).toEqual({
      automaticAppDiscount: {
        discountId: expect.stringMatching(/^gid:\/\/shopify\/DiscountAutomaticNode\/\d+$/),
        title: "Loyalty tier perks",
        status: "ACTIVE",
      },
      userErrors: [],
    });
    const id = created.body.data!.discountAutomaticAppCreate.automaticAppDiscount!.discountId;
    expect(api.state.automaticDiscounts.get(id)).toMatchObject({
      functionHandle: "tier-perks",
      discountClasses: ["ORDER", "SHIPPING"],
      tags: ["loyalty-tier-perks"],
    });

    const read = await api.graphql<Record<string, unknown>>(READ_TIER_PERKS, {
      variables: { id },
    });
    expect(read.body.errors).toBeUndefined();
    expect(read.body.data).toEqual({
      discountNode: {
        id,
        discount: {
          __typename: "DiscountAutomaticApp",
          title: "Loyalty tier perks",
          discountClasses: ["ORDER", "SHIPPING"],
          status: "ACTIVE",
        },
        metafield: { value: TIER_PERKS_CONFIG },
      },
      automaticDiscountNode: {
        automaticDiscount: {
          discountId: id,
          title: "Loyalty tier perks",
          discountClasses: ["ORDER", "SHIPPING"],
          status: "ACTIVE",
          startsAt: "2026-10-01T00:00:00.000Z",
          endsAt: null,
          tags: ["loyalty-tier-perks"],
          combinesWith: { orderDiscounts: false, productDiscounts: true, shippingDiscounts: true },
          appDiscountType: { functionId: api.state.functions[0]!.id, appKey: api.state.apiKey },
        },
        metafield: {
          value: TIER_PERKS_CONFIG,
          jsonValue: { version: 1, tiers: { Gold: { percentage: 10, freeShipping: true } } },
          compareDigest: expect.any(String),
          ownerType: "DISCOUNT",
        },
      },
    });

    const found = await api.graphql(FIND_TIER_PERKS, {
      variables: { query: "tag:loyalty-tier-perks" },
    });
    expect(found.body.data).toEqual({
      automaticDiscountNodes: {
        nodes: [
          {
            id,
            automaticDiscount: {
              title: "Loyalty tier perks",
              status: "ACTIVE",
              discountClasses: ["ORDER", "SHIPPING"],
            },
          },
        ],
      },
    });
    const none = await api.graphql(FIND_TIER_PERKS, { variables: { query: "tag:other" } });
    expect(none.body.data).toEqual({ automaticDiscountNodes: { nodes: [] } });

    // discountNodes lists code and automatic discounts together, and can search by title.
    const listed = await api.graphql<{ discountNodes: { nodes: Array<{ id: string }> } }>(
      `query($q: String!) { discountNodes(first: 5, query: $q) { nodes { id } } }`,
      { variables: { q: "title:'Loyalty tier perks' method:automatic" } },
    );
    expect(listed.body.data?.discountNodes.nodes).toEqual([{ id }]);
  });

  it("says automaticDiscountNodes has no title filter instead of guessing", async () => {
    await createTierPerks();
    const reply = await api.graphql(FIND_TIER_PERKS, {
      variables: { query: "title:'Loyalty tier perks'" },
    });
    expect(reply.body.errors?.[0]).toMatchObject({
      extensions: { code: "SANDBOX_NOT_SIMULATED" },
    });
  });

  it("updates the config with metafieldsSet on the discount, compare-digest included", async () => {
    const id = (await createTierPerks()).body.data!.discountAutomaticAppCreate.automaticAppDiscount!
      .discountId;
    const SET = `mutation($metafields: [MetafieldsSetInput!]!) {
      metafieldsSet(metafields: $metafields) { metafields { value compareDigest ownerType } userErrors { field message code } }
    }`;
    const digest = [...api.state.metafields.values()].find((m) => m.ownerId === id)!.compareDigest;
    const next = '{"version":1,"tiers":{"Gold":{"percentage":15,"freeShipping":true}}}';
    const entry = (compareDigest: string) => ({
      ownerId: id,
      namespace: "$app",
      key: "tier-perks",
      type: "json",
      value: next,
      compareDigest,
    });
    const stale = await api.graphql<{ metafieldsSet: { userErrors: Array<{ code: string }> } }>(
      SET,
      { variables: { metafields: [entry("stale")] } },
    );
    expect(stale.body.data?.metafieldsSet.userErrors.map((e) => e.code)).toEqual(["STALE_OBJECT"]);
    const fresh = await api.graphql<{
      metafieldsSet: { metafields: Array<{ ownerType: string }>; userErrors: unknown[] };
    }>(SET, { variables: { metafields: [entry(digest)] } });
    expect(fresh.body.data?.metafieldsSet).toMatchObject({
      metafields: [{ ownerType: "DISCOUNT" }],
      userErrors: [],
    });
    const read = await api.graphql<{ automaticDiscountNode: { metafield: { value: string } } }>(
      READ_TIER_PERKS,
      { variables: { id } },
    );
    expect(read.body.data?.automaticDiscountNode.metafield.value).toBe(next);

    // Writing a discount's metafields needs write_discounts, as editing the discount does.
    const token = api.issueAccessToken({ scopes: ["read_discounts", "write_customers"] });
    const denied = await api.graphql(SET, { token, variables: { metafields: [entry(digest)] } });
    expect(denied.body.errors?.[0]).toMatchObject({ extensions: { code: "ACCESS_DENIED" } });
  });

  it("updates and deactivates the discount", async () => {
    const id = (await createTierPerks()).body.data!.discountAutomaticAppCreate.automaticAppDiscount!
      .discountId;
    const updated = await api.graphql<{
      discountAutomaticAppUpdate: { automaticAppDiscount: unknown; userErrors: unknown[] };
    }>(UPDATE_TIER_PERKS, {
      variables: {
        id,
        discount: { title: "Tier perks", tags: ["loyalty-tier-perks", "v2"] },
      },
    });
    expect(updated.body.data?.discountAutomaticAppUpdate).toEqual({
      automaticAppDiscount: {
        discountId: id,
        title: "Tier perks",
        status: "ACTIVE",
        endsAt: null,
        tags: ["loyalty-tier-perks", "v2"],
      },
      userErrors: [],
    });
    expect(api.state.automaticDiscounts.get(id)?.discountClasses).toEqual(["ORDER", "SHIPPING"]);

    const missing = await api.graphql<{
      discountAutomaticAppUpdate: { userErrors: unknown[] };
    }>(UPDATE_TIER_PERKS, {
      variables: { id: "gid://shopify/DiscountAutomaticNode/1", discount: { title: "x" } },
    });
    expect(missing.body.data?.discountAutomaticAppUpdate.userErrors).toEqual([
      { field: ["id"], message: "Discount does not exist", code: "INVALID" },
    ]);

    const deactivated = await api.graphql<{
      discountAutomaticDeactivate: { automaticDiscountNode: { automaticDiscount: unknown } };
    }>(
      `mutation($id: ID!) { discountAutomaticDeactivate(id: $id) { automaticDiscountNode { automaticDiscount { ... on DiscountAutomaticApp { status endsAt } } } userErrors { message } } }`,
      { variables: { id } },
    );
    expect(deactivated.body.data?.discountAutomaticDeactivate.automaticDiscountNode).toEqual({
      automaticDiscount: { status: "EXPIRED", endsAt: "2026-10-15T12:00:00.000Z" },
    });
  });

  it("answers Shopify's userErrors and creates nothing", async () => {
    const errors = async (overrides: Record<string, unknown>) =>
      (await createTierPerks(overrides)).body.data?.discountAutomaticAppCreate.userErrors;
    expect(await errors({ functionHandle: "tier-perk" })).toEqual([
      {
        field: ["automaticAppDiscount", "functionHandle"],
        message: "Function not found.",
        code: "INVALID",
      },
    ]);
    expect(await errors({ functionHandle: null })).toEqual([
      {
        field: ["automaticAppDiscount", "functionHandle"],
        message: "Either function ID or function handle must be provided.",
        code: "MISSING_FUNCTION_IDENTIFIER",
      },
    ]);
    expect(await errors({ title: "", startsAt: null })).toEqual([
      { field: ["automaticAppDiscount", "title"], message: "Title can't be blank", code: "BLANK" },
      {
        field: ["automaticAppDiscount", "startsAt"],
        message: "Starts at can't be blank",
        code: "BLANK",
      },
    ]);
    expect(
      await errors({
        metafields: [{ namespace: "$app", key: "tier-perks", type: "json", value: "{nope" }],
      }),
    ).toEqual([
      {
        field: ["automaticAppDiscount", "metafields", "0", "value"],
        message: "Value is invalid JSON.",
        code: "INVALID",
      },
    ]);
    expect(api.state.automaticDiscounts.size).toBe(0);
    expect(api.state.metafields.size).toBe(0);
  });

  it("knows only the app's own function handles (functionHandles)", async () => {
    api = createAdminApi({ clock: clock.now, functionHandles: ["tier-perks", "volume"] });
    const made = await createTierPerks({ functionHandle: "volume" });
    expect(made.body.data?.discountAutomaticAppCreate.userErrors).toEqual([]);
  });

  it("needs write_discounts", async () => {
    const token = api.issueAccessToken({ scopes: ["read_discounts"] });
    const denied = await createTierPerks({}, token);
    expect(denied.body.errors?.[0]).toMatchObject({
      message:
        "Access denied for discountAutomaticAppCreate field. Required access: `write_discounts` access scope.",
      extensions: { code: "ACCESS_DENIED" },
    });
    expect(api.state.automaticDiscounts.size).toBe(0);
  });

  it("takes injected userErrors like any mutation", async () => {
    api.state.faults.push({
      kind: "userErrors",
      match: "LoyaltyCreateTierPerksDiscount",
      userErrors: [{ field: ["automaticAppDiscount", "title"], message: "Boom", code: "INVALID" }],
    });
    const reply = await createTierPerks();
    expect(reply.body.data?.discountAutomaticAppCreate).toEqual({
      automaticAppDiscount: null,
      userErrors: [{ field: ["automaticAppDiscount", "title"], message: "Boom", code: "INVALID" }],
    });
    expect(api.state.automaticDiscounts.size).toBe(0);
  });
});

// The free-product reward reads the variant's price when a shopper redeems (its query, verbatim).
const FREE_PRODUCT_VARIANT = /* GraphQL */ `
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

// What the picker shows, and the product a variant belongs to.
const VARIANT_NAMES = /* GraphQL */ `
  query VariantNames($id: ID!) {
    productVariant(id: $id) {
      id
      displayName
      product {
        id
        handle
      }
    }
  }
`;

const WALLET_BROWN = "gid://shopify/ProductVariant/4400000000060";
const WALLET = "gid://shopify/Product/8800000000006";
const TOTE_DEFAULT = "gid://shopify/ProductVariant/4400000000010";

describe("products and their variants", () => {
  let shop: AdminApi;
  beforeEach(() => {
    shop = createAdminApi({ shop: "demo-shop.myshopify.com", ...adminCatalog() });
  });

  it("validates the app's variant query against the real schema", () => {
    expect(validateAdminDocument(FREE_PRODUCT_VARIANT, { forbidDeprecated: true })).toEqual([]);
    expect(validateAdminDocument(VARIANT_NAMES, { forbidDeprecated: true })).toEqual([]);
  });

  it("answers productVariant with the catalogue's price, Shopify's display name and its product", async () => {
    const reply = await shop.graphql(FREE_PRODUCT_VARIANT, { variables: { id: WALLET_BROWN } });
    expect(reply.body.errors).toBeUndefined();
    expect(reply.body.data).toEqual({
      productVariant: {
        id: WALLET_BROWN,
        price: "45.99",
        availableForSale: true,
        product: { status: "ACTIVE" },
      },
    });
    // An object (1) and its product (1); scalars are free.
    expect(reply.body.extensions?.cost).toMatchObject({
      requestedQueryCost: 2,
      actualQueryCost: 2,
    });
    const names = await shop.graphql(VARIANT_NAMES, { variables: { id: WALLET_BROWN } });
    expect(names.body.data).toEqual({
      productVariant: {
        id: WALLET_BROWN,
        displayName: "Leather Wallet - Brown",
        product: { id: WALLET, handle: "leather-wallet" },
      },
    });
    // A product without options has one "Default Title" variant, and Shopify keeps it in the name.
    const tote = await shop.graphql(VARIANT_NAMES, { variables: { id: TOTE_DEFAULT } });
    expect(tote.body.data).toMatchObject({
      productVariant: { displayName: "Canvas Tote - Default Title" },
    });
  });

  it("says a sold-out variant, or any of a draft or archived product, is not for sale", async () => {
    const wallet = shop.state.products.get(WALLET)!;
    wallet.variants![0]!.availableForSale = false;
    const soldOut = await shop.graphql(FREE_PRODUCT_VARIANT, { variables: { id: WALLET_BROWN } });
    expect(soldOut.body.data).toMatchObject({
      productVariant: { availableForSale: false, product: { status: "ACTIVE" } },
    });
    wallet.variants![0]!.availableForSale = true;
    wallet.status = "DRAFT";
    const draft = await shop.graphql(FREE_PRODUCT_VARIANT, { variables: { id: WALLET_BROWN } });
    expect(draft.body.data).toMatchObject({
      productVariant: { availableForSale: false, product: { status: "DRAFT" } },
    });
  });

  it("answers null for a variant the shop does not have, and refuses a non-gid", async () => {
    const unknown = await shop.graphql(FREE_PRODUCT_VARIANT, {
      variables: { id: "gid://shopify/ProductVariant/1" },
    });
    expect(unknown.body).toMatchObject({ data: { productVariant: null } });
    expect(unknown.body.errors).toBeUndefined();
    const numeric = await shop.graphql(FREE_PRODUCT_VARIANT, {
      variables: { id: "4400000000060" },
    });
    expect(numeric.body.errors?.[0]).toMatchObject({
      message: "Invalid global id '4400000000060'",
      path: ["productVariant"],
    });
  });

  it("lists a product's variants in position order, and finds both through node", async () => {
    const reply = await shop.graphql<{
      product: {
        hasOnlyDefaultVariant: boolean;
        variantsCount: { count: number };
        variants: unknown;
      };
      variant: unknown;
      product2: unknown;
    }>(
      `query($product: ID!, $variant: ID!) {
        product(id: $product) {
          hasOnlyDefaultVariant
          variantsCount { count }
          variants(first: 1) { nodes { id title position sku price } pageInfo { hasNextPage } }
        }
        variant: node(id: $variant) { __typename ... on ProductVariant { title product { title } } }
        product2: node(id: $product) { __typename ... on Product { handle } }
      }`,
      { variables: { product: WALLET, variant: "gid://shopify/ProductVariant/4400000000061" } },
    );
    expect(reply.body.errors).toBeUndefined();
    expect(reply.body.data).toEqual({
      product: {
        hasOnlyDefaultVariant: false,
        variantsCount: { count: 2 },
        variants: {
          nodes: [
            {
              id: WALLET_BROWN,
              title: "Brown",
              position: 1,
              sku: "SKU-4400000000060",
              price: "45.99",
            },
          ],
          pageInfo: { hasNextPage: true },
        },
      },
      variant: {
        __typename: "ProductVariant",
        title: "Black",
        product: { title: "Leather Wallet" },
      },
      product2: { __typename: "Product", handle: "leather-wallet" },
    });
  });

  it("needs read_products, as the ProductVariant object says", async () => {
    const token = shop.issueAccessToken({ scopes: ["read_customers"] });
    const reply = await shop.graphql(FREE_PRODUCT_VARIANT, {
      token,
      variables: { id: WALLET_BROWN },
    });
    expect(reply.body.errors?.[0]).toMatchObject({ extensions: { code: "ACCESS_DENIED" } });
  });

  it("says so instead of answering for a product seeded without its variants", async () => {
    shop.state.products.set(WALLET, {
      id: WALLET,
      title: "Leather Wallet",
      handle: "leather-wallet",
    });
    const reply = await shop.graphql(FREE_PRODUCT_VARIANT, { variables: { id: WALLET_BROWN } });
    expect(reply.body.errors?.[0]).toMatchObject({
      extensions: { code: "SANDBOX_NOT_SIMULATED" },
      message: expect.stringContaining("seeded without variants"),
    });
  });
});
