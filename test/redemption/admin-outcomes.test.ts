import { GraphqlQueryError, HttpResponseError } from "@shopify/shopify-api";
import { describe, expect, it } from "vitest";
import {
  AdminApiError,
  adminCall,
  type AdminGraphqlClient,
  type RetryPolicy,
} from "../../app/shopify/admin-api.server";

/**
 * Whether Shopify may have carried a call out, from what the Shopify client threw. Points are only
 * returned for a redemption whose code certainly was not created, so "not applied" must be earned.
 */

const once: RetryPolicy = {
  attempts: 1,
  baseDelayMs: 1,
  budgetMs: 1_000,
  attemptTimeoutMs: 1_000,
  sleep: async () => {},
};

function failingWith(error: unknown): AdminGraphqlClient {
  return { graphql: () => Promise.reject(error) };
}

async function outcomeOf(error: unknown) {
  const thrown = await adminCall(failingWith(error), "mutation { x }", {}, once).catch(
    (caught: unknown) => caught,
  );
  expect(thrown).toBeInstanceOf(AdminApiError);
  return (thrown as AdminApiError).outcome;
}

describe("what a failed Admin call may have done", () => {
  it("a body cut off after a 200 answer: the call ran, the outcome is unknown", async () => {
    // What @shopify/graphql-client throws when the stream breaks after the headers arrived.
    const cut = new HttpResponseError({ message: "terminated", code: 200, statusText: "OK" });
    expect(await outcomeOf(cut)).toBe("unknown");
  });

  it("5xx and unexpected errors are unknown; 4xx and schema errors were not applied", async () => {
    expect(
      await outcomeOf(
        new HttpResponseError({ message: "x", code: 502, statusText: "Bad Gateway" }),
      ),
    ).toBe("unknown");
    expect(await outcomeOf(new SyntaxError("Unexpected end of JSON input"))).toBe("unknown");
    expect(
      await outcomeOf(new HttpResponseError({ message: "x", code: 403, statusText: "Forbidden" })),
    ).toBe("not-applied");
    expect(
      await outcomeOf(
        new GraphqlQueryError({
          message: "Field 'x' doesn't exist",
          response: {} as Record<string, unknown>,
          body: { errors: { graphQLErrors: [{ message: "Field 'x' doesn't exist" }] } },
        }),
      ),
    ).toBe("not-applied");
  });
});

describe("a mutation that would take effect twice if sent twice", () => {
  const patient: RetryPolicy = { ...once, attempts: 4 };
  const failingThenOk = (error: unknown) => {
    let calls = 0;
    const client: AdminGraphqlClient = {
      graphql: () => {
        calls += 1;
        return calls === 1 ? Promise.reject(error) : Promise.resolve(Response.json({ data: {} }));
      },
    };
    return { client, calls: () => calls };
  };
  const gateway = new HttpResponseError({ message: "x", code: 502, statusText: "Bad Gateway" });
  const throttled = new HttpResponseError({ message: "x", code: 429, statusText: "Too Many" });

  it("is not sent again after a failure that may have carried it out", async () => {
    const { client, calls } = failingThenOk(gateway);
    const thrown = await adminCall(client, "mutation { x }", {}, patient, {
      repeatable: false,
    }).catch((caught: unknown) => caught);
    expect(thrown).toMatchObject({ outcome: "unknown" });
    expect(calls()).toBe(1);
  });

  it("is sent again after one that certainly did not, as any call", async () => {
    const once429 = failingThenOk(throttled);
    await expect(
      adminCall(once429.client, "mutation { x }", {}, patient, { repeatable: false }),
    ).resolves.toMatchObject({ outcome: "applied" });
    expect(once429.calls()).toBe(2);
    // Repeatable calls (a discount with its own unique code) still try again after a 5xx.
    const again = failingThenOk(gateway);
    await expect(adminCall(again.client, "mutation { x }", {}, patient)).resolves.toMatchObject({
      outcome: "unknown",
    });
    expect(again.calls()).toBe(2);
  });
});
