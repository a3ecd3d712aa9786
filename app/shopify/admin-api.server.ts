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
 *  - 429, 5xx and network errors: bounded exponential back-off;
 *  - anything else is permanent and surfaces at once.
 */

export interface AdminGraphqlClient {
  graphql(query: string, options?: { variables?: Record<string, unknown> }): Promise<Response>;
}

export type AdminFailureKind = "throttled" | "transient" | "permanent";

export class AdminApiError extends Error {
  constructor(
    message: string,
    readonly kind: AdminFailureKind,
    readonly retryAfterMs?: number,
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
    return new AdminApiError(`Admin API rejected the operation: ${error.message}`, "permanent");
  }
  if (error instanceof HttpThrottlingError) {
    return new AdminApiError(
      "Admin API answered 429",
      "transient",
      (error.response.retryAfter ?? 1) * 1_000,
    );
  }
  if (error instanceof HttpRetriableError || error instanceof HttpRequestError) {
    return new AdminApiError(`Admin API unavailable: ${error.message.split("\n")[0]}`, "transient");
  }
  if (error instanceof HttpResponseError) {
    const transient = error.response.code >= 500 || error.response.code === 429;
    return new AdminApiError(
      `Admin API answered ${error.response.code}`,
      transient ? "transient" : "permanent",
    );
  }
  if (error instanceof TypeError) {
    // fetch rejects with a TypeError when the connection fails.
    return new AdminApiError(`Admin API unreachable: ${error.message}`, "transient");
  }
  if (error instanceof Response) {
    return new AdminApiError(
      `Admin API answered ${error.status}`,
      error.status >= 500 ? "transient" : "permanent",
    );
  }
  return new AdminApiError(error instanceof Error ? error.message : String(error), "permanent");
}

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  /** Longest total wait we accept; a shopper is waiting on the other end. */
  budgetMs: number;
  sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 4,
  baseDelayMs: 250,
  budgetMs: 6_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export async function adminQuery<T>(
  admin: AdminGraphqlClient,
  query: string,
  variables: Record<string, unknown>,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<T> {
  let waited = 0;
  for (let attempt = 1; ; attempt++) {
    let failure: AdminApiError;
    try {
      const response = await admin.graphql(query, { variables });
      const body = (await response.json()) as { data?: T } & GraphqlBody;
      if (body.data) return body.data;
      failure = new AdminApiError("Admin API returned no data", "permanent");
    } catch (error) {
      failure = classify(error);
    }
    if (failure.kind === "permanent" || attempt >= policy.attempts) throw failure;
    const delay =
      failure.kind === "throttled"
        ? (failure.retryAfterMs ?? policy.baseDelayMs)
        : Math.max(failure.retryAfterMs ?? 0, policy.baseDelayMs * 2 ** (attempt - 1));
    if (waited + delay > policy.budgetMs) throw failure;
    waited += delay;
    await policy.sleep(delay);
  }
}
