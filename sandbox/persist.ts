/**
 * `npm run demo` keeps the demo shop between runs, like a development store: the app's SQLite
 * file and this JSON snapshot of the Shopify side (customers, discounts, metafields, tokens,
 * orders, webhook log) live side by side and are only ever reset together.
 */
import fs from "node:fs";
import path from "node:path";
import type { AdminApiState } from "./shopify";
import type { Shop } from "./shop";
import type { WebhookSender } from "./webhooks";

const VERSION = 1;

interface Snapshot {
  version: number;
  admin: {
    nextId: number;
    customers: AdminApiState["customers"] extends Map<string, infer V> ? V[] : never;
    discounts: AdminApiState["discounts"] extends Map<string, infer V> ? V[] : never;
    /** Absent in snapshots saved before automatic app discounts were simulated. */
    automaticDiscounts?: AdminApiState["automaticDiscounts"] extends Map<string, infer V>
      ? V[]
      : never;
    metafields: AdminApiState["metafields"] extends Map<string, infer V>
      ? Array<[string, V]>
      : never;
    accessTokens: AdminApiState["accessTokens"] extends Map<string, infer V> ? V[] : never;
    refreshTokens: AdminApiState["refreshTokens"] extends Map<string, infer V> ? V[] : never;
    orders: AdminApiState["orders"];
    /** Absent in snapshots saved before store credit was simulated. */
    storeCreditAccounts?: AdminApiState["storeCreditAccounts"] extends Map<string, infer V>
      ? V[]
      : never;
    flowTriggers: AdminApiState["flowTriggers"];
  };
  shop: ReturnType<Shop["toJSON"]>;
  webhooks: ReturnType<WebhookSender["toJSON"]>;
}

export function saveSnapshot(
  file: string,
  state: AdminApiState,
  shop: Shop,
  webhooks: WebhookSender,
) {
  const snapshot: Snapshot = {
    version: VERSION,
    admin: {
      nextId: state.nextId,
      customers: [...state.customers.values()],
      discounts: [...state.discounts.values()],
      automaticDiscounts: [...state.automaticDiscounts.values()],
      metafields: [...state.metafields.entries()],
      accessTokens: [...state.accessTokens.values()],
      refreshTokens: [...state.refreshTokens.values()],
      orders: state.orders,
      storeCreditAccounts: [...state.storeCreditAccounts.values()],
      flowTriggers: state.flowTriggers,
    },
    shop: shop.toJSON(),
    webhooks: webhooks.toJSON(),
  };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Write then rename, so a crash mid-write never leaves half a snapshot behind.
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(snapshot));
  fs.renameSync(`${file}.tmp`, file);
}

/** Restores a snapshot into fresh objects; false when there is none (or an older format). */
export function loadSnapshot(
  file: string,
  state: AdminApiState,
  shop: Shop,
  webhooks: WebhookSender,
) {
  if (!fs.existsSync(file)) return false;
  const snapshot = JSON.parse(fs.readFileSync(file, "utf8")) as Snapshot;
  if (snapshot.version !== VERSION) return false;
  const { admin } = snapshot;
  state.nextId = admin.nextId;
  state.customers = new Map(admin.customers.map((c) => [c.id, c]));
  state.discounts = new Map(admin.discounts.map((d) => [d.id, d]));
  state.automaticDiscounts = new Map((admin.automaticDiscounts ?? []).map((d) => [d.id, d]));
  state.metafields = new Map(admin.metafields);
  state.accessTokens = new Map(admin.accessTokens.map((t) => [t.token, t]));
  state.refreshTokens = new Map(admin.refreshTokens.map((t) => [t.token, t]));
  state.orders = admin.orders;
  state.storeCreditAccounts = new Map((admin.storeCreditAccounts ?? []).map((a) => [a.id, a]));
  state.flowTriggers = admin.flowTriggers;
  shop.restore(snapshot.shop);
  webhooks.restore(snapshot.webhooks);
  return true;
}

/** Saves at most every `ms`, and once more on demand (exit). */
export function debouncedSaver(save: () => void, ms = 500) {
  let timer: NodeJS.Timeout | null = null;
  return {
    schedule() {
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        save();
      }, ms);
    },
    flush() {
      if (timer) clearTimeout(timer);
      timer = null;
      save();
    },
  };
}
