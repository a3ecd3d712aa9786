// Stand-ins for what Shopify gives the customer account extension at run time: the `shopify`
// global's i18n (with the extension's real locale files) and session token, and the app backend.
import fs from "node:fs";
import path from "node:path";
import type { Member } from "../../extensions/customer-account/src/api";
import type { OrderHost, PageHost } from "../../extensions/customer-account/src/host";

export const EXTENSION = path.resolve(import.meta.dirname, "../../extensions/customer-account");

export function locale(name: string): Record<string, unknown> {
  const file = name === "en" ? "en.default.json" : `${name}.json`;
  return JSON.parse(fs.readFileSync(path.join(EXTENSION, "locales", file), "utf8"));
}

/** Shopify's translate as documented: dotted keys, `count` picks a plural form, {{name}} fills. */
export function translator(language: string) {
  const strings = locale(language);
  const rules = new Intl.PluralRules(language);
  return (key: string, values: Record<string, string | number> = {}): string => {
    let node: unknown = strings;
    for (const part of key.split(".")) node = (node as Record<string, unknown> | undefined)?.[part];
    if (node && typeof node === "object" && typeof values.count === "number") {
      const forms = node as Record<string, string>;
      node = forms[rules.select(values.count)] ?? forms.other;
    }
    if (typeof node !== "string") throw new Error(`Missing translation ${language}:${key}`);
    return node.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => String(values[name] ?? ""));
  };
}

export const TOKEN = "header.eyJkZXN0IjoiZXhhbXBsZS5teXNob3BpZnkuY29tIn0.signature";

export function fakeHost(language = "en"): PageHost {
  const translate = translator(language);
  return {
    i18n: {
      translate: ((key: string, values?: Record<string, string | number>) =>
        translate(key, values)) as PageHost["i18n"]["translate"],
      formatNumber: (n, options) => new Intl.NumberFormat(language, options).format(n),
      formatDate: (date, options) =>
        new Intl.DateTimeFormat(language, { timeZone: "UTC", ...options }).format(date),
    },
    localization: { language: { value: { isoCode: language } } },
    sessionToken: { get: async () => TOKEN },
    query: (async () => ({
      data: { shop: { primaryDomain: { url: "https://shop.example" } } },
    })) as unknown as PageHost["query"],
  };
}

export function fakeOrderHost(orderId = "gid://shopify/Order/9007199254740993"): OrderHost {
  return { ...fakeHost(), order: { value: { id: orderId } } };
}

export interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A fetch that answers from a queue of [status, body] and records every request. */
export function fakeFetch(...answers: ([number, unknown] | Error)[]) {
  const calls: Call[] = [];
  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    calls.push({
      url: String(input),
      method: init.method ?? "GET",
      headers: init.headers as Record<string, string>,
      body: typeof init.body === "string" ? JSON.parse(init.body) : undefined,
    });
    const answer = answers.shift();
    if (!answer) throw new Error(`Unexpected request ${String(input)}`);
    if (answer instanceof Error) throw answer;
    const [status, body] = answer;
    return new Response(JSON.stringify(body), {
      status,
      headers: { "Content-Type": "application/json", "Access-Control-Allow-Origin": "*" },
    });
  };
  return { fetch: fetch as typeof globalThis.fetch, calls };
}

export function sampleMember(overrides: Partial<Member> = {}): Member {
  return {
    loggedIn: true,
    enabled: true,
    pointsName: { one: "star", other: "stars" },
    points: 1250,
    pendingPoints: 120,
    nextRelease: { date: "2026-06-01T12:00:00.000Z", points: 120 },
    tier: { name: "Silver", multiplier: "1.5", perks: "Free shipping on every order" },
    nextTier: { name: "Gold", remaining: 750, threshold: 2000 },
    rewards: [
      { id: "r-5off", name: "$5 off", cost: 500, type: "FIXED_AMOUNT", affordable: true },
      {
        id: "r-credit",
        name: "$10 store credit",
        cost: 1000,
        type: "STORE_CREDIT",
        affordable: true,
      },
      { id: "r-20off", name: "$20 off", cost: 2000, type: "FIXED_AMOUNT", affordable: false },
      {
        id: "r-vip",
        name: "VIP gift",
        cost: 300,
        type: "FIXED_AMOUNT",
        affordable: false,
        requiresTier: "Gold",
      },
    ],
    history: [
      {
        date: "2026-05-10T09:30:00.000Z",
        points: 120,
        kind: "EARN",
        description: "Order #1042",
      },
      {
        date: "2026-04-02T09:30:00.000Z",
        points: -500,
        kind: "REDEEM",
        description: "Redeemed $5 off",
      },
    ],
    expiresAt: "2027-05-10T09:30:00.000Z",
    codes: {},
    referral: { path: "/refer/ANNA42", points: 200, offer: "$10 off", pending: 1, rewarded: 2 },
    birthday: { date: null, next: null, points: 100 },
    program: { waysToEarn: [{ title: "Place an order", description: "1 star per $1" }] },
    ...overrides,
  };
}
