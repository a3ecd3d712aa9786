/**
 * The sandbox admin: a page that embeds the app the way Shopify admin does (iframe on the app
 * URL with shop, host, embedded=1 and a signed id_token; App Bridge chrome around it), and the
 * console pages that stand in for the admin's own Orders and Customers plus a webhook log.
 */
import { createHmac, randomBytes } from "node:crypto";
import { takeFlash, type ApiContext } from "../api";
import type { AppConfig } from "../config";
import { html, htmlResponse, raw, type SafeHtml } from "../http";
import { CATALOG, customerName, type Order } from "../shop";
import { parseGid } from "../shopify/state";

export interface AdminPagesOptions extends ApiContext {
  app: AppConfig;
  /** What the browser uses to reach the app, e.g. http://localhost:3101. */
  appUrl: string;
  storefrontUrl: string;
  secret: string;
}

/** The admin's query signature: params but hmac, sorted, key=value joined by "&", hex HMAC-SHA256. */
export function adminHmac(params: URLSearchParams, secret: string): string {
  const message = [...params.entries()]
    .filter(([key]) => key !== "hmac" && key !== "signature")
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join("&");
  return createHmac("sha256", secret).update(message).digest("hex");
}

export function storeHandle(shopDomain: string) {
  return shopDomain.replace(/\.myshopify\.com$/, "");
}

/** What Shopify puts in ?host=: base64 of the admin host and store path. */
export function hostParam(shopDomain: string) {
  return Buffer.from(`admin.shopify.com/store/${storeHandle(shopDomain)}`).toString("base64url");
}

export class AdminPages {
  constructor(private readonly options: AdminPagesOptions) {}

  get appBase() {
    return `/store/${storeHandle(this.options.shop.domain)}/apps/${this.options.app.handle}`;
  }

  /** Answers admin paths; null for anything else. */
  async handle(request: Request): Promise<Response | null> {
    const url = new URL(request.url);
    if (request.method !== "GET") return null;
    if (url.pathname === "/admin" || url.pathname === "/admin/")
      return new Response(null, { status: 302, headers: { location: this.appBase } });
    const store = storeHandle(this.options.shop.domain);
    const embed = new RegExp(`^/store/${store}/apps/([^/]+)(/.*)?$`).exec(url.pathname);
    if (embed && [this.options.app.handle, this.options.app.clientId].includes(embed[1]!)) {
      if (embed[1] !== this.options.app.handle)
        return new Response(null, {
          status: 302,
          headers: { location: `${this.appBase}${embed[2] ?? ""}${url.search}` },
        });
      return this.embedded(request, embed[2] ?? "/", url.search);
    }
    if (url.pathname === "/admin/orders") return this.page(request, "Orders", this.orders());
    if (url.pathname === "/admin/customers")
      return this.page(request, "Customers", this.customers());
    if (url.pathname === "/admin/webhooks")
      return this.page(request, "Webhooks", this.webhookLog());
    // Where the app's shopify://admin/orders/1 and …/customers/1 links land.
    const record = /^\/admin\/(orders|customers)\/(\d+)$/.exec(url.pathname);
    if (record) {
      const anchor = `${record[1] === "orders" ? "order" : "customer"}-${record[2]}`;
      return new Response(null, {
        status: 302,
        headers: { location: `/admin/${record[1]}#${anchor}` },
      });
    }
    if (url.pathname.startsWith("/admin/")) {
      const missing = url.pathname.slice("/admin".length);
      return this.page(
        request,
        "Not in the sandbox",
        html`<p>
          The sandbox has no admin page for <code>${missing}</code>. It stands in for the parts of
          Shopify admin the app uses: <a href="/admin/orders">Orders</a>,
          <a href="/admin/customers">Customers</a> and the app itself.
        </p>`,
      );
    }
    return null;
  }

  private chrome(
    request: Request,
    options: { title: string; current: string; main: SafeHtml; scripts?: SafeHtml },
  ): Response {
    const { flash, clear } = takeFlash(request);
    const shop = this.options.api.state.shop;
    const nav = (href: string, label: string) =>
      html`<li>
        <a href="${href}" ${options.current === href ? raw('aria-current="page"') : ""}>${label}</a>
      </li>`;
    const page = html`<!doctype html>
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width,initial-scale=1" />
          <title>${options.title} · ${shop.name} · Sandbox admin</title>
          <link rel="stylesheet" href="/sandbox/assets/admin.css" />
        </head>
        <body>
          <div id="save-bar" class="save-bar" role="region" aria-label="Unsaved changes" hidden>
            <strong id="save-bar-message">Unsaved changes</strong>
            <div class="actions" id="save-bar-actions"></div>
          </div>
          <header class="topbar">
            <a class="brand" href="/admin">Shopify admin <span class="badge">sandbox</span></a>
            <div class="store">
              <a href="${this.options.storefrontUrl}">View your store</a>
              <span>${shop.name}</span>
            </div>
          </header>
          <div class="shell">
            <nav class="sidebar" aria-label="Admin">
              <ul>
                ${nav("/admin/orders", "Orders")} ${nav("/admin/customers", "Customers")}
                ${nav("/admin/webhooks", "Webhooks")}
              </ul>
              <p class="heading" id="apps-heading">Apps</p>
              <ul aria-labelledby="apps-heading">
                <li>
                  <a
                    id="app-link"
                    href="${this.appBase}"
                    ${options.current === "app" ? raw('aria-current="page"') : ""}
                    >${this.options.app.name}</a
                  >
                  <ul id="app-nav"></ul>
                </li>
              </ul>
            </nav>
            <div class="main">
              ${
                flash
                  ? html`<div class="page" style="padding-bottom:0">
                      <p class="flash ${flash.ok ? "" : "flash-error"}" role="status">
                        ${flash.message}
                      </p>
                    </div>`
                  : ""
              }
              ${options.main}
            </div>
          </div>
          <div id="toasts" class="toasts" role="status" aria-live="polite"></div>
          ${options.scripts ?? ""}
        </body>
      </html>`;
    const response = htmlResponse(page);
    if (clear) response.headers.append("set-cookie", clear);
    return response;
  }

  private embedded(request: Request, appPath: string, search: string): Response {
    const { shop, app, appUrl } = this.options;
    const params = new URLSearchParams(search);
    params.set("embedded", "1");
    params.set("host", hostParam(shop.domain));
    params.set("id_token", this.options.sessionToken());
    params.set("locale", "en");
    params.set("session", randomBytes(32).toString("hex"));
    params.set("shop", shop.domain);
    params.set("timestamp", String(Math.floor(Date.now() / 1000)));
    params.set("hmac", adminHmac(params, this.options.secret));
    const src = `${appUrl}${appPath}?${params}`;
    return this.chrome(request, {
      title: app.name,
      current: "app",
      main: html` <div class="titlebar">
          <h1>
            <span>${app.name}</span
            ><span id="app-title" class="muted" style="margin-left:.5rem"></span>
          </h1>
          <div class="actions" id="title-actions"></div>
        </div>
        <iframe
          class="app-frame"
          title="${app.name}"
          name="app-iframe"
          src="${src}"
          data-app-origin="${new URL(appUrl).origin}"
          data-app-base="${this.appBase}"
          data-token-url="/sandbox/api/session-token"
          data-resources-url="/sandbox/api/resources"
        ></iframe>`,
      scripts: html`<script src="/sandbox/assets/admin-host.js"></script>`,
    });
  }

  private page(request: Request, title: string, body: SafeHtml): Response {
    return this.chrome(request, {
      title,
      current: `/admin/${title.toLowerCase()}`,
      main: html`<div class="page">
        <h1 style="margin:0;font-size:1.25rem">${title}</h1>
        ${body}
      </div>`,
    });
  }

  private deliveryFields(idPrefix: string): SafeHtml {
    return html` <div class="field">
        <label for="${idPrefix}-duplicate">Delivery</label>
        <select id="${idPrefix}-duplicate" name="duplicate">
          <option value="">Once</option>
          <option value="retry">Twice: a retry (same webhook id)</option>
          <option value="redeliver">Twice: new delivery of the same event</option>
        </select>
      </div>
      <label class="check"
        ><input type="checkbox" name="hold" value="on" /> Hold (send later, in any order)</label
      >`;
  }

  private customerOptions(selected?: string | null): SafeHtml[] {
    return this.options.shop.customers().map((c) => {
      const id = parseGid(c.id)?.id ?? "";
      return html`<option value="${id}" ${id === selected ? raw("selected") : ""}>
        ${customerName(c)}${c.email ? ` (${c.email})` : ""}
      </option>`;
    });
  }

  private orders(): SafeHtml {
    const shop = this.options.shop;
    const variants = CATALOG.flatMap((p) =>
      p.variants.map((v) => ({
        id: v.id,
        label: p.variants.length > 1 ? `${p.title} – ${v.title}` : p.title,
        price: v.price,
      })),
    );
    const rows = [...shop.orders]
      .reverse()
      .slice(0, 100)
      .map((order) => this.orderRow(order));
    return html` <section class="card" aria-labelledby="new-order">
        <h2 id="new-order">Create order</h2>
        <form method="post" action="/sandbox/api/orders" class="form-row">
          <div class="field">
            <label for="order-customer">Customer</label>
            <select id="order-customer" name="customerId">
              <option value="">Guest</option>
              ${this.customerOptions()}
            </select>
          </div>
          <div class="field">
            <label for="order-variant">Product</label>
            <select id="order-variant" name="variantId">
              ${variants.map((v) => html`<option value="${v.id}">${v.label} – $${v.price}</option>`)}
            </select>
          </div>
          <div class="field">
            <label for="order-quantity">Quantity</label
            ><input
              id="order-quantity"
              name="quantity"
              type="number"
              min="1"
              value="1"
              style="width:5rem"
            />
          </div>
          <div class="field">
            <label for="order-code">Discount code</label
            ><input id="order-code" name="code" autocomplete="off" />
          </div>
          <div class="field">
            <label for="order-paid">Payment</label>
            <select id="order-paid" name="paid">
              <option value="true">Paid now (sends orders/paid)</option>
              <option value="false">Pending (mark as paid later)</option>
            </select>
          </div>
          <label class="check"><input type="checkbox" name="test" value="on" /> Test order</label>
          ${this.deliveryFields("order")}
          <button class="btn btn-primary" type="submit">Create order</button>
        </form>
      </section>
      <section class="card" aria-labelledby="order-list">
        <h2 id="order-list">Orders</h2>
        ${
          rows.length
            ? html`<table>
                <thead>
                  <tr>
                    <th scope="col">Order</th>
                    <th scope="col">Date</th>
                    <th scope="col">Customer</th>
                    <th scope="col">Items</th>
                    <th scope="col">Subtotal</th>
                    <th scope="col">Status</th>
                    <th scope="col">Actions</th>
                  </tr>
                </thead>
                <tbody>
                  ${rows}
                </tbody>
              </table>`
            : html`<p class="muted">No orders yet.</p>`
        }
      </section>`;
  }

  private orderRow(order: Order): SafeHtml {
    const shop = this.options.shop;
    const customer = shop.customer(order.customerId);
    const payload = shop.orderPayload(order);
    const status = order.cancelledAt ? "cancelled" : order.financialStatus.replace("_", " ");
    const refundable =
      !order.cancelledAt && ["paid", "partially_refunded"].includes(order.financialStatus);
    const action = (verb: string) => `/sandbox/api/orders/${order.id}/${verb}`;
    const refundOptions = order.lines
      .filter((l) => shop.remaining(order, l) > 0)
      .map(
        (l) => html`<option value="${l.id}">${l.title} (${shop.remaining(order, l)} left)</option>`,
      );
    return html`<tr id="order-${order.id}">
      <th scope="row">${order.name}${order.test ? " (test)" : ""}</th>
      <td>${new Date(order.createdAt).toLocaleDateString("en-US", { dateStyle: "medium" })}</td>
      <td>${customer ? customerName(customer) : "Guest"}</td>
      <td>${order.lines.map((l) => `${l.quantity} × ${l.title}`).join(", ")}</td>
      <td>
        $${payload.subtotal_price}${order.discount ? html`<br /><span class="muted">${order.discount.code} −$${order.discount.amount}</span>` : ""}
      </td>
      <td>
        <span
          class="status ${order.cancelledAt || order.financialStatus.includes("refunded") ? "status-bad" : order.financialStatus === "paid" ? "status-ok" : "status-held"}"
          >${status}</span
        >
      </td>
      <td>
        ${
          order.financialStatus === "pending" && !order.cancelledAt
            ? html`<form method="post" action="${action("pay")}">
                <button class="btn" type="submit">
                  Mark as paid <span class="visually-hidden">${order.name}</span>
                </button>
              </form>`
            : ""
        }
        ${
          refundable && refundOptions.length
            ? html`<form method="post" action="${action("refund")}">
                  <label class="visually-hidden" for="refund-line-${order.id}"
                    >Line to refund on ${order.name}</label
                  >
                  <select id="refund-line-${order.id}" name="lineItemId">
                    ${refundOptions}
                  </select>
                  <label class="visually-hidden" for="refund-qty-${order.id}"
                    >Quantity to refund on ${order.name}</label
                  >
                  <input
                    id="refund-qty-${order.id}"
                    name="quantity"
                    type="number"
                    min="1"
                    value="1"
                    style="width:4rem"
                  />
                  <button class="btn" type="submit">
                    Refund <span class="visually-hidden">line on ${order.name}</span>
                  </button>
                </form>
                <form method="post" action="${action("refund")}">
                  <button class="btn" type="submit">
                    Refund all <span class="visually-hidden">of ${order.name}</span>
                  </button>
                </form>`
            : ""
        }
        ${
          !order.cancelledAt
            ? html`<form method="post" action="${action("cancel")}">
                <input type="hidden" name="refund" value="true" /><button class="btn" type="submit">
                  Cancel <span class="visually-hidden">${order.name}</span>
                </button>
              </form>`
            : ""
        }
      </td>
    </tr>`;
  }

  private customers(): SafeHtml {
    const shop = this.options.shop;
    return html` <section class="card" aria-labelledby="new-customer">
        <h2 id="new-customer">Add customer</h2>
        <form method="post" action="/sandbox/api/customers" class="form-row">
          <div class="field">
            <label for="c-first">First name</label
            ><input id="c-first" name="firstName" autocomplete="off" />
          </div>
          <div class="field">
            <label for="c-last">Last name</label
            ><input id="c-last" name="lastName" autocomplete="off" />
          </div>
          <div class="field">
            <label for="c-email">Email</label
            ><input id="c-email" name="email" type="email" autocomplete="off" />
          </div>
          ${this.deliveryFields("customer")}
          <button class="btn btn-primary" type="submit">Add customer</button>
        </form>
      </section>
      <section class="card" aria-labelledby="customer-list">
        <h2 id="customer-list">Customers</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Orders</th>
              <th scope="col">Spent</th>
              <th scope="col">Privacy requests</th>
            </tr>
          </thead>
          <tbody>
            ${shop.customers().map((c) => {
              const id = parseGid(c.id)?.id ?? "";
              return html`<tr id="customer-${id}">
                <th scope="row">${customerName(c)}</th>
                <td>${c.email ?? ""}</td>
                <td>${c.numberOfOrders}</td>
                <td>$${c.amountSpent}</td>
                <td>
                  <form method="post" action="/sandbox/api/customers/${id}/data-request">
                    <button class="btn" type="submit">
                      Data request <span class="visually-hidden">for ${customerName(c)}</span>
                    </button>
                  </form>
                  <form method="post" action="/sandbox/api/customers/${id}/redact">
                    <button class="btn" type="submit">
                      Redact <span class="visually-hidden">${customerName(c)}</span>
                    </button>
                  </form>
                </td>
              </tr>`;
            })}
          </tbody>
        </table>
      </section>`;
  }

  private webhookLog(): SafeHtml {
    const { webhooks, api } = this.options;
    const held = webhooks.held;
    const log = [...webhooks.log].reverse().slice(0, 200);
    const throttle = api.state.throttle;
    return html` <section class="card" aria-labelledby="delivery-settings">
        <h2 id="delivery-settings">Delivery</h2>
        <p class="muted">
          Deliveries are signed with the app secret (X-Shopify-Hmac-Sha256) and sent to the URIs in
          shopify.app.toml.
        </p>
        <form method="post" action="/sandbox/api/webhooks/settings" class="form-row">
          <div class="field">
            <label for="hold-all">Hold every delivery</label>
            <select id="hold-all" name="hold">
              <option value="false">No, deliver at once</option>
              <option value="true" ${webhooks.holdAll ? raw("selected") : ""}>
                Yes, queue until released
              </option>
            </select>
          </div>
          <div class="field">
            <label for="dup-all">Send every delivery</label>
            <select id="dup-all" name="duplicate">
              <option value="">Once</option>
              <option value="retry" ${webhooks.duplicateAll === "retry" ? raw("selected") : ""}>
                Twice: a retry (same webhook id)
              </option>
              <option
                value="redeliver"
                ${webhooks.duplicateAll === "redeliver" ? raw("selected") : ""}
              >
                Twice: new delivery of the same event
              </option>
            </select>
          </div>
          <button class="btn" type="submit">Save delivery settings</button>
        </form>
        <p>
          ${held.length} held
          ${held.length === 1 ? "delivery" : "deliveries"}${held.length ? `: ${held.map((d) => d.topic).join(", ")}` : ""}.
        </p>
        ${
          held.length
            ? html`<div class="form-row">
                <form method="post" action="/sandbox/api/webhooks/release">
                  <input type="hidden" name="order" value="in-order" /><button
                    class="btn"
                    type="submit"
                  >
                    Release in order
                  </button>
                </form>
                <form method="post" action="/sandbox/api/webhooks/release">
                  <input type="hidden" name="order" value="reverse" /><button
                    class="btn"
                    type="submit"
                  >
                    Release newest first
                  </button>
                </form>
                <form method="post" action="/sandbox/api/webhooks/release">
                  <input type="hidden" name="order" value="shuffle" /><button
                    class="btn"
                    type="submit"
                  >
                    Release shuffled
                  </button>
                </form>
              </div>`
            : ""
        }
      </section>
      <section class="card" aria-labelledby="api-settings">
        <h2 id="api-settings">Admin API and app</h2>
        <form method="post" action="/sandbox/api/throttle" class="form-row">
          <div class="field">
            <label for="throttle">Admin API rate limiting</label>
            <select id="throttle" name="enabled">
              <option value="false">Off (bucket always full)</option>
              <option value="true" ${throttle.enabled ? raw("selected") : ""}>On</option>
            </select>
          </div>
          <div class="field">
            <label for="restore">Restore rate (points/s)</label
            ><input
              id="restore"
              name="restoreRate"
              type="number"
              min="1"
              value="${throttle.restoreRate}"
              style="width:6rem"
            />
          </div>
          <div class="field">
            <label for="bucket">Bucket size</label
            ><input
              id="bucket"
              name="maximumAvailable"
              type="number"
              min="1"
              value="${throttle.maximumAvailable}"
              style="width:6rem"
            />
          </div>
          <button class="btn" type="submit">Apply</button>
        </form>
        <div class="form-row" style="margin-top:.75rem">
          <form method="post" action="/sandbox/api/shop/redact">
            <button class="btn" type="submit">Send shop/redact</button>
          </form>
          <form method="post" action="/sandbox/api/app/uninstall">
            <button class="btn" type="submit">Uninstall app</button>
          </form>
        </div>
      </section>
      <section class="card" aria-labelledby="delivery-log">
        <h2 id="delivery-log">Deliveries</h2>
        ${
          log.length
            ? html`<table>
                <thead>
                  <tr>
                    <th scope="col">Time</th>
                    <th scope="col">Topic</th>
                    <th scope="col">Result</th>
                    <th scope="col">Webhook id</th>
                    <th scope="col">Payload</th>
                    <th scope="col"><span class="visually-hidden">Actions</span></th>
                  </tr>
                </thead>
                <tbody>
                  ${log.map((d) => {
                    const last = d.attempts.at(-1);
                    const result =
                      d.state === "held"
                        ? html`<span class="status status-held">held</span>`
                        : html`<span
                              class="status ${d.state === "delivered" ? "status-ok" : "status-bad"}"
                              >${last?.status ?? "no response"}</span
                            >
                            <span class="muted"
                              >${last ? `${last.ms} ms` : ""}${last?.error ? ` ${last.error}` : ""}</span
                            >`;
                    return html`<tr>
                      <td>${new Date(last?.at ?? d.triggeredAt).toLocaleTimeString("en-US")}</td>
                      <td>${d.topic}<br /><span class="muted">${d.uri}</span></td>
                      <td>
                        ${result}${d.note ? html`<br /><span class="muted">${d.note}</span>` : ""}${d.attempts.length > 1 ? html`<br /><span class="muted">${d.attempts.length} attempts</span>` : ""}
                      </td>
                      <td><code>${d.id.slice(0, 8)}</code></td>
                      <td>
                        <details>
                          <summary>
                            JSON
                            <span class="visually-hidden">of ${d.topic} ${d.id.slice(0, 8)}</span>
                          </summary>
                          <pre>${JSON.stringify(JSON.parse(d.body), null, 2)}</pre>
                        </details>
                      </td>
                      <td>
                        ${
                          d.state !== "held"
                            ? html`<form
                                method="post"
                                action="/sandbox/api/webhooks/${d.id}/redeliver"
                              >
                                <button class="btn" type="submit">
                                  Redeliver
                                  <span class="visually-hidden"
                                    >${d.topic} ${d.id.slice(0, 8)}</span
                                  >
                                </button>
                              </form>`
                            : ""
                        }
                      </td>
                    </tr>`;
                  })}
                </tbody>
              </table>`
            : html`<p class="muted">Nothing delivered yet.</p>`
        }
      </section>`;
  }
}
