/**
 * `npm run demo -- webhook …`: acts as Shopify against a running demo through its control API
 * (the same one the console's buttons use), so events reach the app as signed webhooks.
 * `npm run demo -- faults …` queues Admin API faults (dropped connections, delays, errors) there.
 */
import { FAULT_KINDS } from "./shopify/faults";

const HELP = `Usage: npm run demo -- webhook <action> [options]

Events (each is sent to the app as a signed webhook, per shopify.app.toml):
  customers/create   --email <e> [--first-name <f>] [--last-name <l>]
  orders/paid        --customer <id|email> [--subtotal 45.00 | --variant <id> [--quantity n]]
                     [--code <discount code>] [--test]          place and pay an order
  orders/paid        --order <id|#name>                          pay a pending order
  order              same options as orders/paid, left pending (no webhook until paid)
  refunds/create     --order <id|#name> [--line <line item id> --quantity <n>]   (default: all)
  orders/cancelled   --order <id|#name> [--no-refund]
  customers/data_request --customer <id|email>
  customers/redact   --customer <id|email>
  shop/redact
  app/uninstalled

Delivery:
  --duplicate retry|redeliver   send twice (same webhook id | new delivery of the same event)
  --hold                        queue instead of sending; release later
  hold on|off                   hold every delivery from now on
  release [in-order|reverse|shuffle]
  redeliver <webhook id>
  log                           recent deliveries
  throttle on|off [--restore-rate <points/s>] [--bucket <points>]   Admin API rate limiting

  --url <sandbox url>           default http://localhost:3100 (or $SANDBOX_URL)

Admin API faults (failing the app's calls): npm run demo -- faults --help
`;

const FAULTS_HELP = `Usage: npm run demo -- faults <add|list|clear> [options]

Makes the simulated Admin API fail the app's next matching calls; a fault stays queued until it
has answered --times calls.
  add <kind> [--match <name>] [--times <n>] [options of the kind]
  list                           queued faults and how many calls each still answers
  clear                          drop every queued fault

Kinds:
  http           --status <200-599> [--body <text>]   an HTTP error answer; the call does not run
  network        [--message <socket error>]           fetch fails; the call does not run
  lostResponse   [--message <socket error>]           the call runs, then fetch fails
  delay          --ms <n>                             the call runs after n ms (real time); a
                                                      caller that gives up still gets it applied
  throttled      [--available <points>]               THROTTLED (HTTP 200), as Shopify sends it
  internalError                                       INTERNAL_SERVER_ERROR (HTTP 200)
  userErrors     --message <text> [--code <CODE>]     a mutation answers with this userError

  --match <name>       an operation name (CreateReward) or a root field (discountCodeBasicCreate);
                       without it the next Admin API call matches
  --times <n>          matching calls it answers before it is used up (default 1)
  --endpoint oauth     the token endpoint (/admin/oauth/access_token) instead of GraphQL
  --url <sandbox url>  default http://localhost:3100 (or $SANDBOX_URL)

Example: the discount is created but the app never hears back, once:
  npm run demo -- faults add lostResponse --match discountCodeBasicCreate
`;

interface Parsed {
  positional: string[];
  flags: Record<string, string | true>;
}

function parse(args: string[]): Parsed {
  const positional: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (arg.startsWith("--")) {
      const next = args[i + 1];
      if (next !== undefined && !next.startsWith("--")) {
        flags[arg.slice(2)] = next;
        i += 1;
      } else flags[arg.slice(2)] = true;
    } else positional.push(arg);
  }
  return { positional, flags };
}

type Json = Record<string, unknown>;

/** One call to the control API, as the CLI would make it. */
export interface CliRequest {
  method: "GET" | "POST" | "DELETE";
  /** Under /sandbox/api. */
  path: string;
  body?: Json;
}

/** `faults add|list|clear …` (the words after `faults`) as a control API request. */
export function faultsRequest(args: string[]): CliRequest {
  const { positional, flags } = parse(args);
  return buildFaultsRequest(positional, flags);
}

function buildFaultsRequest(positional: string[], flags: Parsed["flags"]): CliRequest {
  const [command, rawKind] = positional;
  if (command === "list") return { method: "GET", path: "/faults" };
  if (command === "clear") return { method: "DELETE", path: "/faults" };
  if (command !== "add")
    throw new Error(
      `${command ? `Unknown faults command ${command}` : "faults needs a command"}: add, list or clear`,
    );
  if (!rawKind) throw new Error(`faults add needs a kind: ${FAULT_KINDS.join(", ")}`);
  // lost-response, internal-error and user-errors spell the same kinds.
  const kind = rawKind.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
  const body: Json = { kind };
  const options: Array<[flag: string, field: string, type: "number" | "string"]> = [
    ["match", "match", "string"],
    ["times", "times", "number"],
    ["endpoint", "endpoint", "string"],
    ["status", "status", "number"],
    ["body", "body", "string"],
    ["ms", "ms", "number"],
    ["message", "message", "string"],
    ["code", "code", "string"],
    ["available", "currentlyAvailable", "number"],
  ];
  for (const [flag, field, type] of options) {
    const value = flags[flag];
    if (value === undefined) continue;
    if (value === true) throw new Error(`--${flag} needs a value`);
    // Anything that is not a plain number goes as typed, and the sandbox says what is wrong.
    body[field] = type === "number" && /^\d+$/.test(value) ? Number(value) : value;
  }
  return { method: "POST", path: "/faults", body };
}

interface FaultRow {
  kind: string;
  match: string | null;
  endpoint: string;
  remaining: number;
  [detail: string]: unknown;
}

function printFaults(faults: FaultRow[]) {
  if (!faults.length) {
    console.log("No faults queued: the Admin API answers normally.");
    return;
  }
  console.log(`${"kind".padEnd(14)} ${"match".padEnd(32)} ${"remaining".padEnd(9)} details`);
  for (const { kind, match, endpoint, remaining, ...details } of faults) {
    const extra = Object.entries(details)
      .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
      .concat(endpoint === "graphql" ? [] : [`endpoint=${endpoint}`])
      .join(" ");
    console.log(
      `${kind.padEnd(14)} ${(match ?? "(any call)").padEnd(32)} ${String(remaining).padEnd(9)} ${extra}`,
    );
  }
}

export async function runCli(args: string[]): Promise<number> {
  const { positional, flags } = parse(args);
  const action = positional[0];
  if (action === "faults" && (flags.help || !positional[1])) {
    console.log(FAULTS_HELP);
    return flags.help ? 0 : 1;
  }
  if (!action || flags.help) {
    console.log(HELP);
    return action ? 0 : 1;
  }
  const base = String(flags.url ?? process.env.SANDBOX_URL ?? "http://localhost:3100").replace(
    /\/$/,
    "",
  );
  const str = (name: string) =>
    typeof flags[name] === "string" ? (flags[name] as string) : undefined;

  const call = async (
    path: string,
    body?: Json,
    method: CliRequest["method"] = body ? "POST" : "GET",
  ): Promise<Json> => {
    let response: Response;
    try {
      response = await fetch(`${base}/sandbox/api${path}`, {
        method,
        headers: { "content-type": "application/json", accept: "application/json" },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    } catch {
      throw new Error(`No sandbox at ${base}: start it with \`npm run demo\` (or pass --url)`);
    }
    const json = (await response.json()) as Json;
    if (!response.ok) throw new Error(String(json.error ?? `HTTP ${response.status}`));
    return json;
  };

  const customerId = async (): Promise<string> => {
    const ref = str("customer");
    if (!ref) throw new Error("--customer <id|email> is required");
    if (/^\d+$/.test(ref)) return ref;
    const state = (await call("/state")) as {
      customers: Array<{ id: string; email: string | null }>;
    };
    const found = state.customers.find((c) => c.email?.toLowerCase() === ref.toLowerCase());
    if (!found) throw new Error(`No customer with email ${ref}`);
    return found.id;
  };
  const order = () => {
    const ref = str("order");
    if (!ref) throw new Error("--order <id|#name> is required");
    return encodeURIComponent(ref.replace(/^#/, ""));
  };
  const delivery: Json = {
    ...(str("duplicate") ? { duplicate: str("duplicate") } : {}),
    ...(flags.hold ? { hold: "true" } : {}),
  };
  const orderBody = async (): Promise<Json> => ({
    ...delivery,
    customerId: flags.customer ? await customerId() : "",
    ...(str("variant") ? { variantId: str("variant"), quantity: str("quantity") ?? "1" } : {}),
    ...(str("subtotal") ? { subtotal: str("subtotal") } : {}),
    ...(!str("variant") && !str("subtotal") ? { subtotal: "45.00" } : {}),
    ...(str("code") ? { code: str("code") } : {}),
    ...(flags.test ? { test: "true" } : {}),
  });

  try {
    let result: Json;
    switch (action) {
      case "customers/create":
        result = await call("/customers", {
          ...delivery,
          email: str("email") ?? "",
          firstName: str("first-name") ?? "",
          lastName: str("last-name") ?? "",
        });
        break;
      case "orders/paid":
        result = flags.order
          ? await call(`/orders/${order()}/pay`, delivery)
          : await call("/orders", { ...(await orderBody()), paid: "true" });
        break;
      case "order":
        result = await call("/orders", { ...(await orderBody()), paid: "false" });
        break;
      case "refunds/create":
        result = await call(`/orders/${order()}/refund`, {
          ...delivery,
          ...(str("line") ? { lineItemId: str("line"), quantity: str("quantity") ?? "1" } : {}),
        });
        break;
      case "orders/cancelled":
        result = await call(`/orders/${order()}/cancel`, {
          ...delivery,
          refund: flags["no-refund"] ? "false" : "true",
        });
        break;
      case "customers/data_request":
        result = await call(`/customers/${await customerId()}/data-request`, delivery);
        break;
      case "customers/redact":
        result = await call(`/customers/${await customerId()}/redact`, delivery);
        break;
      case "shop/redact":
        result = await call("/shop/redact", delivery);
        break;
      case "app/uninstalled":
        result = await call("/app/uninstall", delivery);
        break;
      case "hold":
        result = await call("/webhooks/settings", {
          hold: positional[1] === "on" ? "true" : "false",
        });
        break;
      case "duplicate":
        result = await call("/webhooks/settings", {
          duplicate: positional[1] === "off" ? "" : (positional[1] ?? ""),
        });
        break;
      case "release":
        result = await call("/webhooks/release", { order: positional[1] ?? "in-order" });
        break;
      case "redeliver":
        result = await call(`/webhooks/${positional[1] ?? ""}/redeliver`, {});
        break;
      case "throttle":
        result = await call("/throttle", {
          enabled: positional[1] === "on" ? "true" : "false",
          ...(str("restore-rate") ? { restoreRate: str("restore-rate") } : {}),
          ...(str("bucket") ? { maximumAvailable: str("bucket") } : {}),
        });
        break;
      case "faults": {
        const request = buildFaultsRequest(positional.slice(1), flags);
        result = await call(request.path, request.body, request.method);
        if (positional[1] === "list") {
          printFaults(result.faults as FaultRow[]);
          return 0;
        }
        break;
      }
      case "log": {
        const state = (await call("/state")) as {
          webhooks: {
            deliveries: Array<{
              id: string;
              topic: string;
              state: string;
              status: number | null;
              note: string | null;
            }>;
          };
        };
        for (const d of state.webhooks.deliveries.slice(-20))
          console.log(
            `${d.id}  ${d.topic.padEnd(24)} ${d.state.padEnd(9)} ${d.status ?? ""} ${d.note ?? ""}`,
          );
        return 0;
      }
      default:
        console.error(`Unknown action ${action}\n\n${HELP}`);
        return 1;
    }
    console.log(result.message ?? JSON.stringify(result, null, 2));
    return 0;
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 1;
  }
}
