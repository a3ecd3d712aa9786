/**
 * Queued faults: which call a fault answers (`takeFault`), how many times, and the JSON form the
 * control API (`POST /sandbox/api/faults`) and the CLI (`npm run demo -- faults add …`) accept.
 * Tests in the same process may still push `Fault` objects onto `state.faults` directly,
 * including a predicate as `match`.
 */
import type { AdminApiState, Fault, FaultContext } from "./state";

export const FAULT_KINDS = [
  "http",
  "network",
  "lostResponse",
  "delay",
  "throttled",
  "internalError",
  "userErrors",
] as const satisfies ReadonlyArray<Fault["kind"]>;

export type FaultKind = (typeof FAULT_KINDS)[number];

/** The longest `delay` the control API accepts (10 minutes). */
export const MAX_DELAY_MS = 600_000;

/** A body the control API cannot turn into a fault; its message says what to fix. */
export class FaultInputError extends Error {
  override name = "FaultInputError";
}

export function faultMatches(fault: Fault, context: FaultContext): boolean {
  if ((fault.endpoint ?? "graphql") !== context.endpoint) return false;
  // Only a mutation has a payload to carry userErrors; leave the fault for the next one.
  if (fault.kind === "userErrors" && context.operationType !== "mutation") return false;
  if (fault.match === undefined) return true;
  if (typeof fault.match === "function") return fault.match(context);
  return fault.match === context.operationName || context.rootFields.includes(fault.match);
}

/**
 * The first queued fault that matches the call, counted down once: a fault with `times` left
 * stays queued (as a copy with one fewer), the last use removes it.
 */
export function takeFault(state: AdminApiState, context: FaultContext): Fault | null {
  const index = state.faults.findIndex((fault) => faultMatches(fault, context));
  if (index === -1) return null;
  const fault = state.faults[index]!;
  const remaining = fault.times ?? 1;
  if (remaining > 1) state.faults[index] = { ...fault, times: remaining - 1 };
  else state.faults.splice(index, 1);
  return fault;
}

/** A queued fault as JSON: what `GET /sandbox/api/state` and `GET /sandbox/api/faults` list. */
export interface FaultSummary {
  kind: Fault["kind"];
  /** The operation or root field name, "(predicate)" for an in-process function, null for any. */
  match: string | null;
  endpoint: "graphql" | "oauth";
  /** Matching calls it still answers. */
  remaining: number;
  status?: number;
  body?: string;
  headers?: Record<string, string>;
  message?: string;
  ms?: number;
  currentlyAvailable?: number;
  userErrors?: Array<{ field: string[] | null; message: string; code?: string }>;
}

export function describeFault(fault: Fault): FaultSummary {
  const { kind, match, endpoint, times, ...details } = fault;
  return {
    kind,
    match: match === undefined ? null : typeof match === "function" ? "(predicate)" : match,
    endpoint: endpoint ?? "graphql",
    remaining: times ?? 1,
    ...details,
  };
}

type Json = Record<string, unknown>;

const COMMON_FIELDS = ["kind", "match", "times", "endpoint"];
const KIND_FIELDS: Record<FaultKind, string[]> = {
  http: ["status", "body", "headers"],
  network: ["message"],
  lostResponse: ["message"],
  delay: ["ms"],
  throttled: ["currentlyAvailable"],
  internalError: [],
  userErrors: ["userErrors", "message", "code"],
};

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function integer(body: Json, name: string, min: number, max: number): number | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max)
    throw new FaultInputError(
      `"${name}" must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`,
    );
  return value;
}

function text(body: Json, name: string, options: { nonEmpty?: boolean } = {}): string | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string" || (options.nonEmpty && !value.trim()))
    throw new FaultInputError(
      `"${name}" must be a${options.nonEmpty ? " non-empty" : ""} string, got ${JSON.stringify(value)}`,
    );
  return value;
}

function userErrorList(value: unknown): Extract<Fault, { kind: "userErrors" }>["userErrors"] {
  const problem = () =>
    new FaultInputError(
      '"userErrors" must be a non-empty array of { "field": string[] | null, "message": string, "code"?: string }',
    );
  if (!Array.isArray(value) || value.length === 0) throw problem();
  return value.map((item: unknown) => {
    if (!isObject(item) || typeof item.message !== "string") throw problem();
    const field = item.field ?? null;
    if (field !== null && !(Array.isArray(field) && field.every((f) => typeof f === "string")))
      throw problem();
    if (item.code !== undefined && typeof item.code !== "string") throw problem();
    return {
      field: field as string[] | null,
      message: item.message,
      ...(item.code === undefined ? {} : { code: item.code as string }),
    };
  });
}

/**
 * Turns the control API's JSON body into a fault, or throws a FaultInputError naming the problem:
 *
 *   { "kind": "lostResponse", "match": "discountCodeBasicCreate", "times": 1 }
 *
 * `kind` is required; `match` (an operation or root field name; absent = the next call),
 * `times` (default 1) and `endpoint` ("graphql" or "oauth") apply to every kind; the rest belong
 * to one kind: http `status` (required), `body`, `headers`; network and lostResponse `message`
 * (the socket error); delay `ms` (required); throttled `currentlyAvailable`; userErrors
 * `userErrors`, or `message` (and `code`) for a single error. Unknown fields are refused, so a typo
 * does not silently queue a different fault.
 */
export function parseFault(input: unknown): Fault {
  if (!isObject(input))
    throw new FaultInputError(`The body must be a JSON object like {"kind": "network"}`);
  const kind = input.kind;
  if (typeof kind !== "string" || !(FAULT_KINDS as readonly string[]).includes(kind))
    throw new FaultInputError(
      `"kind" must be one of ${FAULT_KINDS.join(", ")}; got ${JSON.stringify(kind)}`,
    );
  const known = [...COMMON_FIELDS, ...KIND_FIELDS[kind as FaultKind]];
  const unknown = Object.keys(input).filter((key) => !known.includes(key));
  if (unknown.length)
    throw new FaultInputError(
      `Unknown field${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => `"${k}"`).join(", ")} for a ${kind} fault; it takes ${known.map((k) => `"${k}"`).join(", ")}`,
    );

  const match = text(input, "match", { nonEmpty: true })?.trim();
  const times = integer(input, "times", 1, 1_000_000);
  const endpoint = input.endpoint;
  if (endpoint !== undefined && endpoint !== "graphql" && endpoint !== "oauth")
    throw new FaultInputError(
      `"endpoint" must be "graphql" or "oauth", got ${JSON.stringify(endpoint)}`,
    );
  const base: Pick<Fault, "match" | "times" | "endpoint"> = {
    ...(match === undefined ? {} : { match }),
    ...(times === undefined ? {} : { times }),
    ...(endpoint === undefined ? {} : { endpoint }),
  };

  switch (kind as FaultKind) {
    case "http": {
      // The Fetch API's Response accepts 200–599 only.
      const status = integer(input, "status", 200, 599);
      if (status === undefined)
        throw new FaultInputError(`An http fault needs "status" (200–599), e.g. 503`);
      const body = text(input, "body");
      const headers = input.headers;
      if (
        headers !== undefined &&
        !(isObject(headers) && Object.values(headers).every((v) => typeof v === "string"))
      )
        throw new FaultInputError(`"headers" must be an object of strings`);
      return {
        ...base,
        kind: "http",
        status,
        ...(body === undefined ? {} : { body }),
        ...(headers === undefined ? {} : { headers: headers as Record<string, string> }),
      };
    }
    case "network":
    case "lostResponse": {
      const message = text(input, "message", { nonEmpty: true });
      const details = message === undefined ? {} : { message };
      return kind === "network"
        ? { ...base, kind: "network", ...details }
        : { ...base, kind: "lostResponse", ...details };
    }
    case "delay": {
      const ms = integer(input, "ms", 0, MAX_DELAY_MS);
      if (ms === undefined)
        throw new FaultInputError(`A delay fault needs "ms" (0–${MAX_DELAY_MS}), e.g. 5000`);
      return { ...base, kind: "delay", ms };
    }
    case "throttled": {
      const currentlyAvailable = integer(input, "currentlyAvailable", 0, 1_000_000);
      return {
        ...base,
        kind: "throttled",
        ...(currentlyAvailable === undefined ? {} : { currentlyAvailable }),
      };
    }
    case "internalError":
      return { ...base, kind: "internalError" };
    case "userErrors": {
      const message = text(input, "message", { nonEmpty: true });
      const code = text(input, "code", { nonEmpty: true });
      if (input.userErrors !== undefined) {
        if (message !== undefined || code !== undefined)
          throw new FaultInputError(`Give either "userErrors" or "message" (and "code"), not both`);
        return { ...base, kind: "userErrors", userErrors: userErrorList(input.userErrors) };
      }
      if (message === undefined)
        throw new FaultInputError(
          `A userErrors fault needs "userErrors" (an array) or "message" for a single error`,
        );
      return {
        ...base,
        kind: "userErrors",
        userErrors: [{ field: null, message, ...(code === undefined ? {} : { code }) }],
      };
    }
  }
}

/** Validates `input` and queues it after the faults already waiting. */
export function queueFault(state: AdminApiState, input: unknown): Fault {
  const fault = parseFault(input);
  state.faults.push(fault);
  return fault;
}
