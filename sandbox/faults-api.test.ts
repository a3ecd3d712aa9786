import { describe, expect, it } from "vitest";
import { handleApi, type ApiContext } from "./api";
import { faultsRequest } from "./cli";
import { createAdminApi } from "./shopify";

/** Faults queued from outside the process: the control API and the CLI that calls it. */

function control() {
  const api = createAdminApi();
  // The faults routes only touch the Admin API's state.
  const ctx = { api } as unknown as ApiContext;
  const send = async (method: string, path: string, body?: unknown) => {
    const response = await handleApi(
      new Request(`http://localhost:3100/sandbox/api${path}`, {
        method,
        headers: { "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
      ctx,
    );
    return { status: response!.status, body: (await response!.json()) as Record<string, unknown> };
  };
  return { api, send };
}

describe("POST /sandbox/api/faults", () => {
  it("queues a fault that the next matching call meets, and lists it", async () => {
    const { api, send } = control();
    const queued = await send("POST", "/faults", {
      kind: "lostResponse",
      match: "discountCodeBasicCreate",
      times: 2,
    });
    expect(queued.status).toBe(200);
    expect(queued.body.message).toBe("Queued lostResponse for discountCodeBasicCreate, 2 times");

    // GET /sandbox/api/state carries the same list under "faults".
    const listed = await send("GET", "/faults");
    expect(listed.body.faults).toEqual([
      { kind: "lostResponse", match: "discountCodeBasicCreate", endpoint: "graphql", remaining: 2 },
    ]);
    expect(api.state.faults).toHaveLength(1);

    expect((await send("DELETE", "/faults")).body).toMatchObject({ cleared: 1, faults: [] });
    expect(api.state.faults).toEqual([]);
  });

  it("answers 400 with what to fix, and queues nothing", async () => {
    const { api, send } = control();
    const bad = await send("POST", "/faults", { kind: "delay" });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/needs "ms"/);
    const typo = await send("POST", "/faults", { kind: "http", status: 503, tims: 2 });
    expect(typo.body.error).toMatch(/Unknown field "tims"/);
    expect(api.state.faults).toEqual([]);
  });
});

describe("npm run demo -- faults", () => {
  it("turns the command line into the control API call", () => {
    expect(
      faultsRequest(["add", "delay", "--ms", "15000", "--match", "discountCodeBasicCreate"]),
    ).toEqual({
      method: "POST",
      path: "/faults",
      body: { kind: "delay", ms: 15000, match: "discountCodeBasicCreate" },
    });
    expect(faultsRequest(["add", "lost-response", "--times", "3"]).body).toEqual({
      kind: "lostResponse",
      times: 3,
    });
    expect(faultsRequest(["list"])).toEqual({ method: "GET", path: "/faults" });
    expect(faultsRequest(["clear"])).toEqual({ method: "DELETE", path: "/faults" });
    expect(() => faultsRequest(["add"])).toThrow(/needs a kind/);
  });
});
