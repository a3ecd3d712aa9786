/**
 * Shopify runs graphql-ruby, whose error wording and `extensions.code` values differ from
 * graphql-js. The app may key its error handling on these codes, so the simulation rewrites
 * the common graphql-js validation and variable errors into graphql-ruby's shape. Anything
 * not recognised keeps graphql-js's message.
 */
import {
  type GraphQLError,
  Kind,
  coerceInputValue,
  TypeInfo,
  print,
  typeFromAST,
  visit,
  visitWithTypeInfo,
  type ASTNode,
  type ArgumentNode,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  isInputType,
  isNonNullType,
} from "graphql";

export interface ShopifyErrorJson {
  message: string;
  locations?: Array<{ line: number; column: number }>;
  path?: Array<string | number>;
  extensions?: Record<string, unknown>;
}

function locationsOf(error: GraphQLError): ShopifyErrorJson["locations"] {
  return error.locations?.map(({ line, column }) => ({ line, column }));
}

/** The argument and field an AST node sits in, for graphql-ruby's "Argument 'x' on Field 'y'" wording. */
function enclosing(
  document: DocumentNode,
  target: ASTNode | undefined,
): { argument?: string; field?: string; variable?: string } {
  if (!target?.loc) return {};
  const start = target.loc.start;
  const found: { argument?: string; field?: string; variable?: string } = {};
  visit(document, {
    enter(node) {
      if (!node.loc || node.loc.start > start || node.loc.end < start) return false;
      if (node.kind === Kind.FIELD) found.field = node.name.value;
      if (node.kind === Kind.ARGUMENT) found.argument = node.name.value;
      if (node.kind === Kind.VARIABLE_DEFINITION) found.variable = node.variable.name.value;
      return undefined;
    },
  });
  return found;
}

type Rewrite = (
  match: RegExpExecArray,
  error: GraphQLError,
  document: DocumentNode,
  schema: GraphQLSchema,
) => { message: string; extensions: Record<string, unknown> };

const REWRITES: Array<[RegExp, Rewrite]> = [
  [
    /^Cannot query field "(\w+)" on type "(\w+)"\./,
    ([, field, type]) => ({
      message: `Field '${field}' doesn't exist on type '${type}'`,
      extensions: { code: "undefinedField", typeName: type, fieldName: field },
    }),
  ],
  [
    /^Unknown argument "(\w+)" on field "\w+\.(\w+)"\./,
    ([, argument, field]) => ({
      message: `Field '${field}' doesn't accept argument '${argument}'`,
      extensions: {
        code: "argumentNotAccepted",
        name: field,
        typeName: "Field",
        argumentName: argument,
      },
    }),
  ],
  [
    /^Field "(\w+)" argument "(\w+)" of type "[^"]+" is required, but it was not provided\./,
    ([, field, argument]) => ({
      message: `Field '${field}' is missing required arguments: ${argument}`,
      extensions: {
        code: "missingRequiredArguments",
        className: "Field",
        name: field,
        arguments: argument,
      },
    }),
  ],
  [
    /^Field "(\w+)" of type "([^"]+)" must have a selection of subfields\./,
    ([, field, type]) => ({
      message: `Field must have selections (field '${field}' returns ${(type ?? "").replace(/[![\]]/g, "")} but has no selections. Did you mean '${field} { ... }'?)`,
      extensions: {
        code: "selectionMismatch",
        nodeName: `field '${field}'`,
        typeName: (type ?? "").replace(/[![\]]/g, ""),
      },
    }),
  ],
  [
    /^Field "(\w+)" must not have a selection since type "([^"]+)" has no subfields\./,
    ([, field, type], error) => {
      const node = error.nodes?.[0];
      const names =
        node?.kind === Kind.FIELD
          ? (node.selectionSet?.selections ?? []).map((s) =>
              s.kind === Kind.FIELD ? s.name.value : "...",
            )
          : [];
      return {
        message: `Selections can't be made on scalars (field '${field}' returns ${(type ?? "").replace(/!/g, "")} but has selections [${names.join(", ")}])`,
        extensions: {
          code: "selectionMismatch",
          nodeName: `field '${field}'`,
          typeName: (type ?? "").replace(/!/g, ""),
        },
      };
    },
  ],
  [
    /^Variable "\$(\w+)" is never used(?: in operation "(\w+)")?\./,
    ([, variable, operation]) => ({
      message: `Variable $${variable} is declared by ${operation ?? "anonymous query"} but not used`,
      extensions: { code: "variableNotUsed", variableName: variable },
    }),
  ],
  [
    /^Variable "\$(\w+)" is not defined(?: by operation "(\w+)")?\./,
    ([, variable, operation]) => ({
      message: `Variable $${variable} is used by ${operation ?? "anonymous query"} but not declared`,
      extensions: { code: "variableNotDefined", variableName: variable },
    }),
  ],
  [
    /^Variable "\$(\w+)" of type "([^"]+)" used in position expecting type "([^"]+)"\./,
    ([, variable, actual, expected], error, document) => {
      const argument = enclosing(document, error.nodes?.[1]).argument ?? "?";
      return {
        message: `Type mismatch on variable $${variable} and argument ${argument} (${actual} / ${expected})`,
        extensions: {
          code: "variableMismatch",
          variableName: variable,
          typeName: actual,
          argumentName: argument,
          errorMessage: "Type mismatch",
        },
      };
    },
  ],
  [
    /^Unknown type "(\w+)"\./,
    ([, type], error, document) => {
      const { variable } = enclosing(document, error.nodes?.[0]);
      return variable
        ? {
            message: `${type} isn't a defined input type (on $${variable})`,
            extensions: {
              code: "variableRequiresValidType",
              typeName: type,
              variableName: variable,
            },
          }
        : {
            message: `No such type ${type}, so it can't be a fragment condition`,
            extensions: { code: "undefinedType", typeName: type },
          };
    },
  ],
  [
    /^(?:Expected value of type "([^"]+)", found .*|Field "[^"]+" is not defined by type "[^"]+"\..*|Field "[^"]+" of required type "[^"]+" was not provided\.|.*OneOf.*)$/s,
    (_match, error, document, schema) => {
      const node = error.nodes?.[0];
      const where = enclosing(document, node);
      const argument = findArgument(schema, document, node);
      const value = argument ? print(argument.node.value) : node ? print(node) : "";
      return {
        message: `Argument '${where.argument ?? "?"}' on Field '${where.field ?? "?"}' has an invalid value (${value}). Expected type '${argument?.type ?? "?"}'.`,
        extensions: {
          code: "argumentLiteralsIncompatible",
          typeName: "Field",
          argumentName: where.argument,
        },
      };
    },
  ],
  [
    /^Unknown fragment "(\w+)"\./,
    ([, name]) => ({
      message: `Fragment ${name} was used, but not defined`,
      extensions: { code: "useAndDefineFragment", fragmentName: name },
    }),
  ],
  [
    /^Fragment "(\w+)" is never used\./,
    ([, name]) => ({
      message: `Fragment ${name} was defined, but not used`,
      extensions: { code: "useAndDefineFragment", fragmentName: name },
    }),
  ],
  [
    /^There can be only one operation named "(\w+)"\./,
    ([, name]) => ({
      message: `Operation name "${name}" must be unique`,
      extensions: { code: "operationNotUnique", operationName: name },
    }),
  ],
];

/** The argument literal an error points into, with its declared type. */
function findArgument(
  schema: GraphQLSchema,
  document: DocumentNode,
  target: ASTNode | undefined,
): { node: ArgumentNode; type: string } | undefined {
  if (!target?.loc) return undefined;
  const start = target.loc.start;
  const typeInfo = new TypeInfo(schema);
  let found: { node: ArgumentNode; type: string } | undefined;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Argument(node) {
        if (node.loc && node.loc.start <= start && node.loc.end >= start) {
          found = { node, type: String(typeInfo.getArgument()?.type ?? "?") };
        }
      },
    }),
  );
  return found;
}

/** graphql-js validation/parse error → the JSON Shopify would send. */
export function toShopifyValidationError(
  error: GraphQLError,
  document: DocumentNode | null,
  schema: GraphQLSchema,
): ShopifyErrorJson {
  const locations = locationsOf(error);
  if (document) {
    for (const [pattern, rewrite] of REWRITES) {
      const match = pattern.exec(error.message);
      if (match) {
        const { message, extensions } = rewrite(match, error, document, schema);
        return { message, ...(locations ? { locations } : {}), extensions };
      }
    }
  }
  return {
    message: error.message,
    ...(locations ? { locations } : {}),
    ...(error.extensions && Object.keys(error.extensions).length
      ? { extensions: { ...error.extensions } }
      : {}),
  };
}

/** graphql-ruby reports several missing arguments of one field as a single error. */
export function mergeMissingArguments(errors: ShopifyErrorJson[]): ShopifyErrorJson[] {
  const out: ShopifyErrorJson[] = [];
  for (const error of errors) {
    const previous = out.at(-1);
    if (
      previous &&
      error.extensions?.["code"] === "missingRequiredArguments" &&
      previous.extensions?.["code"] === "missingRequiredArguments" &&
      JSON.stringify(previous.locations) === JSON.stringify(error.locations)
    ) {
      const args = `${String(previous.extensions["arguments"])}, ${String(error.extensions["arguments"])}`;
      previous.extensions = { ...previous.extensions, arguments: args };
      previous.message = `Field '${String(previous.extensions["name"])}' is missing required arguments: ${args}`;
      continue;
    }
    out.push(error);
  }
  return out;
}

interface Problem {
  path: Array<string | number>;
  explanation: string;
}

function explain(message: string): string {
  if (
    /Expected non-nullable type "[^"]+" not to be null\./.test(message) ||
    /^Field "\w+" of required type "[^"]+" was not provided\./.test(message)
  ) {
    return "Expected value to not be null";
  }
  const notDefined = /Field "(\w+)" is not defined by type "(\w+)"\./.exec(message);
  if (notDefined) return `Field is not defined on ${notDefined[2]}`;
  const enumValue = /Value "([^"]+)" does not exist in "(\w+)" enum\./.exec(message);
  if (enumValue) return `Expected "${enumValue[1]}" to be one of the ${enumValue[2]} values`;
  const coerce = /Expected type "(\w+)"\. (.*)$/s.exec(message);
  if (coerce)
    return coerce[2]?.startsWith("Could not coerce")
      ? coerce[2]
      : `Could not coerce value to ${coerce[1]}`;
  return message;
}

/**
 * Coerces the request's variables the way Shopify reports failures: one INVALID_VARIABLE
 * error per variable, with a `problems` list of paths into the value.
 */
export function coerceVariables(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  inputs: Record<string, unknown>,
): { coerced: Record<string, unknown>; errors: ShopifyErrorJson[] } {
  const coerced: Record<string, unknown> = {};
  const errors: ShopifyErrorJson[] = [];
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    const type = typeFromAST(schema, definition.type);
    if (!type || !isInputType(type)) continue; // already a validation error
    const typeName = print(definition.type);
    const location = definition.loc
      ? [{ line: definition.loc.startToken.line, column: definition.loc.startToken.column }]
      : undefined;
    const provided = Object.prototype.hasOwnProperty.call(inputs, name);
    const value = inputs[name];
    if (!provided || value === undefined) {
      if (definition.defaultValue) continue; // execute() applies the default
      if (isNonNullType(type)) {
        errors.push(
          invalidVariable(
            name,
            typeName,
            null,
            [{ path: [], explanation: "Expected value to not be null" }],
            location,
          ),
        );
      }
      continue;
    }
    const problems: Problem[] = [];
    const result = coerceInputValue(value, type as GraphQLInputType, (path, _invalid, error) => {
      // graphql-js points at the object that holds a bad/missing field; graphql-ruby at the field.
      const field = /^Field "(\w+)" (?:is not defined by|of required) type/.exec(
        error.message,
      )?.[1];
      problems.push({
        path: field ? [...path, field] : [...path],
        explanation: explain(error.message),
      });
    });
    if (problems.length) errors.push(invalidVariable(name, typeName, value, problems, location));
    else coerced[name] = result;
  }
  return { coerced, errors };
}

function invalidVariable(
  name: string,
  typeName: string,
  value: unknown,
  problems: Problem[],
  locations: ShopifyErrorJson["locations"],
): ShopifyErrorJson {
  const details = problems
    .filter((problem) => problem.path.length > 0)
    .map((problem) => ` for ${problem.path.join(".")} (${problem.explanation})`)
    .join(",");
  return {
    message: `Variable $${name} of type ${typeName} was provided invalid value${details}`,
    ...(locations ? { locations } : {}),
    extensions: { code: "INVALID_VARIABLE", value, problems },
  };
}

export function topLevelError(
  message: string,
  extensions: Record<string, unknown>,
): ShopifyErrorJson {
  return { message, extensions };
}
