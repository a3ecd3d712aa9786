import {
  GraphqlQueryError,
  HttpRequestError,
  HttpResponseError,
  HttpRetriableError,
  HttpThrottlingError,
} from "@shopify/shopify-api";

/**
 * A thin layer over the library's Admin GraphQL client that turns its errors into three cases
 * the app can act on, and retries the transient ones within a time budget:
 *  - THROTTLED (HTTP 200 with an error code — the client does not retry it): wait until the cost
 *    bucket has refilled enough, using extensions.cost.throttleStatus;
 *  - 429, 5xx, network errors and timeouts: bounded exponential back-off;
 *  - anything else is permanent and surfaces at once.
 * Every attempt has a deadline (AbortSignal), and all attempts together stay within the budget.
 * Each failure also says whether Shopify may have carried the call out: a mutation whose answer
 * was lost (a timeout, a dropped connection, a 5xx) may have taken effect.
 */

export interface AdminGraphqlClient {
  graphql(
    query: string,
    options?: { variables?: Record<string, unknown>; signal?: AbortSignal },
  ): Promise<Response>;
}

export type AdminFailureKind = "throttled" | "transient" | "permanent";

/**
 * "not-applied": Shopify did not carry the call out. "unknown": it may have. "applied": the
 * answer received is the whole story (one attempt reached Shopify and answered).
 */
export type AdminOutcome = "not-applied" | "unknown" | "applied";

export class AdminApiError extends Error {
  constructor(
    message: string,
    readonly kind: AdminFailureKind,
    readonly retryAfterMs?: number,
    readonly outcome: AdminOutcome = "not-applied",
  ) {
    super(message);
    this.name = "AdminApiError";
  }
}

interface ThrottleStatus {
  currentlyAvailable: number;
  restoreRate: number;
}

interface GraphqlBody {
  errors?: { graphQLErrors?: { message: string; extensions?: { code?: string } }[] };
  extensions?: {
    cost?: { requestedQueryCost?: number; throttleStatus?: ThrottleStatus };
  };
}

function throttledWaitMs(body: GraphqlBody | undefined): number {
  const cost = body?.extensions?.cost;
  const status = cost?.throttleStatus;
  if (!status || !status.restoreRate) return 1_000;
  const missing = Math.max(0, (cost?.requestedQueryCost ?? 10) - status.currentlyAvailable);
  return Math.ceil((missing / status.restoreRate) * 1_000) + 50;
}

function classify(error: unknown): AdminApiError {
  if (error instanceof GraphqlQueryError) {
    const body = error.body as GraphqlBody | undefined;
    const codes = body?.errors?.graphQLErrors?.map((e) => e.extensions?.code) ?? [];
    if (codes.includes("THROTTLED")) {
      return new AdminApiError(
        "Admin API throttled the request",
        "throttled",
        throttledWaitMs(body),
      );
    }
    if (codes.includes("INTERNAL_SERVER_ERROR")) {
      // Shopify failed while running it: a mutation may have been carried out before the error.
      return new AdminApiError(
        "Admin API had an internal error",
        "transient",
        undefined,
        "unknown",
      );
    }
    return new AdminApiError(`Admin API rejected the operation: ${error.message}`, "permanent");
  }
  if (error instanceof HttpThrottlingError) {
    return new AdminApiError(
      "Admin API answered 429",
      "transient",
      (error.response.retryAfter ?? 1) * 1_000,
    );
  }
  if (isTimeout(error)) {
    return new AdminApiError("Admin API did not answer in time", "transient", undefined, "unknown");
  }
  if (error instanceof HttpRetriableError || error instanceof HttpRequestError) {
    // The status tells support more than Shopify's sentence; keep both.
    const code = error instanceof HttpRetriableError ? ` (${error.response.code})` : "";
    return new AdminApiError(
      `Admin API unavailable${code}: ${error.message.split("\n")[0]}`,
      "transient",
      undefined,
      "unknown",
    );
  }
  if (error instanceof HttpResponseError) {
    const code = error.response.code;
    // A 2xx here means the body broke off after Shopify had answered (a dropped connection, our
    // deadline firing mid-download): the call ran, and we do not know what it said.
    const ran = code >= 500 || (code >= 200 && code < 300);
    return new AdminApiError(
      `Admin API answered ${code}`,
      ran || code === 429 ? "transient" : "permanent",
      undefined,
      ran ? "unknown" : "not-applied",
    );
  }
  if (error instanceof TypeError) {
    // fetch rejects with a TypeError when the connection fails — possibly after the request left.
    return new AdminApiError(
      `Admin API unreachable: ${error.message}`,
      "transient",
      undefined,
      "unknown",
    );
  }
  if (error instanceof Response) {
    return new AdminApiError(
      `Admin API answered ${error.status}`,
      error.status >= 500 ? "transient" : "permanent",
      undefined,
      error.status >= 500 ? "unknown" : "not-applied",
    );
  }
  // Anything else (a body that does not parse, an error of the client itself) says nothing about
  // whether Shopify ran the call.
  return new AdminApiError(
    error instanceof Error ? error.message : String(error),
    "permanent",
    undefined,
    "unknown",
  );
}

function isTimeout(error: unknown): boolean {
  for (let e = error; e instanceof Error; e = (e as Error & { cause?: unknown }).cause) {
    if (e.name === "TimeoutError" || e.name === "AbortError") return true;
  }
  return false;
}

/**
 * A mutation that threw, as the caller must take it: certainly not carried out ("refused"), or
 * perhaps carried out ("unknown": look for its effect before giving anything back).
 */
export function failedCall(error: unknown): { kind: "refused" | "unknown"; reason: string } {
  const reason = error instanceof Error ? error.message : String(error);
  const outcome = error instanceof AdminApiError ? error.outcome : "unknown";
  return { kind: outcome === "not-applied" ? "refused" : "unknown", reason };
}

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  /** Longest time all attempts and waits may take together; a shopper may be waiting. */
  budgetMs: number;
  /** Longest one attempt may take before it is abandoned (its outcome is then unknown). */
  attemptTimeoutMs: number;
  sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 4,
  baseDelayMs: 250,
  budgetMs: 6_000,
  attemptTimeoutMs: 4_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export async function adminQuery<T>(
  admin: AdminGraphqlClient,
  query: string,
  variables: Record<string, unknown>,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<T> {
  return (await adminCall<T>(admin, query, variables, policy)).data;
}

/**
 * adminQuery that also says whether an earlier attempt's outcome is unknown: a mutation's answer
 * then describes the retry, not the whole call — "Invalid" after a lost response may follow a
 * discount the first attempt did create.
 *
 * `repeatable: false` for a mutation that would take effect twice if sent twice (a store credit):
 * it is only sent again after failures that certainly changed nothing (throttled, refused
 * connections); after one that may have, the caller must look for its effect instead.
 */
export async function adminCall<T>(
  admin: AdminGraphqlClient,
  query: string,
  variables: Record<string, unknown>,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  options: { repeatable?: boolean } = {},
): Promise<{ data: T; outcome: AdminOutcome }> {
  const deadline = Date.now() + policy.budgetMs;
  // Once an attempt's outcome is unknown, so is the call's, whatever later attempts say.
  let outcome: AdminOutcome = "not-applied";
  for (let attempt = 1; ; attempt++) {
    let failure: AdminApiError;
    try {
      const timeout = Math.max(1, Math.min(policy.attemptTimeoutMs, deadline - Date.now()));
      const response = await admin.graphql(query, {
        variables,
        signal: AbortSignal.timeout(timeout),
      });
      const body = (await response.json()) as { data?: T } & GraphqlBody;
      if (body.data)
        return { data: body.data, outcome: outcome === "unknown" ? "unknown" : "applied" };
      failure = new AdminApiError("Admin API returned no data", "permanent", undefined, "unknown");
    } catch (error) {
      failure = classify(error);
    }
    if (failure.outcome === "unknown") outcome = "unknown";
    const settled = () =>
      new AdminApiError(failure.message, failure.kind, failure.retryAfterMs, outcome);
    if (failure.kind === "permanent" || attempt >= policy.attempts) throw settled();
    if (outcome === "unknown" && options.repeatable === false) throw settled();
    const delay =
      failure.kind === "throttled"
        ? (failure.retryAfterMs ?? policy.baseDelayMs)
        : Math.max(failure.retryAfterMs ?? 0, policy.baseDelayMs * 2 ** (attempt - 1));
    if (Date.now() + delay >= deadline) throw settled();
    await policy.sleep(delay);
  }
}
