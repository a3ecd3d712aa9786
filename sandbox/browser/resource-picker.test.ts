// The admin's resource picker as an embedded app meets it in Chromium: the app calls
// shopify.resourcePicker in its iframe (the sandbox's App Bridge), the admin page draws the dialog
// outside the frame and answers with App Bridge's resource shapes. The app here is a bare page;
// test/e2e drives the real app through the same picker.
import type { Browser, BrowserContext, Frame, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { handleApi, type ApiContext } from "../api";
import { APP_BRIDGE_SANDBOX_PATH } from "../app-server";
import { launchBrowser, newContext } from "../chromium";
import { readAppConfig } from "../config";
import type { FlowRunner } from "../flow";
import { listen, type RunningServer } from "../http";
import { AdminPages } from "../pages/admin";
import { Shop, adminCatalog } from "../shop";
import { createAdminApi } from "../shopify";
import { WebhookSender } from "../webhooks";
import { browserScript } from "./build";

const SECRET = "picker-test-secret";
const BROWN = "gid://shopify/ProductVariant/4400000000060";
const BLACK = "gid://shopify/ProductVariant/4400000000061";

let browser: Browser;
let admin: RunningServer;
let app: RunningServer;
let context: BrowserContext;
let page: Page;
let frame: Frame;

const script = async (name: "app-bridge" | "admin-host") =>
  new Response(await browserScript(name), {
    headers: { "content-type": "text/javascript; charset=utf-8" },
  });

beforeAll(async () => {
  const api = createAdminApi({ shop: "demo-shop.myshopify.com", ...adminCatalog() });
  const config = readAppConfig();
  const webhooks = new WebhookSender({
    appUrl: "http://127.0.0.1:9",
    shop: api.shopDomain,
    secret: SECRET,
    apiVersion: "2026-10",
    subscriptions: [],
  });
  const ctx: ApiContext = {
    api,
    shop: new Shop(api, webhooks),
    webhooks,
    flow: {} as FlowRunner,
    sessionToken: () => "unused",
  };
  // The app: any path is a page that loads App Bridge from the admin, as the real app's does.
  app = await listen(0);
  admin = await listen(0);
  app.setHandler(
    () =>
      new Response(
        `<!doctype html><html lang="en"><head><title>App</title>` +
          `<script src="${admin.url}${APP_BRIDGE_SANDBOX_PATH}" data-api-key="${config.clientId}"></script>` +
          `</head><body><h1>Picker test app</h1></body></html>`,
        { headers: { "content-type": "text/html; charset=utf-8" } },
      ),
  );
  const pages = new AdminPages({
    ...ctx,
    app: config,
    appUrl: app.url,
    storefrontUrl: `${admin.url}/`,
    secret: SECRET,
  });
  admin.setHandler(async (request) => {
    const { pathname } = new URL(request.url);
    if (pathname === APP_BRIDGE_SANDBOX_PATH) return script("app-bridge");
    if (pathname === "/sandbox/assets/admin-host.js") return script("admin-host");
    return (
      (await handleApi(request, ctx)) ??
      (await pages.handle(request)) ??
      new Response("Not found", { status: 404 })
    );
  });
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([admin?.close(), app?.close()]);
});

beforeEach(async () => {
  context = await newContext(browser);
  page = await context.newPage();
  await page.goto(`${admin.url}/admin`);
  await page.frameLocator("iframe.app-frame").locator("h1").waitFor();
  frame = page.frames().find((f) => f.url().startsWith(app.url))!;
  return () => context.close();
});

/** Opens the picker from inside the app; resolves with its answer, as plain JSON. */
function pick(options: Record<string, unknown>) {
  return frame.evaluate(async (opts) => {
    const shopify = (window as unknown as { shopify: { resourcePicker(o: unknown): unknown } })
      .shopify;
    const result = (await shopify.resourcePicker(opts)) as
      (unknown[] & { selection: unknown[] }) | undefined;
    return result === undefined
      ? "cancelled"
      : { items: [...result], selection: result.selection, isArray: Array.isArray(result) };
  }, options);
}

describe("shopify.resourcePicker({ type: 'variant' })", { timeout: 60_000 }, () => {
  it("lists the shop's variants by name and answers with App Bridge's ProductVariant", async () => {
    const answer = pick({ type: "variant", action: "select", multiple: 1 });
    const dialog = page.getByRole("dialog", { name: "Select variants" });
    await dialog.waitFor();
    // A product without options is listed by its title; the others by their display names.
    expect(
      (await dialog.getByRole("listitem").allInnerTexts()).map((t) => t.trim()).slice(0, 7),
    ).toEqual([
      "Canvas Tote",
      "Merino Beanie",
      "Trail Mug",
      "Waxed Jacket",
      "Wool Socks (3-pack)",
      "Leather Wallet - Brown",
      "Leather Wallet - Black",
    ]);
    await dialog.getByLabel("Leather Wallet - Brown").check();
    await dialog.getByRole("button", { name: "Select" }).click();
    const brown = {
      id: BROWN,
      title: "Brown",
      displayName: "Leather Wallet - Brown",
      price: "45.99",
      compareAtPrice: null,
      sku: "SKU-4400000000060",
      barcode: null,
      availableForSale: true,
      position: 1,
      taxable: true,
      requiresShipping: true,
      selectedOptions: [{ value: "Brown" }],
      image: null,
      product: {
        id: "gid://shopify/Product/8800000000006",
        title: "Leather Wallet",
        handle: "leather-wallet",
      },
    };
    expect(await answer).toEqual({ items: [brown], selection: [brown], isArray: true });
  });

  it("ticks the app's current choice, keeps the limit, and answers nothing when cancelled", async () => {
    const answer = pick({
      type: "variant",
      action: "add",
      multiple: 1,
      selectionIds: [{ id: BLACK }],
    });
    const dialog = page.getByRole("dialog", { name: "Add variants" });
    expect(await dialog.getByLabel("Leather Wallet - Black").isChecked()).toBe(true);
    expect(await dialog.getByLabel("Leather Wallet - Brown").isChecked()).toBe(false);
    // One at most: ticking another variant unticks the first.
    await dialog.getByLabel("Leather Wallet - Brown").check();
    expect(await dialog.getByLabel("Leather Wallet - Black").isChecked()).toBe(false);
    await dialog.getByRole("button", { name: "Cancel" }).click();
    expect(await answer).toBe("cancelled");

    const several = pick({ type: "variant", multiple: true, selectionIds: [{ id: BLACK }] });
    const again = page.getByRole("dialog", { name: "Add variants" });
    await again.getByLabel("Canvas Tote").check();
    await again.getByRole("button", { name: "Select" }).click();
    const result = (await several) as { items: Array<{ id: string; displayName: string }> };
    expect(result.items.map((v) => [v.id, v.displayName])).toEqual([
      [BLACK, "Leather Wallet - Black"],
      ["gid://shopify/ProductVariant/4400000000010", "Canvas Tote - Default Title"],
    ]);
  });

  it("still picks products and collections as before", async () => {
    const products = pick({ type: "product", action: "select", multiple: 2 });
    const dialog = page.getByRole("dialog", { name: "Select products" });
    await dialog.getByLabel("Leather Wallet").check();
    await dialog.getByRole("button", { name: "Select" }).click();
    expect(await products).toMatchObject({
      items: [
        {
          id: "gid://shopify/Product/8800000000006",
          title: "Leather Wallet",
          handle: "leather-wallet",
        },
      ],
    });
    const collections = pick({ type: "collection", action: "select", multiple: 1 });
    const list = page.getByRole("dialog", { name: "Select collections" });
    await list.getByLabel("Outdoor").check();
    await list.getByRole("button", { name: "Select" }).click();
    expect(await collections).toMatchObject({
      items: [{ id: "gid://shopify/Collection/9900000000001", title: "Outdoor", productsCount: 3 }],
    });
  });
});
