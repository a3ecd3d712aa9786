import { afterEach, describe, expect, it, vi } from "vitest";
import {
  ApiError,
  createClient,
  orderIdFromGid,
  referralUrl,
} from "../../extensions/customer-account/src/api";
import { clientFor } from "../../extensions/customer-account/src/client";
import { appUrl, shopifyGlobal, storefrontUrl } from "../../extensions/customer-account/src/host";
import type { PageApi, PageHost } from "../../extensions/customer-account/src/host";
import { TOKEN, fakeFetch, fakeHost, sampleMember } from "./customer-account-fakes";

const APP = "https://loyalty.example.com";
const FALLBACK = "Something went wrong. Please try again.";

function client(answers: Parameters<typeof fakeFetch>, extra: { pollForMs?: number } = {}) {
  const { fetch, calls } = fakeFetch(...answers);
  const sleep = vi.fn(async (_ms: number) => {});
  let n = 0;
  const api = createClient({
    appUrl: `${APP}/`,
    token: async () => TOKEN,
    fallbackMessage: FALLBACK,
    fetch,
    sleep,
    newRequestId: () => `request-${++n}`,
    ...extra,
  });
  return { api, calls, sleep };
}

const issued = {
  status: "ISSUED",
  id: "red_1",
  code: "LOYAL-5OFF-AB12",
  applyUrl: "https://shop.example/discount/LOYAL-5OFF-AB12?redirect=/cart",
  expiresAt: "2026-08-01T00:00:00.000Z",
  points: 750,
};
const processing = { status: "PROCESSING", id: "red_1", points: 750, message: "Preparing…" };

afterEach(() => {
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
});

describe("the backend client", () => {
  it("wires the shopify global's session token and the app URL into every request", async () => {
    const { fetch, calls } = fakeFetch([200, sampleMember()]);
    const get = vi.fn(async () => "token-from-shopify");
    vi.stubGlobal("shopify", { ...fakeHost(), sessionToken: { get } });
    vi.stubGlobal("fetch", fetch);

    const api = clientFor(shopifyGlobal<PageApi>(), APP);
    const member = await api!.member();

    expect(member.points).toBe(1250);
    expect(get).toHaveBeenCalledOnce();
    expect(calls).toEqual([
      expect.objectContaining({
        url: `${APP}/customer-account/member`,
        method: "GET",
        headers: expect.objectContaining({ Authorization: "Bearer token-from-shopify" }),
      }),
    ]);
  });

  it("has no client when the build was given no app URL", () => {
    vi.stubEnv("APP_URL", "https://built-in.example");
    expect(appUrl()).toBe("https://built-in.example");
    vi.stubEnv("APP_URL", "");
    expect(appUrl()).toBeNull();
    expect(clientFor(fakeHost(), null)).toBeNull();
  });

  it("asks for a token on every request, since Shopify refreshes it", async () => {
    const { fetch } = fakeFetch([200, sampleMember()], [200, sampleMember()]);
    const token = vi.fn(async () => TOKEN);
    const api = createClient({ appUrl: APP, token, fallbackMessage: FALLBACK, fetch });
    await api.member();
    await api.member();
    expect(token).toHaveBeenCalledTimes(2);
  });
});

describe("redeeming", () => {
  it("posts the reward and the intent's request id, and returns the code", async () => {
    const { api, calls } = client([[200, issued]]);
    await expect(api.redeem("r-5off", "intent-1")).resolves.toEqual(issued);
    expect(calls).toEqual([
      expect.objectContaining({
        url: `${APP}/customer-account/redeem`,
        method: "POST",
        body: { rewardId: "r-5off", requestId: "intent-1" },
        headers: expect.objectContaining({
          Authorization: `Bearer ${TOKEN}`,
          "Content-Type": "application/json",
        }),
      }),
    ]);
  });

  it("sends the same request id again after a lost answer or a 503", async () => {
    const { api, calls } = client([
      new TypeError("Failed to fetch"),
      [503, { error: { code: "UNAVAILABLE", message: "Try later" } }],
      [200, issued],
    ]);
    await expect(api.redeem("r-5off", "intent-1")).resolves.toMatchObject({ code: issued.code });
    expect(calls.map((c) => c.body)).toEqual([
      { rewardId: "r-5off", requestId: "intent-1" },
      { rewardId: "r-5off", requestId: "intent-1" },
      { rewardId: "r-5off", requestId: "intent-1" },
    ]);
  });

  it("does not send a refused redemption again, and shows the backend's message", async () => {
    const { api, calls } = client([
      [409, { error: { code: "INSUFFICIENT_POINTS", message: "You need 250 more stars." } }],
    ]);
    const error = await api.redeem("r-5off", "intent-1").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 409,
      code: "INSUFFICIENT_POINTS",
      message: "You need 250 more stars.",
    });
    expect(calls).toHaveLength(1);
  });

  it("polls a redemption still being prepared every 3 seconds until it is issued", async () => {
    const { api, calls, sleep } = client([
      [202, processing],
      [200, processing],
      [200, issued],
    ]);
    const onProcessing = vi.fn();
    await expect(api.redeem("r-5off", "intent-1", onProcessing)).resolves.toMatchObject({
      status: "ISSUED",
      code: issued.code,
    });
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      `POST ${APP}/customer-account/redeem`,
      `GET ${APP}/customer-account/redemptions/red_1`,
      `GET ${APP}/customer-account/redemptions/red_1`,
    ]);
    expect(sleep.mock.calls).toEqual([[3000], [3000]]);
    expect(onProcessing).toHaveBeenCalledWith("Preparing…");
  });

  it("stops polling after about two minutes, saying the redemption is still on its way", async () => {
    const answers: [number, unknown][] = [[202, processing]];
    for (let i = 0; i < 50; i++) answers.push([200, processing]);
    const { api, calls } = client(answers);
    const error = await api.redeem("r-5off", "intent-1").catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "STILL_PROCESSING", message: "Preparing…" });
    // One POST and 40 polls of 3 s: 120 s.
    expect(calls).toHaveLength(41);
  });

  it("reports an error met while polling with its message", async () => {
    const { api } = client([
      [202, processing],
      [422, { error: { code: "REWARD_DISABLED", message: "This reward is no longer available." } }],
    ]);
    await expect(api.redeem("r-5off", "intent-1")).rejects.toThrow(
      "This reward is no longer available.",
    );
  });

  it("returns store credit's message with the redemption", async () => {
    const credit = {
      ...issued,
      code: "STORE-CREDIT-1",
      applyUrl: undefined,
      message: "$10.00 of store credit was added to your account.",
    };
    const { api } = client([[200, credit]]);
    await expect(api.redeem("r-credit", "intent-1")).resolves.toMatchObject({
      message: "$10.00 of store credit was added to your account.",
    });
  });
});

describe("error messages", () => {
  it("falls back to a generic message when the backend gives none or is unreachable", async () => {
    const { api } = client([
      [500, "<html>oops</html>"],
      [401, { error: { code: "NOT_LOGGED_IN" } }],
      new TypeError("Failed to fetch"),
    ]);
    for (const [status, code] of [
      [500, "HTTP_500"],
      [401, "NOT_LOGGED_IN"],
      [0, "NETWORK"],
    ] as const) {
      const error = await api.member().catch((e: unknown) => e);
      expect(error).toMatchObject({ status, code, message: FALLBACK });
    }
  });
});

describe("birthday and order points", () => {
  it("saves a birthday and returns what the backend stored", async () => {
    const birthday = { date: { month: 5, day: 14 }, next: "2027-05-14", points: 100 };
    const { api, calls } = client([[200, { ok: true, birthday }]]);
    await expect(api.setBirthday(5, 14)).resolves.toEqual(birthday);
    expect(calls[0]).toMatchObject({
      url: `${APP}/customer-account/birthday`,
      method: "POST",
      body: { month: 5, day: 14 },
    });
  });

  it("asks for an order by its numeric id, kept exact past 2^53", async () => {
    const earned = { points: 120, pendingPoints: 0, releaseDate: null };
    const { api, calls } = client([[200, earned]]);
    await expect(api.orderPoints("gid://shopify/Order/9007199254740993")).resolves.toEqual(earned);
    expect(calls[0]!.url).toBe(`${APP}/customer-account/orders/9007199254740993`);
  });

  it("reads a 404 as an order that earned no points, and throws other failures", async () => {
    const { api } = client([
      [404, { error: { code: "NOT_FOUND", message: "No points for this order" } }],
      [500, { error: { code: "INTERNAL", message: "Boom" } }],
    ]);
    await expect(api.orderPoints("gid://shopify/Order/1")).resolves.toBeNull();
    await expect(api.orderPoints("gid://shopify/Order/1")).rejects.toThrow("Boom");
  });

  it("refuses an id that is not an order's", () => {
    expect(orderIdFromGid("gid://shopify/Order/42")).toBe("42");
    expect(() => orderIdFromGid("gid://shopify/Customer/42")).toThrow(ApiError);
  });
});

describe("the referral link", () => {
  it("puts the app proxy path under the storefront", () => {
    expect(referralUrl("https://shop.example/", "/refer/ANNA42")).toBe(
      "https://shop.example/apps/loyalty/refer/ANNA42",
    );
  });

  it("takes the storefront from the Storefront API, else from the token's shop", async () => {
    await expect(storefrontUrl(fakeHost())).resolves.toBe("https://shop.example");
    const offline: PageHost = {
      ...fakeHost(),
      query: (async () => {
        throw new Error("api_access not granted");
      }) as unknown as PageHost["query"],
    };
    await expect(storefrontUrl(offline)).resolves.toBe("https://example.myshopify.com");
  });
});
