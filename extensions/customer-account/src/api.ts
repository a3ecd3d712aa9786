// The extension's whole conversation with the app backend (app/routes/customer-account.*).
// Plain TypeScript, no Preact: the components call it, and tests drive it with a fake fetch.

export type PointsName = Partial<Record<Intl.LDMLPluralRule, string>>;

export interface Reward {
  id: string;
  name: string;
  cost: number;
  type?: string;
  affordable?: boolean;
  /** The tier this reward is kept for, when the member is below it. */
  requiresTier?: string;
}

export interface HeldCode {
  code: string;
  applyUrl?: string;
  expiresAt: string | null;
  points: number;
}

export interface Member {
  loggedIn: true;
  enabled: boolean;
  pointsName: PointsName;
  points: number;
  pendingPoints: number;
  nextRelease: { date: string; points: number } | null;
  tier: { name: string; multiplier: string; perks?: string | null } | null;
  nextTier: {
    name: string;
    remaining: number;
    threshold: number;
    /** Spend-based tiers: what is left to spend, in the shop's currency. */
    currency?: string;
    remainingAmount?: string;
  } | null;
  rewards: Reward[];
  history: { date: string; points: number; kind: string; description: string }[];
  expiresAt: string | null;
  codes: Record<string, HeldCode>;
  referral: {
    path: string;
    points: number;
    offer: string;
    pending: number;
    rewarded: number;
  } | null;
  birthday: {
    date: { month: number; day: number } | null;
    next: string | null;
    points: number;
  } | null;
  program: { waysToEarn: { title: string; description?: string; points?: number }[] };
}

/** A settled redemption: a code to use, or (store credit) a message saying where it went. */
export interface Issued {
  status: "ISSUED";
  id: string;
  code: string;
  applyUrl?: string;
  expiresAt: string | null;
  points: number;
  message?: string;
}

interface Processing {
  status: "PROCESSING";
  id: string;
  points: number;
  message: string;
}

export interface OrderPoints {
  points: number;
  pendingPoints: number;
  releaseDate: string | null;
}

/** What the backend said went wrong, or what we say when it could not be reached. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export interface ClientOptions {
  /** The app's origin; every path below is appended to it. */
  appUrl: string;
  /** A fresh (or still valid) session token; Shopify caches it, so this is called per request. */
  token: () => Promise<string>;
  /** Shown when the backend answers without a message of its own, or cannot be reached. */
  fallbackMessage: string;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  newRequestId?: () => string;
  pollEveryMs?: number;
  pollForMs?: number;
}

export interface Client {
  member(): Promise<Member>;
  /**
   * Turns points into the reward. `requestId` names the shopper's intent: a retry of the same
   * intent passes the same one, so the backend redeems once however many requests arrive.
   */
  redeem(
    rewardId: string,
    requestId: string,
    onProcessing?: (message: string) => void,
  ): Promise<Issued>;
  setBirthday(month: number, day: number): Promise<Member["birthday"]>;
  /** The points an order earned, or null when it earned none (404). */
  orderPoints(orderGid: string): Promise<OrderPoints | null>;
  newRequestId(): string;
}

const POLL_EVERY_MS = 3_000;
// The storefront widget gives up after about as long: past it the redemption is left to the
// app's recovery job, and the code appears with the member's other codes on the next visit.
const POLL_FOR_MS = 120_000;

const RETRIES = 2;
const RETRY_AFTER_MS = 1_000;

/** Failures where the request may not have been handled: worth sending again. */
function transient(error: unknown) {
  return error instanceof ApiError && [0, 502, 503, 504].includes(error.status);
}

export function createClient(options: ClientOptions): Client {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const sleep = options.sleep ?? ((ms) => new Promise<void>((done) => setTimeout(done, ms)));
  const base = options.appUrl.replace(/\/+$/, "");

  async function request<T>(path: string, init: { method?: string; body?: unknown } = {}) {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${await options.token()}`,
      Accept: "application/json",
    };
    if (init.body !== undefined) headers["Content-Type"] = "application/json";
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        method: init.method ?? "GET",
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
    } catch {
      throw new ApiError(0, "NETWORK", options.fallbackMessage);
    }
    const body = (await response.json().catch(() => null)) as
      (T & { error?: { code?: string; message?: string } }) | null;
    if (!response.ok) {
      const error = body?.error;
      throw new ApiError(
        response.status,
        error?.code ?? `HTTP_${response.status}`,
        error?.message || options.fallbackMessage,
      );
    }
    if (body === null) throw new ApiError(response.status, "BAD_RESPONSE", options.fallbackMessage);
    return { status: response.status, body: body as T };
  }

  return {
    newRequestId: options.newRequestId ?? randomId,

    async member() {
      return (await request<Member>("/customer-account/member")).body;
    },

    async redeem(rewardId, requestId, onProcessing) {
      // The same requestId on every attempt: an answer lost on the way back must not spend the
      // points twice when the request is sent again.
      const send = () =>
        request<Issued | Processing>("/customer-account/redeem", {
          method: "POST",
          body: { rewardId, requestId },
        });
      let answer: Issued | Processing;
      for (let attempt = 0; ; attempt++) {
        try {
          answer = (await send()).body;
          break;
        } catch (error) {
          if (attempt >= RETRIES || !transient(error)) throw error;
          await sleep(RETRY_AFTER_MS * (attempt + 1));
        }
      }
      const pollEvery = options.pollEveryMs ?? POLL_EVERY_MS;
      const attempts = Math.ceil((options.pollForMs ?? POLL_FOR_MS) / pollEvery);
      for (let attempt = 0; answer.status === "PROCESSING"; attempt++) {
        if (attempt >= attempts) {
          throw new ApiError(202, "STILL_PROCESSING", answer.message || options.fallbackMessage);
        }
        onProcessing?.(answer.message);
        await sleep(pollEvery);
        answer = (
          await request<Issued | Processing>(
            `/customer-account/redemptions/${encodeURIComponent(answer.id)}`,
          )
        ).body;
      }
      return answer;
    },

    async setBirthday(month, day) {
      const { body } = await request<{ ok: true; birthday: Member["birthday"] }>(
        "/customer-account/birthday",
        { method: "POST", body: { month, day } },
      );
      return body.birthday;
    },

    async orderPoints(orderGid) {
      try {
        const id = orderIdFromGid(orderGid);
        return (await request<OrderPoints>(`/customer-account/orders/${id}`)).body;
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
  };
}

/** "gid://shopify/Order/5531" → "5531", kept a string: order ids go past 2^53. */
export function orderIdFromGid(gid: string): string {
  const id = /^gid:\/\/shopify\/Order\/(\d+)(?:\?.*)?$/.exec(gid)?.[1];
  if (!id) throw new ApiError(0, "BAD_ORDER_ID", `Not an order id: ${gid}`);
  return id;
}

/** The member's referral link: the app proxy path under the shop's storefront. */
export function referralUrl(storefrontUrl: string, path: string): string {
  return `${storefrontUrl.replace(/\/+$/, "")}/apps/loyalty${path.startsWith("/") ? "" : "/"}${path}`;
}

function randomId(): string {
  const c = globalThis.crypto;
  if (typeof c?.randomUUID === "function") return c.randomUUID();
  // RFC 4122 version 4 from random bytes, for runtimes without randomUUID.
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
