/**
 * The sandbox storefront: a small theme whose pages place the app's theme app extension where a
 * merchant would (the launcher app embed on every page, the points-balance block on the home and
 * account pages, the earn-points block on product pages), rendered from the extension's own
 * Liquid files with its assets served as Shopify's CDN would. Signing in is a customer switcher;
 * /apps/loyalty/* is forwarded to the app through the signed app proxy; the cart and checkout
 * apply discount codes with checkout's rules and a paid order is sent to the app as orders/paid.
 */
import fs from "node:fs";
import path from "node:path";
import type { Liquid } from "liquidjs";
import { forwardAppProxy, type ProxyTarget } from "../app-proxy";
import { EXTENSION_DIR } from "../config";
import {
  cookies,
  formFields,
  html,
  htmlResponse,
  mimeType,
  raw,
  redirect,
  type SafeHtml,
} from "../http";
import {
  CATALOG,
  ShopError,
  checkoutMessage,
  customerName,
  findVariant,
  type Cart,
  type Product,
  type Shop,
} from "../shop";
import { fromMinorUnits, toMinorUnits } from "../shopify/money";
import { parseGid, type CustomerRecord } from "../shopify/state";
import {
  blockSchema,
  createThemeEngine,
  defaultSettings,
  extensionLanguages,
} from "../theme/liquid";

/** Shopify serves extension assets from its CDN under a per-version path. */
export const EXTENSION_ASSET_PREFIX = "/cdn/shop/extensions/sandbox/assets/";
const CUSTOMER_COOKIE = "sandbox_customer";
const CART_COOKIE = "cart";
const FLASH_COOKIE = "sandbox_storefront_flash";

/** Fixed block ids, so element ids (LoyaltyPanel-…) are stable across renders. */
const BLOCK_IDS: Record<string, string> = {
  launcher: "AQmxsandboxLauncher",
  "points-balance": "AQmxsandboxBalance",
  "earn-points": "AQmxsandboxEarn",
};

/** What the merchant set in the theme editor that concerns the app. */
export interface ThemeSettings {
  /** The launcher app embed and the app's blocks (off: the theme as if the app were not there). */
  apps: boolean;
}

export interface StorefrontOptions {
  shop: Shop;
  theme: ThemeSettings;
  proxy: ProxyTarget & { prefix: string; subpath: string };
  adminUrl: string;
}

interface PageContext {
  request: Request;
  lang: string;
  /** "/" or "/fr" — Liquid's routes.root_url. */
  root: string;
  customer: CustomerRecord | null;
  cart: Cart;
  setCookies: string[];
}

function cookie(name: string, value: string, maxAge?: number) {
  return `${name}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Lax${maxAge === undefined ? "" : `; Max-Age=${maxAge}`}`;
}

/**
 * A redirect target that stays on this shop: a path ("/cart", "/cart/add?id=1&quantity=1"), never
 * another host ("//evil.com", "/\\evil.com", "https://evil.com"); null for anything else.
 */
export function sameShopPath(base: URL, target: string | null): string | null {
  if (!target || !target.startsWith("/") || target.startsWith("//") || target.startsWith("/\\"))
    return null;
  let resolved: URL;
  try {
    resolved = new URL(target, base.origin);
  } catch {
    return null;
  }
  if (resolved.origin !== base.origin) return null;
  return `${resolved.pathname}${resolved.search}`;
}

export class Storefront {
  private readonly languages = extensionLanguages(EXTENSION_DIR);
  private readonly engines = new Map<string, Liquid>();

  constructor(private readonly options: StorefrontOptions) {}

  private get shop() {
    return this.options.shop;
  }

  private engine(lang: string): Liquid {
    let engine = this.engines.get(lang);
    if (!engine) {
      engine = createThemeEngine({
        extensionDir: EXTENSION_DIR,
        lang,
        assetUrl: (file: string) => `${EXTENSION_ASSET_PREFIX}${file}`,
      });
      this.engines.set(lang, engine);
    }
    return engine;
  }

  /** Answers storefront paths; null for anything else. */
  async handle(request: Request): Promise<Response | null> {
    const url = new URL(request.url);
    if (url.pathname.startsWith(EXTENSION_ASSET_PREFIX)) return this.asset(url.pathname);

    // Locale roots (/fr/…) as Shopify Markets serves them; the extension's languages only.
    let lang = "en";
    let pathname = url.pathname;
    const first = pathname.split("/")[1] ?? "";
    if (first !== "en" && this.languages.includes(first)) {
      lang = first;
      pathname = pathname.slice(first.length + 1) || "/";
    }
    const root = lang === "en" ? "/" : `/${lang}`;

    const jar = cookies(request);
    const ctx: PageContext = {
      request,
      lang,
      root,
      customer: this.shop.customer(jar[CUSTOMER_COOKIE] ?? null),
      cart: this.cartFor(jar[CART_COOKIE]),
      setCookies: [],
    };
    if (!jar[CART_COOKIE] || jar[CART_COOKIE] !== ctx.cart.token)
      ctx.setCookies.push(cookie(CART_COOKIE, ctx.cart.token));

    const proxyRoot = `/${this.options.proxy.prefix}/${this.options.proxy.subpath}`;
    if (pathname === proxyRoot || pathname.startsWith(`${proxyRoot}/`)) {
      const customerId = ctx.customer ? (parseGid(ctx.customer.id)?.id ?? null) : null;
      const response = await forwardAppProxy(
        request,
        pathname.slice(proxyRoot.length),
        customerId,
        this.options.proxy,
      );
      const type = response.headers.get("content-type") ?? "";
      if (!/json|text|liquid/.test(type)) return response;
      // This storefront stands in for https://{shop}: links the app builds to the shop's domain
      // (e.g. /discount/CODE) must land here, as they land on the shop on Shopify.
      const body = (await response.text()).replaceAll(`https://${this.shop.domain}`, url.origin);
      if (type.startsWith("application/liquid")) return this.liquidPage(ctx, body, response.status);
      return new Response(body, { status: response.status, headers: response.headers });
    }

    const method = request.method;
    const withCookies = (response: Response) => {
      for (const c of ctx.setCookies) response.headers.append("set-cookie", c);
      return response;
    };
    try {
      if (method === "GET" && pathname === "/") return withCookies(await this.home(ctx));
      const productMatch = /^\/products\/([\w-]+)$/.exec(pathname);
      if (method === "GET" && productMatch)
        return withCookies(await this.productPage(ctx, productMatch[1]!));
      if (method === "GET" && pathname === "/cart") return withCookies(await this.cartPage(ctx));
      if (method === "POST" && pathname === "/cart/add")
        return withCookies(await this.cartAdd(ctx));
      // Shopify's cart permalink form: /cart/add?id={variant}&quantity={n} adds, then shows the cart.
      if (method === "GET" && pathname === "/cart/add")
        return withCookies(await this.cartAddLink(ctx, url.searchParams));
      if (method === "POST" && pathname === "/cart/change")
        return withCookies(await this.cartChange(ctx));
      const discountMatch = /^\/discount\/([^/]+)$/.exec(pathname);
      if (method === "GET" && discountMatch) {
        // Shopify's shareable discount link: puts the code on the cart, then redirects to a path
        // of this shop (with its own query, e.g. /cart/add?id=…&quantity=1), else to the cart.
        ctx.cart.code = decodeURIComponent(discountMatch[1]!).trim().toUpperCase();
        const target = sameShopPath(url, url.searchParams.get("redirect")) ?? "/cart";
        return withCookies(redirect(this.local(root, target), { status: 302 }));
      }
      if (method === "GET" && pathname === "/checkout")
        return withCookies(await this.checkout(ctx));
      if (method === "POST" && pathname === "/checkout/discount")
        return withCookies(await this.checkoutDiscount(ctx));
      if (method === "POST" && pathname === "/checkout/store-credit")
        return withCookies(await this.checkoutStoreCredit(ctx));
      if (method === "POST" && pathname === "/checkout/pay")
        return withCookies(await this.pay(ctx));
      const thanks = /^\/checkout\/thank-you\/(\d+)$/.exec(pathname);
      if (method === "GET" && thanks) return withCookies(await this.thankYou(ctx, thanks[1]!));
      if (method === "GET" && pathname === "/account") return withCookies(await this.account(ctx));
      if (method === "GET" && pathname === "/account/login")
        return withCookies(await this.login(ctx));
      if (method === "POST" && pathname === "/account/login")
        return withCookies(await this.loginAs(ctx));
      if (method === "POST" && pathname === "/account/logout") {
        ctx.setCookies.push(cookie(CUSTOMER_COOKIE, "", 0));
        return withCookies(redirect(root));
      }
      if (method === "GET" && pathname === "/account/register")
        return withCookies(await this.register(ctx));
      if (method === "POST" && pathname === "/account/register")
        return withCookies(await this.registerCustomer(ctx));
    } catch (error) {
      if (error instanceof ShopError) {
        ctx.setCookies.push(cookie(FLASH_COOKIE, `error:${error.message}`));
        const back = request.headers.get("referer");
        return withCookies(redirect(back && new URL(back).host === url.host ? back : root));
      }
      throw error;
    }
    return null;
  }

  private local(root: string, target: string) {
    return root === "/" ? target : `${root}${target === "/" ? "" : target}`;
  }

  private asset(pathname: string): Response {
    const name = pathname.slice(EXTENSION_ASSET_PREFIX.length);
    const file = path.join(EXTENSION_DIR, "assets", path.basename(name));
    if (name.includes("/") || !fs.existsSync(file))
      return new Response("Not found", { status: 404 });
    return new Response(fs.readFileSync(file), {
      headers: { "content-type": mimeType(file), "cache-control": "no-cache" },
    });
  }

  private cartFor(token: string | undefined): Cart {
    const existing = token ? this.shop.carts.get(token) : undefined;
    if (existing) return existing;
    const cart: Cart = { token: crypto.randomUUID().replace(/-/g, ""), lines: [], code: null };
    this.shop.carts.set(cart.token, cart);
    return cart;
  }

  private money(amount: string | bigint, lang: string) {
    const value =
      typeof amount === "bigint"
        ? Number(fromMinorUnits(amount, this.shop.currency))
        : Number(amount);
    return new Intl.NumberFormat(lang, { style: "currency", currency: this.shop.currency }).format(
      value,
    );
  }

  // ------------------------------------------------------------------ Liquid

  /** The program metafield the app writes to its installation (app.metafields.loyalty.program). */
  private programMetafield(): unknown {
    const state = this.shop.api.state;
    for (const field of state.metafields.values()) {
      if (
        field.ownerId === state.appInstallationId &&
        field.namespace === "loyalty" &&
        field.key === "program"
      ) {
        try {
          return field.type === "json" ? JSON.parse(field.value) : field.value;
        } catch {
          return null;
        }
      }
    }
    return null;
  }

  private liquidCustomer(customer: CustomerRecord | null) {
    if (!customer) return null;
    return {
      id: Number(parseGid(customer.id)?.id),
      email: customer.email,
      first_name: customer.firstName,
      last_name: customer.lastName,
      name: customerName(customer),
      tags: customer.tags,
      orders_count: customer.numberOfOrders,
      metafields: {},
    };
  }

  private liquidProduct(product: Product, variantId?: number) {
    // Liquid money is the amount × 100 in every currency (¥1,000 is 100000), hence "USD" here.
    const cents = (price: string) => Number(toMinorUnits(price, "USD"));
    const variants = product.variants.map((v) => ({
      id: v.id,
      title: v.title,
      price: cents(v.price),
      available: true,
    }));
    const selected = variants.find((v) => v.id === variantId) ?? variants[0];
    const prices = new Set(variants.map((v) => v.price));
    return {
      id: product.id,
      handle: product.handle,
      title: product.title,
      price: selected?.price ?? 0,
      price_varies: prices.size > 1,
      variants,
      selected_or_first_available_variant: selected,
    };
  }

  private async block(
    ctx: PageContext,
    name: "launcher" | "points-balance" | "earn-points",
    pageType: string,
    product: ReturnType<Storefront["liquidProduct"]> | null = null,
  ): Promise<string> {
    if (!this.options.theme.apps) return "";
    const program = this.programMetafield();
    return this.engine(ctx.lang).renderFile(name, {
      block: {
        id: BLOCK_IDS[name],
        type: `shopify://apps/loyalty/blocks/${name}/sandbox`,
        settings: defaultSettings(EXTENSION_DIR, name),
      },
      customer: this.liquidCustomer(ctx.customer),
      product,
      app: { metafields: program ? { loyalty: { program: { value: program } } } : {} },
      shop: {
        name: this.shop.api.state.shop.name,
        permanent_domain: this.shop.domain,
        currency: this.shop.currency,
        money_format: "${{amount}}",
      },
      cart: { currency: { iso_code: this.shop.currency }, item_count: this.itemCount(ctx.cart) },
      request: { locale: { iso_code: ctx.lang }, design_mode: false, page_type: pageType },
      routes: this.routes(ctx),
    });
  }

  /** Liquid's `routes` object, under the page's language root. */
  private routes(ctx: PageContext) {
    const prefix = ctx.root === "/" ? "" : ctx.root;
    return {
      root_url: ctx.root,
      account_login_url: `${prefix}/account/login`,
      account_register_url: `${prefix}/account/register`,
    };
  }

  private itemCount(cart: Cart) {
    return cart.lines.reduce((sum, l) => sum + l.quantity, 0);
  }

  // ------------------------------------------------------------------ layout

  private async layout(
    ctx: PageContext,
    options: { title: string; pageType: string; body: SafeHtml; blocks?: string[] },
  ): Promise<Response> {
    const jar = cookies(ctx.request);
    const flash = jar[FLASH_COOKIE];
    if (flash) ctx.setCookies.push(cookie(FLASH_COOKIE, "", 0));
    const launcher = await this.block(ctx, "launcher", options.pageType);
    // Shopify loads each block's schema stylesheet once, in <head>.
    const stylesheets = new Set(
      (this.options.theme.apps ? ["launcher", ...(options.blocks ?? [])] : [])
        .map((b) => blockSchema(EXTENSION_DIR, b).stylesheet)
        .filter((s): s is string => Boolean(s)),
    );
    const l = (target: string) => this.local(ctx.root, target);
    const shopName = this.shop.api.state.shop.name;
    const customers = this.shop.customers();
    const page = html`<!doctype html>
      <html lang="${ctx.lang}">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width,initial-scale=1" />
          <title>${options.title} – ${shopName}</title>
          <link rel="stylesheet" href="/sandbox/assets/theme.css" />
          ${[...stylesheets].map((s) => raw(`<link rel="stylesheet" href="${EXTENSION_ASSET_PREFIX}${s}">`))}
        </head>
        <body>
          <div class="sandbox-bar" role="region" aria-label="Sandbox controls">
            <span><strong>Sandbox storefront</strong> for ${this.shop.domain}</span>
            <form method="post" action="${l("/account/login")}">
              <label for="sandbox-customer">Shopper</label>
              <select id="sandbox-customer" name="customerId">
                <option value="">Guest (signed out)</option>
                ${customers.map((c) => {
                  const id = parseGid(c.id)?.id ?? "";
                  const selected = ctx.customer?.id === c.id;
                  return html`<option value="${id}" ${selected ? raw("selected") : ""}>
                    ${customerName(c)}${c.email ? ` (${c.email})` : ""}
                  </option>`;
                })}
              </select>
              <input type="hidden" name="return_to" value="${new URL(ctx.request.url).pathname}" />
              <button type="submit">Switch shopper</button>
            </form>
            <a href="${this.options.adminUrl}">Admin</a>
            <a href="/admin/orders">Orders &amp; webhooks</a>
          </div>
          <header class="site-header">
            <a class="logo" href="${ctx.root}">${shopName}</a>
            <nav aria-label="Main">
              <a href="${ctx.root}">Shop</a>
              <a href="${l("/account")}"
                >${ctx.customer ? `Account (${customerName(ctx.customer)})` : "Sign in"}</a
              >
              <a href="${l("/cart")}">Cart (${this.itemCount(ctx.cart)})</a>
            </nav>
          </header>
          <main id="main">
            ${flash ? html`<p class="${flash.startsWith("error:") ? "error" : "notice"}" role="status">${flash.replace(/^error:/, "")}</p>` : ""}
            ${options.body}
          </main>
          <footer>
            <nav aria-label="Language">
              ${this.languages.map((lang) => {
                const target = lang === "en" ? "/" : `/${lang}`;
                const name = new Intl.DisplayNames([lang], { type: "language" }).of(lang) ?? lang;
                return html`<a
                  href="${target}"
                  lang="${lang}"
                  ${lang === ctx.lang ? raw('aria-current="page"') : ""}
                  >${name}</a
                >`;
              })}
            </nav>
            <p>Demo theme served by the local Shopify sandbox. Prices in ${this.shop.currency}.</p>
          </footer>
          ${raw(launcher)}
        </body>
      </html>`;
    return htmlResponse(page);
  }

  private async liquidPage(ctx: PageContext, source: string, status: number) {
    // Shopify renders an application/liquid answer inside the theme, with the same objects.
    const rendered = await this.engine(ctx.lang).parseAndRender(source, {
      customer: this.liquidCustomer(ctx.customer),
      shop: { name: this.shop.api.state.shop.name, permanent_domain: this.shop.domain },
      request: { locale: { iso_code: ctx.lang }, design_mode: false, page_type: "page" },
      routes: this.routes(ctx),
    });
    const response = await this.layout(ctx, {
      title: "Rewards",
      pageType: "page",
      body: raw(rendered),
    });
    return new Response(response.body, { status, headers: response.headers });
  }

  // ------------------------------------------------------------------ pages

  private swatch(product: Product) {
    return html`<div
      class="swatch"
      style="background:${product.color}"
      role="img"
      aria-label="${product.title}"
    >
      ${product.title}
    </div>`;
  }

  private priceOf(product: Product, lang: string) {
    const prices = product.variants.map((v) => v.price);
    const low = prices.reduce((a, b) => (Number(a) <= Number(b) ? a : b));
    return prices.length > 1 && new Set(prices).size > 1
      ? `From ${this.money(low, lang)}`
      : this.money(low, lang);
  }

  private async home(ctx: PageContext) {
    const balance = await this.block(ctx, "points-balance", "index");
    const l = (target: string) => this.local(ctx.root, target);
    return this.layout(ctx, {
      title: "Home",
      pageType: "index",
      blocks: ["points-balance"],
      body: html` <section class="hero" aria-labelledby="hero-title">
          <h1 id="hero-title">Gear for the long way round</h1>
          <p>Earn points on every order and trade them for rewards.</p>
        </section>
        <section aria-labelledby="products-title">
          <h2 id="products-title">Products</h2>
          <ul class="grid">
            ${CATALOG.map(
              (p) =>
                html`<li class="card">
                  <a href="${l(`/products/${p.handle}`)}"
                    >${this.swatch(p)}
                    <h3>${p.title}</h3>
                    <p>${this.priceOf(p, ctx.lang)}</p></a
                  >
                </li>`,
            )}
          </ul>
        </section>
        <section class="section" aria-label="Loyalty">${raw(balance)}</section>`,
    });
  }

  private async productPage(ctx: PageContext, handle: string) {
    const product = CATALOG.find((p) => p.handle === handle);
    if (!product) return htmlResponse("Not found", { status: 404 });
    const variantParam = Number(new URL(ctx.request.url).searchParams.get("variant"));
    const liquid = this.liquidProduct(product, variantParam || undefined);
    const earn = await this.block(ctx, "earn-points", "product", liquid);
    const selected = liquid.selected_or_first_available_variant;
    return this.layout(ctx, {
      title: product.title,
      pageType: "product",
      blocks: ["earn-points"],
      body: html` <div class="product">
        ${this.swatch(product)}
        <form class="stack" method="post" action="${this.local(ctx.root, "/cart/add")}">
          <h1>${product.title}</h1>
          <p class="price">${this.priceOf(product, ctx.lang)}</p>
          <p>${product.description}</p>
          ${
            product.variants.length > 1
              ? html`<div class="field">
                  <label for="variant">Colour</label
                  ><select id="variant" name="id">
                    ${product.variants.map(
                      (v) =>
                        html`<option
                          value="${v.id}"
                          ${v.id === selected?.id ? raw("selected") : ""}
                        >
                          ${v.title} – ${this.money(v.price, ctx.lang)}
                        </option>`,
                    )}
                  </select>
                </div>`
              : html`<input type="hidden" name="id" value="${product.variants[0]!.id}" />`
          }
          <div class="field">
            <label for="quantity">Quantity</label
            ><input id="quantity" name="quantity" type="number" min="1" value="1" />
          </div>
          ${raw(earn)}
          <p><button class="btn" type="submit">Add to cart</button></p>
        </form>
      </div>`,
    });
  }

  private async cartAdd(ctx: PageContext) {
    const form = await formFields(ctx.request);
    const variantId = Number(form.id);
    if (!findVariant(variantId)) throw new ShopError("That product is not available");
    this.addLine(ctx.cart, variantId, form.quantity);
    return redirect(this.local(ctx.root, "/cart"));
  }

  /** GET /cart/add?id=…&quantity=…: adds to the cart and shows it; an unknown variant is an error. */
  private async cartAddLink(ctx: PageContext, params: URLSearchParams): Promise<Response> {
    const variantId = Number(params.get("id"));
    if (!Number.isSafeInteger(variantId) || !findVariant(variantId)) {
      // Shopify's cart error for a variant the shop does not sell (the Ajax API's wording).
      const page = await this.layout(ctx, {
        title: "Cart Error",
        pageType: "cart",
        body: html`<h1>Cart Error</h1>
          <p role="alert">Cannot find variant</p>
          <p><a href="${this.local(ctx.root, "/cart")}">Continue to your cart</a></p>`,
      });
      return new Response(page.body, { status: 404, headers: page.headers });
    }
    this.addLine(ctx.cart, variantId, params.get("quantity") ?? undefined);
    return redirect(this.local(ctx.root, "/cart"), { status: 302 });
  }

  private addLine(cart: Cart, variantId: number, quantityText: string | undefined) {
    const quantity = Math.max(1, Math.floor(Number(quantityText) || 1));
    const line = cart.lines.find((l) => l.variantId === variantId);
    if (line) line.quantity += quantity;
    else cart.lines.push({ variantId, quantity });
  }

  private async cartChange(ctx: PageContext) {
    const form = await formFields(ctx.request);
    const variantId = Number(form.id);
    const quantity = Math.max(0, Math.floor(Number(form.quantity) || 0));
    ctx.cart.lines = ctx.cart.lines
      .map((l) => (l.variantId === variantId ? { ...l, quantity } : l))
      .filter((l) => l.quantity > 0);
    if (form.code === "") ctx.cart.code = null;
    return redirect(this.local(ctx.root, "/cart"));
  }

  private lineRows(ctx: PageContext, editable: boolean) {
    return ctx.cart.lines.map((line) => {
      const found = findVariant(line.variantId)!;
      const title =
        found.product.variants.length > 1
          ? `${found.product.title} – ${found.variant.title}`
          : found.product.title;
      const total = toMinorUnits(found.variant.price, this.shop.currency) * BigInt(line.quantity);
      return html`<tr>
        <td>${title}</td>
        <td>${line.quantity}</td>
        <td>${this.money(total, ctx.lang)}</td>
        ${
          editable
            ? html`<td>
                <form method="post" action="${this.local(ctx.root, "/cart/change")}">
                  <input type="hidden" name="id" value="${line.variantId}" /><input
                    type="hidden"
                    name="quantity"
                    value="0"
                  /><button class="link-button" type="submit">
                    Remove <span class="visually-hidden">${title}</span>
                  </button>
                </form>
              </td>`
            : ""
        }
      </tr>`;
    });
  }

  private async cartPage(ctx: PageContext) {
    const empty = ctx.cart.lines.length === 0;
    return this.layout(ctx, {
      title: "Cart",
      pageType: "cart",
      body: html` <h1>Your cart</h1>
        ${ctx.cart.code ? html`<p class="notice">Discount code <strong>${ctx.cart.code}</strong> will be applied at checkout.</p>` : ""}
        ${
          empty
            ? html`<p>Your cart is empty. <a href="${ctx.root}">Continue shopping</a></p>`
            : html`<table>
                  <caption class="visually-hidden">
                    Cart contents
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Product</th>
                      <th scope="col">Quantity</th>
                      <th scope="col">Total</th>
                      <th scope="col"><span class="visually-hidden">Actions</span></th>
                    </tr>
                  </thead>
                  <tbody>
                    ${this.lineRows(ctx, true)}
                  </tbody>
                </table>
                <div class="totals">
                  <div>
                    <span>Subtotal</span
                    ><span>${this.money(this.shop.subtotalOf(ctx.cart.lines), ctx.lang)}</span>
                  </div>
                </div>
                <p><a class="btn" href="${this.local(ctx.root, "/checkout")}">Check out</a></p>`
        }`,
    });
  }

  private customerNumericId(ctx: PageContext) {
    return ctx.customer ? (parseGid(ctx.customer.id)?.id ?? null) : null;
  }

  private async checkout(ctx: PageContext) {
    if (!ctx.cart.lines.length) return redirect(this.local(ctx.root, "/cart"));
    const currency = this.shop.currency;
    // Priced as checkout prices it: the code, and automatic discounts whose functions run now.
    const quote = await this.shop.quote(this.customerNumericId(ctx), ctx.cart.lines, ctx.cart.code);
    const subtotal = quote.subtotal;
    const check = quote.code;
    const codeDiscount =
      check?.ok && !check.discount.freeShipping
        ? toMinorUnits(check.discount.amount, currency)
        : 0n;
    const shipping = toMinorUnits(quote.shipping, currency);
    const total = toMinorUnits(quote.total, currency);
    const customerId = this.customerNumericId(ctx);
    // Shopify offers store credit only to a signed-in buyer who has some, in the payment step.
    const credit = customerId
      ? this.shop.checkStoreCredit(customerId, fromMinorUnits(total, currency))
      : null;
    const applied = credit?.ok && !ctx.cart.storeCreditOff ? credit : null;
    const l = (target: string) => this.local(ctx.root, target);
    return this.layout(ctx, {
      title: "Checkout",
      pageType: "checkout",
      body: html` <h1>Checkout</h1>
        <div class="checkout">
          <div class="stack">
            <section aria-labelledby="contact-title">
              <h2 id="contact-title">Contact</h2>
              ${
                ctx.customer
                  ? html`<p>${customerName(ctx.customer)} · ${ctx.customer.email ?? "no email"}</p>`
                  : html`<p>
                      Checking out as a guest. <a href="${l("/account/login")}">Sign in</a> to earn
                      points and use rewards.
                    </p>`
              }
            </section>
            <section aria-labelledby="discount-title">
              <h2 id="discount-title">Discount code</h2>
              <form class="form-row" method="post" action="${l("/checkout/discount")}">
                <div class="field">
                  <label for="discount-code">Discount code or gift card</label
                  ><input
                    id="discount-code"
                    name="code"
                    autocomplete="off"
                    value="${ctx.cart.code ?? ""}"
                  />
                </div>
                <p><button class="btn btn-secondary" type="submit">Apply</button></p>
              </form>
              ${
                check && !check.ok
                  ? html`<p class="error" role="alert" data-rejection="${check.reason}">
                      ${checkoutMessage(check.reason, ctx.cart.code ?? "")}
                    </p>`
                  : ""
              }
              ${
                check?.ok
                  ? html`<p class="notice" role="status">
                      Discount
                      <strong>${check.discount.code}</strong>
                      applied${check.discount.freeShipping ? " (free shipping)" : ""}.
                    </p>`
                  : ""
              }
            </section>
            <section aria-labelledby="payment-title">
              <h2 id="payment-title">Payment</h2>
              ${
                credit?.ok
                  ? html`<form
                      class="form-row"
                      method="post"
                      action="${l("/checkout/store-credit")}"
                    >
                      <div class="field checkbox">
                        <input
                          id="store-credit"
                          name="apply"
                          type="checkbox"
                          ${applied ? raw("checked") : ""}
                        /><label for="store-credit"
                          >Apply store credit (${this.money(credit.available, ctx.lang)}
                          available)</label
                        >
                      </div>
                      <p>
                        <button class="btn btn-secondary" type="submit">
                          Update <span class="visually-hidden">store credit</span>
                        </button>
                      </p>
                    </form>`
                  : ""
              }
              <form method="post" action="${l("/checkout/pay")}">
                <p class="muted">
                  ${
                    applied && applied.remaining !== fromMinorUnits(0n, currency)
                      ? `Your store credit pays ${this.money(applied.amount, ctx.lang)}; the rest is paid with Shopify's Bogus Gateway (simulated), at once.`
                      : applied
                        ? "Your store credit pays the whole order."
                        : "Payment is simulated (Shopify's Bogus Gateway): the order is paid at once."
                  }
                </p>
                <button class="btn" type="submit">Pay now</button>
              </form>
            </section>
          </div>
          <section aria-labelledby="summary-title">
            <h2 id="summary-title">Order summary</h2>
            <table>
              <caption class="visually-hidden">
                Items
              </caption>
              <thead>
                <tr>
                  <th scope="col">Product</th>
                  <th scope="col">Quantity</th>
                  <th scope="col">Total</th>
                </tr>
              </thead>
              <tbody>
                ${this.lineRows(ctx, false)}
              </tbody>
            </table>
            <div class="totals">
              <div><span>Subtotal</span><span>${this.money(subtotal, ctx.lang)}</span></div>
              ${codeDiscount > 0n ? html`<div><span>Discount (${check?.ok ? check.discount.code : ""})</span><span>−${this.money(codeDiscount, ctx.lang)}</span></div>` : ""}
              ${quote.automatic.map((a) => html`<div data-automatic-discount="${a.discountId}"><span>${a.message ?? a.title}</span><span>−${this.money(a.amount, ctx.lang)}</span></div>`)}
              <div>
                <span>Shipping</span
                ><span>${shipping === 0n ? "Free" : this.money(shipping, ctx.lang)}</span>
              </div>
              <div class="grand"><span>Total</span><span>${this.money(total, ctx.lang)}</span></div>
              ${
                applied
                  ? html`<div>
                        <span>Store credit</span
                        ><span>−${this.money(applied.amount, ctx.lang)}</span>
                      </div>
                      <div class="grand">
                        <span>To pay</span><span>${this.money(applied.remaining, ctx.lang)}</span>
                      </div>`
                  : ""
              }
            </div>
          </section>
        </div>`,
    });
  }

  private async checkoutDiscount(ctx: PageContext) {
    const form = await formFields(ctx.request);
    const code = (form.code ?? "").trim().toUpperCase();
    ctx.cart.code = code || null;
    return redirect(this.local(ctx.root, "/checkout"));
  }

  private async checkoutStoreCredit(ctx: PageContext) {
    const form = await formFields(ctx.request);
    ctx.cart.storeCreditOff = form.apply !== "on";
    return redirect(this.local(ctx.root, "/checkout"));
  }

  private async pay(ctx: PageContext) {
    if (!ctx.cart.lines.length) return redirect(this.local(ctx.root, "/cart"));
    const customerId = this.customerNumericId(ctx);
    // A code that gave way to a better automatic discount is left off, as checkout leaves it off.
    const quote = ctx.cart.code
      ? await this.shop.quote(customerId, ctx.cart.lines, ctx.cart.code)
      : null;
    const { order } = await this.shop.placeOrder({
      customerId,
      lines: ctx.cart.lines,
      code:
        quote?.code?.ok === false && quote.code.reason === "NOT_COMBINABLE" ? null : ctx.cart.code,
      storeCredit:
        customerId !== null &&
        !ctx.cart.storeCreditOff &&
        toMinorUnits(this.shop.storeCreditBalance(customerId), this.shop.currency) > 0n,
    });
    ctx.cart.lines = [];
    ctx.cart.code = null;
    delete ctx.cart.storeCreditOff;
    return redirect(this.local(ctx.root, `/checkout/thank-you/${order.id}`));
  }

  private async thankYou(ctx: PageContext, orderId: string) {
    const order = this.shop.order(orderId);
    const payload = this.shop.orderPayload(order);
    return this.layout(ctx, {
      title: `Order ${order.name}`,
      pageType: "checkout",
      body: html` <h1>Thank you${ctx.customer?.firstName ? `, ${ctx.customer.firstName}` : ""}!</h1>
        <p>Your order <strong>${order.name}</strong> is confirmed and paid.</p>
        <div class="totals">
          <div>
            <span>Subtotal</span><span>${this.money(payload.subtotal_price, ctx.lang)}</span>
          </div>
          ${order.discount ? html`<div><span>Discount (${order.discount.code})</span><span>−${this.money(order.discount.amount, ctx.lang)}</span></div>` : ""}
          ${(order.automaticDiscounts ?? []).map((a) => html`<div><span>${a.message}</span><span>−${this.money(a.amount, ctx.lang)}</span></div>`)}
          <div class="grand">
            <span>Total paid</span><span>${this.money(payload.total_price, ctx.lang)}</span>
          </div>
          ${order.storeCredit ? html`<div><span>Paid with store credit</span><span>${this.money(order.storeCredit.amount, ctx.lang)}</span></div>` : ""}
        </div>
        <p><a href="${ctx.root}">Continue shopping</a></p>`,
    });
  }

  private async account(ctx: PageContext) {
    if (!ctx.customer) return redirect(this.local(ctx.root, "/account/login"));
    const balance = await this.block(ctx, "points-balance", "customers/account");
    const id = this.customerNumericId(ctx);
    const orders = this.shop.orders.filter((o) => o.customerId === id).reverse();
    return this.layout(ctx, {
      title: "Account",
      pageType: "customers/account",
      blocks: ["points-balance"],
      body: html` <h1>Account</h1>
        <p>${customerName(ctx.customer)} · ${ctx.customer.email ?? ""}</p>
        <form method="post" action="${this.local(ctx.root, "/account/logout")}">
          <button class="link-button" type="submit">Sign out</button>
        </form>
        <section class="section">${raw(balance)}</section>
        <section class="section" aria-labelledby="orders-title">
          <h2 id="orders-title">Order history</h2>
          ${
            orders.length
              ? html`<table>
                  <thead>
                    <tr>
                      <th scope="col">Order</th>
                      <th scope="col">Date</th>
                      <th scope="col">Status</th>
                      <th scope="col">Total</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${orders.map(
                      (o) =>
                        html`<tr>
                          <td>${o.name}</td>
                          <td>${new Date(o.createdAt).toLocaleDateString(ctx.lang)}</td>
                          <td>
                            ${o.cancelledAt ? "Cancelled" : o.financialStatus.replace("_", " ")}
                          </td>
                          <td>${this.money(this.shop.orderPayload(o).total_price, ctx.lang)}</td>
                        </tr>`,
                    )}
                  </tbody>
                </table>`
              : html`<p>You haven't placed any orders yet.</p>`
          }
        </section>`,
    });
  }

  private async login(ctx: PageContext) {
    const customers = this.shop.customers();
    return this.layout(ctx, {
      title: "Sign in",
      pageType: "customers/login",
      body: html` <h1>Sign in</h1>
        <p>The sandbox signs you in as any customer of the demo shop, without a password.</p>
        <form class="stack" method="post" action="${this.local(ctx.root, "/account/login")}">
          <div class="field">
            <label for="login-customer">Customer</label>
            <select id="login-customer" name="customerId">
              ${customers.map(
                (c) =>
                  html`<option value="${parseGid(c.id)?.id ?? ""}">
                    ${customerName(c)}${c.email ? ` (${c.email})` : ""}
                  </option>`,
              )}
            </select>
          </div>
          <input type="hidden" name="return_to" value="${this.local(ctx.root, "/account")}" />
          <p><button class="btn" type="submit">Sign in</button></p>
        </form>
        <p><a href="${this.local(ctx.root, "/account/register")}">Create an account</a></p>`,
    });
  }

  private async loginAs(ctx: PageContext) {
    const form = await formFields(ctx.request);
    const customer = this.shop.customer(form.customerId || null);
    ctx.setCookies.push(
      customer
        ? cookie(CUSTOMER_COOKIE, parseGid(customer.id)?.id ?? "")
        : cookie(CUSTOMER_COOKIE, "", 0),
    );
    const back = form.return_to?.startsWith("/") ? form.return_to : ctx.root;
    return redirect(back);
  }

  private async register(ctx: PageContext) {
    return this.layout(ctx, {
      title: "Create account",
      pageType: "customers/register",
      body: html` <h1>Create account</h1>
        <form class="stack" method="post" action="${this.local(ctx.root, "/account/register")}">
          <div class="field">
            <label for="first-name">First name</label
            ><input id="first-name" name="firstName" autocomplete="given-name" />
          </div>
          <div class="field">
            <label for="last-name">Last name</label
            ><input id="last-name" name="lastName" autocomplete="family-name" />
          </div>
          <div class="field">
            <label for="email">Email</label
            ><input id="email" name="email" type="email" required autocomplete="email" />
          </div>
          <p><button class="btn" type="submit">Create</button></p>
        </form>`,
    });
  }

  private async registerCustomer(ctx: PageContext) {
    const form = await formFields(ctx.request);
    if (!form.email?.includes("@")) throw new ShopError("Enter a valid email address");
    const { customer } = await this.shop.createCustomer({
      firstName: form.firstName,
      lastName: form.lastName,
      email: form.email,
    });
    ctx.setCookies.push(cookie(CUSTOMER_COOKIE, parseGid(customer.id)?.id ?? ""));
    return redirect(this.local(ctx.root, "/account"));
  }
}
