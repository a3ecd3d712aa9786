/**
 * What checkout does with an app's automatic discounts: for each active DiscountAutomaticApp it
 * builds the Discount Function input its input query selects, runs the function's targets and
 * turns the operations it answers into discount candidates. Pricing them against a code discount
 * happens in checkout.ts.
 */
import {
  Kind,
  parse,
  type ArgumentNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from "graphql";
import { NotSimulatedError } from "./discounts";
import { shopifyDecimal } from "./money";
import { metafieldJsonValue } from "./resolvers";
import {
  discountStatus,
  metafieldKey,
  nowIso,
  resolveNamespace,
  type AdminApiState,
  type AutomaticAppDiscountRecord,
  type DiscountClass,
  type DiscountFunctionModule,
  type FunctionRunRecord,
} from "./state";

/** The cart as checkout sees it when it runs the functions. */
export interface FunctionCart {
  customerId: string | null;
  lines: ReadonlyArray<{
    productId: string | null;
    variantId: string | null;
    title: string;
    quantity: number;
    /** Line total before discounts, decimal string in the shop currency. */
    subtotal: string;
  }>;
  /** The selected delivery option's price, before discounts. */
  shipping: string;
  now: number;
}

export type DiscountValueSpec = { percentage: number } | { fixedAmount: string };

export interface OrderCandidate {
  discountId: string;
  message: string | null;
  value: DiscountValueSpec;
  /** Indexes of cart lines the candidate leaves out of the subtotal it takes its value from. */
  excludedLines: number[];
}

export interface DeliveryCandidate {
  discountId: string;
  message: string | null;
  value: DiscountValueSpec;
}

/** What one automatic discount's function decided for this cart, before combination rules. */
export interface AutomaticDecision {
  discount: AutomaticAppDiscountRecord;
  order: OrderCandidate | null;
  delivery: DeliveryCandidate | null;
}

export const DELIVERY_GROUP_ID = "gid://shopify/CartDeliveryGroup/1";
export const lineId = (index: number) => `gid://shopify/CartLine/${index + 1}`;

/** Active automatic app discounts, in creation order, each with what its function returned. */
export async function runAutomaticDiscounts(
  state: AdminApiState,
  cart: FunctionCart,
): Promise<AutomaticDecision[]> {
  const active = [...state.automaticDiscounts.values()].filter(
    (d) => discountStatus(d, cart.now) === "ACTIVE",
  );
  const decisions: AutomaticDecision[] = [];
  for (const discount of active) {
    const module = await state.discountFunctions(discount.functionHandle);
    // The function is not built yet (or not in this checkout): Shopify would not run anything.
    if (!module) continue;
    decisions.push(await decide(state, discount, module, cart));
  }
  return decisions;
}

async function decide(
  state: AdminApiState,
  discount: AutomaticAppDiscountRecord,
  module: DiscountFunctionModule,
  cart: FunctionCart,
): Promise<AutomaticDecision> {
  const decision: AutomaticDecision = { discount, order: null, delivery: null };
  const classes = discount.discountClasses;
  const graph = inputGraph(state, discount, cart);
  // Shopify runs a target only when the discount has a class it can produce, and only with the
  // input query the extension declares for it.
  if (
    module.cartLinesDiscountsGenerateRun &&
    module.linesInputQuery &&
    (classes.includes("ORDER") || classes.includes("PRODUCT"))
  ) {
    const operations = await run(
      state,
      discount,
      "cart.lines.discounts.generate.run",
      module.linesInputQuery,
      graph,
      module.cartLinesDiscountsGenerateRun,
    );
    if (operations) decision.order = orderCandidate(discount, operations, cart);
  }
  if (
    module.cartDeliveryOptionsDiscountsGenerateRun &&
    module.deliveryInputQuery &&
    classes.includes("SHIPPING")
  ) {
    const operations = await run(
      state,
      discount,
      "cart.delivery-options.discounts.generate.run",
      module.deliveryInputQuery,
      graph,
      module.cartDeliveryOptionsDiscountsGenerateRun,
    );
    if (operations) decision.delivery = deliveryCandidate(discount, operations);
  }
  return decision;
}

/** Runs one target; a throw or a malformed answer is a function error and applies nothing. */
async function run(
  state: AdminApiState,
  discount: AutomaticAppDiscountRecord,
  target: FunctionRunRecord["target"],
  query: string,
  graph: Graph,
  fn: (input: never) => unknown,
): Promise<Operation[] | null> {
  const input = selectInput(query, graph);
  const record: FunctionRunRecord = {
    discountId: discount.id,
    handle: discount.functionHandle,
    target,
    input,
    output: null,
    error: null,
    at: nowIso(state),
  };
  state.functionRuns.push(record);
  try {
    // A Wasm function gets a fresh copy of its input; so does this one.
    record.output = await fn(structuredClone(input) as never);
  } catch (error) {
    record.error = error instanceof Error ? error.message : String(error);
    return null;
  }
  const operations = (record.output as { operations?: unknown } | null)?.operations;
  if (!Array.isArray(operations)) {
    record.error = "the function's output has no operations list";
    return null;
  }
  return operations as Operation[];
}

// ---------------------------------------------------------------------------------------------
// Output: the 2026-10 Discount Function API operations.

interface CandidateValue {
  percentage?: { value: number | string } | null;
  fixedAmount?: { amount: number | string; appliesToEachItem?: boolean } | null;
}

interface Operation {
  orderDiscountsAdd?: {
    candidates: Array<{
      message?: string | null;
      targets: Array<{ orderSubtotal?: { excludedCartLineIds?: string[] } }>;
      value: CandidateValue;
      conditions?: unknown[] | null;
    }>;
    selectionStrategy: "FIRST" | "MAXIMUM";
  };
  deliveryDiscountsAdd?: {
    candidates: Array<{
      message?: string | null;
      targets: Array<{ deliveryGroup?: { id: string }; deliveryOption?: { handle: string } }>;
      value: CandidateValue;
    }>;
    selectionStrategy: "ALL";
  };
  productDiscountsAdd?: unknown;
  enteredDiscountCodesAccept?: unknown;
}

function valueSpec(value: CandidateValue): DiscountValueSpec {
  if (value.percentage) return { percentage: Number(value.percentage.value) };
  if (value.fixedAmount) {
    if (value.fixedAmount.appliesToEachItem)
      throw new NotSimulatedError("fixedAmount.appliesToEachItem in a function's candidate");
    return { fixedAmount: shopifyDecimal(String(value.fixedAmount.amount)) };
  }
  throw new NotSimulatedError(`candidate value ${JSON.stringify(value)}`);
}

function checkKnown(operations: Operation[]): void {
  for (const operation of operations) {
    const kinds = Object.keys(operation);
    if (kinds.some((kind) => kind !== "orderDiscountsAdd" && kind !== "deliveryDiscountsAdd"))
      throw new NotSimulatedError(`function operation ${kinds.join(", ")} is not simulated`);
  }
}

/**
 * The order candidate checkout applies: FIRST takes the first, MAXIMUM the one worth most
 * (percentages and fixed amounts compared on the cart's subtotal).
 */
function orderCandidate(
  discount: AutomaticAppDiscountRecord,
  operations: Operation[],
  cart: FunctionCart,
): OrderCandidate | null {
  checkKnown(operations);
  const picked: OrderCandidate[] = [];
  for (const { orderDiscountsAdd: add } of operations) {
    if (!add) continue;
    const candidates = add.candidates.map((candidate): OrderCandidate => {
      if (candidate.conditions?.length)
        throw new NotSimulatedError("conditions on an order discount candidate");
      const excluded = new Set(
        candidate.targets.flatMap((target) => target.orderSubtotal?.excludedCartLineIds ?? []),
      );
      return {
        discountId: discount.id,
        message: candidate.message ?? null,
        value: valueSpec(candidate.value),
        excludedLines: cart.lines.flatMap((_, i) => (excluded.has(lineId(i)) ? [i] : [])),
      };
    });
    if (!candidates.length) continue;
    const best =
      add.selectionStrategy === "MAXIMUM"
        ? candidates.reduce((a, b) => (worth(b, cart) > worth(a, cart) ? b : a))
        : candidates[0]!;
    picked.push(best);
  }
  // Classes the discount lacks are dropped, as Shopify drops them.
  if (!discount.discountClasses.includes("ORDER")) return null;
  return picked[0] ?? null;
}

function worth(candidate: OrderCandidate, cart: FunctionCart): number {
  const base = cart.lines
    .filter((_, i) => !candidate.excludedLines.includes(i))
    .reduce((sum, line) => sum + Number(line.subtotal), 0);
  return "percentage" in candidate.value
    ? (base * candidate.value.percentage) / 100
    : Math.min(base, Number(candidate.value.fixedAmount));
}

function deliveryCandidate(
  discount: AutomaticAppDiscountRecord,
  operations: Operation[],
): DeliveryCandidate | null {
  checkKnown(operations);
  if (!discount.discountClasses.includes("SHIPPING")) return null;
  for (const { deliveryDiscountsAdd: add } of operations) {
    for (const candidate of add?.candidates ?? []) {
      const targetsOurs = candidate.targets.some(
        (target) =>
          target.deliveryGroup?.id === DELIVERY_GROUP_ID ||
          target.deliveryOption?.handle === STANDARD_DELIVERY.handle,
      );
      if (targetsOurs)
        return {
          discountId: discount.id,
          message: candidate.message ?? null,
          value: valueSpec(candidate.value),
        };
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Input: the Discount Function API's input graph, as far as the sandbox knows the cart.

type Graph = Record<string, unknown>;

export const STANDARD_DELIVERY = { handle: "standard-shipping", title: "Standard" } as const;

function inputGraph(
  state: AdminApiState,
  discount: AutomaticAppDiscountRecord,
  cart: FunctionCart,
): Graph {
  const currency = state.shop.currencyCode;
  const money = (amount: string) => ({ amount: shopifyDecimal(amount), currencyCode: currency });
  const metafield = (ownerId: string) => (args: Record<string, unknown>) => {
    const namespace = resolveNamespace(state, args["namespace"] as string | undefined);
    const record = state.metafields.get(metafieldKey(ownerId, namespace, String(args["key"])));
    return record
      ? {
          __typename: "Metafield",
          type: record.type,
          value: record.value,
          jsonValue: metafieldJsonValue(record),
        }
      : null;
  };
  const customer = cart.customerId ? state.customers.get(cart.customerId) : undefined;
  const tagged = (tags: readonly string[]) => (args: Record<string, unknown>) =>
    (args["tags"] as string[]).map((tag) => ({
      tag,
      hasTag: tags.some((t) => t.toLowerCase() === tag.toLowerCase()),
    }));
  const subtotal = cart.lines.reduce((sum, line) => sum + Number(line.subtotal), 0).toFixed(2);
  const delivery = {
    __typename: "CartDeliveryOption",
    handle: STANDARD_DELIVERY.handle,
    title: STANDARD_DELIVERY.title,
    deliveryMethodType: "SHIPPING",
    cost: money(cart.shipping),
  };
  return {
    cart: {
      __typename: "Cart",
      buyerIdentity: customer
        ? {
            __typename: "BuyerIdentity",
            email: customer.email,
            isAuthenticated: true,
            phone: null,
            purchasingCompany: null,
            customer: {
              __typename: "Customer",
              id: customer.id,
              email: customer.email,
              firstName: customer.firstName,
              lastName: customer.lastName,
              displayName: [customer.firstName, customer.lastName].filter(Boolean).join(" "),
              numberOfOrders: customer.numberOfOrders,
              amountSpent: money(customer.amountSpent),
              hasAnyTag: (args: Record<string, unknown>) =>
                tagged(customer.tags)(args).some((t) => t.hasTag),
              hasTags: tagged(customer.tags),
              metafield: metafield(customer.id),
            },
          }
        : null,
      cost: { subtotalAmount: money(subtotal), totalAmount: money(subtotal) },
      lines: cart.lines.map((line, i) => ({
        __typename: "CartLine",
        id: lineId(i),
        quantity: line.quantity,
        cost: {
          subtotalAmount: money(line.subtotal),
          totalAmount: money(line.subtotal),
          amountPerQuantity: money((Number(line.subtotal) / line.quantity).toFixed(2)),
          compareAtAmountPerQuantity: null,
        },
        merchandise:
          line.variantId && line.productId
            ? {
                __typename: "ProductVariant",
                id: line.variantId,
                product: {
                  __typename: "Product",
                  id: line.productId,
                  title: line.title,
                  handle: state.products.get(line.productId)?.handle ?? null,
                  inAnyCollection: (args: Record<string, unknown>) =>
                    (args["ids"] as string[]).some((id) =>
                      state.collections.get(id)?.productIds.includes(line.productId!),
                    ),
                },
              }
            : { __typename: "CustomProduct", title: line.title, requiresShipping: true },
      })),
      deliveryGroups: [
        {
          __typename: "CartDeliveryGroup",
          id: DELIVERY_GROUP_ID,
          deliveryOptions: [delivery],
          selectedDeliveryOption: delivery,
        },
      ],
    },
    discount: {
      __typename: "Discount",
      discountClasses: [...discount.discountClasses] satisfies DiscountClass[],
      metafield: metafield(discount.id),
    },
    shop: {
      __typename: "Shop",
      metafield: metafield(state.shop.id),
      localTime: { date: new Date(cart.now).toISOString().slice(0, 10) },
    },
  };
}

/**
 * Resolves an input query against the input graph: the function gets exactly the fields it
 * selects, under their aliases. Fields the graph lacks fail loudly instead of reading as null.
 */
export function selectInput(query: string, graph: Graph): Record<string, unknown> {
  const document = parse(query);
  const fragments = new Map<string, FragmentDefinitionNode>();
  let operation: SelectionSetNode | null = null;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION)
      fragments.set(definition.name.value, definition);
    if (definition.kind === Kind.OPERATION_DEFINITION) {
      if (definition.variableDefinitions?.length)
        throw new NotSimulatedError("input query variables are not simulated");
      operation ??= definition.selectionSet;
    }
  }
  if (!operation) throw new Error("[sandbox] the input query has no operation");
  return select(operation, graph, fragments, "Input") as Record<string, unknown>;
}

function select(
  selectionSet: SelectionSetNode,
  source: Graph,
  fragments: Map<string, FragmentDefinitionNode>,
  path: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.INLINE_FRAGMENT || selection.kind === Kind.FRAGMENT_SPREAD) {
      const fragment =
        selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value) : selection;
      if (!fragment) throw new Error(`[sandbox] unknown fragment in the input query`);
      const type = fragment.typeCondition?.name.value;
      if (type === undefined || type === source["__typename"])
        Object.assign(out, select(fragment.selectionSet, source, fragments, path));
      continue;
    }
    const name = selection.name.value;
    const key = selection.alias?.value ?? name;
    if (!(name in source))
      throw new NotSimulatedError(
        `function input field ${path}.${name} is not simulated (or does not exist)`,
      );
    let value = source[name];
    if (typeof value === "function")
      value = (value as (args: Graph) => unknown)(args(selection.arguments));
    out[key] = shape(value, selection.selectionSet, fragments, `${path}.${name}`);
  }
  return out;
}

function shape(
  value: unknown,
  selectionSet: SelectionSetNode | undefined,
  fragments: Map<string, FragmentDefinitionNode>,
  path: string,
): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((item) => shape(item, selectionSet, fragments, path));
  if (!selectionSet) return value;
  return select(selectionSet, value as Graph, fragments, path);
}

function args(nodes: readonly ArgumentNode[] | undefined): Graph {
  return Object.fromEntries((nodes ?? []).map((node) => [node.name.value, literal(node.value)]));
}

function literal(node: ValueNode): unknown {
  switch (node.kind) {
    case Kind.STRING:
    case Kind.ENUM:
      return node.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.BOOLEAN:
      return node.value;
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return node.values.map(literal);
    case Kind.OBJECT:
      return Object.fromEntries(
        node.fields.map((field) => [field.name.value, literal(field.value)]),
      );
    default:
      throw new NotSimulatedError("input query variables are not simulated");
  }
}
