// The whole system in a browser: the merchant configures the app inside the (sandbox) Shopify
// admin, Shopify sends a paid order, the shopper sees the points in the storefront widget,
// redeems them, and uses the code at checkout; the app marks the reward used and the merchant's
// dashboard moves. Every step crosses the same boundaries it crosses on Shopify: session tokens
// and App Bridge in the admin, signed webhooks, the signed app proxy, the Admin API.
import type { BrowserContext, FrameLocator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { describeViolations, poll, newContext, seriousViolations, e2eSession } from "./harness";

const SHOP = "demo-shop.myshopify.com";
const SHOPPER = "ada@example.com";

const session = e2eSession({ members: 50 });

const appFrame = (page: Page): FrameLocator => page.frameLocator('iframe[title="Loyalty"]');

/** Opens the app in the sandbox admin, then one of its pages from the admin's app menu. */
async function openApp(page: Page, menuItem?: string) {
  await page.goto(session.demo.adminUrl);
  // The app's menu appears once App Bridge in the iframe has sent it to the admin.
  await poll(() => page.locator("#app-nav a").count()).toBeGreaterThan(0);
  if (menuItem)
    await page
      .getByRole("navigation", { name: "Admin" })
      .getByRole("link", { name: menuItem })
      .click();
}

async function signIn(context: BrowserContext, email: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${session.demo.storefrontUrl}account/login`);
  const select = page.getByLabel("Customer", { exact: true });
  await select.selectOption(
    (await select.locator("option", { hasText: `(${email})` }).getAttribute("value"))!,
  );
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL(/\/account$/);
  return page;
}

const points = (n: number) => `${n.toLocaleString("en-US")} ${n === 1 ? "point" : "points"}`;

const FIGURES = ["Issued", "Redeemed", "Orders from members", "Orders that used a reward"] as const;
type Figures = Record<(typeof FIGURES)[number], number>;

/** The dashboard's headline figures, read the way a merchant reads them: label, then number. */
async function dashboardFigures(page: Page): Promise<Figures> {
  await openApp(page);
  const app = appFrame(page);
  const figures = {} as Figures;
  for (const label of FIGURES) {
    const value = app
      .getByRole("heading", { name: label, exact: true })
      .locator("xpath=following-sibling::*[1]");
    figures[label] = Number((await value.textContent())!.replace(/[^\d]/g, ""));
  }
  return figures;
}

describe("the loyalty journey, end to end", { timeout: 150_000 }, () => {
  it("earn rate and reward set in the admin → paid order → points in the widget → redeem → checkout → reward used → dashboard", async () => {
    const merchant = await newContext(session.browser);
    const admin = await merchant.newPage();

    // 0. What the dashboard says before anything happens.
    const before = await dashboardFigures(admin);

    // 1. The merchant opens the app in the admin and changes the earn rate: 2 points per $1.
    await admin
      .getByRole("navigation", { name: "Admin" })
      .getByRole("link", { name: "Program settings" })
      .click();
    const settings = appFrame(admin);
    await settings.getByLabel("Points earned").fill("2");
    // The admin draws App Bridge's save bar outside the app's iframe, as Shopify admin does.
    const saveBar = admin.getByRole("region", { name: "Unsaved changes" });
    await saveBar.getByRole("button", { name: "Save" }).click();
    await poll(() => admin.locator("#toasts").innerText()).toContain("Program saved");
    await poll(
      async () =>
        (await session.db.program.findUniqueOrThrow({ where: { shop: SHOP } })).earnPoints,
    ).toBe(2);
    // …and the storefront copy of the program (an app-data metafield) was published through the Admin API.
    const metafields = await session.demo.api<{
      metafields: Array<{ namespace: string; key: string; value: string }>;
    }>("/state");
    const program = metafields.metafields.find(
      (m) => m.namespace === "loyalty" && m.key === "program",
    );
    expect(JSON.parse(program!.value)).toMatchObject({ earnPoints: 2 });

    // 2. …and creates a reward.
    await openApp(admin, "Rewards");
    await appFrame(admin).getByRole("link", { name: "Create reward" }).first().click();
    const form = appFrame(admin);
    await form.getByLabel("Reward name").fill("$8 off your next order");
    await form.getByLabel("Amount off (USD)").fill("8.00");
    await form.getByLabel("Points cost").fill("400");
    await admin
      .getByRole("region", { name: "Unsaved changes" })
      .getByRole("button", { name: "Save" })
      .click();
    await poll(() =>
      session.db.reward.findFirst({ where: { shop: SHOP, name: "$8 off your next order" } }),
    ).toMatchObject({ type: "FIXED_AMOUNT", amount: "8.00", pointsCost: 400, enabled: true });
    const reward = await session.db.reward.findFirstOrThrow({
      where: { shop: SHOP, name: "$8 off your next order" },
    });

    // 3. An order is paid: the merchant takes a phone order in the admin; Shopify sends orders/paid.
    const shopper = await session.db.member.findFirstOrThrow({
      where: { shop: SHOP, email: SHOPPER },
      include: { tier: true },
    });
    await admin.goto(`${session.demo.url}/admin/orders`);
    const orderForm = admin.getByRole("region", { name: "Create order" });
    await orderForm.getByLabel("Customer").selectOption(shopper.customerId);
    await orderForm.getByLabel("Product").selectOption({ label: "Waxed Jacket – $189.00" });
    await orderForm.getByRole("button", { name: "Create order" }).click();
    await poll(() => admin.getByRole("status").first().innerText()).toMatch(
      /created and paid; orders\/paid → 200/,
    );
    const paid = await session.db.orderRecord.findFirstOrThrow({
      where: { shop: SHOP, customerId: shopper.customerId },
      orderBy: { paidAt: "desc" },
    });
    // The new rate applies: 2 points per $1 on $189, times the shopper's tier multiplier, rounded down.
    expect(paid.earnedPoints).toBe(
      Math.floor((189 * 2 * (shopper.tier?.multiplierPercent ?? 100)) / 100),
    );
    const balance = shopper.balance + paid.earnedPoints;

    // The app explains the order, and its shopify://admin link opens the order in the admin.
    await admin.goto(`${session.demo.url}/store/demo-shop/apps/loyalty/app/orders/${paid.orderId}`);
    await appFrame(admin).getByRole("link", { name: "Open order in Shopify" }).click();
    await admin.waitForURL(new RegExp(`/admin/orders#order-${paid.orderId}$`));

    // 4. The shopper sees the points in the storefront widget (signed app proxy → the app).
    const shopperContext = await newContext(session.browser);
    const store = await signIn(shopperContext, SHOPPER);
    await store.goto(session.demo.storefrontUrl);
    await store.getByRole("button", { name: "Rewards" }).click();
    const panel = store.getByRole("dialog", { name: "Rewards" });
    await poll(() => panel.locator("[data-lw-f=points]").textContent()).toBe(points(balance));

    // 5. …redeems the new reward…
    await panel.getByRole("button", { name: `Redeem ${reward.name}` }).click();
    const codeBox = panel.getByRole("textbox", { name: "Your discount code" });
    await poll(() => codeBox.inputValue()).toMatch(/^LOYAL-/);
    const code = await codeBox.inputValue();
    await poll(() => panel.locator("[data-lw-f=points]").textContent()).toBe(points(balance - 400));

    // 6. …and the code is accepted at checkout (customer, usage limit, dates checked by the simulation).
    await panel.getByRole("link", { name: "Apply to cart" }).click();
    await store.waitForURL(/\/cart$/);
    await store.goto(`${session.demo.storefrontUrl}products/canvas-tote`);
    await store.getByRole("button", { name: "Add to cart" }).click();
    await store.getByRole("link", { name: "Check out" }).click();
    await poll(() => store.getByRole("status").first().innerText()).toContain(
      `Discount ${code} applied`,
    );
    expect(await store.getByText("Discount (", { exact: false }).innerText()).toContain(code);
    await store.getByRole("button", { name: "Pay now" }).click();
    await store.waitForURL(/thank-you/);
    expect(await store.locator("main").innerText()).toMatch(/Total paid\s*\$25\.00/);

    // 7. The paid order carried the code (discount_codes) and the app marked the reward used.
    await poll(() =>
      session.db.redemption.findFirst({ where: { shop: SHOP, code } }),
    ).toMatchObject({
      status: "USED",
      rewardId: reward.id,
      customerId: shopper.customerId,
    });
    const state = await session.demo.api<{
      discounts: Array<{ code: string; usageCount: number }>;
      webhooks: { deliveries: Array<{ topic: string; status: number | null }> };
    }>("/state");
    expect(state.discounts.find((d) => d.code === code)?.usageCount).toBe(1);
    expect(state.webhooks.deliveries.filter((d) => d.status !== 200)).toEqual([]);

    // A single-use code cannot be used twice.
    await store.goto(`${session.demo.storefrontUrl}products/trail-mug`);
    await store.getByRole("button", { name: "Add to cart" }).click();
    await store.goto(`${session.demo.storefrontUrl}checkout`);
    await store.getByLabel("Discount code or gift card").fill(code);
    await store.getByRole("button", { name: "Apply" }).click();
    await poll(() => store.getByRole("alert").innerText()).toContain("isn’t available");

    // 8. The dashboard numbers move: both orders' points issued, the reward's points redeemed,
    //    two more member orders, one of them with a reward.
    const second = await session.db.orderRecord.findFirstOrThrow({
      where: { shop: SHOP, customerId: shopper.customerId },
      orderBy: { paidAt: "desc" },
    });
    expect(second.discountCodes).toContain(code);
    const after = await dashboardFigures(admin);
    expect(after).toEqual({
      Issued: before.Issued + paid.earnedPoints + second.earnedPoints,
      Redeemed: before.Redeemed + 400,
      "Orders from members": before["Orders from members"] + 2,
      "Orders that used a reward": before["Orders that used a reward"] + 1,
    });

    // 9. The ledger still adds up for every member after all of this.
    const members = await session.db.member.findMany({ where: { shop: SHOP } });
    for (const m of members) {
      const sum = await session.db.ledgerEntry.aggregate({
        where: { memberId: m.id },
        _sum: { points: true },
      });
      expect(sum._sum.points ?? 0, m.email ?? m.id).toBe(m.balance);
    }

    await shopperContext.close();
    await merchant.close();
  });

  it("admin pages have no serious accessibility violations", async () => {
    const context = await newContext(session.browser);
    const page = await context.newPage();
    await openApp(page);
    const menu = page.locator("#app-nav a");
    await poll(() => menu.count()).toBeGreaterThan(0);
    // The app's own menu (ui-nav-menu), as the admin shows it, plus its home page.
    const items = [{ name: "Loyalty", href: "/app" }];
    for (const link of await menu.all()) {
      const href = (await link.getAttribute("href"))!.replace(/^\/store\/[^/]+\/apps\/[^/]+/, "");
      items.push({ name: (await link.textContent())!.trim(), href });
    }
    const failures: Record<string, unknown> = {};
    const frame = () => page.frames().find((f) => f.url().startsWith(session.demo.appUrl));
    let heading: string | null = null;
    for (const item of items) {
      await page
        .getByRole("navigation", { name: "Admin" })
        .getByRole("link", { name: item.name, exact: true })
        .click();
      await poll(() => (frame() ? new URL(frame()!.url()).pathname : null)).toBe(item.href);
      // Client-side navigation: wait until the new page has replaced the old one.
      const previous = heading;
      await poll(
        async () =>
          (heading = await frame()!
            .locator("h1")
            .first()
            .textContent()
            .catch(() => null)),
      ).not.toBe(previous);
      await frame()!.waitForLoadState("networkidle");
      await page.waitForTimeout(250);
      const violations = await seriousViolations(frame()!);
      if (violations.length) failures[item.name] = describeViolations(violations);
    }

    // Pages reached from those: a new reward, a reward, a member, an order's explanation.
    const reward = await session.db.reward.findFirstOrThrow({ where: { shop: SHOP } });
    const member = await session.db.member.findFirstOrThrow({
      where: { shop: SHOP, email: SHOPPER },
    });
    const order = await session.db.orderRecord.findFirstOrThrow({
      where: { shop: SHOP, status: "EARNED" },
    });
    const deeper = [
      "/app/rewards/new",
      `/app/rewards/${reward.id}`,
      `/app/members/${member.id}`,
      `/app/orders/${order.orderId}`,
    ];
    for (const path of deeper) {
      // The admin URL carries the app's path, as admin.shopify.com/store/…/apps/loyalty/… does.
      await page.goto(`${session.demo.url}/store/demo-shop/apps/loyalty${path}`);
      await poll(() => (frame() ? new URL(frame()!.url()).pathname : null)).toBe(path);
      await frame()!.locator("h1").first().waitFor();
      await frame()!.waitForLoadState("networkidle");
      const violations = await seriousViolations(frame()!);
      if (violations.length) failures[path] = describeViolations(violations);
    }
    expect(failures).toEqual({});
    await context.close();
  });
});
