/**
 * Resolvers for the slice of the Admin API a loyalty app uses. Records are turned into plain
 * "view" objects whose keys are schema field names; a key holding a function is a field with
 * arguments (graphql-js's default resolver convention). A field the view lacks is reported as
 * not simulated instead of silently resolving to null.
 */
import {
  GraphQLError,
  getNamedType,
  isInterfaceType,
  isObjectType,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
} from "graphql";
import {
  NotSimulatedError,
  createCodeDiscount,
  deactivateCodeDiscount,
  deleteCodeDiscount,
  type CodeDiscountInput,
} from "./discounts";
import {
  activateAutomaticDiscount,
  createAutomaticAppDiscount,
  deactivateAutomaticDiscount,
  deleteAutomaticDiscount,
  updateAutomaticAppDiscount,
  type AutomaticAppDiscountInput,
} from "./automatic-discounts";
import type { DiscountUserError } from "./discounts";
import { fromMinorUnits, shopifyDecimal, toMinorUnits } from "./money";
import { requiredAccessNote } from "./schema";
import {
  creditStoreCredit,
  debitStoreCredit,
  settleStoreCredit,
  storeCreditAccountsOf,
  storeCreditBalance,
  type MoneyInput,
  type StoreCreditResult,
} from "./store-credit";
import {
  digest,
  discountStatus,
  findDiscountByCode,
  findProductVariant,
  gid,
  hasScope,
  metafieldKey,
  nextNumericId,
  nowIso,
  parseGid,
  resolveNamespace,
  type AdminApiState,
  type AutomaticAppDiscountRecord,
  type CollectionRecord,
  type CustomerRecord,
  type DiscountRecord,
  type Fault,
  type MetafieldOwnerType,
  type MetafieldRecord,
  type ProductRecord,
  type ProductVariantRecord,
  type StoreCreditAccountRecord,
  type StoreCreditTransactionKind,
  type StoreCreditTransactionRecord,
  variantDisplayName,
  variantForSale,
} from "./state";

export interface ExecContext {
  state: AdminApiState;
  /** Scopes of the access token that made the request. */
  scopes: readonly string[];
  /** A queued `userErrors` fault, answered by the first mutation field instead of running it. */
  injectedUserErrors: Extract<Fault, { kind: "userErrors" }> | null;
  /** Fields the app asked for that the sandbox does not model; surfaced in the call log. */
  notSimulated: string[];
}

type View = Record<string, unknown>;
type Args = Record<string, unknown>;

const MAX_PAGE_SIZE = 250;
const MAX_METAFIELDS_PER_SET = 25;
const FLOW_PAYLOAD_LIMIT_BYTES = 50_000;

// ---------------------------------------------------------------------------------------------
// Field resolver: access scopes, not-simulated detection, injected userErrors.

export const fieldResolver: GraphQLFieldResolver<unknown, ExecContext> = (
  source,
  args,
  context,
  info,
) => {
  checkAccess(info, context);
  const isMutationRoot = info.parentType === info.schema.getMutationType();
  if (isMutationRoot && context.injectedUserErrors) {
    const fault = context.injectedUserErrors;
    context.injectedUserErrors = null;
    return injectedPayload(info, fault);
  }
  if (source === null || typeof source !== "object" || !(info.fieldName in source)) {
    const coordinate = `${info.parentType.name}.${info.fieldName}`;
    context.notSimulated.push(coordinate);
    throw new GraphQLError(`[sandbox] ${coordinate} is valid Admin API but not simulated`, {
      extensions: { code: "SANDBOX_NOT_SIMULATED" },
    });
  }
  const value = (source as View)[info.fieldName];
  if (typeof value !== "function") return value;
  try {
    return (value as (args: Args, context: ExecContext, info: GraphQLResolveInfo) => unknown).call(
      source,
      args,
      context,
      info,
    );
  } catch (error) {
    if (error instanceof NotSimulatedError) {
      context.notSimulated.push(`${info.parentType.name}.${info.fieldName}`);
      throw new GraphQLError(`[sandbox] ${error.message}`, {
        extensions: { code: "SANDBOX_NOT_SIMULATED" },
      });
    }
    throw error;
  }
};

const SCOPE_PATTERN = /`((?:unauthenticated_)?(?:read|write)_[a-z_]+)`/g;

/** Scopes named in Shopify's requiredAccess note; the part after "Also:" is about staff permissions. */
function scopesIn(note: string): string[] {
  const head = note.split("Also:")[0] ?? "";
  return [...head.matchAll(SCOPE_PATTERN)].map((match) => match[1] ?? "").filter(Boolean);
}

function checkAccess(info: GraphQLResolveInfo, context: ExecContext): void {
  const returned = getNamedType(info.returnType);
  const note =
    requiredAccessNote(`${info.parentType.name}.${info.fieldName}`) ??
    // Interfaces carry notes too: a transactions connection's nodes are StoreCreditAccountTransaction.
    (isObjectType(returned) || isInterfaceType(returned)
      ? requiredAccessNote(returned.name)
      : undefined);
  if (!note) return;
  const needed = scopesIn(note);
  if (needed.length === 0 || needed.some((scope) => hasScope(context.scopes, scope))) return;
  throw accessDenied(info.fieldName, note);
}

function accessDenied(fieldName: string, note: string): GraphQLError {
  const requiredAccess = note.replace(/^Apps must have /, "").trim();
  return new GraphQLError(
    `Access denied for ${fieldName} field. Required access: ${requiredAccess}`,
    {
      extensions: {
        code: "ACCESS_DENIED",
        documentation: "https://shopify.dev/api/usage/access-scopes",
        requiredAccess,
      },
    },
  );
}

function requireScope(context: ExecContext, fieldName: string, scope: string): void {
  if (!hasScope(context.scopes, scope)) throw accessDenied(fieldName, `\`${scope}\` access scope.`);
}

function injectedPayload(
  info: GraphQLResolveInfo,
  fault: Extract<Fault, { kind: "userErrors" }>,
): View {
  const payload = getNamedType(info.returnType);
  const view: View = {};
  if (isObjectType(payload)) for (const name of Object.keys(payload.getFields())) view[name] = null;
  view["userErrors"] = fault.userErrors.map((error) => ({
    extraInfo: null,
    elementIndex: null,
    code: null,
    ...error,
  }));
  return view;
}

// ---------------------------------------------------------------------------------------------
// Shared helpers.

function invalidGlobalId(value: unknown): GraphQLError {
  return new GraphQLError(`Invalid global id '${String(value)}'`, {
    extensions: { code: "argumentLiteralsIncompatible", typeName: "CoercionError" },
  });
}

/** Shopify rejects anything that is not a gid before resolving; numeric webhook ids are a classic bug. */
function requireGid(value: unknown): { type: string; id: string; gid: string } {
  const parsed = typeof value === "string" ? parseGid(value) : null;
  if (!parsed) throw invalidGlobalId(value);
  return { ...parsed, gid: value as string };
}

function money(state: AdminApiState, amount: string): View {
  return { amount: shopifyDecimal(amount), currencyCode: state.shop.currencyCode };
}

interface PageArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  reverse?: boolean | null;
}

function encodeCursor(key: string): string {
  return Buffer.from(JSON.stringify({ last_id: key })).toString("base64url");
}

function decodeCursor(cursor: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as {
      last_id?: unknown;
    };
    if (typeof parsed.last_id === "string") return parsed.last_id;
  } catch {
    // fall through to the error below
  }
  throw new GraphQLError("Invalid cursor for current pagination sort.", {
    extensions: { code: "BAD_REQUEST" },
  });
}

/** Relay connection over an already-filtered list, with Shopify's pagination rules. */
function connection<T>(
  items: readonly T[],
  args: PageArgs,
  keyOf: (item: T) => string,
  view: (item: T) => unknown,
): View {
  const first = args.first ?? null;
  const last = args.last ?? null;
  if (first === null && last === null) {
    throw new GraphQLError("you must provide one of first or last", {
      extensions: { code: "BAD_REQUEST" },
    });
  }
  const ordered = args.reverse ? [...items].reverse() : [...items];
  let start = 0;
  let end = ordered.length;
  if (args.after) {
    const key = decodeCursor(args.after);
    const index = ordered.findIndex((item) => keyOf(item) === key);
    start = index === -1 ? ordered.length : index + 1;
  }
  if (args.before) {
    const key = decodeCursor(args.before);
    const index = ordered.findIndex((item) => keyOf(item) === key);
    end = index === -1 ? end : index;
  }
  let window = ordered.slice(start, end);
  // graphql-ruby caps page sizes at the connection's max_page_size instead of failing.
  if (first !== null) window = window.slice(0, Math.min(Math.max(first, 0), MAX_PAGE_SIZE));
  else if (last !== null)
    window = window.slice(Math.max(window.length - Math.min(Math.max(last, 0), MAX_PAGE_SIZE), 0));
  const firstIndex = window.length ? ordered.indexOf(window[0] as T) : start;
  const lastIndex = window.length ? ordered.indexOf(window[window.length - 1] as T) : start - 1;
  const edges = window.map((item) => ({ cursor: encodeCursor(keyOf(item)), node: view(item) }));
  return {
    edges,
    nodes: edges.map((edge) => edge.node),
    pageInfo: {
      hasNextPage: lastIndex < ordered.length - 1,
      hasPreviousPage: firstIndex > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

/**
 * Shopify search syntax, the part apps use: `field:value` terms (ANDed), `-field:value`
 * negation, a trailing `*` for prefix match, quoted values, and bare words for free text.
 */
function parseSearch(
  query: string | null | undefined,
): Array<{ field: string | null; value: string; negate: boolean }> {
  if (!query) return [];
  const terms: Array<{ field: string | null; value: string; negate: boolean }> = [];
  const pattern = /(-)?(?:(\w+):)?(?:"([^"]*)"|'([^']*)'|(\S+))/g;
  for (const match of query.matchAll(pattern)) {
    const value = match[3] ?? match[4] ?? match[5] ?? "";
    if (!match[2] && /^(AND|OR|NOT)$/.test(value)) {
      if (value !== "AND")
        throw new NotSimulatedError(`search connective ${value} is not simulated`);
      continue;
    }
    terms.push({ field: match[2]?.toLowerCase() ?? null, value, negate: match[1] === "-" });
  }
  return terms;
}

function textMatches(candidate: string | null | undefined, wanted: string): boolean {
  if (candidate === null || candidate === undefined) return false;
  const a = candidate.toLowerCase();
  const b = wanted.toLowerCase();
  return b.endsWith("*") ? a.startsWith(b.slice(0, -1)) : a === b;
}

// ---------------------------------------------------------------------------------------------
// Metafields.

function ownerTypeOf(state: AdminApiState, ownerId: string): MetafieldOwnerType | null {
  if (ownerId === state.shop.id) return "SHOP";
  if (ownerId === state.appInstallationId) return "API_PERMISSION";
  if (state.customers.has(ownerId)) return "CUSTOMER";
  if (state.automaticDiscounts.has(ownerId) || state.discounts.has(ownerId)) return "DISCOUNT";
  return null;
}

export function metafieldJsonValue(record: MetafieldRecord): unknown {
  switch (record.type) {
    case "number_integer":
      return Number(record.value);
    case "boolean":
      return record.value === "true";
    case "json":
    case "money":
    case "rating":
    case "dimension":
    case "volume":
    case "weight":
      return JSON.parse(record.value) as unknown;
    default:
      return record.type.startsWith("list.") ? (JSON.parse(record.value) as unknown) : record.value;
  }
}

/** Value checks for the common metafield types; returns an error message or null. */
function metafieldValueProblem(type: string, value: string): string | null {
  const isJson = () => {
    try {
      JSON.parse(value);
      return true;
    } catch {
      return false;
    }
  };
  switch (type) {
    case "single_line_text_field":
      return /[\r\n]/.test(value) ? "Value must be a single line text string." : null;
    case "multi_line_text_field":
    case "url":
    case "color":
      return null;
    case "number_integer":
      return /^-?\d+$/.test(value) ? null : "Value must be an integer.";
    case "number_decimal":
      return /^-?\d+(\.\d+)?$/.test(value) ? null : "Value must be a decimal.";
    case "boolean":
      return value === "true" || value === "false" ? null : "Value must be true or false.";
    case "date":
      return /^\d{4}-\d{2}-\d{2}$/.test(value) ? null : "Value must be in YYYY-MM-DD format.";
    case "date_time":
      return Number.isNaN(Date.parse(value))
        ? "Value must be in YYYY-MM-DDTHH:MM:SS format."
        : null;
    case "json":
    case "money":
      return isJson() ? null : "Value is invalid JSON.";
    default:
      if (type.startsWith("list.")) return isJson() ? null : "Value is invalid JSON.";
      return null;
  }
}

function metafieldView(state: AdminApiState, record: MetafieldRecord): View {
  return {
    __typename: "Metafield",
    id: record.id,
    namespace: record.namespace,
    key: record.key,
    type: record.type,
    value: record.value,
    jsonValue: metafieldJsonValue(record),
    compareDigest: record.compareDigest,
    ownerType: record.ownerType,
    owner: () => nodeView(state, record.ownerId),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    legacyResourceId: parseGid(record.id)?.id ?? "0",
    definition: null,
    reference: null,
    description: null,
  };
}

/** The `metafield(namespace,key)` and `metafields(...)` fields every HasMetafields owner has. */
function metafieldFields(state: AdminApiState, ownerId: string): View {
  const ownerRecords = () => [...state.metafields.values()].filter((m) => m.ownerId === ownerId);
  return {
    metafield: (args: Args) => {
      const namespace = resolveNamespace(state, args["namespace"] as string | null | undefined);
      const record = state.metafields.get(metafieldKey(ownerId, namespace, String(args["key"])));
      return record ? metafieldView(state, record) : null;
    },
    metafields: (args: Args) => {
      let records = ownerRecords();
      if (typeof args["namespace"] === "string") {
        const namespace = resolveNamespace(state, args["namespace"]);
        records = records.filter((m) => m.namespace === namespace);
      }
      if (Array.isArray(args["keys"])) {
        const wanted = new Set(
          (args["keys"] as string[]).map((full) => {
            const dot = full.lastIndexOf(".");
            return `${resolveNamespace(state, full.slice(0, dot))}.${full.slice(dot + 1)}`;
          }),
        );
        records = records.filter((m) => wanted.has(`${m.namespace}.${m.key}`));
      }
      return connection(
        records,
        args as PageArgs,
        (m) => m.id,
        (m) => metafieldView(state, m),
      );
    },
  };
}

interface MetafieldsSetInput {
  ownerId: string;
  namespace?: string | null;
  key: string;
  type?: string | null;
  value: string;
  compareDigest?: string | null;
}

function metafieldsSet(context: ExecContext, inputs: MetafieldsSetInput[]): View {
  const { state } = context;
  type SetError = {
    field: string[] | null;
    message: string;
    code: string;
    elementIndex: number | null;
  };
  const errors: SetError[] = [];
  if (inputs.length > MAX_METAFIELDS_PER_SET) {
    return {
      metafields: [],
      userErrors: [
        {
          field: ["metafields"],
          message: `Exceeded the maximum metafields input limit of ${MAX_METAFIELDS_PER_SET}.`,
          code: "LESS_THAN_OR_EQUAL_TO",
          elementIndex: null,
        },
      ],
    };
  }
  const planned: Array<{ slot: string; record: MetafieldRecord }> = [];
  inputs.forEach((input, index) => {
    const fail = (field: string, message: string, code: string) =>
      errors.push({
        field: ["metafields", String(index), field],
        message,
        code,
        elementIndex: index,
      });
    const parsedOwner = parseGid(input.ownerId);
    if (!parsedOwner) throw invalidGlobalId(input.ownerId);
    const ownerType = ownerTypeOf(state, input.ownerId);
    if (!ownerType) {
      if (
        ![
          "Shop",
          "Customer",
          "AppInstallation",
          "DiscountAutomaticNode",
          "DiscountCodeNode",
        ].includes(parsedOwner.type)
      ) {
        throw new NotSimulatedError(`metafieldsSet on ${parsedOwner.type} owners is not simulated`);
      }
      fail("ownerId", "Owner does not exist.", "INVALID");
      return;
    }
    // Writing a customer's metafields needs the same scope as editing the customer.
    if (ownerType === "CUSTOMER") requireScope(context, "metafieldsSet", "write_customers");
    if (ownerType === "DISCOUNT") requireScope(context, "metafieldsSet", "write_discounts");
    const namespace = resolveNamespace(state, input.namespace);
    if (input.key.length < 2)
      return fail("key", "Key is too short (minimum is 2 characters)", "TOO_SHORT");
    if (input.key.length > 64)
      return fail("key", "Key is too long (maximum is 64 characters)", "TOO_LONG");
    if (!/^[\w-]+$/.test(input.key))
      return fail("key", "Key contains one or more invalid characters.", "INVALID");
    const slot = metafieldKey(input.ownerId, namespace, input.key);
    const existing = state.metafields.get(slot);
    const type = input.type ?? existing?.type ?? null;
    if (!type) return fail("type", "Type can't be blank", "BLANK");
    if (existing && existing.type !== type)
      return fail(
        "type",
        "Type must be the same as the existing metafield's type.",
        "INVALID_TYPE",
      );
    const problem = metafieldValueProblem(type, input.value);
    if (problem) return fail("value", problem, "INVALID_VALUE");
    // compareDigest: a string must match the stored digest; an explicit null means "must not exist yet".
    if ("compareDigest" in input && input.compareDigest !== undefined) {
      const stale =
        input.compareDigest === null
          ? existing !== undefined
          : existing?.compareDigest !== input.compareDigest;
      if (stale) {
        return fail(
          "compareDigest",
          "The resource has been updated since it was loaded. Try again with an updated `compareDigest` value.",
          "STALE_OBJECT",
        );
      }
    }
    const at = nowIso(state);
    const id = existing?.id ?? gid("Metafield", nextNumericId(state));
    planned.push({
      slot,
      record: {
        id,
        ownerId: input.ownerId,
        ownerType,
        namespace,
        key: input.key,
        type,
        value: input.value,
        compareDigest: digest([id, type, input.value, at, String(state.nextId)]),
        createdAt: existing?.createdAt ?? at,
        updatedAt: at,
      },
    });
  });
  // Atomic like Shopify: one bad entry and nothing is written.
  if (errors.length) return { metafields: [], userErrors: errors };
  for (const { slot, record } of planned) state.metafields.set(slot, record);
  return { metafields: planned.map(({ record }) => metafieldView(state, record)), userErrors: [] };
}

// ---------------------------------------------------------------------------------------------
// Views.

function shopView(state: AdminApiState): View {
  const shop = state.shop;
  return {
    __typename: "Shop",
    id: shop.id,
    name: shop.name,
    myshopifyDomain: shop.myshopifyDomain,
    currencyCode: shop.currencyCode,
    email: shop.email,
    contactEmail: shop.email,
    ianaTimezone: shop.ianaTimezone,
    url: `https://${shop.myshopifyDomain}`,
    ...metafieldFields(state, shop.id),
  };
}

export function customerDisplayName(customer: CustomerRecord): string {
  const name = [customer.firstName, customer.lastName].filter(Boolean).join(" ");
  return name || customer.email || "";
}

function customerView(state: AdminApiState, customer: CustomerRecord): View {
  return {
    __typename: "Customer",
    id: customer.id,
    legacyResourceId: parseGid(customer.id)?.id ?? "0",
    email: customer.email,
    defaultEmailAddress: customer.email
      ? {
          emailAddress: customer.email,
          marketingState: "NOT_SUBSCRIBED",
          marketingOptInLevel: null,
          marketingUpdatedAt: null,
          validFormat: true,
        }
      : null,
    firstName: customer.firstName,
    lastName: customer.lastName,
    displayName: customerDisplayName(customer),
    tags: [...customer.tags],
    numberOfOrders: String(customer.numberOfOrders),
    amountSpent: money(state, customer.amountSpent),
    note: customer.note,
    state: "ENABLED",
    locale: "en",
    verifiedEmail: customer.email !== null,
    createdAt: customer.createdAt,
    updatedAt: customer.updatedAt,
    storeCreditAccounts: (args: Args) =>
      connection(
        filterBySearch(
          storeCreditAccountsOf(state, customer.id),
          args["query"],
          storeCreditAccountMatches,
        ),
        args as PageArgs,
        (a) => a.id,
        (a) => storeCreditAccountView(state, a),
      ),
    ...metafieldFields(state, customer.id),
  };
}

function appInstallationView(context: ExecContext): View {
  const { state } = context;
  return {
    __typename: "AppInstallation",
    id: state.appInstallationId,
    accessScopes: context.scopes.map((handle) => ({ handle, description: handle })),
    ...metafieldFields(state, state.appInstallationId),
  };
}

function discountSummary(
  state: AdminApiState,
  discount: DiscountRecord,
): { short: string; full: string } {
  const currency = state.shop.currencyCode;
  const format = (amount: string) =>
    `${fromMinorUnits(toMinorUnits(amount, currency), currency)} ${currency}`;
  let short: string;
  if (discount.kind === "freeShipping") short = "Free shipping on all products";
  else if (discount.value?.kind === "percentage")
    short = `${Math.round(discount.value.percentage * 10000) / 100}% off entire order`;
  else short = `${format(discount.value?.amount ?? "0")} off entire order`;
  const parts = [short];
  if (discount.minimumSubtotal)
    parts.push(`Minimum purchase of ${format(discount.minimumSubtotal)}`);
  if (discount.appliesOncePerCustomer) parts.push("One use per customer");
  if (discount.usageLimit !== null)
    parts.push(`Limit of ${discount.usageLimit} use${discount.usageLimit === 1 ? "" : "s"}`);
  return { short, full: parts.join(" • ") };
}

function codeDiscountView(state: AdminApiState, discount: DiscountRecord): View {
  const summary = discountSummary(state, discount);
  const redeemCode = {
    id: discount.redeemCodeId,
    code: discount.code,
    asyncUsageCount: discount.asyncUsageCount,
    createdBy: null,
  };
  const common: View = {
    title: discount.title,
    codes: (args: Args) =>
      connection(
        [redeemCode],
        args as PageArgs,
        (c) => c.id,
        (c) => c,
      ),
    codesCount: { count: 1, precision: "EXACT" },
    startsAt: discount.startsAt,
    endsAt: discount.endsAt,
    status: discountStatus(discount, state.clock()),
    asyncUsageCount: discount.asyncUsageCount,
    usageLimit: discount.usageLimit,
    appliesOncePerCustomer: discount.appliesOncePerCustomer,
    combinesWith: { ...discount.combinesWith, productDiscountsWithTagsOnSameCartLine: null },
    context:
      discount.eligibility === "all"
        ? { __typename: "DiscountBuyerSelectionAll", all: "ALL" }
        : {
            __typename: "DiscountCustomers",
            customers: customerViews(state, discount.eligibility),
          },
    customerSelection:
      discount.eligibility === "all"
        ? { __typename: "DiscountCustomerAll", allCustomers: true }
        : {
            __typename: "DiscountCustomers",
            customers: customerViews(state, discount.eligibility),
          },
    minimumRequirement: discount.minimumSubtotal
      ? {
          __typename: "DiscountMinimumSubtotal",
          greaterThanOrEqualToSubtotal: money(state, discount.minimumSubtotal),
        }
      : discount.minimumQuantity
        ? {
            __typename: "DiscountMinimumQuantity",
            greaterThanOrEqualToQuantity: discount.minimumQuantity,
          }
        : null,
    tags: [...discount.tags],
    summary: summary.full,
    shortSummary: summary.short,
    createdAt: discount.createdAt,
    updatedAt: discount.updatedAt,
    hasTimelineComment: false,
    shareableUrls: [],
    totalSales: null,
    recurringCycleLimit: discount.kind === "basic" ? 1 : null,
  };
  if (discount.kind === "freeShipping") {
    return {
      __typename: "DiscountCodeFreeShipping",
      ...common,
      discountClass: "SHIPPING",
      discountClasses: ["SHIPPING"],
      appliesOnOneTimePurchase: true,
      appliesOnSubscription: false,
      destinationSelection:
        discount.destination === "all" || discount.destination === null
          ? { __typename: "DiscountCountryAll", allCountries: true }
          : {
              __typename: "DiscountCountries",
              countries: discount.destination,
              includeRestOfWorld: false,
            },
      maximumShippingPrice: discount.maximumShippingPrice
        ? money(state, discount.maximumShippingPrice)
        : null,
    };
  }
  const merchandiseClass = discount.items === "all" ? "ORDER" : "PRODUCT";
  const value = discount.value;
  return {
    __typename: "DiscountCodeBasic",
    ...common,
    discountClass: merchandiseClass,
    discountClasses: [merchandiseClass],
    customerGets: {
      appliesOnOneTimePurchase: true,
      appliesOnSubscription: false,
      value:
        value?.kind === "percentage"
          ? { __typename: "DiscountPercentage", percentage: value.percentage }
          : {
              __typename: "DiscountAmount",
              amount: money(state, value?.amount ?? "0"),
              appliesOnEachItem: value?.appliesOnEachItem ?? false,
            },
      items: () => {
        if (discount.items !== "all")
          throw new NotSimulatedError("reading product/collection discount items is not simulated");
        return { __typename: "AllDiscountItems", allItems: true };
      },
    },
  };
}

function customerViews(state: AdminApiState, ids: readonly string[]): View[] {
  return ids.flatMap((id) => {
    const customer = state.customers.get(id);
    return customer ? [customerView(state, customer)] : [];
  });
}

function codeDiscountNodeView(state: AdminApiState, discount: DiscountRecord): View {
  return {
    __typename: "DiscountCodeNode",
    id: discount.id,
    codeDiscount: codeDiscountView(state, discount),
    ...metafieldFields(state, discount.id),
  };
}

function discountNodeView(state: AdminApiState, discount: DiscountRecord): View {
  return {
    __typename: "DiscountNode",
    id: discount.id,
    discount: codeDiscountView(state, discount),
    ...metafieldFields(state, discount.id),
  };
}

function automaticAppDiscountView(
  state: AdminApiState,
  discount: AutomaticAppDiscountRecord,
): View {
  const classes = discount.discountClasses;
  return {
    __typename: "DiscountAutomaticApp",
    discountId: discount.id,
    title: discount.title,
    status: discountStatus(discount, state.clock()),
    // The deprecated single class: Shopify answers one of the classes; the first is as good as any.
    discountClass: classes[0] ?? "ORDER",
    discountClasses: [...classes],
    combinesWith: { ...discount.combinesWith, productDiscountsWithTagsOnSameCartLine: null },
    context: { __typename: "DiscountBuyerSelectionAll", all: "ALL" },
    startsAt: discount.startsAt,
    endsAt: discount.endsAt,
    tags: [...discount.tags],
    asyncUsageCount: discount.asyncUsageCount,
    appliesOnOneTimePurchase: discount.appliesOnOneTimePurchase,
    appliesOnSubscription: discount.appliesOnSubscription,
    recurringCycleLimit: discount.recurringCycleLimit,
    createdAt: discount.createdAt,
    updatedAt: discount.updatedAt,
    errorHistory: null,
    appDiscountType: {
      appKey: state.apiKey,
      functionId: discount.functionId,
      title: discount.functionHandle,
      description: null,
      discountClass: classes[0] ?? "ORDER",
      discountClasses: [...classes],
      targetType:
        classes.includes("SHIPPING") && classes.length === 1 ? "SHIPPING_LINE" : "LINE_ITEM",
    },
  };
}

function automaticDiscountNodeView(
  state: AdminApiState,
  discount: AutomaticAppDiscountRecord,
): View {
  return {
    __typename: "DiscountAutomaticNode",
    id: discount.id,
    automaticDiscount: automaticAppDiscountView(state, discount),
    ...metafieldFields(state, discount.id),
  };
}

/** discountNode/discountNodes answer an automatic discount with its own node id. */
function automaticAsDiscountNodeView(
  state: AdminApiState,
  discount: AutomaticAppDiscountRecord,
): View {
  return {
    __typename: "DiscountNode",
    id: discount.id,
    discount: automaticAppDiscountView(state, discount),
    ...metafieldFields(state, discount.id),
  };
}

function nodeView(state: AdminApiState, id: string, context?: ExecContext): View | null {
  const parsed = requireGid(id);
  switch (parsed.type) {
    case "Customer": {
      const customer = state.customers.get(id);
      return customer ? customerView(state, customer) : null;
    }
    case "DiscountCodeNode": {
      const discount = state.discounts.get(id);
      return discount ? codeDiscountNodeView(state, discount) : null;
    }
    case "DiscountAutomaticNode": {
      const discount = state.automaticDiscounts.get(id);
      return discount ? automaticDiscountNodeView(state, discount) : null;
    }
    case "Shop":
      return id === state.shop.id ? shopView(state) : null;
    case "Product": {
      const product = state.products.get(id);
      return product ? productView(state, product) : null;
    }
    case "ProductVariant":
      return variantNode(state, id);
    case "Collection": {
      const collection = state.collections.get(id);
      return collection ? collectionView(state, collection) : null;
    }
    case "AppInstallation":
      return id === state.appInstallationId && context ? appInstallationView(context) : null;
    case "Metafield": {
      const record = [...state.metafields.values()].find((m) => m.id === id);
      return record ? metafieldView(state, record) : null;
    }
    case "StoreCreditAccount": {
      // node() returns the Node interface, which carries no access note of its own.
      if (context) requireScope(context, "node", "read_store_credit_accounts");
      const account = state.storeCreditAccounts.get(id);
      return account ? storeCreditAccountView(state, account) : null;
    }
    case "StoreCreditAccountCreditTransaction":
    case "StoreCreditAccountDebitTransaction":
    case "StoreCreditAccountDebitRevertTransaction": {
      if (context) requireScope(context, "node", "read_store_credit_account_transactions");
      for (const account of state.storeCreditAccounts.values()) {
        const transaction = account.transactions.find((t) => t.id === id);
        if (transaction) return storeCreditTransactionView(state, account, transaction);
      }
      return null;
    }
    default:
      throw new NotSimulatedError(`node(id:) for ${parsed.type} is not simulated`);
  }
}

// ---------------------------------------------------------------------------------------------
// Store credit.

function moneyIn(amount: string, currencyCode: string): View {
  return { amount: shopifyDecimal(amount), currencyCode };
}

const TRANSACTION_TYPENAMES: Record<StoreCreditTransactionKind, string> = {
  credit: "StoreCreditAccountCreditTransaction",
  debit: "StoreCreditAccountDebitTransaction",
  debit_revert: "StoreCreditAccountDebitRevertTransaction",
  expiration: "StoreCreditAccountExpirationTransaction",
};

function storeCreditTransactionView(
  state: AdminApiState,
  account: StoreCreditAccountRecord,
  transaction: StoreCreditTransactionRecord,
): View {
  const currency = account.currencyCode;
  const related = () => {
    const found = account.transactions.find((t) => t.id === transaction.relatedId);
    return found ? storeCreditTransactionView(state, account, found) : null;
  };
  const view: View = {
    __typename: TRANSACTION_TYPENAMES[transaction.kind],
    account: () => storeCreditAccountView(state, account),
    amount: moneyIn(transaction.amount, currency),
    balanceAfterTransaction: moneyIn(transaction.balanceAfterTransaction, currency),
    createdAt: transaction.createdAt,
    event: transaction.event,
    origin: () => {
      if (transaction.orderId)
        throw new NotSimulatedError("the OrderTransaction origin of a store credit payment");
      return null;
    },
  };
  // StoreCreditAccountExpirationTransaction is the one kind that is no Node: it has no id.
  if (transaction.kind !== "expiration") view["id"] = transaction.id;
  if (transaction.kind === "credit") {
    view["expiresAt"] = transaction.expiresAt;
    view["remainingAmount"] = moneyIn(transaction.remainingAmount ?? "0", currency);
  }
  if (transaction.kind === "expiration") view["creditTransaction"] = related;
  if (transaction.kind === "debit_revert") view["debitTransaction"] = related;
  return view;
}

const TRANSACTION_TYPES = new Set<string>(Object.keys(TRANSACTION_TYPENAMES));

/**
 * The transactions connection's `query`: `type:` terms (credit, debit, debit_revert,
 * expiration; Shopify ignores other values) joined by AND, and OR between groups, as in the
 * schema's own example `type:credit OR type:debit_revert`.
 */
function transactionFilter(
  query: unknown,
): ((transaction: StoreCreditTransactionRecord) => boolean) | null {
  if (typeof query !== "string" || !query.trim()) return null;
  const groups = query.split(/\s+OR\s+/).map((group) =>
    parseSearch(group).map((term) => {
      if (term.field !== "type")
        throw new NotSimulatedError(
          `store credit transactions filter "${term.field ?? term.value}" is not simulated`,
        );
      const wanted = term.value.toLowerCase();
      return (t: StoreCreditTransactionRecord) =>
        !TRANSACTION_TYPES.has(wanted) || (t.kind === wanted) !== term.negate;
    }),
  );
  return (t) => groups.some((terms) => terms.every((matches) => matches(t)));
}

function storeCreditAccountView(state: AdminApiState, account: StoreCreditAccountRecord): View {
  return {
    __typename: "StoreCreditAccount",
    id: account.id,
    balance: () => moneyIn(storeCreditBalance(state, account), account.currencyCode),
    owner: () => {
      const customer = state.customers.get(account.ownerId);
      return customer ? customerView(state, customer) : null;
    },
    transactions: (args: Args) => {
      if (args["sortKey"] !== undefined && args["sortKey"] !== "CREATED_AT")
        throw new NotSimulatedError(`sorting transactions by ${String(args["sortKey"])}`);
      settleStoreCredit(state, account);
      const filter = transactionFilter(args["query"]);
      // Recorded in the order they happened: oldest first, `reverse: true` for newest first.
      const listed = filter ? account.transactions.filter(filter) : account.transactions;
      return connection(
        listed,
        args as PageArgs,
        (t) => t.id,
        (t) => storeCreditTransactionView(state, account, t),
      );
    },
  };
}

function storeCreditAccountMatches(
  account: StoreCreditAccountRecord,
  term: { field: string | null; value: string },
): boolean {
  switch (term.field) {
    case "currency_code":
      return account.currencyCode === term.value.toUpperCase();
    case "id":
      return parseGid(account.id)?.id === term.value;
    default:
      throw new NotSimulatedError(`storeCreditAccounts filter "${term.field}" is not simulated`);
  }
}

function storeCreditPayload(state: AdminApiState, result: StoreCreditResult): View {
  return {
    storeCreditAccountTransaction:
      result.account && result.transaction
        ? storeCreditTransactionView(state, result.account, result.transaction)
        : null,
    userErrors: result.userErrors,
  };
}

// ---------------------------------------------------------------------------------------------
// Root fields.

function customerMatches(
  customer: CustomerRecord,
  term: { field: string | null; value: string },
): boolean {
  switch (term.field) {
    case null:
      return [
        customer.email,
        customer.firstName,
        customer.lastName,
        customerDisplayName(customer),
      ].some((text) => text?.toLowerCase().includes(term.value.replace(/\*$/, "").toLowerCase()));
    case "email":
      return textMatches(customer.email, term.value);
    case "first_name":
      return textMatches(customer.firstName, term.value);
    case "last_name":
      return textMatches(customer.lastName, term.value);
    case "tag":
      return customer.tags.some((tag) => textMatches(tag, term.value));
    case "id":
      return parseGid(customer.id)?.id === term.value.replace(/^gid:\/\/shopify\/Customer\//, "");
    default:
      throw new NotSimulatedError(`customers(query:) filter "${term.field}" is not simulated`);
  }
}

function discountMatches(
  state: AdminApiState,
  discount: DiscountRecord,
  term: { field: string | null; value: string },
): boolean {
  switch (term.field) {
    case null:
      return [discount.title, discount.code].some((text) =>
        text.toLowerCase().includes(term.value.replace(/\*$/, "").toLowerCase()),
      );
    case "code":
      return textMatches(discount.code, term.value);
    case "title":
      return textMatches(discount.title, term.value);
    case "status":
      return listTerm(term.value).includes(discountStatus(discount, state.clock()).toLowerCase());
    case "id":
      return parseGid(discount.id)?.id === term.value;
    case "tag":
      return listTerm(term.value).some((tag) => discount.tags.some((t) => textMatches(t, tag)));
    case "method":
      return listTerm(term.value).includes("code");
    default:
      throw new NotSimulatedError(`discount search filter "${term.field}" is not simulated`);
  }
}

/** discountNodes documents comma-separated values for tag, status, method, type and discount_type. */
function listTerm(value: string): string[] {
  return value
    .toLowerCase()
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
}

/**
 * Search terms for automatic app discounts. automaticDiscountNodes documents status, tag, type and
 * id (and free text), but no title filter: `title:` is simulated only on discountNodes.
 */
function automaticDiscountMatches(
  state: AdminApiState,
  discount: AutomaticAppDiscountRecord,
  term: { field: string | null; value: string },
  root: "automaticDiscountNodes" | "discountNodes",
): boolean {
  switch (term.field) {
    case null:
      return discount.title.toLowerCase().includes(term.value.replace(/\*$/, "").toLowerCase());
    case "title":
      if (root === "automaticDiscountNodes")
        throw new NotSimulatedError(
          'automaticDiscountNodes(query:) has no documented "title" filter; use tag:, or discountNodes(query: "title:… method:automatic")',
        );
      return textMatches(discount.title, term.value);
    case "status":
      return listTerm(term.value).includes(discountStatus(discount, state.clock()).toLowerCase());
    case "id":
      return parseGid(discount.id)?.id === term.value;
    case "tag":
      return listTerm(term.value).some((tag) => discount.tags.some((t) => textMatches(t, tag)));
    case "method":
      return listTerm(term.value).includes("automatic");
    case "type":
    case "discount_type":
      return listTerm(term.value).some((type) => ["app", "all", "all_with_app"].includes(type));
    case "code":
      return false;
    default:
      throw new NotSimulatedError(`discount search filter "${term.field}" is not simulated`);
  }
}

function filterBySearch<T>(
  items: readonly T[],
  query: unknown,
  matches: (item: T, term: { field: string | null; value: string }) => boolean,
): T[] {
  const terms = parseSearch(typeof query === "string" ? query : null);
  return items.filter((item) => terms.every((term) => matches(item, term) !== term.negate));
}

/** A product's variants; products seeded without them (titles only) cannot answer. */
function variantsOf(product: ProductRecord): ProductVariantRecord[] {
  if (!product.variants)
    throw new NotSimulatedError(
      `${product.id} was seeded without variants (ProductRecord.variants); its variants are not simulated`,
    );
  return product.variants;
}

function productView(state: AdminApiState, product: ProductRecord): View {
  return {
    __typename: "Product",
    id: product.id,
    legacyResourceId: parseGid(product.id)?.id ?? "0",
    title: product.title,
    handle: product.handle,
    status: product.status ?? "ACTIVE",
    hasOnlyDefaultVariant: () => {
      const variants = variantsOf(product);
      return variants.length === 1 && variants[0]?.title === "Default Title";
    },
    variantsCount: () => ({ count: variantsOf(product).length, precision: "EXACT" }),
    // In position order, the connection's default sort (POSITION).
    variants: (args: Args) => {
      if (args["sortKey"] !== undefined && args["sortKey"] !== "POSITION")
        throw new NotSimulatedError(`sorting variants by ${String(args["sortKey"])}`);
      return connection(
        variantsOf(product),
        args as PageArgs,
        (v) => v.id,
        (v) => productVariantView(state, product, v),
      );
    },
  };
}

function productVariantView(
  state: AdminApiState,
  product: ProductRecord,
  variant: ProductVariantRecord,
): View {
  const currency = state.shop.currencyCode;
  return {
    __typename: "ProductVariant",
    id: variant.id,
    legacyResourceId: parseGid(variant.id)?.id ?? "0",
    title: variant.title,
    displayName: variantDisplayName(product, variant),
    // The Money scalar is the price with the currency's digits ("45.99", "28.00").
    price: fromMinorUnits(toMinorUnits(variant.price, currency), currency),
    compareAtPrice: null,
    sku: variant.sku,
    barcode: null,
    position: variantsOf(product).indexOf(variant) + 1,
    // Shopify's defaults for the rest.
    availableForSale: variantForSale(product, variant),
    taxable: true,
    product: () => productView(state, product),
  };
}

/**
 * A variant by gid: null when no product has it, as Shopify answers. With products seeded without
 * their variants, "no such variant" cannot be told apart from "not seeded", so it is not simulated.
 */
function variantNode(state: AdminApiState, id: string): View | null {
  const found = findProductVariant(state, id);
  if (found) return productVariantView(state, found.product, found.variant);
  const unseeded = [...state.products.values()].filter((p) => !p.variants).map((p) => p.id);
  if (unseeded.length)
    throw new NotSimulatedError(
      `looking up ${id}: ${unseeded.join(", ")} ${unseeded.length === 1 ? "was" : "were"} seeded without variants`,
    );
  return null;
}

function collectionView(state: AdminApiState, collection: CollectionRecord): View {
  const products = collection.productIds.flatMap((id) => {
    const product = state.products.get(id);
    return product ? [product] : [];
  });
  return {
    __typename: "Collection",
    id: collection.id,
    legacyResourceId: parseGid(collection.id)?.id ?? "0",
    title: collection.title,
    handle: collection.handle,
    productsCount: { count: products.length, precision: "EXACT" },
    // In the collection's order: cursors name positions, as Shopify's do for a sorted collection.
    products: (args: Args) =>
      connection(
        products,
        args as PageArgs,
        (p) => p.id,
        (p) => productView(state, p),
      ),
  };
}

function byNumericId<T extends { id: string }>(a: T, b: T): number {
  return Number(parseGid(a.id)?.id ?? 0) - Number(parseGid(b.id)?.id ?? 0);
}

function normalizeTags(tags: readonly string[]): string[] {
  return tags
    .flatMap((tag) => tag.split(","))
    .map((tag) => tag.trim())
    .filter(Boolean);
}

function taggableCustomer(
  context: ExecContext,
  id: unknown,
  fieldName: string,
): CustomerRecord | null {
  const parsed = requireGid(id);
  if (parsed.type !== "Customer") {
    if (["Order", "Product", "DraftOrder", "Article"].includes(parsed.type)) {
      throw new NotSimulatedError(`${fieldName} on ${parsed.type} is not simulated`);
    }
    return null;
  }
  requireScope(context, fieldName, "write_customers");
  return context.state.customers.get(parsed.gid) ?? null;
}

/** Both code-discount create mutations answer with the same payload shape. */
function codeDiscountCreate(
  kind: "basic" | "freeShipping",
  argument: "basicCodeDiscount" | "freeShippingCodeDiscount",
) {
  return (args: Args, context: ExecContext) => {
    const { discount, userErrors } = createCodeDiscount(
      context.state,
      kind,
      argument,
      args[argument] as CodeDiscountInput,
    );
    return {
      codeDiscountNode: discount ? codeDiscountNodeView(context.state, discount) : null,
      userErrors,
    };
  };
}

const DISCOUNT_ERROR_CODES = new Set(["BLANK", "TOO_LONG", "TOO_SHORT", "INVALID"]);

/**
 * A discount input's `metafields`, written by metafieldsSet's rules. Errors come back on the
 * discount input's path, with codes the DiscountUserError enum has (INVALID when it lacks one).
 */
function setDiscountMetafields(
  context: ExecContext,
  ownerId: string,
  inputs: NonNullable<AutomaticAppDiscountInput["metafields"]>,
): DiscountUserError[] {
  if (!inputs.length) return [];
  const { state } = context;
  const entries = inputs.map((input) => {
    const existing = input.id
      ? [...state.metafields.values()].find((m) => m.id === input.id && m.ownerId === ownerId)
      : undefined;
    if (input.id && !existing)
      throw new NotSimulatedError("MetafieldInput.id naming another owner's metafield");
    return {
      ownerId,
      namespace: existing?.namespace ?? input.namespace ?? null,
      key: existing?.key ?? input.key ?? "",
      type: input.type ?? null,
      value: input.value ?? "",
    };
  });
  const result = metafieldsSet(context, entries) as {
    userErrors: Array<{ field: string[] | null; message: string; code: string }>;
  };
  return result.userErrors.map((error) => ({
    field: error.field ? ["automaticAppDiscount", ...error.field] : null,
    message: error.message,
    code: (DISCOUNT_ERROR_CODES.has(error.code)
      ? error.code
      : "INVALID") as DiscountUserError["code"],
    extraInfo: null,
  }));
}

/** One object serves as rootValue for both queries and mutations; their field names don't clash. */
export const rootValue: View = {
  // Queries
  shop: (_args: Args, context: ExecContext) => shopView(context.state),
  customer: (args: Args, context: ExecContext) => {
    const { gid: id } = requireGid(args["id"]);
    const customer = context.state.customers.get(id);
    return customer ? customerView(context.state, customer) : null;
  },
  customers: (args: Args, context: ExecContext) => {
    const { state } = context;
    const all = [...state.customers.values()].sort(byNumericId);
    const matching = filterBySearch(all, args["query"], customerMatches);
    return connection(
      matching,
      args as PageArgs,
      (c) => c.id,
      (c) => customerView(state, c),
    );
  },
  product: (args: Args, context: ExecContext) => {
    const { gid: id } = requireGid(args["id"]);
    const product = context.state.products.get(id);
    return product ? productView(context.state, product) : null;
  },
  productVariant: (args: Args, context: ExecContext) => {
    const { gid: id, type } = requireGid(args["id"]);
    if (type !== "ProductVariant")
      throw new NotSimulatedError(`productVariant(id:) with a ${type} id is not simulated`);
    return variantNode(context.state, id);
  },
  collection: (args: Args, context: ExecContext) => {
    const { gid: id } = requireGid(args["id"]);
    const collection = context.state.collections.get(id);
    return collection ? collectionView(context.state, collection) : null;
  },
  codeDiscountNodeByCode: (args: Args, context: ExecContext) => {
    const discount = findDiscountByCode(context.state, String(args["code"]));
    return discount ? codeDiscountNodeView(context.state, discount) : null;
  },
  codeDiscountNode: (args: Args, context: ExecContext) => {
    const { gid: id } = requireGid(args["id"]);
    const discount = context.state.discounts.get(id);
    return discount ? codeDiscountNodeView(context.state, discount) : null;
  },
  discountNode: (args: Args, context: ExecContext) => {
    const { gid: id } = requireGid(args["id"]);
    const discount = context.state.discounts.get(id);
    if (discount) return discountNodeView(context.state, discount);
    const automatic = context.state.automaticDiscounts.get(id);
    return automatic ? automaticAsDiscountNodeView(context.state, automatic) : null;
  },
  automaticDiscountNode: (args: Args, context: ExecContext) => {
    const { gid: id } = requireGid(args["id"]);
    const discount = context.state.automaticDiscounts.get(id);
    return discount ? automaticDiscountNodeView(context.state, discount) : null;
  },
  automaticDiscountNodes: (args: Args, context: ExecContext) => {
    const { state } = context;
    if (args["sortKey"] !== undefined && args["sortKey"] !== "ID")
      throw new NotSimulatedError(`sorting automatic discounts by ${String(args["sortKey"])}`);
    const all = [...state.automaticDiscounts.values()].sort(byNumericId);
    const matching = filterBySearch(all, args["query"], (d, term) =>
      automaticDiscountMatches(state, d, term, "automaticDiscountNodes"),
    );
    return connection(
      matching,
      args as PageArgs,
      (d) => d.id,
      (d) => automaticDiscountNodeView(state, d),
    );
  },
  codeDiscountNodes: (args: Args, context: ExecContext) => {
    const { state } = context;
    const all = [...state.discounts.values()].sort(byNumericId);
    const matching = filterBySearch(all, args["query"], (d, term) =>
      discountMatches(state, d, term),
    );
    return connection(
      matching,
      args as PageArgs,
      (d) => d.id,
      (d) => codeDiscountNodeView(state, d),
    );
  },
  discountNodes: (args: Args, context: ExecContext) => {
    const { state } = context;
    type Listed =
      | { kind: "code"; id: string; record: DiscountRecord }
      | { kind: "automatic"; id: string; record: AutomaticAppDiscountRecord };
    const all: Listed[] = [
      ...[...state.discounts.values()].map((record) => ({
        kind: "code" as const,
        id: record.id,
        record,
      })),
      ...[...state.automaticDiscounts.values()].map((record) => ({
        kind: "automatic" as const,
        id: record.id,
        record,
      })),
    ].sort(byNumericId);
    const matching = filterBySearch(all, args["query"], (d, term) =>
      d.kind === "code"
        ? discountMatches(state, d.record, term)
        : automaticDiscountMatches(state, d.record, term, "discountNodes"),
    );
    return connection(
      matching,
      args as PageArgs,
      (d) => d.id,
      (d) =>
        d.kind === "code"
          ? discountNodeView(state, d.record)
          : automaticAsDiscountNodeView(state, d.record),
    );
  },
  storeCreditAccount: (args: Args, context: ExecContext) => {
    const { gid: id } = requireGid(args["id"]);
    const account = context.state.storeCreditAccounts.get(id);
    return account ? storeCreditAccountView(context.state, account) : null;
  },
  currentAppInstallation: (_args: Args, context: ExecContext) => appInstallationView(context),
  node: (args: Args, context: ExecContext) => nodeView(context.state, String(args["id"]), context),
  nodes: (args: Args, context: ExecContext) =>
    (args["ids"] as string[]).map((id) => nodeView(context.state, id, context)),

  // Mutations
  discountCodeBasicCreate: codeDiscountCreate("basic", "basicCodeDiscount"),
  discountCodeFreeShippingCreate: codeDiscountCreate("freeShipping", "freeShippingCodeDiscount"),
  discountCodeDelete: (args: Args, context: ExecContext) => {
    const { gid: id } = requireGid(args["id"]);
    const { deletedId, userErrors } = deleteCodeDiscount(context.state, id);
    return { deletedCodeDiscountId: deletedId, userErrors };
  },
  discountCodeDeactivate: (args: Args, context: ExecContext) => {
    const { gid: id } = requireGid(args["id"]);
    const { discount, userErrors } = deactivateCodeDiscount(context.state, id);
    return {
      codeDiscountNode: discount ? codeDiscountNodeView(context.state, discount) : null,
      userErrors,
    };
  },
  discountAutomaticAppCreate: (args: Args, context: ExecContext) => {
    const input = args["automaticAppDiscount"] as AutomaticAppDiscountInput;
    const { state } = context;
    const { discount, userErrors } = createAutomaticAppDiscount(state, input);
    if (!discount) return { automaticAppDiscount: null, userErrors };
    const metafieldErrors = setDiscountMetafields(context, discount.id, input.metafields ?? []);
    if (metafieldErrors.length) {
      // One payload, one outcome: a bad metafield means no discount, as the create is atomic.
      state.automaticDiscounts.delete(discount.id);
      return { automaticAppDiscount: null, userErrors: metafieldErrors };
    }
    return { automaticAppDiscount: automaticAppDiscountView(state, discount), userErrors: [] };
  },
  discountAutomaticAppUpdate: (args: Args, context: ExecContext) => {
    const { gid: id } = requireGid(args["id"]);
    const input = args["automaticAppDiscount"] as AutomaticAppDiscountInput;
    const { state } = context;
    const before = state.automaticDiscounts.get(id);
    const snapshot = before ? { ...before } : null;
    const { discount, userErrors } = updateAutomaticAppDiscount(state, id, input);
    if (!discount) return { automaticAppDiscount: null, userErrors };
    const metafieldErrors = setDiscountMetafields(context, discount.id, input.metafields ?? []);
    if (metafieldErrors.length) {
      if (snapshot) state.automaticDiscounts.set(id, snapshot);
      return { automaticAppDiscount: null, userErrors: metafieldErrors };
    }
    return { automaticAppDiscount: automaticAppDiscountView(state, discount), userErrors: [] };
  },
  discountAutomaticDeactivate: (args: Args, context: ExecContext) => {
    const { gid: id } = requireGid(args["id"]);
    const { discount, userErrors } = deactivateAutomaticDiscount(context.state, id);
    return {
      automaticDiscountNode: discount ? automaticDiscountNodeView(context.state, discount) : null,
      userErrors,
    };
  },
  discountAutomaticActivate: (args: Args, context: ExecContext) => {
    const { gid: id } = requireGid(args["id"]);
    const { discount, userErrors } = activateAutomaticDiscount(context.state, id);
    return {
      automaticDiscountNode: discount ? automaticDiscountNodeView(context.state, discount) : null,
      userErrors,
    };
  },
  discountAutomaticDelete: (args: Args, context: ExecContext) => {
    const { gid: id } = requireGid(args["id"]);
    const { deletedId, userErrors } = deleteAutomaticDiscount(context.state, id);
    return { deletedAutomaticDiscountId: deletedId, userErrors };
  },
  tagsAdd: (args: Args, context: ExecContext) => {
    const customer = taggableCustomer(context, args["id"], "tagsAdd");
    if (!customer)
      return { node: null, userErrors: [{ field: ["id"], message: "Resource not found" }] };
    const tags = normalizeTags(args["tags"] as string[]);
    const tooLong = tags.find((tag) => tag.length > 255);
    if (tooLong)
      return {
        node: null,
        userErrors: [{ field: ["tags"], message: "Tag is too long (maximum is 255 characters)" }],
      };
    for (const tag of tags) {
      if (!customer.tags.some((existing) => existing.toLowerCase() === tag.toLowerCase()))
        customer.tags.push(tag);
    }
    customer.updatedAt = nowIso(context.state);
    return { node: customerView(context.state, customer), userErrors: [] };
  },
  tagsRemove: (args: Args, context: ExecContext) => {
    const customer = taggableCustomer(context, args["id"], "tagsRemove");
    if (!customer)
      return { node: null, userErrors: [{ field: ["id"], message: "Resource not found" }] };
    const remove = new Set(normalizeTags(args["tags"] as string[]).map((tag) => tag.toLowerCase()));
    customer.tags = customer.tags.filter((tag) => !remove.has(tag.toLowerCase()));
    customer.updatedAt = nowIso(context.state);
    return { node: customerView(context.state, customer), userErrors: [] };
  },
  // Each identifier answers with itself when a metafield was deleted, null when there was none.
  metafieldsDelete: (args: Args, context: ExecContext) => {
    const { state } = context;
    const inputs = args["metafields"] as { ownerId: string; namespace: string; key: string }[];
    const deletedMetafields = inputs.map((input) => {
      if (!parseGid(input.ownerId)) throw invalidGlobalId(input.ownerId);
      if (ownerTypeOf(state, input.ownerId) === "CUSTOMER") {
        requireScope(context, "metafieldsDelete", "write_customers");
      }
      if (ownerTypeOf(state, input.ownerId) === "DISCOUNT") {
        requireScope(context, "metafieldsDelete", "write_discounts");
      }
      const slot = metafieldKey(input.ownerId, resolveNamespace(state, input.namespace), input.key);
      if (!state.metafields.delete(slot)) return null;
      return { ownerId: input.ownerId, namespace: input.namespace, key: input.key };
    });
    return { deletedMetafields, userErrors: [] };
  },
  metafieldsSet: (args: Args, context: ExecContext) =>
    metafieldsSet(context, args["metafields"] as MetafieldsSetInput[]),
  storeCreditAccountCredit: (args: Args, context: ExecContext) => {
    const { gid: id } = requireGid(args["id"]);
    const input = args["creditInput"] as {
      creditAmount: MoneyInput;
      expiresAt?: string | null;
      notify?: boolean | null;
    };
    return storeCreditPayload(
      context.state,
      creditStoreCredit(context.state, {
        id,
        creditAmount: input.creditAmount,
        expiresAt: input.expiresAt ?? null,
        notify: input.notify ?? false,
      }),
    );
  },
  storeCreditAccountDebit: (args: Args, context: ExecContext) => {
    const { gid: id } = requireGid(args["id"]);
    const input = args["debitInput"] as { debitAmount: MoneyInput };
    return storeCreditPayload(
      context.state,
      debitStoreCredit(context.state, { id, debitAmount: input.debitAmount }),
    );
  },
  flowTriggerReceive: (args: Args, context: ExecContext) => {
    const { state } = context;
    const handle = typeof args["handle"] === "string" ? args["handle"] : null;
    const body = typeof args["body"] === "string" ? args["body"] : null;
    const payload = args["payload"] ?? null;
    if (!handle && !body)
      return { userErrors: [{ field: ["handle"], message: "Handle can't be blank" }] };
    if (handle && state.flowTriggerHandles && !state.flowTriggerHandles.includes(handle)) {
      return { userErrors: [{ field: ["handle"], message: `Invalid handle '${handle}'.` }] };
    }
    const size = Buffer.byteLength(JSON.stringify(payload ?? body ?? ""), "utf8");
    if (size > FLOW_PAYLOAD_LIMIT_BYTES) {
      return {
        userErrors: [
          { field: ["payload"], message: "Errors: The size of the payload exceeds 50 KB" },
        ],
      };
    }
    state.flowTriggers.push({ handle, payload, body, receivedAt: nowIso(state) });
    return { userErrors: [] };
  },
};
