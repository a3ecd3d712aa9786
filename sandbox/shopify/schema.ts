/**
 * The real Shopify Admin GraphQL schema, loaded from the introspection dump that ships in
 * @shopify/dev-mcp. Tests validate every Admin operation the app sends against it, and the
 * Admin API simulation executes against it, so a misspelt field fails here exactly as it
 * would against a live shop.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import {
  GraphQLError,
  GraphQLScalarType,
  Kind,
  NoDeprecatedCustomRule,
  buildClientSchema,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type IntrospectionQuery,
  type ValueNode,
} from "graphql";

export type AdminApiVersion =
  "2025-10" | "2026-01" | "2026-04" | "2026-07" | "2026-10" | "unstable";

/** The version the app pins (ApiVersion.October26) and the simulation serves. */
export const DEFAULT_ADMIN_API_VERSION: AdminApiVersion = "2026-10";

interface IntrospectionField {
  name: string;
  requiredAccess?: string | null;
}
interface IntrospectionTypeExtras {
  name: string;
  requiredAccess?: string | null;
  fields?: IntrospectionField[] | null;
}

interface LoadedSchema {
  schema: GraphQLSchema;
  /** Shopify's own `requiredAccess` notes, keyed "Type" and "Type.field". */
  requiredAccess: ReadonlyMap<string, string>;
}

const cache = new Map<AdminApiVersion, LoadedSchema>();

/** Walks up from this file so it works from the repo, a worktree, or a vitest fork. */
function schemaFile(version: AdminApiVersion): string {
  const relative = path.join(
    "node_modules",
    "@shopify",
    "dev-mcp",
    "dist",
    "data",
    `admin_${version}.json.gz`,
  );
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, relative);
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(
    `Admin schema ${version} not found: expected ${relative} above ${fileURLToPath(import.meta.url)} (is @shopify/dev-mcp installed?)`,
  );
}

function load(version: AdminApiVersion): LoadedSchema {
  const cached = cache.get(version);
  if (cached) return cached;
  const raw = JSON.parse(gunzipSync(readFileSync(schemaFile(version))).toString("utf8")) as {
    data: IntrospectionQuery;
  };
  const schema = buildClientSchema(raw.data, { assumeValid: true });
  tightenScalars(schema);

  const requiredAccess = new Map<string, string>();
  for (const type of raw.data.__schema.types as unknown as IntrospectionTypeExtras[]) {
    if (type.requiredAccess) requiredAccess.set(type.name, type.requiredAccess);
    for (const field of type.fields ?? []) {
      if (field.requiredAccess)
        requiredAccess.set(`${type.name}.${field.name}`, field.requiredAccess);
    }
  }
  const loaded = { schema, requiredAccess };
  cache.set(version, loaded);
  return loaded;
}

export function adminSchema(version: AdminApiVersion = DEFAULT_ADMIN_API_VERSION): GraphQLSchema {
  return load(version).schema;
}

/** Shopify's access note for a type or field ("`read_customers` access scope."), if any. */
export function requiredAccessNote(
  coordinate: string,
  version: AdminApiVersion = DEFAULT_ADMIN_API_VERSION,
): string | undefined {
  return load(version).requiredAccess.get(coordinate);
}

export interface ValidateOptions {
  version?: AdminApiVersion;
  /** Also reject deprecated fields and enum values (Shopify removes them in a later version). */
  forbidDeprecated?: boolean;
}

/**
 * Parses and validates an Admin operation against the real schema. Returns no errors for a
 * document Shopify would accept; syntax errors come back as a single GraphQLError.
 */
export function validateAdminDocument(
  source: string,
  options: ValidateOptions = {},
): readonly GraphQLError[] {
  let document: DocumentNode;
  try {
    document = parse(source);
  } catch (error) {
    if (error instanceof GraphQLError) return [error];
    throw error;
  }
  const rules = options.forbidDeprecated
    ? [...specifiedRules, NoDeprecatedCustomRule]
    : specifiedRules;
  return validate(adminSchema(options.version), document, rules);
}

/** Deprecated fields/enum values an operation uses; Shopify flags these with X-Shopify-API-Deprecated-Reason. */
export function deprecatedUsages(
  document: DocumentNode,
  version: AdminApiVersion = DEFAULT_ADMIN_API_VERSION,
): string[] {
  return validate(adminSchema(version), document, [NoDeprecatedCustomRule]).map((e) => e.message);
}

// buildClientSchema turns every custom scalar into an accept-anything identity scalar. Shopify
// rejects malformed DateTime/Decimal/ID-like inputs, so the sandbox does too; otherwise a
// test could pass with `startsAt: "tomorrow"` and the app would break in production.
function tightenScalars(schema: GraphQLSchema): void {
  const checks: Record<string, (value: unknown) => unknown> = {
    DateTime: (value) => {
      if (
        typeof value === "string" &&
        /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) &&
        !Number.isNaN(Date.parse(value))
      ) {
        return value;
      }
      throw new TypeError(`Could not coerce value ${JSON.stringify(value)} to DateTime`);
    },
    Decimal: (value) => decimalInput(value, "Decimal"),
    Money: (value) => decimalInput(value, "Money"),
    UnsignedInt64: (value) => {
      if (
        (typeof value === "string" && /^\d+$/.test(value)) ||
        (typeof value === "number" && Number.isInteger(value) && value >= 0)
      ) {
        return String(value);
      }
      throw new TypeError(`Could not coerce value ${JSON.stringify(value)} to UnsignedInt64`);
    },
    URL: (value) => {
      if (typeof value === "string" && URL.canParse(value)) return value;
      throw new TypeError(`Could not coerce value ${JSON.stringify(value)} to URL`);
    },
  };
  for (const [name, check] of Object.entries(checks)) {
    const type = schema.getType(name);
    if (!(type instanceof GraphQLScalarType)) continue;
    // GraphQLScalarType keeps its coercion functions as plain properties; replacing them on the
    // cached instance is the only way to change coercion without rebuilding 5000+ types.
    const mutable = type as {
      parseValue: (value: unknown) => unknown;
      parseLiteral: (node: ValueNode) => unknown;
    };
    mutable.parseValue = check;
    mutable.parseLiteral = (node: ValueNode) => {
      if (node.kind === Kind.STRING) return check(node.value);
      if (node.kind === Kind.INT || node.kind === Kind.FLOAT) return check(node.value);
      throw new TypeError(`Could not coerce literal to ${name}`);
    };
  }
}

function decimalInput(value: unknown, scalar: string): string {
  const text = typeof value === "number" && Number.isFinite(value) ? String(value) : value;
  if (typeof text === "string" && /^-?\d+(\.\d+)?$/.test(text.trim())) return text.trim();
  throw new TypeError(`Could not coerce value ${JSON.stringify(value)} to ${scalar}`);
}
