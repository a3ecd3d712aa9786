/**
 * The sandbox's control API under /sandbox/api/*: what the console's buttons, the CLI
 * (`npm run demo -- webhook …`) and the end-to-end tests use to act as Shopify — create customers,
 * place, pay, refund and cancel orders, send compliance webhooks, hold and release deliveries,
 * switch throttling on, queue Admin API faults. JSON in, JSON out; an HTML form post gets a
 * redirect back instead.
 */
import {
  FaultInputError,
  describeFault,
  queueFault,
  storeCreditAccountsOf,
  storeCreditBalance,
  type AdminApi,
  type AdminApiState,
  type Fault,
} from "./shopify";
import { cookies, formFields, jsonResponse, redirect } from "./http";
import { fromMinorUnits, toMinorUnits } from "./shopify/money";
import { variantDisplayName, variantForSale } from "./shopify/state";
import { ShopError, type CartLine, type Shop } from "./shop";
import type { FlowRunner } from "./flow";
import type { Delivery, DuplicateMode, SendOptions, WebhookSender } from "./webhooks";

export const FLASH_COOKIE = "sandbox_admin_flash";

export interface ApiContext {
  api: AdminApi;
  shop: Shop;
  webhooks: WebhookSender;
  flow: FlowRunner;
  sessionToken: () => string;
}

type Fields = Record<string, string>;

function truthy(value: string | undefined): boolean {
  return value === "on" || value === "true" || value === "1" || value === "yes";
}

function sendOptions(fields: Fields): SendOptions {
  const duplicate = fields.duplicate as DuplicateMode | "" | undefined;
  return {
    ...(fields.hold === undefined ? {} : { hold: truthy(fields.hold) }),
    ...(duplicate === "retry" || duplicate === "redeliver" ? { duplicate } : {}),
  };
}

function lines(fields: Fields): CartLine[] | undefined {
  if (fields.lines) {
    const parsed = JSON.parse(fields.lines) as Array<{
      variantId: number | string;
      quantity?: number | string;
    }>;
    return parsed.map((l) => ({
      variantId: Number(l.variantId),
      quantity: Number(l.quantity ?? 1),
    }));
  }
  if (fields.variantId)
    return [{ variantId: Number(fields.variantId), quantity: Number(fields.quantity ?? 1) || 1 }];
  return undefined;
}

export function deliverySummary(d: Delivery) {
  const last = d.attempts.at(-1);
  return {
    id: d.id,
    eventId: d.eventId,
    topic: d.topic,
    uri: d.uri,
    state: d.state,
    status: last?.status ?? null,
    error: last?.error ?? null,
    note: d.note,
  };
}

/**
 * The shop's resources as App Bridge's resource picker answers with them, by type. Variants have
 * the fields of App Bridge's `ProductVariant` the catalogue models (price is its Money string).
 */
export function pickerResources(state: AdminApiState) {
  const currency = state.shop.currencyCode;
  const products = [...state.products.values()];
  return {
    product: products.map(({ id, title, handle }) => ({ id, title, handle })),
    collection: [...state.collections.values()].map(({ id, title, handle, productIds }) => ({
      id,
      title,
      handle,
      productsCount: productIds.length,
    })),
    // Products seeded without variants (titles only) have none to pick.
    variant: products.flatMap((product) =>
      (product.variants ?? []).map((variant, i) => ({
        id: variant.id,
        title: variant.title,
        displayName: variantDisplayName(product, variant),
        price: fromMinorUnits(toMinorUnits(variant.price, currency), currency),
        compareAtPrice: null,
        sku: variant.sku,
        barcode: null,
        availableForSale: variantForSale(product, variant),
        position: i + 1,
        taxable: true,
        requiresShipping: true,
        selectedOptions: [{ value: variant.title }],
        image: null,
        product: { id: product.id, title: product.title, handle: product.handle },
      })),
    ),
  };
}

export function stateSummary(ctx: ApiContext) {
  const { api, shop, webhooks } = ctx;
  return {
    shop: api.state.shop,
    customers: shop.customers().map((c) => ({
      id: c.id.split("/").pop(),
      gid: c.id,
      email: c.email,
      firstName: c.firstName,
      lastName: c.lastName,
      numberOfOrders: c.numberOfOrders,
      amountSpent: c.amountSpent,
      tags: c.tags,
      storeCredit: shop.storeCreditBalance(c.id),
    })),
    orders: shop.orders.map((o) => ({
      id: o.id,
      name: o.name,
      customerId: o.customerId,
      financialStatus: o.financialStatus,
      cancelledAt: o.cancelledAt,
      discountCodes: o.discount ? [o.discount.code] : [],
      storeCredit: o.storeCredit?.amount ?? null,
      subtotal: shop.orderPayload(o).subtotal_price,
      lines: o.lines.map((l) => ({
        id: l.id,
        title: l.title,
        quantity: l.quantity,
        remaining: shop.remaining(o, l),
      })),
    })),
    discounts: [...api.state.discounts.values()].map((d) => ({
      id: d.id,
      code: d.code,
      title: d.title,
      kind: d.kind,
      value: d.value,
      eligibility: d.eligibility,
      usageLimit: d.usageLimit,
      usageCount: d.asyncUsageCount,
      minimumSubtotal: d.minimumSubtotal,
      startsAt: d.startsAt,
      endsAt: d.endsAt,
      redemptions: d.redemptions,
    })),
    metafields: [...api.state.metafields.values()],
    webhooks: {
      hold: webhooks.holdAll,
      duplicate: webhooks.duplicateAll,
      held: webhooks.held.length,
      deliveries: webhooks.log.map(deliverySummary),
    },
    throttle: api.state.throttle,
    faults: api.state.faults.map(describeFault),
    flow: { runs: ctx.flow.runs },
  };
}

function describeQueued(fault: Fault): string {
  const times = fault.times ?? 1;
  const details =
    fault.kind === "http" ? ` ${fault.status}` : fault.kind === "delay" ? ` ${fault.ms} ms` : "";
  const target =
    fault.match === undefined
      ? "the next call"
      : typeof fault.match === "function"
        ? "calls its predicate picks"
        : fault.match;
  return `${fault.kind}${details} for ${target}${fault.endpoint === "oauth" ? " (OAuth)" : ""}, ${times} time${times === 1 ? "" : "s"}`;
}

/**
 * /sandbox/api/faults: GET lists the queued Admin API faults, POST queues one (a JSON body, see
 * parseFault in shopify/faults.ts), DELETE (or POST /faults/clear) drops them all.
 */
async function handleFaults(
  request: Request,
  route: string,
  state: AdminApiState,
): Promise<Response> {
  const listed = () => state.faults.map(describeFault);
  if (route === "/faults/clear" ? request.method === "POST" : request.method === "DELETE") {
    const cleared = state.faults.splice(0).length;
    return jsonResponse({
      ok: true,
      message: `Cleared ${cleared} queued fault${cleared === 1 ? "" : "s"}`,
      cleared,
      faults: listed(),
    });
  }
  if (route === "/faults" && request.method === "GET")
    return jsonResponse({ ok: true, faults: listed() });
  if (route === "/faults" && request.method === "POST") {
    let input: unknown;
    try {
      input = JSON.parse(await request.text());
    } catch {
      return jsonResponse(
        {
          ok: false,
          error:
            'POST /sandbox/api/faults takes a JSON body such as {"kind": "lostResponse", "match": "discountCodeBasicCreate"}',
        },
        { status: 400 },
      );
    }
    try {
      const fault = queueFault(state, input);
      return jsonResponse({
        ok: true,
        message: `Queued ${describeQueued(fault)}`,
        fault: describeFault(fault),
        faults: listed(),
      });
    } catch (error) {
      if (!(error instanceof FaultInputError)) throw error;
      return jsonResponse({ ok: false, error: error.message }, { status: 400 });
    }
  }
  return jsonResponse(
    { ok: false, error: `${request.method} /sandbox/api${route} is not supported` },
    {
      status: 405,
      headers: { allow: route === "/faults" ? "GET, POST, DELETE" : "POST" },
    },
  );
}

/** Handles /sandbox/api/*; null for other paths. */
export async function handleApi(request: Request, ctx: ApiContext): Promise<Response | null> {
  const url = new URL(request.url);
  if (!url.pathname.startsWith("/sandbox/api/")) return null;
  const route = url.pathname.slice("/sandbox/api".length);
  const wantsHtml =
    request.method === "POST" &&
    (request.headers.get("content-type") ?? "").includes("application/x-www-form-urlencoded");

  if (request.method === "GET" && route === "/state") return jsonResponse(stateSummary(ctx));
  // What the admin's resource picker lists (sandbox/browser/admin-host.ts).
  if (request.method === "GET" && route === "/resources")
    return jsonResponse(pickerResources(ctx.api.state));
  // A customer's store credit accounts with their ledgers, newest transaction first.
  const credit = /^\/customers\/(\d+)\/store-credit$/.exec(route);
  if (request.method === "GET" && credit) {
    const customer = ctx.shop.customer(credit[1]);
    if (!customer)
      return jsonResponse({ ok: false, error: `No customer ${credit[1]}` }, { status: 404 });
    const { state } = ctx.api;
    return jsonResponse({
      ok: true,
      customer: customer.id,
      accounts: storeCreditAccountsOf(state, customer.id).map((account) => ({
        id: account.id,
        currencyCode: account.currencyCode,
        balance: storeCreditBalance(state, account),
        transactions: [...account.transactions].reverse(),
      })),
    });
  }
  if (route === "/faults" || route === "/faults/clear")
    return handleFaults(request, route, ctx.api.state);
  if (request.method !== "POST") return jsonResponse({ error: "Not found" }, { status: 404 });

  let fields: Fields = {};
  try {
    fields = await formFields(request);
    const result = await act(route, fields, ctx);
    if (!result) return jsonResponse({ error: `No sandbox action ${route}` }, { status: 404 });
    if (wantsHtml) return back(request, fields, `ok:${result.message}`);
    return jsonResponse({ ok: true, ...result.body, message: result.message });
  } catch (error) {
    const status = error instanceof ShopError ? error.status : 400;
    const message = error instanceof Error ? error.message : String(error);
    if (!(error instanceof ShopError)) console.error(`[sandbox] ${route} failed`, error);
    if (wantsHtml) return back(request, fields, `error:${message}`);
    return jsonResponse({ ok: false, error: message }, { status });
  }
}

function back(request: Request, fields: Fields, flash: string): Response {
  const referer = request.headers.get("referer");
  const target = fields.return_to?.startsWith("/")
    ? fields.return_to
    : referer && new URL(referer).host === new URL(request.url).host
      ? referer
      : "/admin/webhooks";
  return redirect(target, {
    headers: { "set-cookie": `${FLASH_COOKIE}=${encodeURIComponent(flash)}; Path=/; SameSite=Lax` },
  });
}

export function takeFlash(request: Request): {
  flash: { ok: boolean; message: string } | null;
  clear: string | null;
} {
  const value = cookies(request)[FLASH_COOKIE];
  if (!value) return { flash: null, clear: null };
  return {
    flash: { ok: value.startsWith("ok:"), message: value.replace(/^(ok|error):/, "") },
    clear: `${FLASH_COOKIE}=; Path=/; Max-Age=0; SameSite=Lax`,
  };
}

function sent(deliveries: Delivery[]): string {
  if (!deliveries.length) return "no webhook sent (the app does not subscribe to that topic)";
  return deliveries
    .map((d) => {
      const last = d.attempts.at(-1);
      return `${d.topic} ${d.state === "held" ? "held" : `→ ${last?.status ?? last?.error ?? "?"}`}`;
    })
    .join(", ");
}

async function act(
  route: string,
  fields: Fields,
  ctx: ApiContext,
): Promise<{ message: string; body: Record<string, unknown> } | null> {
  const { shop, webhooks, api } = ctx;
  const options = sendOptions(fields);
  let match: RegExpExecArray | null;

  if (route === "/session-token")
    return { message: "session token", body: { token: ctx.sessionToken() } };

  if (route === "/customers") {
    const { customer, deliveries } = await shop.createCustomer(
      { firstName: fields.firstName, lastName: fields.lastName, email: fields.email },
      options,
    );
    return {
      message: `Customer ${customer.email ?? customer.id} created; ${sent(deliveries)}`,
      body: {
        customer: { id: customer.id.split("/").pop(), gid: customer.id },
        deliveries: deliveries.map(deliverySummary),
      },
    };
  }

  if ((match = /^\/customers\/(\d+)\/(redact|data-request)$/.exec(route))) {
    const deliveries =
      match[2] === "redact"
        ? await shop.customerRedact(match[1]!, options)
        : await shop.customerDataRequest(match[1]!, options);
    return { message: sent(deliveries), body: { deliveries: deliveries.map(deliverySummary) } };
  }

  if (route === "/orders" || route === "/checkout") {
    const { order, deliveries } = await shop.placeOrder(
      {
        customerId: fields.customerId || null,
        lines: lines(fields),
        subtotal: fields.subtotal,
        code: fields.code || null,
        test: truthy(fields.test),
        paid: route === "/checkout" || fields.paid === undefined ? true : truthy(fields.paid),
        storeCredit: truthy(fields.storeCredit),
      },
      options,
    );
    return {
      message: `Order ${order.name} created${order.financialStatus === "paid" ? " and paid" : " (payment pending)"}; ${sent(deliveries)}`,
      body: {
        order: {
          id: order.id,
          name: order.name,
          discount: order.discount,
          storeCredit: order.storeCredit ?? null,
        },
        deliveries: deliveries.map(deliverySummary),
      },
    };
  }

  if ((match = /^\/orders\/([^/]+)\/(pay|cancel|refund)$/.exec(route))) {
    const ref = decodeURIComponent(match[1]!);
    let deliveries: Delivery[];
    if (match[2] === "pay") deliveries = await shop.pay(ref, options);
    else if (match[2] === "cancel")
      deliveries = await shop.cancel(
        ref,
        { refund: fields.refund === undefined ? true : truthy(fields.refund) },
        options,
      );
    else {
      const refundLines = fields.lines
        ? (
            JSON.parse(fields.lines) as Array<{
              lineItemId: number | string;
              quantity: number | string;
            }>
          ).map((l) => ({
            lineItemId: Number(l.lineItemId),
            quantity: Number(l.quantity),
          }))
        : fields.lineItemId
          ? [{ lineItemId: Number(fields.lineItemId), quantity: Number(fields.quantity ?? 1) }]
          : undefined;
      deliveries = (await shop.refund(ref, { lines: refundLines }, options)).deliveries;
    }
    const order = shop.order(ref);
    return {
      message: `${order.name}: ${match[2]} — ${sent(deliveries)}`,
      body: {
        order: { id: order.id, name: order.name, financialStatus: order.financialStatus },
        deliveries: deliveries.map(deliverySummary),
      },
    };
  }

  if (route === "/shop/redact") {
    const deliveries = await shop.shopRedact(options);
    return { message: sent(deliveries), body: { deliveries: deliveries.map(deliverySummary) } };
  }

  if (route === "/app/uninstall") {
    const deliveries = await shop.uninstallApp(options);
    return {
      message: `App uninstalled (tokens revoked); ${sent(deliveries)}. Open the app from the admin to install it again.`,
      body: { deliveries: deliveries.map(deliverySummary) },
    };
  }

  if (route === "/flow/run") {
    // A workflow step running one of the app's Flow actions for a customer of the shop.
    const customer = shop.customer(fields.customer_id ?? "");
    if (!customer) throw new ShopError(`No customer ${fields.customer_id ?? ""}`, 404);
    const run = await ctx.flow.run({
      shop: api.shopDomain,
      handle: fields.handle ?? "award-loyalty-points",
      properties: {
        customer_id: customer.id.replace("gid://shopify/Customer/", ""),
        points: Number(fields.points),
        reason: fields.reason ?? "",
      },
      ...(fields.run_id ? { runId: fields.run_id } : {}),
    });
    return {
      message: `Flow ran ${run.handle}: ${run.status ?? "no answer"} ${run.response}`,
      body: { ...run },
    };
  }

  if (route === "/webhooks/settings") {
    if (fields.hold !== undefined) webhooks.holdAll = truthy(fields.hold);
    if (fields.duplicate !== undefined)
      webhooks.duplicateAll =
        fields.duplicate === "retry" || fields.duplicate === "redeliver" ? fields.duplicate : null;
    return {
      message: `Deliveries ${webhooks.holdAll ? "are held" : "go out at once"}${webhooks.duplicateAll ? `, each sent twice (${webhooks.duplicateAll})` : ""}`,
      body: { hold: webhooks.holdAll, duplicate: webhooks.duplicateAll },
    };
  }

  if (route === "/webhooks/release") {
    const order =
      fields.order === "reverse" || fields.order === "shuffle" ? fields.order : "in-order";
    const released = await webhooks.release(order);
    return {
      message: `Released ${released.length} held deliveries (${order}): ${sent(released)}`,
      body: { deliveries: released.map(deliverySummary) },
    };
  }

  if ((match = /^\/webhooks\/([\w-]+)\/redeliver$/.exec(route))) {
    const delivery = await webhooks.redeliver(match[1]!);
    if (!delivery) throw new ShopError(`No delivery ${match[1]}`, 404);
    return {
      message: `Redelivered: ${sent([delivery])}`,
      body: { delivery: deliverySummary(delivery) },
    };
  }

  if (route === "/throttle") {
    const throttle = api.state.throttle;
    throttle.enabled = truthy(fields.enabled);
    if (fields.restoreRate) throttle.restoreRate = Number(fields.restoreRate);
    if (fields.maximumAvailable) throttle.maximumAvailable = Number(fields.maximumAvailable);
    throttle.currentlyAvailable = throttle.maximumAvailable;
    throttle.updatedAt = api.state.clock();
    return {
      message: throttle.enabled
        ? `Admin API throttling on: ${throttle.maximumAvailable} points, restoring ${throttle.restoreRate}/s`
        : "Admin API throttling off",
      body: { throttle },
    };
  }

  return null;
}
