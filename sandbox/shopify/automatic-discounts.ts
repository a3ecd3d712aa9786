/**
 * discountAutomaticAppCreate / discountAutomaticAppUpdate / …Deactivate / …Delete business rules
 * for automatic discounts an app's Discount Function computes. Inputs arrive coerced by graphql-js
 * against DiscountAutomaticAppInput, so only semantic checks live here. The discount's
 * `metafields` are written by the caller (resolvers.ts) through metafieldsSet's rules.
 */
import { NotSimulatedError, type DiscountUserError } from "./discounts";
import {
  discountStatus,
  gid,
  metafieldKey,
  nextNumericId,
  nowIso,
  type AdminApiState,
  type AutomaticAppDiscountRecord,
  type CombinesWith,
  type DiscountClass,
} from "./state";

/**
 * Messages in one place so they are easy to correct against a live shop. "Function not found."
 * is quoted from a Shopify API answer (Shopify/function-examples#339, then on `functionId`); the
 * two identifier messages are the DiscountErrorCode descriptions of the 2026-10 schema; the rest
 * follow Shopify's Rails wording, as the code discount ones do, unconfirmed.
 */
export const AUTOMATIC_DISCOUNT_MESSAGES = {
  functionNotFound: "Function not found.",
  missingFunction: "Either function ID or function handle must be provided.",
  multipleFunctions: "Only one of function ID or function handle is allowed.",
  titleBlank: "Title can't be blank",
  startsAtBlank: "Starts at can't be blank",
  endsBeforeStart: "Ends at needs to be after starts_at",
  tooManyTags: "The number of tags exceeds the maximum of 5.",
  tagTooLong: "Tag is too long (maximum is 255 characters)",
  maxAppDiscounts:
    "The active period overlaps with too many other app-provided discounts. There's a limit on the number of app discounts that can be active at any given time.",
  discountNotFound: "Discount does not exist",
} as const;

/** Shopify: at most 25 automatic discounts can be active at once (ACTIVE_PERIOD_OVERLAP / MAX_APP_DISCOUNTS). */
export const MAX_ACTIVE_AUTOMATIC_DISCOUNTS = 25;
const MAX_TAGS = 5;

export interface AutomaticAppDiscountInput {
  title?: string | null;
  functionHandle?: string | null;
  functionId?: string | null;
  discountClasses?: DiscountClass[] | null;
  combinesWith?: Partial<CombinesWith> | null;
  startsAt?: string | null;
  endsAt?: string | null;
  tags?: string[] | null;
  appliesOnOneTimePurchase?: boolean | null;
  appliesOnSubscription?: boolean | null;
  recurringCycleLimit?: number | null;
  context?: unknown;
  metafields?: Array<{
    id?: string | null;
    namespace?: string | null;
    key?: string | null;
    type?: string | null;
    value?: string | null;
  }> | null;
}

type Fail = (path: string[], message: string, code: DiscountUserError["code"]) => void;

function collector(): { errors: DiscountUserError[]; fail: Fail } {
  const errors: DiscountUserError[] = [];
  return {
    errors,
    fail: (path, message, code) =>
      errors.push({ field: ["automaticAppDiscount", ...path], message, code, extraInfo: null }),
  };
}

/** The function a discount names, by handle or (deprecated) id; undefined when named but unknown. */
function findFunction(state: AdminApiState, input: AutomaticAppDiscountInput, fail: Fail) {
  const byHandle = input.functionHandle ?? null;
  const byId = input.functionId ?? null;
  if (byHandle !== null && byId !== null) {
    fail(
      ["functionHandle"],
      AUTOMATIC_DISCOUNT_MESSAGES.multipleFunctions,
      "MULTIPLE_FUNCTION_IDENTIFIERS",
    );
    return undefined;
  }
  const found = state.functions.find((f) =>
    byHandle !== null ? f.handle === byHandle : f.id === byId,
  );
  if (!found) {
    fail(
      [byHandle !== null ? "functionHandle" : "functionId"],
      AUTOMATIC_DISCOUNT_MESSAGES.functionNotFound,
      "INVALID",
    );
  }
  return found;
}

function checkTags(tags: readonly string[] | null | undefined, fail: Fail): void {
  if (!tags) return;
  if (tags.length > MAX_TAGS)
    fail(["tags"], AUTOMATIC_DISCOUNT_MESSAGES.tooManyTags, "TOO_MANY_TAGS");
  else if (tags.some((tag) => tag.length > 255))
    fail(["tags"], AUTOMATIC_DISCOUNT_MESSAGES.tagTooLong, "INVALID_TAG_LENGTH");
}

function checkContext(input: AutomaticAppDiscountInput): void {
  const context = input.context as { all?: unknown } | null | undefined;
  if (context && context.all !== "ALL") {
    // Checkout would have to know customer segments and markets to honour these.
    throw new NotSimulatedError(
      "DiscountAutomaticAppInput.context other than { all: ALL } is not simulated",
    );
  }
}

/** Automatic discounts whose active period is now or later; Shopify counts overlapping ones. */
function activeOrScheduled(state: AdminApiState, except: string | null): number {
  return [...state.automaticDiscounts.values()].filter(
    (d) => d.id !== except && discountStatus(d, state.clock()) !== "EXPIRED",
  ).length;
}

export function createAutomaticAppDiscount(
  state: AdminApiState,
  input: AutomaticAppDiscountInput,
): { discount: AutomaticAppDiscountRecord | null; userErrors: DiscountUserError[] } {
  const { errors, fail } = collector();
  checkContext(input);
  const title = input.title?.trim() ?? "";
  if (!title) fail(["title"], AUTOMATIC_DISCOUNT_MESSAGES.titleBlank, "BLANK");
  let fn: ReturnType<typeof findFunction>;
  if ((input.functionHandle ?? null) === null && (input.functionId ?? null) === null)
    fail(
      ["functionHandle"],
      AUTOMATIC_DISCOUNT_MESSAGES.missingFunction,
      "MISSING_FUNCTION_IDENTIFIER",
    );
  else fn = findFunction(state, input, fail);
  const startsAt = input.startsAt ?? null;
  if (!startsAt) fail(["startsAt"], AUTOMATIC_DISCOUNT_MESSAGES.startsAtBlank, "BLANK");
  const endsAt = input.endsAt ?? null;
  if (startsAt && endsAt && Date.parse(endsAt) <= Date.parse(startsAt))
    fail(["endsAt"], AUTOMATIC_DISCOUNT_MESSAGES.endsBeforeStart, "END_DATE_BEFORE_START_DATE");
  checkTags(input.tags, fail);
  if (
    !errors.length &&
    (endsAt === null || Date.parse(endsAt) > state.clock()) &&
    activeOrScheduled(state, null) >= MAX_ACTIVE_AUTOMATIC_DISCOUNTS
  ) {
    fail([], AUTOMATIC_DISCOUNT_MESSAGES.maxAppDiscounts, "MAX_APP_DISCOUNTS");
  }
  if (errors.length || !fn) return { discount: null, userErrors: errors };

  const at = nowIso(state);
  const discount: AutomaticAppDiscountRecord = {
    id: gid("DiscountAutomaticNode", nextNumericId(state)),
    title,
    functionHandle: fn.handle,
    functionId: fn.id,
    discountClasses: [...new Set(input.discountClasses ?? [])],
    combinesWith: {
      orderDiscounts: input.combinesWith?.orderDiscounts ?? false,
      productDiscounts: input.combinesWith?.productDiscounts ?? false,
      shippingDiscounts: input.combinesWith?.shippingDiscounts ?? false,
    },
    startsAt: new Date(startsAt ?? at).toISOString(),
    endsAt: endsAt ? new Date(endsAt).toISOString() : null,
    tags: [...(input.tags ?? [])],
    appliesOnOneTimePurchase: input.appliesOnOneTimePurchase ?? true,
    appliesOnSubscription: input.appliesOnSubscription ?? true,
    recurringCycleLimit: input.recurringCycleLimit ?? 1,
    asyncUsageCount: 0,
    createdAt: at,
    updatedAt: at,
  };
  state.automaticDiscounts.set(discount.id, discount);
  return { discount, userErrors: [] };
}

/** Only the fields the input names change; `tags` replaces the list, as Shopify documents. */
export function updateAutomaticAppDiscount(
  state: AdminApiState,
  id: string,
  input: AutomaticAppDiscountInput,
): { discount: AutomaticAppDiscountRecord | null; userErrors: DiscountUserError[] } {
  const existing = state.automaticDiscounts.get(id);
  if (!existing) return notFound();
  const { errors, fail } = collector();
  checkContext(input);
  if ("title" in input && !input.title?.trim())
    fail(["title"], AUTOMATIC_DISCOUNT_MESSAGES.titleBlank, "BLANK");
  if ("startsAt" in input && !input.startsAt)
    fail(["startsAt"], AUTOMATIC_DISCOUNT_MESSAGES.startsAtBlank, "BLANK");
  const fn =
    (input.functionHandle ?? null) !== null || (input.functionId ?? null) !== null
      ? findFunction(state, input, fail)
      : null;
  const startsAt = input.startsAt ?? existing.startsAt;
  const endsAt = "endsAt" in input ? (input.endsAt ?? null) : existing.endsAt;
  if (endsAt && Date.parse(endsAt) <= Date.parse(startsAt))
    fail(["endsAt"], AUTOMATIC_DISCOUNT_MESSAGES.endsBeforeStart, "END_DATE_BEFORE_START_DATE");
  checkTags(input.tags, fail);
  if (errors.length) return { discount: null, userErrors: errors };

  if (input.title) existing.title = input.title.trim();
  if (fn) {
    existing.functionHandle = fn.handle;
    existing.functionId = fn.id;
  }
  if (input.discountClasses) existing.discountClasses = [...new Set(input.discountClasses)];
  if (input.combinesWith) {
    existing.combinesWith = {
      orderDiscounts: input.combinesWith.orderDiscounts ?? false,
      productDiscounts: input.combinesWith.productDiscounts ?? false,
      shippingDiscounts: input.combinesWith.shippingDiscounts ?? false,
    };
  }
  existing.startsAt = new Date(startsAt).toISOString();
  existing.endsAt = endsAt ? new Date(endsAt).toISOString() : null;
  if (input.tags) existing.tags = [...input.tags];
  if (typeof input.appliesOnOneTimePurchase === "boolean")
    existing.appliesOnOneTimePurchase = input.appliesOnOneTimePurchase;
  if (typeof input.appliesOnSubscription === "boolean")
    existing.appliesOnSubscription = input.appliesOnSubscription;
  if (typeof input.recurringCycleLimit === "number")
    existing.recurringCycleLimit = input.recurringCycleLimit;
  existing.updatedAt = nowIso(state);
  return { discount: existing, userErrors: [] };
}

function notFound(): { discount: null; userErrors: DiscountUserError[] } {
  return {
    discount: null,
    userErrors: [
      {
        field: ["id"],
        message: AUTOMATIC_DISCOUNT_MESSAGES.discountNotFound,
        code: "INVALID",
        extraInfo: null,
      },
    ],
  };
}

/** Shopify deactivates by ending the discount now, which flips its status to EXPIRED. */
export function deactivateAutomaticDiscount(
  state: AdminApiState,
  id: string,
): { discount: AutomaticAppDiscountRecord | null; userErrors: DiscountUserError[] } {
  const discount = state.automaticDiscounts.get(id);
  if (!discount) return notFound();
  const at = nowIso(state);
  if (discount.endsAt === null || Date.parse(discount.endsAt) > state.clock()) discount.endsAt = at;
  discount.updatedAt = at;
  return { discount, userErrors: [] };
}

/** Reactivating clears the end date (and starts it now if it was scheduled later). */
export function activateAutomaticDiscount(
  state: AdminApiState,
  id: string,
): { discount: AutomaticAppDiscountRecord | null; userErrors: DiscountUserError[] } {
  const discount = state.automaticDiscounts.get(id);
  if (!discount) return notFound();
  const at = nowIso(state);
  discount.endsAt = null;
  if (Date.parse(discount.startsAt) > state.clock()) discount.startsAt = at;
  discount.updatedAt = at;
  return { discount, userErrors: [] };
}

/** Deleting a discount deletes its metafields with it. */
export function deleteAutomaticDiscount(
  state: AdminApiState,
  id: string,
): { deletedId: string | null; userErrors: DiscountUserError[] } {
  if (!state.automaticDiscounts.delete(id))
    return { deletedId: null, userErrors: notFound().userErrors };
  for (const [slot, record] of state.metafields) {
    if (record.ownerId === id && slot === metafieldKey(id, record.namespace, record.key))
      state.metafields.delete(slot);
  }
  return { deletedId: id, userErrors: [] };
}
