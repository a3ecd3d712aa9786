/**
 * discountCodeBasicCreate / discountCodeFreeShippingCreate business rules: what Shopify
 * stores and which userErrors it answers with. Inputs arrive already coerced by graphql-js
 * against DiscountCodeBasicInput / DiscountCodeFreeShippingInput, so only semantic checks
 * live here.
 */
import { isDecimalString, toMinorUnits } from "./money";
import {
  findDiscountByCode,
  gid,
  nextNumericId,
  nowIso,
  parseGid,
  type AdminApiState,
  type CombinesWith,
  type DiscountRecord,
  type DiscountValue,
} from "./state";

export interface DiscountUserError {
  field: string[] | null;
  message: string;
  code: DiscountErrorCode | null;
  extraInfo: string | null;
}

/** Subset of the schema's DiscountErrorCode enum the simulation emits. */
export type DiscountErrorCode =
  | "BLANK"
  | "TAKEN"
  | "TOO_LONG"
  | "INVALID"
  | "END_DATE_BEFORE_START_DATE"
  | "MISSING_ARGUMENT"
  | "TOO_MANY_ARGUMENTS"
  | "VALUE_OUTSIDE_RANGE"
  | "GREATER_THAN"
  | "MINIMUM_SUBTOTAL_AND_QUANTITY_RANGE_BOTH_PRESENT"
  | "MISSING_FUNCTION_IDENTIFIER"
  | "MULTIPLE_FUNCTION_IDENTIFIERS"
  | "MAX_APP_DISCOUNTS"
  | "TOO_MANY_TAGS"
  | "INVALID_TAG_LENGTH";

/**
 * Messages in one place so they are easy to correct against a live shop. Only TAKEN's text
 * is confirmed (it is the one the app matches); the others follow Shopify's Rails wording.
 */
export const DISCOUNT_MESSAGES = {
  codeTaken: "Code must be unique. Please try a different code.",
  codeBlank: "Code can't be blank",
  codeTooLong: "Code is too long (maximum is 255 characters)",
  titleBlank: "Title can't be blank",
  startsAtBlank: "Starts at can't be blank",
  endsBeforeStart: "Ends at needs to be after starts_at",
  contextMissing: "Context must be provided",
  customerMissing: "Customer does not exist",
  customerGetsMissing: "Customer gets can't be blank",
  valueMissing: "Value can't be blank",
  valueTooMany: "Only one of discountAmount, discountOnQuantity or percentage can be specified",
  onQuantityNotAllowed: "discountOnQuantity is only valid for Buy X Get Y discounts",
  percentageRange: "Value must be between 0.0 and 1.0",
  amountPositive: "Value must be greater than 0",
  itemsMissing: "Items can't be blank",
  minimumBoth: "Minimum subtotal and quantity range can't both be present",
  minimumPositive: "Minimum subtotal must be greater than 0",
  usageLimitPositive: "Usage limit must be greater than 0",
  destinationMissing: "Destination can't be blank",
  discountNotFound: "Discount does not exist",
} as const;

// Input shapes after graphql-js coercion (absent keys stay absent, explicit nulls stay null).
interface MoneyAmountInput {
  amount?: string | null;
  appliesOnEachItem?: boolean | null;
}
interface CustomerGetsInput {
  value?: {
    discountAmount?: MoneyAmountInput | null;
    percentage?: number | null;
    discountOnQuantity?: unknown;
  } | null;
  items?: {
    all?: boolean | null;
    products?: { productsToAdd?: string[] | null; productVariantsToAdd?: string[] | null } | null;
    collections?: { add?: string[] | null } | null;
  } | null;
}
interface ContextInput {
  all?: "ALL" | null;
  customers?: { add?: string[] | null; remove?: string[] | null } | null;
  customerSegments?: unknown;
  markets?: unknown;
}
export interface CodeDiscountInput {
  title?: string | null;
  code?: string | null;
  startsAt?: string | null;
  endsAt?: string | null;
  context?: ContextInput | null;
  customerSelection?: { all?: boolean | null; customers?: { add?: string[] | null } | null } | null;
  customerGets?: CustomerGetsInput | null;
  minimumRequirement?: {
    subtotal?: { greaterThanOrEqualToSubtotal?: string | null } | null;
    quantity?: { greaterThanOrEqualToQuantity?: string | null } | null;
  } | null;
  usageLimit?: number | null;
  appliesOncePerCustomer?: boolean | null;
  combinesWith?: Partial<CombinesWith> | null;
  tags?: string[] | null;
  destination?: { all?: boolean | null; countries?: { add?: string[] | null } | null } | null;
  maximumShippingPrice?: string | null;
}

/** Thrown for inputs the sandbox deliberately does not model, so a test never silently passes. */
export class NotSimulatedError extends Error {}

export function createCodeDiscount(
  state: AdminApiState,
  kind: DiscountRecord["kind"],
  argumentName: "basicCodeDiscount" | "freeShippingCodeDiscount",
  input: CodeDiscountInput,
): { discount: DiscountRecord | null; userErrors: DiscountUserError[] } {
  const errors: DiscountUserError[] = [];
  const fail = (path: string[], message: string, code: DiscountErrorCode) =>
    errors.push({ field: [argumentName, ...path], message, code, extraInfo: null });

  const title = input.title?.trim() ?? "";
  if (!title) fail(["title"], DISCOUNT_MESSAGES.titleBlank, "BLANK");

  const code = input.code?.trim() ?? "";
  if (!code) fail(["code"], DISCOUNT_MESSAGES.codeBlank, "BLANK");
  else if (code.length > 255) fail(["code"], DISCOUNT_MESSAGES.codeTooLong, "TOO_LONG");
  else if (findDiscountByCode(state, code)) fail(["code"], DISCOUNT_MESSAGES.codeTaken, "TAKEN");

  const startsAt = input.startsAt ?? null;
  if (!startsAt) fail(["startsAt"], DISCOUNT_MESSAGES.startsAtBlank, "BLANK");
  const endsAt = input.endsAt ?? null;
  if (startsAt && endsAt && Date.parse(endsAt) <= Date.parse(startsAt)) {
    fail(["endsAt"], DISCOUNT_MESSAGES.endsBeforeStart, "END_DATE_BEFORE_START_DATE");
  }

  const eligibility = readEligibility(state, input, fail);

  let value: DiscountValue | null = null;
  let items: DiscountRecord["items"] = "all";
  if (kind === "basic") {
    const gets = input.customerGets;
    if (!gets) fail(["customerGets"], DISCOUNT_MESSAGES.customerGetsMissing, "BLANK");
    else {
      value = readValue(state, gets, fail);
      items = readItems(gets, fail);
    }
  }

  const minimum = input.minimumRequirement;
  const minimumSubtotal = minimum?.subtotal?.greaterThanOrEqualToSubtotal ?? null;
  const minimumQuantity = minimum?.quantity?.greaterThanOrEqualToQuantity ?? null;
  if (minimumSubtotal !== null && minimumQuantity !== null) {
    fail(
      ["minimumRequirement"],
      DISCOUNT_MESSAGES.minimumBoth,
      "MINIMUM_SUBTOTAL_AND_QUANTITY_RANGE_BOTH_PRESENT",
    );
  } else if (minimumSubtotal !== null && !isPositiveAmount(state, minimumSubtotal)) {
    fail(
      ["minimumRequirement", "subtotal", "greaterThanOrEqualToSubtotal"],
      DISCOUNT_MESSAGES.minimumPositive,
      "GREATER_THAN",
    );
  }

  if (input.usageLimit !== undefined && input.usageLimit !== null && input.usageLimit < 1) {
    fail(["usageLimit"], DISCOUNT_MESSAGES.usageLimitPositive, "GREATER_THAN");
  }

  let destination: DiscountRecord["destination"] = null;
  if (kind === "freeShipping") {
    if (input.destination?.all) destination = "all";
    else if (input.destination?.countries?.add?.length)
      destination = [...input.destination.countries.add];
    else fail(["destination"], DISCOUNT_MESSAGES.destinationMissing, "BLANK");
  }

  if (errors.length) return { discount: null, userErrors: errors };

  const at = nowIso(state);
  const id = nextNumericId(state);
  const discount: DiscountRecord = {
    id: gid("DiscountCodeNode", id),
    redeemCodeId: gid("DiscountRedeemCode", nextNumericId(state)),
    kind,
    title,
    code,
    startsAt: new Date(startsAt ?? at).toISOString(),
    endsAt: endsAt ? new Date(endsAt).toISOString() : null,
    eligibility,
    value,
    items,
    minimumSubtotal,
    minimumQuantity,
    usageLimit: input.usageLimit ?? null,
    appliesOncePerCustomer: input.appliesOncePerCustomer ?? false,
    combinesWith: {
      orderDiscounts: input.combinesWith?.orderDiscounts ?? false,
      productDiscounts: input.combinesWith?.productDiscounts ?? false,
      shippingDiscounts: input.combinesWith?.shippingDiscounts ?? false,
    },
    tags: [...(input.tags ?? [])],
    destination,
    maximumShippingPrice: input.maximumShippingPrice ?? null,
    asyncUsageCount: 0,
    redemptions: [],
    createdAt: at,
    updatedAt: at,
  };
  state.discounts.set(discount.id, discount);
  return { discount, userErrors: [] };
}

function isPositiveAmount(state: AdminApiState, amount: string): boolean {
  if (!isDecimalString(amount)) return false;
  try {
    return toMinorUnits(amount, state.shop.currencyCode) > 0n;
  } catch {
    return false; // more decimals than the currency has
  }
}

type Fail = (path: string[], message: string, code: DiscountErrorCode) => void;

function readEligibility(
  state: AdminApiState,
  input: CodeDiscountInput,
  fail: Fail,
): DiscountRecord["eligibility"] {
  const context = input.context;
  if (context) {
    if (context.customerSegments || context.markets) {
      throw new NotSimulatedError(
        "DiscountContextInput.customerSegments/markets are not simulated; use customers or all",
      );
    }
    if (context.all === "ALL") return "all";
    return checkCustomers(
      state,
      context.customers?.add ?? [],
      ["context", "customers", "add"],
      fail,
    );
  }
  // customerSelection is deprecated but still accepted by 2026-10.
  const selection = input.customerSelection;
  if (selection?.all) return "all";
  if (selection?.customers)
    return checkCustomers(
      state,
      selection.customers.add ?? [],
      ["customerSelection", "customers", "add"],
      fail,
    );
  fail(["context"], DISCOUNT_MESSAGES.contextMissing, "MISSING_ARGUMENT");
  return [];
}

function checkCustomers(
  state: AdminApiState,
  ids: readonly string[],
  path: string[],
  fail: Fail,
): string[] {
  ids.forEach((id, index) => {
    if (parseGid(id)?.type !== "Customer" || !state.customers.has(id)) {
      fail([...path, String(index)], DISCOUNT_MESSAGES.customerMissing, "INVALID");
    }
  });
  return [...new Set(ids)];
}

function readValue(
  state: AdminApiState,
  gets: CustomerGetsInput,
  fail: Fail,
): DiscountValue | null {
  const value = gets.value;
  if (!value) {
    fail(["customerGets", "value"], DISCOUNT_MESSAGES.valueMissing, "BLANK");
    return null;
  }
  const given = [value.discountAmount, value.percentage, value.discountOnQuantity].filter(
    (v) => v !== undefined && v !== null,
  );
  if (given.length > 1) {
    fail(["customerGets", "value"], DISCOUNT_MESSAGES.valueTooMany, "TOO_MANY_ARGUMENTS");
    return null;
  }
  if (value.discountOnQuantity) {
    fail(
      ["customerGets", "value", "discountOnQuantity"],
      DISCOUNT_MESSAGES.onQuantityNotAllowed,
      "INVALID",
    );
    return null;
  }
  if (typeof value.percentage === "number") {
    if (!(value.percentage > 0 && value.percentage <= 1)) {
      fail(
        ["customerGets", "value", "percentage"],
        DISCOUNT_MESSAGES.percentageRange,
        "VALUE_OUTSIDE_RANGE",
      );
      return null;
    }
    return { kind: "percentage", percentage: value.percentage };
  }
  const amount = value.discountAmount?.amount ?? null;
  if (amount === null) {
    fail(["customerGets", "value"], DISCOUNT_MESSAGES.valueMissing, "BLANK");
    return null;
  }
  if (!isPositiveAmount(state, amount)) {
    fail(
      ["customerGets", "value", "discountAmount", "amount"],
      DISCOUNT_MESSAGES.amountPositive,
      "GREATER_THAN",
    );
    return null;
  }
  return {
    kind: "amount",
    amount,
    appliesOnEachItem: value.discountAmount?.appliesOnEachItem ?? false,
  };
}

function readItems(gets: CustomerGetsInput, fail: Fail): DiscountRecord["items"] {
  const items = gets.items;
  if (items?.all) return "all";
  const specific = [
    ...(items?.products?.productsToAdd ?? []),
    ...(items?.products?.productVariantsToAdd ?? []),
    ...(items?.collections?.add ?? []),
  ];
  if (specific.length) return specific;
  fail(["customerGets", "items"], DISCOUNT_MESSAGES.itemsMissing, "BLANK");
  return "all";
}

export function deleteCodeDiscount(
  state: AdminApiState,
  id: string,
): { deletedId: string | null; userErrors: DiscountUserError[] } {
  if (!state.discounts.delete(id)) {
    return {
      deletedId: null,
      userErrors: [
        {
          field: ["id"],
          message: DISCOUNT_MESSAGES.discountNotFound,
          code: "INVALID",
          extraInfo: null,
        },
      ],
    };
  }
  return { deletedId: id, userErrors: [] };
}

/** Shopify deactivates by ending the discount now, which flips its status to EXPIRED. */
export function deactivateCodeDiscount(
  state: AdminApiState,
  id: string,
): { discount: DiscountRecord | null; userErrors: DiscountUserError[] } {
  const discount = state.discounts.get(id);
  if (!discount) {
    return {
      discount: null,
      userErrors: [
        {
          field: ["id"],
          message: DISCOUNT_MESSAGES.discountNotFound,
          code: "INVALID",
          extraInfo: null,
        },
      ],
    };
  }
  const at = nowIso(state);
  if (discount.endsAt === null || Date.parse(discount.endsAt) > state.clock()) discount.endsAt = at;
  discount.updatedAt = at;
  return { discount, userErrors: [] };
}
