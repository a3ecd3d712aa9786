/**
 * Shopify's calculated query cost, close enough for rate-limit behaviour to be realistic:
 * leaf fields cost 0, objects 1, connections 2 + (first|last) × cost of one item, each
 * mutation field 10. The actual cost re-counts connections with the number of items returned.
 */
import {
  Kind,
  getNamedType,
  isAbstractType,
  isLeafType,
  isObjectType,
  isInterfaceType,
  valueFromAST,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  GraphQLInt,
} from "graphql";

export const MAX_SINGLE_QUERY_COST = 1000;
const MUTATION_COST = 10;

interface Walk {
  schema: GraphQLSchema;
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

export function queryCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  /** The response's `data`; when given, connections are priced by what came back. */
  data?: unknown,
): number {
  const walk: Walk = { schema, fragments, variables };
  if (operation.operation === "mutation") {
    let total = 0;
    for (const field of fieldsOf(walk, operation.selectionSet)) {
      if (!field.name.value.startsWith("__")) total += MUTATION_COST;
    }
    return total;
  }
  const root = schema.getQueryType();
  if (!root) return 0;
  return selectionCost(walk, operation.selectionSet, root, data);
}

/** Fields directly in a selection set, including ones in fragments (for the mutation count). */
function fieldsOf(walk: Walk, selectionSet: SelectionSetNode): FieldNode[] {
  const out: FieldNode[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) out.push(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT)
      out.push(...fieldsOf(walk, selection.selectionSet));
    else {
      const fragment = walk.fragments.get(selection.name.value);
      if (fragment) out.push(...fieldsOf(walk, fragment.selectionSet));
    }
  }
  return out;
}

function selectionCost(
  walk: Walk,
  selectionSet: SelectionSetNode,
  parent: GraphQLCompositeType,
  data: unknown,
): number {
  let total = 0;
  let bestFragment = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      total += fieldCost(walk, selection, parent, data);
      continue;
    }
    const fragment =
      selection.kind === Kind.INLINE_FRAGMENT
        ? selection
        : walk.fragments.get(selection.name.value);
    if (!fragment) continue;
    const conditionName = fragment.typeCondition?.name.value;
    const condition = conditionName ? walk.schema.getType(conditionName) : parent;
    if (
      !condition ||
      !(isObjectType(condition) || isInterfaceType(condition) || isAbstractType(condition))
    )
      continue;
    const cost = selectionCost(walk, fragment.selectionSet, condition, data);
    // On an abstract parent only one fragment applies per object, so the dearest one counts.
    if (isAbstractType(parent)) bestFragment = Math.max(bestFragment, cost);
    else total += cost;
  }
  return total + bestFragment;
}

function fieldCost(
  walk: Walk,
  node: FieldNode,
  parent: GraphQLCompositeType,
  data: unknown,
): number {
  const name = node.name.value;
  if (name.startsWith("__") || !(isObjectType(parent) || isInterfaceType(parent))) return 0;
  const field = parent.getFields()[name];
  if (!field) return 0;
  const type = getNamedType(field.type);
  if (isLeafType(type) || !node.selectionSet) return 0;
  const composite = type as GraphQLCompositeType;

  const hasData = data !== undefined;
  const value =
    hasData && data !== null && typeof data === "object"
      ? (data as Record<string, unknown>)[node.alias?.value ?? name]
      : undefined;
  // A key missing from the data means a fragment that did not apply: nothing was resolved.
  if (hasData && value === undefined) return 0;

  if (isConnection(field)) {
    if (hasData && value === null) return 2;
    const requested = pageSize(walk, node) ?? 0;
    const returned = hasData ? connectionLength(value) : requested;
    return (
      2 +
      returned * connectionItemCost(walk, node.selectionSet, composite, hasData ? value : undefined)
    );
  }
  if (hasData && value === null) return 1;
  // Lists that are not connections are priced as one object: Shopify bounds them server-side.
  const itemData = hasData ? (Array.isArray(value) ? value[0] : value) : undefined;
  if (hasData && Array.isArray(value) && value.length === 0) return 1;
  return 1 + selectionCost(walk, node.selectionSet, composite, itemData);
}

function isConnection(field: GraphQLField<unknown, unknown>): boolean {
  return (
    getNamedType(field.type).name.endsWith("Connection") &&
    field.args.some((arg) => arg.name === "first")
  );
}

function pageSize(walk: Walk, node: FieldNode): number | undefined {
  for (const arg of node.arguments ?? []) {
    if (arg.name.value !== "first" && arg.name.value !== "last") continue;
    const value = valueFromAST(arg.value, GraphQLInt, walk.variables);
    if (typeof value === "number") return value;
  }
  return undefined;
}

function connectionLength(value: unknown): number {
  if (value === null || typeof value !== "object") return 0;
  const record = value as Record<string, unknown>;
  const lengths = Object.values(record)
    .filter(Array.isArray)
    .map((list) => list.length);
  return lengths.length ? Math.max(...lengths) : 0;
}

/** Cost of one item: `nodes { … }` or `edges { node { … } }`, whichever is dearer. */
function connectionItemCost(
  walk: Walk,
  selectionSet: SelectionSetNode,
  connection: GraphQLCompositeType,
  data: unknown,
): number {
  if (!isObjectType(connection)) return 1;
  const fields = connection.getFields();
  let best = 0;
  for (const selection of fieldsOf(walk, selectionSet)) {
    const child = fields[selection.name.value];
    if (!child || !selection.selectionSet) continue;
    const childType = getNamedType(child.type);
    if (isLeafType(childType)) continue;
    const key = selection.alias?.value ?? selection.name.value;
    const list =
      data !== undefined && data !== null && typeof data === "object"
        ? (data as Record<string, unknown>)[key]
        : undefined;
    const sample = Array.isArray(list) ? list[0] : undefined;
    if (selection.name.value === "nodes") {
      best = Math.max(
        best,
        1 + selectionCost(walk, selection.selectionSet, childType as GraphQLCompositeType, sample),
      );
    } else if (selection.name.value === "edges" && isObjectType(childType)) {
      // The edge wrapper itself is free; its node costs like an item.
      best = Math.max(best, selectionCost(walk, selection.selectionSet, childType, sample));
    }
  }
  return Math.max(best, 1);
}
