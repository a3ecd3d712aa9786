/**
 * The in-memory shop behind the Admin API simulation. Everything is plain data so tests can
 * seed it, inspect it and assert on it directly.
 */
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** Milliseconds since the epoch; injectable so throttling and expiry are deterministic in tests. */
export type Clock = () => number;

/**
 * Waits real time (a `delay` fault); injectable like the clock. The default is a real timer, so an
 * app-side timeout can fire while the simulated call is still waiting.
 */
export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export interface ManualClock {
  readonly now: Clock;
  advance(ms: number): void;
  set(ms: number): void;
}

export function createManualClock(
  start: number | Date = Date.UTC(2026, 9, 1, 12, 0, 0),
): ManualClock {
  let current = typeof start === "number" ? start : start.getTime();
  return {
    now: () => current,
    advance(ms) {
      current += ms;
    },
    set(ms) {
      current = ms;
    },
  };
}

export interface ShopRecord {
  id: string;
  name: string;
  myshopifyDomain: string;
  currencyCode: string;
  email: string;
  ianaTimezone: string;
}

export interface CustomerRecord {
  id: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  tags: string[];
  numberOfOrders: number;
  /** Decimal string in the shop currency. */
  amountSpent: string;
  note: string | null;
  createdAt: string;
  updatedAt: string;
}

export type DiscountValue =
  | { kind: "amount"; amount: string; appliesOnEachItem: boolean }
  | { kind: "percentage"; percentage: number };

export interface CombinesWith {
  orderDiscounts: boolean;
  productDiscounts: boolean;
  shippingDiscounts: boolean;
}

export interface DiscountRecord {
  /** gid://shopify/DiscountCodeNode/N — the id every discount mutation and query uses. */
  id: string;
  redeemCodeId: string;
  kind: "basic" | "freeShipping";
  title: string;
  code: string;
  startsAt: string;
  endsAt: string | null;
  /** "all" buyers, or the customer gids from context.customers.add. */
  eligibility: "all" | string[];
  /** null for free shipping. */
  value: DiscountValue | null;
  /** "all", or the product, product variant and collection gids the discount is limited to. */
  items: "all" | string[];
  minimumSubtotal: string | null;
  minimumQuantity: string | null;
  usageLimit: number | null;
  appliesOncePerCustomer: boolean;
  combinesWith: CombinesWith;
  tags: string[];
  /** Free shipping only. */
  destination: "all" | string[] | null;
  maximumShippingPrice: string | null;
  asyncUsageCount: number;
  /** Customer gids that redeemed the code, one entry per order. */
  redemptions: Array<{ customerId: string | null; orderId: string }>;
  createdAt: string;
  updatedAt: string;
}

/** DISCOUNT covers code and automatic discount nodes alike, as on Shopify. */
export type MetafieldOwnerType = "SHOP" | "CUSTOMER" | "API_PERMISSION" | "DISCOUNT";

export type DiscountClass = "ORDER" | "PRODUCT" | "SHIPPING";

/** An automatic discount an app's Discount Function computes (DiscountAutomaticApp). */
export interface AutomaticAppDiscountRecord {
  /** gid://shopify/DiscountAutomaticNode/N: the node id, and the `discountId` Shopify answers. */
  id: string;
  title: string;
  /** The function's handle (its extension handle), whichever way the discount named it. */
  functionHandle: string;
  functionId: string;
  discountClasses: DiscountClass[];
  combinesWith: CombinesWith;
  startsAt: string;
  endsAt: string | null;
  tags: string[];
  appliesOnOneTimePurchase: boolean;
  appliesOnSubscription: boolean;
  recurringCycleLimit: number;
  /** Orders the discount applied to. */
  asyncUsageCount: number;
  createdAt: string;
  updatedAt: string;
}

/** A Shopify Function the app deploys; ids are what the deprecated `functionId` input takes. */
export interface ShopifyFunctionRecord {
  id: string;
  handle: string;
}

export interface MetafieldRecord {
  id: string;
  ownerId: string;
  ownerType: MetafieldOwnerType;
  namespace: string;
  key: string;
  type: string;
  value: string;
  compareDigest: string;
  createdAt: string;
  updatedAt: string;
}

/**
 * A Discount Function's two targets, as the extension module exports them, with the input
 * queries they read. Queries left out come from the extension's `.graphql` files.
 */
export interface DiscountFunctionModule {
  cartLinesDiscountsGenerateRun?: (input: never) => unknown;
  cartDeliveryOptionsDiscountsGenerateRun?: (input: never) => unknown;
  linesInputQuery?: string;
  deliveryInputQuery?: string;
}

/** Finds the code of a function by handle; null when the app has no such function built. */
export type DiscountFunctionLoader = (handle: string) => Promise<DiscountFunctionModule | null>;

/** One run of a Discount Function target at checkout, kept so tests can see what it was given. */
export interface FunctionRunRecord {
  discountId: string;
  handle: string;
  target: "cart.lines.discounts.generate.run" | "cart.delivery-options.discounts.generate.run";
  input: unknown;
  output: unknown;
  /** Set when the function threw or answered something checkout cannot use; it then applies nothing. */
  error: string | null;
  at: string;
}

export interface FlowTriggerCall {
  handle: string | null;
  payload: unknown;
  body: string | null;
  receivedAt: string;
}

export interface AccessTokenRecord {
  token: string;
  mode: "offline" | "online" | "offline-expiring";
  scopes: string[];
  /** Epoch ms, or null for a non-expiring token. */
  expiresAt: number | null;
  revoked: boolean;
  userId?: number;
}

export interface RefreshTokenRecord {
  token: string;
  accessToken: string;
  expiresAt: number;
  revoked: boolean;
}

export interface ThrottleState {
  /** Off by default: the bucket is reported full and never drains. */
  enabled: boolean;
  maximumAvailable: number;
  restoreRate: number;
  currentlyAvailable: number;
  /** Clock reading at the last refill. */
  updatedAt: number;
}

export type FaultMatch = string | ((request: FaultContext) => boolean);

export interface FaultContext {
  endpoint: "graphql" | "oauth";
  operationType: "query" | "mutation" | "subscription" | null;
  operationName: string | null;
  rootFields: string[];
  variables: Record<string, unknown>;
}

interface FaultBase {
  /** Operation name or root field name (or a predicate); unmatched faults stay queued. */
  match?: FaultMatch;
  /** Defaults to "graphql". */
  endpoint?: "graphql" | "oauth";
  /**
   * How many matching calls the fault answers before it is used up (default 1). The queued copy
   * counts down, so `state.faults` always shows what is left.
   */
  times?: number;
}

export type Fault = FaultBase &
  (
    | { kind: "http"; status: number; body?: string; headers?: Record<string, string> }
    | { kind: "network"; message?: string }
    /** The call takes effect, then the caller sees a dropped connection (as `network`). */
    | { kind: "lostResponse"; message?: string }
    /**
     * The call takes effect after `ms` of real time (`state.sleep`). A caller that aborts meanwhile
     * gets the abort error; the call still takes effect, like a server that keeps processing.
     */
    | { kind: "delay"; ms: number }
    | { kind: "throttled"; currentlyAvailable?: number }
    | { kind: "internalError" }
    | {
        kind: "userErrors";
        userErrors: Array<{ field: string[] | null; message: string; code?: string }>;
      }
  );

export interface CallLogEntry {
  endpoint: "graphql" | "oauth";
  apiVersion: string | null;
  operationName: string | null;
  operationType: "query" | "mutation" | "subscription" | null;
  rootFields: string[];
  query: string | null;
  variables: Record<string, unknown>;
  status: number;
  response: unknown;
  /** Set when a fault answered instead of the simulation. */
  fault: Fault["kind"] | null;
  deprecations: string[];
  at: number;
}

/** The catalogue the Admin API lists (the storefront's own lives in sandbox/shop.ts). */
export interface ProductRecord {
  id: string;
  title: string;
  handle: string;
  /**
   * In position order. Every Shopify product has at least one (a product without options has a
   * single "Default Title" variant); a product seeded without them (a test that only needs titles)
   * answers variant fields with "not simulated".
   */
  variants?: ProductVariantRecord[];
  /** Shopify's ProductStatus; ACTIVE when absent. Draft and archived products are not sold. */
  status?: "ACTIVE" | "DRAFT" | "ARCHIVED";
}

export interface ProductVariantRecord {
  /** gid://shopify/ProductVariant/N, N being the storefront's variant id. */
  id: string;
  /** The variant's option values joined by " / "; "Default Title" for a product without options. */
  title: string;
  /** Decimal string in the shop currency. */
  price: string;
  sku: string | null;
  /** False for one sold out that may not be oversold (and for any of a product not ACTIVE). */
  availableForSale?: boolean;
}

/**
 * Unless a test says otherwise, the sandbox storefront sells every variant of an active product.
 */
export function variantForSale(product: ProductRecord, variant: ProductVariantRecord): boolean {
  return (product.status ?? "ACTIVE") === "ACTIVE" && variant.availableForSale !== false;
}

/** "Leather Wallet - Brown"; Shopify keeps "Default Title" too ("Canvas Tote - Default Title"). */
export function variantDisplayName(product: ProductRecord, variant: ProductVariantRecord): string {
  return `${product.title} - ${variant.title}`;
}

/** The product a variant gid belongs to, with the variant; null when no product has it. */
export function findProductVariant(
  state: AdminApiState,
  variantId: string,
): { product: ProductRecord; variant: ProductVariantRecord } | null {
  for (const product of state.products.values()) {
    const variant = product.variants?.find((v) => v.id === variantId);
    if (variant) return { product, variant };
  }
  return null;
}

export interface CollectionRecord {
  id: string;
  title: string;
  handle: string;
  /** Product gids, in the collection's order. */
  productIds: string[];
}

export interface OrderRecord {
  id: string;
  customerId: string | null;
  code: string | null;
  subtotal: string;
  discountAmount: string;
  createdAt: string;
}

/** The four StoreCreditAccountTransaction types, as the `type:` search filter names them. */
export type StoreCreditTransactionKind = "credit" | "debit" | "debit_revert" | "expiration";

/** StoreCreditSystemEvent: what caused a transaction. */
export type StoreCreditEvent =
  | "ADJUSTMENT"
  | "ORDER_CANCELLATION"
  | "ORDER_PAYMENT"
  | "ORDER_REFUND"
  | "PAYMENT_FAILURE"
  | "PAYMENT_RETURNED"
  | "TAX_FINALIZATION";

export interface StoreCreditTransactionRecord {
  /**
   * gid://shopify/StoreCreditAccount{Credit,Debit,DebitRevert}Transaction/N. Expirations are no
   * Node and have no id field on Shopify; theirs (…ExpirationTransaction/N) only keys cursors.
   */
  id: string;
  kind: StoreCreditTransactionKind;
  /**
   * Signed decimal string in the account currency, as Shopify reports it: credits positive,
   * debits and expirations negative (the storeCreditAccountDebit examples answer "-9.99").
   */
  amount: string;
  balanceAfterTransaction: string;
  createdAt: string;
  event: StoreCreditEvent;
  /** Credits: when they expire (null: never), and what is left unspent of them. */
  expiresAt: string | null;
  remainingAmount: string | null;
  /** Credits: set once an expiration transaction took what remained. */
  expired: boolean;
  /** Credits: whether the API call asked Shopify to notify the customer. */
  notify: boolean;
  /** Debits: the credits they spent from and how much of each (a revert gives it back). */
  spent: Array<{ creditId: string; amount: string }>;
  /** Expirations: the credit that expired. Debit reverts: the debit they revert. */
  relatedId: string | null;
  /** ORDER_PAYMENT debits: the order they paid. */
  orderId: string | null;
}

export interface StoreCreditAccountRecord {
  id: string;
  /** gid://shopify/Customer/N (CompanyLocation owners are not simulated). */
  ownerId: string;
  currencyCode: string;
  /** In the order they happened. */
  transactions: StoreCreditTransactionRecord[];
}

export interface AdminApiState {
  readonly clock: Clock;
  readonly sleep: Sleep;
  readonly apiKey: string;
  readonly apiSecretKey: string;
  /** Scopes granted at install; tokens issued by the token endpoint carry these. */
  scopes: string[];
  /** Numeric app id; `$app` metafield namespaces resolve to `app--{appId}`. */
  readonly appId: string;
  shop: ShopRecord;
  appInstallationId: string;
  customers: Map<string, CustomerRecord>;
  discounts: Map<string, DiscountRecord>;
  automaticDiscounts: Map<string, AutomaticAppDiscountRecord>;
  /** The app's deployed functions (`functionHandles`); discounts can only name these. */
  functions: ShopifyFunctionRecord[];
  /** Where checkout gets a function's code; defaults to the app's extensions/<handle>/src. */
  discountFunctions: DiscountFunctionLoader;
  functionRuns: FunctionRunRecord[];
  metafields: Map<string, MetafieldRecord>;
  products: Map<string, ProductRecord>;
  collections: Map<string, CollectionRecord>;
  orders: OrderRecord[];
  storeCreditAccounts: Map<string, StoreCreditAccountRecord>;
  /**
   * Currencies store credit can be issued in: the shop's and those its markets sell in. Others
   * get UNSUPPORTED_CURRENCY.
   */
  presentmentCurrencies: string[];
  flowTriggers: FlowTriggerCall[];
  /** Flow trigger handles the app declares; when set, other handles get a userError. */
  flowTriggerHandles: string[] | null;
  accessTokens: Map<string, AccessTokenRecord>;
  refreshTokens: Map<string, RefreshTokenRecord>;
  throttle: ThrottleState;
  faults: Fault[];
  calls: CallLogEntry[];
  nextId: number;
}

export interface StateOptions {
  shop?: string;
  shopName?: string;
  currencyCode?: string;
  shopEmail?: string;
  /** The shop's time zone (Shopify's shop.ianaTimezone); UTC by default. */
  ianaTimezone?: string;
  apiKey?: string;
  apiSecretKey?: string;
  scopes?: string[];
  appId?: string;
  clock?: Clock;
  /** How `delay` faults wait; real time by default. */
  sleep?: Sleep;
  /** Tokens the shop already knows (e.g. the one a seeded session carries). */
  accessTokens?: Array<string | { token: string; scopes?: string[]; expiresAt?: number | null }>;
  customers?: Array<Partial<CustomerRecord> & { id?: string }>;
  products?: ProductRecord[];
  collections?: CollectionRecord[];
  throttle?: Partial<ThrottleState>;
  flowTriggerHandles?: string[];
  /** Handles of the app's Shopify Functions (default ["tier-perks"]). */
  functionHandles?: string[];
  /**
   * The code checkout runs for a function handle: a loader, or modules by handle (a fake in a
   * test). By default the app's extensions/<handle>/src modules, skipped when absent.
   */
  discountFunctions?: DiscountFunctionLoader | Record<string, DiscountFunctionModule>;
  /** Extra currencies the shop sells in (its markets); the shop currency is always one. */
  presentmentCurrencies?: string[];
}

export function nowIso(state: AdminApiState): string {
  return new Date(state.clock()).toISOString();
}

export function nextNumericId(state: AdminApiState): number {
  state.nextId += 1;
  return state.nextId;
}

export function gid(type: string, id: number | string): string {
  return `gid://shopify/${type}/${id}`;
}

export function parseGid(value: string): { type: string; id: string } | null {
  const match = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)$/.exec(value);
  return match ? { type: match[1] ?? "", id: match[2] ?? "" } : null;
}

export function randomToken(prefix: string): string {
  return `${prefix}${randomBytes(16).toString("hex")}`;
}

export function digest(parts: readonly string[]): string {
  return createHash("sha256").update(parts.join("\u0000")).digest("hex");
}

export const DEFAULT_SCOPES = [
  "read_orders",
  "read_customers",
  "write_customers",
  "write_discounts",
  "write_app_proxy",
  "read_products",
  // Store credit: the write scope grants read_store_credit_account_transactions, but the
  // StoreCreditAccount object (balance, and `account` on a transaction) needs its own read scope.
  "write_store_credit_account_transactions",
  "read_store_credit_accounts",
];

export function createState(options: StateOptions = {}): AdminApiState {
  const clock = options.clock ?? Date.now;
  const domain = options.shop ?? "test-shop.myshopify.com";
  const scopes = options.scopes ?? DEFAULT_SCOPES;
  const throttle: ThrottleState = {
    enabled: false,
    maximumAvailable: 2000,
    restoreRate: 100,
    currentlyAvailable: options.throttle?.maximumAvailable ?? 2000,
    updatedAt: clock(),
    ...options.throttle,
  };
  const state: AdminApiState = {
    clock,
    sleep: options.sleep ?? realSleep,
    apiKey: options.apiKey ?? "testApiKey",
    apiSecretKey: options.apiSecretKey ?? "testApiSecretKey",
    scopes,
    appId: options.appId ?? "4242424242",
    shop: {
      id: gid("Shop", 60000001),
      name: options.shopName ?? domain.replace(/\.myshopify\.com$/, ""),
      myshopifyDomain: domain,
      currencyCode: options.currencyCode ?? "USD",
      email: options.shopEmail ?? `owner@${domain}`,
      ianaTimezone: options.ianaTimezone ?? "UTC",
    },
    appInstallationId: gid("AppInstallation", 70000001),
    customers: new Map(),
    discounts: new Map(),
    automaticDiscounts: new Map(),
    functions: (options.functionHandles ?? ["tier-perks"]).map((handle) => ({
      id: functionIdFor(handle),
      handle,
    })),
    discountFunctions: functionLoader(options.discountFunctions),
    functionRuns: [],
    metafields: new Map(),
    products: new Map(
      (options.products ?? []).map((p) => [
        p.id,
        { ...p, ...(p.variants && { variants: p.variants.map((v) => ({ ...v })) }) },
      ]),
    ),
    collections: new Map(
      (options.collections ?? []).map((c) => [c.id, { ...c, productIds: [...c.productIds] }]),
    ),
    orders: [],
    storeCreditAccounts: new Map(),
    presentmentCurrencies: [
      ...new Set([options.currencyCode ?? "USD", ...(options.presentmentCurrencies ?? [])]),
    ],
    flowTriggers: [],
    flowTriggerHandles: options.flowTriggerHandles ?? null,
    accessTokens: new Map(),
    refreshTokens: new Map(),
    throttle,
    faults: [],
    calls: [],
    nextId: 1000000,
  };
  for (const entry of options.accessTokens ?? []) {
    const record = typeof entry === "string" ? { token: entry } : entry;
    state.accessTokens.set(record.token, {
      token: record.token,
      mode: "offline",
      scopes: record.scopes ?? scopes,
      expiresAt: record.expiresAt ?? null,
      revoked: false,
    });
  }
  for (const customer of options.customers ?? []) addCustomer(state, customer);
  return state;
}

export function addCustomer(
  state: AdminApiState,
  input: Partial<CustomerRecord> & { id?: string } = {},
): CustomerRecord {
  const at = nowIso(state);
  const record: CustomerRecord = {
    id: input.id ?? gid("Customer", nextNumericId(state)),
    email: input.email ?? null,
    firstName: input.firstName ?? null,
    lastName: input.lastName ?? null,
    tags: [...(input.tags ?? [])],
    numberOfOrders: input.numberOfOrders ?? 0,
    amountSpent: input.amountSpent ?? "0.00",
    note: input.note ?? null,
    createdAt: input.createdAt ?? at,
    updatedAt: input.updatedAt ?? at,
  };
  if (!parseGid(record.id) || parseGid(record.id)?.type !== "Customer") {
    throw new Error(`Customer id must be gid://shopify/Customer/<number>, got ${record.id}`);
  }
  state.customers.set(record.id, record);
  return record;
}

/** Registers an offline access token the simulated shop will accept. */
export function issueAccessToken(
  state: AdminApiState,
  options: {
    token?: string;
    scopes?: string[];
    expiresInSeconds?: number;
    mode?: AccessTokenRecord["mode"];
  } = {},
): string {
  const token = options.token ?? randomToken("shpat_");
  state.accessTokens.set(token, {
    token,
    mode: options.mode ?? "offline",
    scopes: options.scopes ?? state.scopes,
    expiresAt:
      options.expiresInSeconds === undefined
        ? null
        : state.clock() + options.expiresInSeconds * 1000,
    revoked: false,
  });
  return token;
}

export function findDiscountByCode(state: AdminApiState, code: string): DiscountRecord | undefined {
  const wanted = code.trim().toLowerCase();
  for (const discount of state.discounts.values()) {
    if (discount.code.toLowerCase() === wanted) return discount;
  }
  return undefined;
}

export function discountStatus(
  discount: { startsAt: string; endsAt: string | null },
  now: number,
): "ACTIVE" | "EXPIRED" | "SCHEDULED" {
  if (Date.parse(discount.startsAt) > now) return "SCHEDULED";
  if (discount.endsAt !== null && Date.parse(discount.endsAt) <= now) return "EXPIRED";
  return "ACTIVE";
}

/** `$app` namespaces belong to the calling app: Shopify stores them as `app--{appId}`. */
export function resolveNamespace(
  state: AdminApiState,
  namespace: string | null | undefined,
): string {
  if (namespace === null || namespace === undefined || namespace === "$app")
    return `app--${state.appId}`;
  if (namespace.startsWith("$app:")) return `app--${state.appId}--${namespace.slice(5)}`;
  return namespace;
}

export function metafieldKey(ownerId: string, namespace: string, key: string): string {
  return `${ownerId}|${namespace}|${key}`;
}

/** Shopify's function ids are opaque UUID-like strings; a digest keeps ours stable per handle. */
function functionIdFor(handle: string): string {
  const hex = digest(["function", handle]);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function functionLoader(option: StateOptions["discountFunctions"]): DiscountFunctionLoader {
  if (typeof option === "function") return option;
  if (option) return (handle) => Promise.resolve(option[handle] ?? null);
  return loadExtensionFunction;
}

const FUNCTION_FILES = {
  cartLinesDiscountsGenerateRun: "cart_lines_discounts_generate_run",
  cartDeliveryOptionsDiscountsGenerateRun: "cart_delivery_options_discounts_generate_run",
} as const;

/**
 * The app's own function code, extensions/<handle>/src/<target>.{ts,js} with its .graphql input
 * query, imported at run time so the sandbox still loads before the extension exists.
 */
export async function loadExtensionFunction(
  handle: string,
): Promise<DiscountFunctionModule | null> {
  const src = findUp(path.join("extensions", handle, "src"));
  if (!src) return null;
  const module: DiscountFunctionModule = {};
  for (const [exportName, file] of Object.entries(FUNCTION_FILES)) {
    const code = [".ts", ".js"].map((ext) => path.join(src, file + ext)).find(existsSync);
    if (!code) continue;
    const loaded = (await import(/* @vite-ignore */ pathToFileURL(code).href)) as Record<
      string,
      unknown
    >;
    const run = loaded[exportName];
    if (typeof run !== "function") continue;
    (module as Record<string, unknown>)[exportName] = run;
    const query = path.join(src, `${file}.graphql`);
    if (existsSync(query)) {
      const key =
        exportName === "cartLinesDiscountsGenerateRun" ? "linesInputQuery" : "deliveryInputQuery";
      module[key] = readFileSync(query, "utf8");
    }
  }
  return module.cartLinesDiscountsGenerateRun || module.cartDeliveryOptionsDiscountsGenerateRun
    ? module
    : null;
}

/** Walks up from this file, so it works from the repo, a worktree or a vitest fork. */
function findUp(relative: string): string | null {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, relative);
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** Refills the cost bucket for the time elapsed since the last look. */
export function refillThrottle(state: AdminApiState): ThrottleState {
  const now = state.clock();
  const throttle = state.throttle;
  const elapsedSeconds = Math.max(0, now - throttle.updatedAt) / 1000;
  throttle.currentlyAvailable = Math.min(
    throttle.maximumAvailable,
    throttle.currentlyAvailable + elapsedSeconds * throttle.restoreRate,
  );
  throttle.updatedAt = now;
  return throttle;
}

/** write_x grants read_x on Shopify. */
export function hasScope(granted: readonly string[], wanted: string): boolean {
  if (granted.includes(wanted)) return true;
  const match = /^(unauthenticated_)?read_(.+)$/.exec(wanted);
  return match !== null && granted.includes(`${match[1] ?? ""}write_${match[2] ?? ""}`);
}
