/**
 * An in-memory Shopify Admin GraphQL endpoint. `handle` takes the same Request the app's
 * Shopify client sends to https://{shop}/admin/api/{version}/graphql.json (and the OAuth
 * token endpoint) and answers the way Shopify does: auth, schema validation, cost and
 * throttling, userErrors, plus queued faults for resilience tests (see faults.ts).
 */
import {
  GraphQLError,
  Kind,
  execute,
  parse,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
} from "graphql";
import {
  coerceVariables,
  mergeMissingArguments,
  toShopifyValidationError,
  type ShopifyErrorJson,
} from "./errors";
import { MAX_SINGLE_QUERY_COST, queryCost } from "./cost";
import { takeFault } from "./faults";
import { fieldResolver, rootValue, type ExecContext } from "./resolvers";
import { DEFAULT_ADMIN_API_VERSION, adminSchema, deprecatedUsages } from "./schema";
import {
  addCustomer,
  createState,
  findDiscountByCode,
  issueAccessToken,
  refillThrottle,
  type AdminApiState,
  type CallLogEntry,
  type CustomerRecord,
  type Fault,
  type StateOptions,
} from "./state";
import { accessTokenProblem, handleAccessTokenRequest, signSessionToken } from "./token-exchange";

export type AdminApiOptions = StateOptions;

export interface AdminApi {
  readonly state: AdminApiState;
  /** The shop's myshopify domain; fetch routing keys on it. */
  readonly shopDomain: string;
  handle(request: Request): Promise<Response>;
  addCustomer(input?: Partial<CustomerRecord>): CustomerRecord;
  issueAccessToken(options?: Parameters<typeof issueAccessToken>[1]): string;
  /** A session token for this shop/app, signed at the simulation's clock. */
  sessionToken(options?: {
    userId?: number;
    overrides?: Parameters<typeof signSessionToken>[0]["overrides"];
  }): string;
  findDiscountByCode(code: string): ReturnType<typeof findDiscountByCode>;
  /** An offline token with the install scopes, issued at creation for direct test calls. */
  readonly accessToken: string;
  /** Posts an operation to this shop's GraphQL endpoint, as the app's client would. */
  graphql<T = unknown>(
    query: string,
    options?: { variables?: Record<string, unknown>; token?: string | null; apiVersion?: string },
  ): Promise<GraphqlReply<T>>;
}

export interface GraphqlReply<T> {
  status: number;
  headers: Headers;
  body: {
    data?: T | null;
    errors?:
      | Array<{
          message: string;
          locations?: unknown;
          path?: Array<string | number>;
          extensions?: Record<string, unknown>;
        }>
      | string;
    extensions?: {
      cost: {
        requestedQueryCost: number;
        actualQueryCost: number | null;
        throttleStatus: {
          maximumAvailable: number;
          currentlyAvailable: number;
          restoreRate: number;
        };
      };
    };
  };
}

const API_VERSION = /^(\d{4}-(01|04|07|10)|unstable)$/;
const INVALID_TOKEN_BODY = {
  errors: "[API] Invalid API key or access token (unrecognized login or wrong password)",
};
const RATE_LIMIT_DOCS = "https://shopify.dev/api/usage/rate-limits";

export function createAdminApi(options: AdminApiOptions = {}): AdminApi {
  const state = createState(options);
  const accessToken = issueAccessToken(state);
  return {
    accessToken,
    graphql: async <T>(
      query: string,
      callOptions: {
        variables?: Record<string, unknown>;
        token?: string | null;
        apiVersion?: string;
      } = {},
    ) => {
      const token = callOptions.token === undefined ? accessToken : callOptions.token;
      const headers: Record<string, string> = {
        "Content-Type": "application/json",
        Accept: "application/json",
      };
      if (token !== null) headers["X-Shopify-Access-Token"] = token;
      const response = await handle(
        state,
        new Request(
          `https://${state.shop.myshopifyDomain}/admin/api/${callOptions.apiVersion ?? DEFAULT_ADMIN_API_VERSION}/graphql.json`,
          {
            method: "POST",
            headers,
            body: JSON.stringify({ query, variables: callOptions.variables ?? {} }),
          },
        ),
      );
      return {
        status: response.status,
        headers: response.headers,
        body: (await response.json()) as GraphqlReply<T>["body"],
      };
    },
    state,
    shopDomain: state.shop.myshopifyDomain,
    handle: (request) => handle(state, request),
    addCustomer: (input) => addCustomer(state, input),
    issueAccessToken: (tokenOptions) => issueAccessToken(state, tokenOptions),
    sessionToken: (tokenOptions = {}) =>
      signSessionToken({
        shop: state.shop.myshopifyDomain,
        apiKey: state.apiKey,
        apiSecretKey: state.apiSecretKey,
        now: state.clock(),
        ...(tokenOptions.userId === undefined ? {} : { userId: tokenOptions.userId }),
        ...(tokenOptions.overrides ? { overrides: tokenOptions.overrides } : {}),
      }),
    findDiscountByCode: (code) => findDiscountByCode(state, code),
  };
}

function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "X-Request-Id": crypto.randomUUID(),
      ...headers,
    },
  });
}

async function handle(state: AdminApiState, request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.hostname !== state.shop.myshopifyDomain) {
    return jsonResponse(404, { errors: "Not Found" });
  }
  if (url.pathname === "/admin/oauth/access_token") return handleOAuth(state, request);
  const match = /^\/admin\/api\/([^/]+)\/graphql\.json$/.exec(url.pathname);
  if (!match || !API_VERSION.test(match[1] ?? ""))
    return jsonResponse(404, { errors: "Not Found" });
  return handleGraphql(state, request, match[1] ?? "");
}

async function handleOAuth(state: AdminApiState, request: Request): Promise<Response> {
  const entry = logEntry(state, "oauth", null);
  const fault = takeFault(state, {
    endpoint: "oauth",
    operationType: null,
    operationName: null,
    rootFields: [],
    variables: {},
  });
  if (fault && !isTransportFault(fault)) return answerFault(state, entry, fault, 0);
  return withTransportFault(state, request.signal, entry, fault, async () => {
    const response = await handleAccessTokenRequest(state, request);
    entry.status = response.status;
    entry.response = await response.clone().json();
    return response;
  });
}

function logEntry(
  state: AdminApiState,
  endpoint: CallLogEntry["endpoint"],
  apiVersion: string | null,
): CallLogEntry {
  const entry: CallLogEntry = {
    endpoint,
    apiVersion,
    operationName: null,
    operationType: null,
    rootFields: [],
    query: null,
    variables: {},
    status: 0,
    response: null,
    fault: null,
    deprecations: [],
    at: state.clock(),
  };
  state.calls.push(entry);
  return entry;
}

type TransportFault = Extract<Fault, { kind: "lostResponse" | "delay" }>;

/** Faults that let the call run and only change how (or whether) its answer gets back. */
function isTransportFault(fault: Fault): fault is TransportFault {
  return fault.kind === "lostResponse" || fault.kind === "delay";
}

/** undici's shape: a TypeError("fetch failed") carrying the socket error as its cause. */
function connectionError(message: string | undefined): TypeError {
  return new TypeError("fetch failed", {
    cause: new Error(message ?? "ECONNRESET: socket hang up"),
  });
}

/**
 * Runs `serve` (the simulation applying the call and logging it) under a transport fault: after
 * the delay, or with its answer dropped. Without one it just runs.
 */
async function withTransportFault(
  state: AdminApiState,
  signal: AbortSignal,
  entry: CallLogEntry,
  fault: Fault | null,
  serve: () => Promise<Response>,
): Promise<Response> {
  if (!fault || !isTransportFault(fault)) return serve();
  entry.fault = fault.kind;
  if (fault.kind === "lostResponse") {
    // The shop has done the work and logged its answer; the connection drops on the way back.
    await serve();
    throw connectionError(fault.message);
  }
  // The shop keeps processing whatever the caller does; an abort only stops the caller waiting.
  const work = state.sleep(fault.ms).then(serve);
  return new Promise<Response>((resolve, reject) => {
    const onAbort = () => {
      reject(signal.reason ?? new DOMException("This operation was aborted", "AbortError"));
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (response) => {
        signal.removeEventListener("abort", onAbort);
        resolve(response);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        if (signal.aborted) console.error("[sandbox] a delayed Admin API call failed", error);
        reject(error);
      },
    );
  });
}

function costExtension(state: AdminApiState, requested: number, actual: number | null) {
  const throttle = refillThrottle(state);
  return {
    cost: {
      requestedQueryCost: requested,
      actualQueryCost: actual,
      throttleStatus: {
        maximumAvailable: throttle.maximumAvailable,
        currentlyAvailable: throttle.enabled
          ? Math.floor(throttle.currentlyAvailable)
          : throttle.maximumAvailable,
        restoreRate: throttle.restoreRate,
      },
    },
  };
}

function throttledBody(state: AdminApiState, requested: number, currentlyAvailable?: number) {
  const extensions = costExtension(state, requested, null);
  if (currentlyAvailable !== undefined)
    extensions.cost.throttleStatus.currentlyAvailable = currentlyAvailable;
  return {
    errors: [
      { message: "Throttled", extensions: { code: "THROTTLED", documentation: RATE_LIMIT_DOCS } },
    ],
    extensions,
  };
}

async function answerFault(
  state: AdminApiState,
  entry: CallLogEntry,
  fault: Fault,
  requestedCost: number,
): Promise<Response> {
  entry.fault = fault.kind;
  switch (fault.kind) {
    case "network":
      entry.status = 0;
      throw connectionError(fault.message);
    case "http": {
      entry.status = fault.status;
      entry.response = fault.body ?? "";
      return new Response(fault.body ?? "", { status: fault.status, headers: fault.headers ?? {} });
    }
    case "throttled": {
      const body = throttledBody(state, requestedCost, fault.currentlyAvailable ?? 0);
      entry.status = 200;
      entry.response = body;
      return jsonResponse(200, body);
    }
    case "internalError": {
      const requestId = crypto.randomUUID();
      const body = {
        errors: [
          {
            message: `Internal error. Looks like something went wrong on our end.\nRequest ID: ${requestId} (include this in support requests).`,
            extensions: { code: "INTERNAL_SERVER_ERROR", requestId },
          },
        ],
      };
      entry.status = 200;
      entry.response = body;
      return jsonResponse(200, body);
    }
    case "userErrors":
      throw new Error("userErrors faults are answered by the mutation resolver");
    case "lostResponse":
    case "delay":
      throw new Error(`${fault.kind} faults let the call run (withTransportFault)`);
  }
}

interface GraphqlBody {
  query: string | null;
  variables: Record<string, unknown>;
  operationName: string | null;
}

async function readGraphqlBody(request: Request): Promise<GraphqlBody | null> {
  const text = await request.text();
  const type = request.headers.get("content-type") ?? "";
  if (type.includes("application/graphql"))
    return { query: text, variables: {}, operationName: null };
  try {
    const parsed = JSON.parse(text) as {
      query?: unknown;
      variables?: unknown;
      operationName?: unknown;
    };
    return {
      query: typeof parsed.query === "string" ? parsed.query : null,
      variables:
        parsed.variables && typeof parsed.variables === "object"
          ? (parsed.variables as Record<string, unknown>)
          : {},
      operationName: typeof parsed.operationName === "string" ? parsed.operationName : null,
    };
  } catch {
    return null;
  }
}

function pickOperation(
  document: DocumentNode,
  name: string | null,
): OperationDefinitionNode | string {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  if (name)
    return operations.find((op) => op.name?.value === name) ?? `No operation named "${name}"`;
  if (operations.length === 1 && operations[0]) return operations[0];
  return "An operation name is required";
}

function rootFieldNames(operation: OperationDefinitionNode): string[] {
  return operation.selectionSet.selections.flatMap((s) =>
    s.kind === Kind.FIELD ? [s.name.value] : [],
  );
}

async function handleGraphql(
  state: AdminApiState,
  request: Request,
  apiVersion: string,
): Promise<Response> {
  const entry = logEntry(state, "graphql", apiVersion);
  const finish = (status: number, body: unknown, headers: Record<string, string> = {}) => {
    entry.status = status;
    entry.response = body;
    return jsonResponse(status, body, { "X-Shopify-API-Version": apiVersion, ...headers });
  };

  if (request.method !== "POST") return finish(405, { errors: "Method Not Allowed" });
  const body = await readGraphqlBody(request);
  entry.query = body?.query ?? null;
  entry.variables = body?.variables ?? {};

  // Parse early (leniently) so faults can target an operation before anything else runs.
  let document: DocumentNode | null = null;
  let parseError: GraphQLError | null = null;
  if (body?.query) {
    try {
      document = parse(body.query);
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      parseError = error;
    }
  }
  const picked = document ? pickOperation(document, body?.operationName ?? null) : null;
  const operation = picked && typeof picked !== "string" ? picked : null;
  if (operation) {
    entry.operationName = operation.name?.value ?? null;
    entry.operationType = operation.operation;
    entry.rootFields = rootFieldNames(operation);
  }

  const fault = takeFault(state, {
    endpoint: "graphql",
    operationType: entry.operationType,
    operationName: entry.operationName,
    rootFields: entry.rootFields,
    variables: entry.variables,
  });
  let injectedUserErrors: ExecContext["injectedUserErrors"] = null;
  // A forced throttle is answered where real throttling happens: after validation, with the cost known.
  let forcedThrottle: Extract<Fault, { kind: "throttled" }> | null = null;
  if (fault?.kind === "userErrors") {
    injectedUserErrors = fault;
    entry.fault = fault.kind;
  } else if (fault?.kind === "throttled") {
    forcedThrottle = fault;
  } else if (fault && !isTransportFault(fault)) {
    return answerFault(state, entry, fault, 0).then((response) => {
      response.headers.set("X-Shopify-API-Version", apiVersion);
      return response;
    });
  }

  return withTransportFault(state, request.signal, entry, fault, () =>
    serveGraphql(state, request, entry, finish, {
      body,
      document,
      parseError,
      operation,
      picked,
      injectedUserErrors,
      forcedThrottle,
    }),
  );
}

interface PreparedCall {
  body: GraphqlBody | null;
  document: DocumentNode | null;
  parseError: GraphQLError | null;
  operation: OperationDefinitionNode | null;
  picked: OperationDefinitionNode | string | null;
  injectedUserErrors: ExecContext["injectedUserErrors"];
  forcedThrottle: Extract<Fault, { kind: "throttled" }> | null;
}

/** Everything after fault selection: auth, validation, cost and throttling, execution. */
async function serveGraphql(
  state: AdminApiState,
  request: Request,
  entry: CallLogEntry,
  finish: (status: number, body: unknown, headers?: Record<string, string>) => Response,
  prepared: PreparedCall,
): Promise<Response> {
  const { body, document, parseError, operation, picked, injectedUserErrors, forcedThrottle } =
    prepared;
  const token = request.headers.get("x-shopify-access-token");
  if (accessTokenProblem(state, token)) return finish(401, INVALID_TOKEN_BODY);
  const scopes = state.accessTokens.get(token ?? "")?.scopes ?? [];

  if (!body) return finish(400, { errors: "Invalid JSON in request body" });
  if (!body.query)
    return finish(400, { errors: { query: "Required parameter missing or invalid" } });
  if (parseError || !document) {
    return finish(200, {
      errors: [
        toShopifyValidationError(
          parseError ?? new GraphQLError("Empty document"),
          null,
          adminSchema(),
        ),
      ],
    });
  }

  const schema = adminSchema();
  const validationErrors = validate(schema, document);
  if (validationErrors.length) {
    return finish(200, {
      errors: mergeMissingArguments(
        validationErrors.map((error) => toShopifyValidationError(error, document, schema)),
      ),
    });
  }
  if (!operation) return finish(200, { errors: [{ message: String(picked) }] });

  const { coerced, errors: variableErrors } = coerceVariables(schema, operation, body.variables);
  if (variableErrors.length) return finish(200, { errors: variableErrors });

  const fragments = new Map<string, FragmentDefinitionNode>(
    document.definitions.flatMap((d) =>
      d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [],
    ),
  );
  const requested = queryCost(schema, operation, fragments, coerced);
  if (requested > MAX_SINGLE_QUERY_COST) {
    return finish(200, {
      errors: [
        {
          message: `Query cost is ${requested}, which exceeds the single query max cost limit (${MAX_SINGLE_QUERY_COST}).\n\nSee ${RATE_LIMIT_DOCS} for more information on how the\ncost of a query is calculated.\n\nTo query larger amounts of data with fewer limits, bulk operations should be used instead.\nSee https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n`,
          extensions: {
            code: "MAX_COST_EXCEEDED",
            cost: requested,
            maxCost: MAX_SINGLE_QUERY_COST,
            documentation: RATE_LIMIT_DOCS,
          },
        },
      ],
    });
  }

  if (forcedThrottle) {
    entry.fault = forcedThrottle.kind;
    return finish(200, throttledBody(state, requested, forcedThrottle.currentlyAvailable ?? 0));
  }
  const throttle = refillThrottle(state);
  if (throttle.enabled) {
    if (requested > throttle.currentlyAvailable)
      return finish(200, throttledBody(state, requested));
    // Shopify reserves the requested cost up front and refunds the difference afterwards.
    throttle.currentlyAvailable -= requested;
  }

  const context: ExecContext = { state, scopes, injectedUserErrors, notSimulated: [] };
  const result = await execute({
    schema,
    document,
    operationName: operation.name?.value ?? null,
    rootValue,
    contextValue: context,
    variableValues: body.variables,
    fieldResolver,
  });

  const actual = Math.min(
    requested,
    queryCost(schema, operation, fragments, coerced, result.data ?? null),
  );
  if (throttle.enabled)
    throttle.currentlyAvailable = Math.min(
      throttle.maximumAvailable,
      throttle.currentlyAvailable + (requested - actual),
    );

  const deprecations = deprecatedUsages(document);
  entry.deprecations = deprecations;
  const responseBody: Record<string, unknown> = {};
  if (result.errors?.length)
    responseBody["errors"] = result.errors.map(
      (error): ShopifyErrorJson => error.toJSON() as ShopifyErrorJson,
    );
  responseBody["data"] = result.data ?? null;
  responseBody["extensions"] = costExtension(state, requested, actual);
  return finish(
    200,
    responseBody,
    deprecations.length
      ? {
          "X-Shopify-API-Deprecated-Reason":
            "https://shopify.dev/api/usage/versioning#deprecation-practices",
        }
      : {},
  );
}
