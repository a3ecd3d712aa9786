/**
 * `npm run demo -- webhook …`: acts as Shopify against a running demo through its control API
 * (the same one the console's buttons use), so events reach the app as signed webhooks.
 */

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

export async function runCli(args: string[]): Promise<number> {
  const { positional, flags } = parse(args);
  const action = positional[0];
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

  const call = async (path: string, body?: Json): Promise<Json> => {
    let response: Response;
    try {
      response = await fetch(`${base}/sandbox/api${path}`, {
        method: body ? "POST" : "GET",
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
