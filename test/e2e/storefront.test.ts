// The storefront widget in a real browser, against the app's real proxy routes reached through
// the sandbox's signed app-proxy forwarding: open the panel, see the points, redeem, get the code
// — with a pointer and with the keyboard alone — and no serious accessibility violations.
import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import {
  describeViolations,
  poll,
  newContext,
  seriousViolations,
  e2eSession,
  tabTo,
} from "./harness";
import { CRON_SECRET } from "../../sandbox/start";

const SHOP = "demo-shop.myshopify.com";

const session = e2eSession({ members: 12 });

async function signedInAs(email: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newContext(session.browser);
  const page = await context.newPage();
  await page.goto(`${session.demo.storefrontUrl}account/login`);
  const select = page.getByLabel("Customer", { exact: true });
  const value = await select.locator("option", { hasText: `(${email})` }).getAttribute("value");
  await select.selectOption(value!);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL(/\/account$/);
  return { context, page };
}

async function member(email: string) {
  return session.db.member.findFirstOrThrow({ where: { shop: SHOP, email } });
}

/**
 * Redeems the reward in the panel, and waits for its code there: this redemption's, not one the
 * panel may still show from an earlier one. Returns the code and the reward's item in the panel.
 */
async function redeemInPanel(page: Page, reward: { id: string; name: string }) {
  await page.goto(session.demo.storefrontUrl);
  await page.getByRole("button", { name: "Rewards" }).click();
  const panel = page.getByRole("dialog", { name: "Rewards" });
  await panel.getByRole("button", { name: `Redeem ${reward.name}` }).click();
  const redemption = () =>
    session.db.redemption.findFirst({ where: { shop: SHOP, rewardId: reward.id } });
  await poll(() => redemption().then((r) => r?.code ?? null)).toMatch(/^LOYAL-/);
  const code = (await redemption())!.code!;
  const item = panel.getByRole("listitem").filter({ hasText: reward.name });
  await poll(() => item.getByRole("textbox", { name: "Your discount code" }).inputValue()).toBe(
    code,
  );
  return { code, item };
}

/** Pays at the sandbox checkout, and waits for the app to mark the code's reward used. */
async function payAndSeeUsed(page: Page, code: string) {
  await page.getByRole("button", { name: "Pay now" }).click();
  await page.waitForURL(/thank-you/);
  await poll(() =>
    session.db.redemption.findFirst({ where: { shop: SHOP, code } }).then((r) => r?.status ?? null),
  ).toBe("USED");
}

/** What the widget prints for a balance: "1,234 points". */
const points = (n: number) => `${n.toLocaleString("en-US")} ${n === 1 ? "point" : "points"}`;

describe("storefront widget through the app proxy", { timeout: 90_000 }, () => {
  it("shows a signed-in shopper's points and redeems a reward for a code", async () => {
    const before = await member("ada@example.com");
    const { context, page } = await signedInAs("ada@example.com");
    const proxied: Array<{ url: string; status: number }> = [];
    page.on("response", (r) => {
      if (r.url().includes("/apps/loyalty/")) proxied.push({ url: r.url(), status: r.status() });
    });

    await page.goto(session.demo.storefrontUrl);
    // The points-balance block asks the proxy on load; the launcher reuses that answer.
    await poll(() => page.locator(".lw-block [data-lw-f=points]").textContent()).toBe(
      points(before.balance),
    );
    await page.getByRole("button", { name: "Rewards" }).click();
    const panel = page.getByRole("dialog", { name: "Rewards" });
    await poll(() => panel.isVisible()).toBe(true);
    await poll(() => panel.locator("[data-lw-f=points]").textContent()).toBe(
      points(before.balance),
    );
    expect(await panel.locator("[data-lw-f=tier]").textContent()).toMatch(
      /^(Bronze|Silver|Gold) member$/,
    );

    await panel.getByRole("button", { name: "Redeem $5 off" }).click();
    const code = panel.getByRole("textbox", { name: "Your discount code" });
    await poll(() => code.inputValue()).toMatch(/^LOYAL-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    const value = await code.inputValue();
    await poll(() => panel.locator("[data-lw-f=points]").textContent()).toBe(
      points(before.balance - 500),
    );
    await poll(() => panel.locator("[data-lw-live]").textContent()).toContain(value);
    // The page's balance block follows the panel.
    expect(await page.locator(".lw-block [data-lw-f=points]").textContent()).toBe(
      points(before.balance - 500),
    );

    // Every proxied call was accepted (a bad signature would be 400), and the code is real:
    // created through the Admin API, for this customer only, once.
    expect(proxied.length).toBeGreaterThanOrEqual(2);
    expect(proxied.every((r) => r.status === 200)).toBe(true);
    const state = await session.demo.api<{
      discounts: Array<{ code: string; eligibility: unknown; usageLimit: number }>;
    }>("/state");
    const discount = state.discounts.find((d) => d.code === value);
    expect(discount).toMatchObject({
      eligibility: [`gid://shopify/Customer/${before.customerId}`],
      usageLimit: 1,
    });
    const after = await member("ada@example.com");
    expect(after.balance).toBe(before.balance - 500);

    // "Apply to cart" puts the code on this shopper's cart, as Shopify's /discount/CODE link does.
    await panel.getByRole("link", { name: "Apply to cart" }).click();
    await page.waitForURL(/\/cart$/);
    expect(
      await page.getByText(`Discount code ${value} will be applied at checkout.`).count(),
    ).toBe(1);
    await context.close();
  });

  it("redeems a reward off a collection, which checkout takes off that collection's products only", async () => {
    const reward = await session.db.reward.create({
      data: {
        shop: SHOP,
        name: "20% off Outdoor",
        type: "PERCENTAGE",
        percentage: 20,
        pointsCost: 1,
        collections: [{ id: "gid://shopify/Collection/9900000000001", title: "Outdoor" }],
      },
    });
    const { context, page } = await signedInAs("ada@example.com");
    const { code, item } = await redeemInPanel(page, reward);
    await item.getByRole("link", { name: "Apply to cart" }).click();
    await page.waitForURL(/\/cart$/);

    // A $28.00 tote (Accessories) and an $18.00 mug (Outdoor): 20% of the mug, $3.60.
    for (const product of ["canvas-tote", "trail-mug"]) {
      await page.goto(`${session.demo.storefrontUrl}products/${product}`);
      await page.getByRole("button", { name: "Add to cart" }).click();
    }
    await page.getByRole("link", { name: "Check out" }).click();
    await poll(() => page.getByRole("status").first().innerText()).toContain(
      `Discount ${code} applied`,
    );
    expect(await page.locator(".totals").innerText()).toMatch(/Discount \(.+\)\s+−\$3\.60/);
    await payAndSeeUsed(page, code);
    await session.db.reward.update({ where: { id: reward.id }, data: { enabled: false } });
    await context.close();
  });

  it("redeems a free product: the link puts one in the cart, and checkout makes one unit free", async () => {
    const reward = await session.db.reward.create({
      data: {
        shop: SHOP,
        name: "Free mug",
        type: "FREE_PRODUCT",
        pointsCost: 1,
        variant: { id: "gid://shopify/ProductVariant/4400000000030", title: "Trail Mug" },
      },
    });
    const { context, page } = await signedInAs("ada@example.com");
    const { code, item } = await redeemInPanel(page, reward);

    // The link applies the code and adds the mug: the cart holds it without a visit to its page.
    await item.getByRole("link", { name: "Apply to cart" }).click();
    await page.waitForURL(/\/cart$/);
    expect(await page.locator("main").innerText()).toContain("Trail Mug");
    // A second mug and a tote: one mug ($18.00) is free, the rest is paid.
    for (const product of ["trail-mug", "canvas-tote"]) {
      await page.goto(`${session.demo.storefrontUrl}products/${product}`);
      await page.getByRole("button", { name: "Add to cart" }).click();
    }
    await page.getByRole("link", { name: "Check out" }).click();
    await poll(() => page.getByRole("status").first().innerText()).toContain(
      `Discount ${code} applied`,
    );
    expect(await page.locator(".totals").innerText()).toMatch(/Discount \(.+\)\s+−\$18\.00/);
    expect(describeViolations(await seriousViolations(page))).toEqual([]);
    await payAndSeeUsed(page, code);
    await session.db.reward.update({ where: { id: reward.id }, data: { enabled: false } });
    await context.close();
  });

  it("turns points into store credit, which pays at checkout with no code", async () => {
    const reward = await session.db.reward.create({
      data: {
        shop: SHOP,
        name: "$10 store credit",
        type: "STORE_CREDIT",
        amount: "10.00",
        pointsCost: 1,
        codeLifetimeDays: 30,
      },
    });
    const ada = await member("ada@example.com");
    const creditOf = async () =>
      (
        await session.demo.api<{ accounts: Array<{ balance: string }> }>(
          `/customers/${ada.customerId}/store-credit`,
        )
      ).accounts[0]?.balance ?? "0.00";
    const before = Number(await creditOf());
    const { context, page } = await signedInAs("ada@example.com");
    await page.goto(session.demo.storefrontUrl);
    await page.getByRole("button", { name: "Rewards" }).click();
    const panel = page.getByRole("dialog", { name: "Rewards" });
    await panel.getByRole("button", { name: "Redeem $10 store credit" }).click();

    // No code to copy: the panel says where the credit went, and focus moves there.
    const item = panel.getByRole("listitem").filter({ hasText: "$10 store credit" });
    await poll(() => item.innerText()).toContain(
      "$10.00 store credit is on your account. It is applied at checkout when you are signed in.",
    );
    expect(await item.getByRole("textbox").count()).toBe(0);
    await poll(() => page.evaluate(() => document.activeElement?.textContent ?? "")).toContain(
      "store credit is on your account",
    );
    const redemption = await session.db.redemption.findFirstOrThrow({
      where: { shop: SHOP, rewardId: reward.id },
    });
    expect(redemption).toMatchObject({ status: "ISSUED" });
    expect(redemption.code).toMatch(/^CREDIT-/);
    expect(Number(await creditOf())).toBe(before + 10);
    // The reward can be redeemed again at once: credit is not held against it as a code is.
    await page.reload();
    await page.getByRole("button", { name: "Rewards" }).click();
    await poll(() =>
      panel.getByRole("button", { name: "Redeem $10 store credit" }).isVisible(),
    ).toBe(true);
    await page.keyboard.press("Escape");

    // An $18.00 mug and $5.00 shipping: the credit pays $10.00 of it.
    await page.goto(`${session.demo.storefrontUrl}products/trail-mug`);
    await page.getByRole("button", { name: "Add to cart" }).click();
    await page.goto(`${session.demo.storefrontUrl}checkout`);
    const apply = page.getByRole("checkbox", { name: /Apply store credit/ });
    expect(await apply.isChecked()).toBe(true);
    const totals = await page.locator(".totals").innerText();
    expect(totals).toMatch(/Store credit\s+−\$10\.00/);
    expect(describeViolations(await seriousViolations(page))).toEqual([]);
    await page.getByRole("button", { name: "Pay now" }).click();
    await page.waitForURL(/thank-you/);
    expect(await page.locator("main").innerText()).toMatch(/Paid with store credit\s+\$10\.00/);
    expect(Number(await creditOf())).toBe(before);
    await session.db.reward.update({ where: { id: reward.id }, data: { enabled: false } });
    await context.close();
  });

  it("works with the keyboard alone", async () => {
    const cheapest = await session.db.reward.findFirstOrThrow({
      where: { shop: SHOP, enabled: true, tierId: null },
      orderBy: { pointsCost: "asc" },
    });
    const shopper = await session.db.member.findFirstOrThrow({
      where: {
        shop: SHOP,
        balance: { gte: cheapest.pointsCost },
        email: { not: "ada@example.com" },
      },
      orderBy: { balance: "desc" },
    });
    const { context, page } = await signedInAs(shopper.email!);
    await page.goto(session.demo.storefrontUrl);

    const launcher = await tabTo(page, (el) => el.tag === "button" && el.text === "Rewards");
    expect(launcher.text).toBe("Rewards");
    await page.keyboard.press("Enter");
    const panel = page.getByRole("dialog", { name: "Rewards" });
    await poll(() => panel.isVisible()).toBe(true);
    // Focus starts on the close button, inside the modal panel.
    expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe(
      "Close",
    );
    await poll(() => panel.locator("[data-lw-f=points]").textContent()).toBe(
      points(shopper.balance),
    );

    await tabTo(page, (el) => el.tag === "button" && el.text === `Redeem ${cheapest.name}`, 40);
    await page.keyboard.press("Enter");
    // Focus moves to the new code, so a keyboard or screen-reader user lands on it.
    await poll(() =>
      page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value ?? ""),
    ).toMatch(/^LOYAL-/);
    await poll(() => panel.locator("[data-lw-f=points]").textContent()).toBe(
      points(shopper.balance - cheapest.pointsCost),
    );

    // Tab stays inside the modal: it never reaches the page behind it.
    for (let i = 0; i < 12; i += 1) {
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => !!document.activeElement?.closest("dialog"))).toBe(true);
    }
    await page.keyboard.press("Escape");
    await poll(() => panel.isVisible()).toBe(false);
    // The dialog's close event (which resets aria-expanded) fires a task after it hides.
    await poll(() =>
      page.getByRole("button", { name: "Rewards" }).getAttribute("aria-expanded"),
    ).toBe("false");
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe("Rewards");
    expect((await session.db.member.findUniqueOrThrow({ where: { id: shopper.id } })).balance).toBe(
      shopper.balance - cheapest.pointsCost,
    );
    await context.close();
  });

  it("has no serious accessibility violations with the panel open, signed in or not", async () => {
    const { context, page } = await signedInAs("ada@example.com");
    await page.goto(`${session.demo.storefrontUrl}products/leather-wallet`);
    await page.getByRole("button", { name: "Rewards" }).click();
    const panel = page.getByRole("dialog", { name: "Rewards" });
    await poll(() => panel.locator("[data-lw-f=points]").textContent()).toMatch(/points?$/);
    expect(describeViolations(await seriousViolations(page))).toEqual([]);

    const guest = await (await newContext(session.browser)).newPage();
    await guest.goto(session.demo.storefrontUrl);
    await guest.getByRole("button", { name: "Rewards" }).click();
    const guestPanel = guest.getByRole("dialog", { name: "Rewards" });
    await poll(() => guestPanel.getByRole("link", { name: "Join now" }).isVisible()).toBe(true);
    await poll(() => guestPanel.locator("[data-lw-list=rewards] li").count()).toBeGreaterThan(0);
    expect(describeViolations(await seriousViolations(guest))).toEqual([]);
    await guest.context().close();
    await context.close();
  });
  it("shows spend-based tier progress as money and says which tier a locked reward needs", async () => {
    await session.db.program.update({
      where: { shop: SHOP },
      data: { tierBasis: "AMOUNT_SPENT" },
    });
    // A tier no seeded shopper reaches, with a reward kept for it that costs a single point.
    const diamond = await session.db.tier.create({
      data: { shop: SHOP, name: "Diamond", threshold: 100_000_000, position: 9 },
    });
    await session.db.reward.create({
      data: {
        shop: SHOP,
        name: "Diamond gift",
        type: "FREE_SHIPPING",
        pointsCost: 1,
        tierId: diamond.id,
      },
    });

    const { context, page } = await signedInAs("ada@example.com");
    await page.goto(session.demo.storefrontUrl);
    await page.getByRole("button", { name: "Rewards" }).click();
    const panel = page.getByRole("dialog", { name: "Rewards" });
    await poll(() => panel.locator("[data-lw-f=next]").textContent()).toMatch(
      /^\$[\d,]+\.\d{2} to reach (Silver|Gold|Diamond)$/,
    );
    const locked = panel.locator("[data-lw-list=rewards] li", { hasText: "Diamond gift" });
    expect(await locked.textContent()).toContain("For Diamond members");
    expect(await locked.getByRole("button").count()).toBe(0);
    await context.close();
  });

  it("holds up no first paint: its stylesheet loads without blocking, the launcher appears styled", async () => {
    const context = await newContext(session.browser);
    const page = await context.newPage();
    await page.goto(`${session.demo.storefrontUrl}products/leather-wallet`);
    await page.waitForLoadState("load");
    // Chromium reports, per resource, whether it held up rendering.
    const sheets = await page.evaluate(() =>
      performance
        .getEntriesByType("resource")
        .filter((entry) => /\.css(\?|$)/.test(entry.name))
        .map((entry) => ({
          name: entry.name.split("/").pop()!.split("?")[0]!,
          status: (entry as PerformanceResourceTiming & { renderBlockingStatus: string })
            .renderBlockingStatus,
        })),
    );
    expect(sheets).toContainEqual({ name: "loyalty.css", status: "non-blocking" });
    expect(sheets.filter((sheet) => sheet.name.startsWith("loyalty"))).toHaveLength(1);
    // The in-page block is styled from its inline rules at first paint.
    expect(await page.locator(".lw-earn").evaluate((el) => getComputedStyle(el).display)).toBe(
      "flex",
    );
    const launcher = page.getByRole("button", { name: "Rewards" });
    await poll(() => launcher.evaluate((el) => getComputedStyle(el).visibility)).toBe("visible");
    expect(await launcher.evaluate((el) => getComputedStyle(el).position)).toBe("fixed");
    await context.close();
  });

  it("speaks the storefront's language and counts a member's tier on the product page", async () => {
    const shopper = await session.db.member.findFirstOrThrow({
      where: { shop: SHOP, email: { not: "ada@example.com" }, pendingPoints: 0 },
      orderBy: { balance: "desc" },
    });
    // An order whose points wait two weeks, so the panel has a release date to give.
    await session.db.program.update({ where: { shop: SHOP }, data: { pendingDays: 14 } });
    const { order } = await session.demo.api<{ order: { name: string } }>("/orders", {
      customerId: shopper.customerId,
      subtotal: "80.00",
    });
    await poll(async () => (await member(shopper.email!)).pendingPoints).toBeGreaterThan(0);
    // Granted a tier that doubles what every order earns.
    const double = await session.db.tier.create({
      data: {
        shop: SHOP,
        name: "Platin",
        threshold: 90_000_000,
        position: 8,
        multiplierPercent: 200,
      },
    });
    await session.db.member.update({ where: { id: shopper.id }, data: { tierId: double.id } });

    const { context, page } = await signedInAs(shopper.email!);
    await page.goto(`${session.demo.storefrontUrl}de/products/leather-wallet`);
    const block = page.locator("[data-lw-earn]");
    const attr = async (name: string) => Number(await block.getAttribute(name));
    const base = Math.floor(
      ((await attr("data-price")) * (await attr("data-earn"))) / (await attr("data-per")),
    );
    const doubled = Math.floor(
      ((await attr("data-price")) * (await attr("data-earn")) * 2) / (await attr("data-per")),
    );
    expect(doubled).toBeGreaterThan(base);
    // Liquid prints the base rate; the script, once it knows the member, their tier's.
    await poll(() => block.locator("[data-lw-f=points]").textContent()).toBe(
      `${doubled.toLocaleString("de")} Punkte`,
    );

    await page.locator("[data-lw=open]").click();
    const panel = page.getByRole("dialog", { name: "Prämien" });
    await poll(() => panel.locator("[data-lw-list=earn]").textContent()).toContain(
      "Bestellung aufgeben",
    );
    expect(await panel.locator("[data-lw-list=earn]").textContent()).toMatch(
      /\d Punkte? für je 1,00\s\$ Einkaufswert/,
    );
    expect(await panel.locator("[data-lw-list=history] li").first().textContent()).toContain(
      `Bestellung ${order.name}`,
    );
    const pending = (await member(shopper.email!)).pendingPoints;
    expect(await panel.locator("[data-lw-f=pending]").textContent()).toBe(
      `${pending.toLocaleString("de")} Punkte ausstehend`,
    );
    const releaseDay = new Date(Date.now() + 14 * 86_400_000).toLocaleDateString("de", {
      dateStyle: "medium",
    });
    expect(await panel.locator("[data-lw-f=release]").textContent()).toBe(
      `${pending.toLocaleString("de")} Punkte verfügbar ab ${releaseDay}`,
    );
    await context.close();
  });

  it("refers a friend: the member shares a link, the friend orders with the welcome code, the member's points arrive after the pending period", async () => {
    const offer = await session.db.reward.create({
      data: {
        shop: SHOP,
        name: "$10 off",
        type: "FIXED_AMOUNT",
        amount: "10.00",
        pointsCost: 1,
        enabled: false,
      },
    });
    await session.db.program.update({
      where: { shop: SHOP },
      data: { referrals: true, referralRewardId: offer.id, referralPoints: 500 },
    });
    const { email } = await session.db.member.findFirstOrThrow({
      where: { shop: SHOP, email: { notIn: ["ada@example.com"] }, firstName: { not: null } },
      orderBy: { email: "desc" },
    });
    const before = await member(email!);

    // The member copies their link from the panel.
    const { context, page } = await signedInAs(email!);
    await context.grantPermissions(["clipboard-read", "clipboard-write"], {
      origin: new URL(session.demo.storefrontUrl).origin,
    });
    await page.goto(session.demo.storefrontUrl);
    await page.getByRole("button", { name: "Rewards" }).click();
    const panel = page.getByRole("dialog", { name: "Rewards" });
    const link = panel.getByRole("textbox", { name: "Your referral link" });
    await poll(() => link.inputValue()).toMatch(/\/apps\/loyalty\/refer\/[2-9a-z]{10}$/);
    const url = await link.inputValue();
    expect(await panel.locator("[data-lw-f=refer]").textContent()).toBe(
      "Give friends $10 off on their first order and get 500 points when they buy.",
    );
    await panel.getByRole("button", { name: "Copy link" }).click();
    await poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(url);
    await context.close();

    // The friend opens it as a guest and is asked to create an account first…
    const friendContext = await newContext(session.browser);
    const friend = await friendContext.newPage();
    await friend.goto(url);
    expect(await friend.getByRole("heading", { level: 1 }).textContent()).toBe(
      `A gift from ${before.firstName}`,
    );
    await friend.getByRole("link", { name: "Create an account" }).click();
    await friend.waitForURL(/\/account\/register$/);
    await friend.getByLabel("First name").fill("Finn");
    await friend.getByLabel("Email").fill("finn@example.com");
    await friend.getByRole("button", { name: "Create" }).click();
    await friend.waitForURL(/\/account$/);
    // …and, signed in, gets a code of their own.
    await friend.goto(url);
    await friend.getByRole("button", { name: "Get my code" }).click();
    const shown = friend.locator("[data-lw-welcome-code]");
    await poll(() => shown.textContent()).toMatch(/^FRIEND-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    const code = (await shown.textContent())!;
    expect(await seriousViolations(friend)).toEqual([]);

    // …and orders with it at checkout.
    await friend.getByRole("link", { name: "Shop with your code" }).click();
    await friend.goto(`${session.demo.storefrontUrl}products/canvas-tote`);
    await friend.getByRole("button", { name: "Add to cart" }).click();
    await friend.getByRole("link", { name: "Check out" }).click();
    await poll(() => friend.getByRole("status").first().innerText()).toContain(
      `Discount ${code} applied`,
    );
    await friend.getByRole("button", { name: "Pay now" }).click();
    await friend.waitForURL(/thank-you/);
    await friendContext.close();

    // The member's points wait out the pending period…
    await poll(() => session.db.referral.findFirst({ where: { shop: SHOP, code } })).toMatchObject({
      status: "PENDING",
      points: 500,
    });
    expect(await member(email!)).toMatchObject({
      balance: before.balance,
      pendingPoints: before.pendingPoints + 500,
    });
    // …which is over once its day has come (moved here rather than waited for) and the worker runs.
    await session.db.referral.updateMany({
      where: { shop: SHOP, code },
      data: { availableAt: new Date(Date.now() - 1_000) },
    });
    const run = await fetch(`${session.demo.appUrl}/jobs/run`, {
      method: "POST",
      headers: { Authorization: `Bearer ${CRON_SECRET}` },
    });
    expect(run.status).toBe(202);
    await poll(() => member(email!).then((m) => m.balance)).toBe(before.balance + 500);

    const again = await signedInAs(email!);
    await again.page.goto(session.demo.storefrontUrl);
    await again.page.getByRole("button", { name: "Rewards" }).click();
    const after = again.page.getByRole("dialog", { name: "Rewards" });
    await poll(() => after.locator("[data-lw-f=points]").textContent()).toBe(
      points(before.balance + 500),
    );
    // The referral card is the panel script's, which may still be loading when the points show.
    await poll(() => after.locator("[data-lw-f=referred]").textContent()).toBe(
      "Friends who ordered: 1",
    );
    expect(await after.locator("[data-lw-list=history] li").first().textContent()).toContain(
      "Referral points are now available",
    );
    await again.context.close();
  });

  it("takes a member's birthday in the panel, in the storefront's language", async () => {
    await session.db.program.update({ where: { shop: SHOP }, data: { birthdayPoints: 200 } });
    const { context, page } = await signedInAs("ada@example.com");
    await page.goto(`${session.demo.storefrontUrl}fr`);
    await page.locator("[data-lw=open]").click();
    const panel = page.getByRole("dialog");
    const section = panel.locator("[data-lw-bday]");
    await poll(() => section.isVisible()).toBe(true);
    expect(await section.locator("[data-lw-f=bday]").textContent()).toBe(
      "Indiquez votre date d’anniversaire et recevez 200 points le jour venu.",
    );
    // The days February does not have cannot be chosen; the 29th can.
    await section.getByLabel("Mois").selectOption({ label: "février" });
    const option = (n: string) => section.getByLabel("Jour").locator(`option[value="${n}"]`);
    expect(await option("30").isDisabled()).toBe(true);
    expect(await option("29").isDisabled()).toBe(false);
    await section.getByLabel("Jour").selectOption("17");
    await section.getByRole("button", { name: "Enregistrer" }).click();
    // The next 17 February at least 30 days away: the first bonus the wait allows.
    const soonest = new Date(Date.now() + 30 * 86_400_000);
    let year = soonest.getUTCFullYear();
    if (soonest > new Date(Date.UTC(year, 1, 17))) year += 1;
    const day = new Date(Date.UTC(year, 1, 17, 12)).toLocaleDateString("fr", { dateStyle: "long" });
    await poll(() => section.locator("[data-lw-f=bday]").textContent()).toBe(
      `Nous ajouterons 200 points le ${day}.`,
    );
    expect(await member("ada@example.com")).toMatchObject({ birthMonth: 2, birthDay: 17 });
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it("asks the NPS survey in the panel and thanks the member with points", async () => {
    await session.db.program.update({
      where: { shop: SHOP },
      data: { npsSurvey: true, npsPoints: 50 },
    });
    const before = await member("ada@example.com");
    const { context, page } = await signedInAs("ada@example.com");
    await page.goto(session.demo.storefrontUrl);
    await page.getByRole("button", { name: "Rewards" }).click();
    const panel = page.getByRole("dialog", { name: "Rewards" });
    const survey = panel.locator("[data-lw-nps]");
    await poll(() => survey.isVisible()).toBe(true);
    expect(await survey.locator("[data-lw-f=nps]").textContent()).toBe("Answer and get 50 points.");
    // Sending without a score is refused in the panel, before any request.
    await survey.getByRole("button", { name: "Send" }).click();
    await poll(() => survey.locator("[data-lw-f=nps]").textContent()).toBe(
      "Choose a score from 0 to 10.",
    );
    const group = survey.getByRole("group", { name: /How likely are you to recommend us/ });
    await group.getByRole("radio", { name: "9" }).check({ force: true });
    await survey.getByLabel("Anything you'd like to tell us? (optional)").fill("Quick delivery");
    expect(await seriousViolations(page)).toEqual([]);
    await survey.getByRole("button", { name: "Send" }).click();
    await poll(() => survey.locator("[data-lw-f=nps]").textContent()).toBe(
      "Thank you for your answer!",
    );
    expect(await survey.getByRole("radio").count()).toBe(0);
    const answer = await session.db.npsResponse.findFirstOrThrow({
      where: { shop: SHOP, memberId: before.id },
    });
    expect(answer).toMatchObject({ score: 9, comment: "Quick delivery" });
    expect((await member("ada@example.com")).balance).toBe(before.balance + 50);
    await context.close();
  });

  it("gives points once for opening the shop's social page, saying it cannot check follows", async () => {
    await session.db.program.update({
      where: { shop: SHOP },
      data: {
        socialFollows: [
          { network: "instagram", url: "https://www.instagram.com/demo", points: 40 },
        ],
      },
    });
    const before = await member("ada@example.com");
    const { context, page } = await signedInAs("ada@example.com");
    // The page is not reachable from here; what matters is that it opens, in a new tab.
    await context.route("https://www.instagram.com/**", (route) =>
      route.fulfill({ status: 200, contentType: "text/html", body: "<title>Instagram</title>" }),
    );
    await page.goto(session.demo.storefrontUrl);
    await page.getByRole("button", { name: "Rewards" }).click();
    const panel = page.getByRole("dialog", { name: "Rewards" });
    const section = panel.locator("[data-lw-follow]");
    await poll(() => section.isVisible()).toBe(true);
    expect(await section.textContent()).toContain("We can't check that you follow us");
    const link = section.getByRole("link", { name: "Follow us on Instagram" });
    expect(await link.getAttribute("href")).toBe("https://www.instagram.com/demo");
    const opened = context.waitForEvent("page");
    await link.click();
    await (await opened).close();
    await poll(() => section.locator("[data-lw-f=follow]").textContent()).toBe(
      "Thanks for following us on Instagram!",
    );
    expect(await section.locator(".lw-pts").textContent()).toBe("✓");
    expect((await member("ada@example.com")).balance).toBe(before.balance + 40);
    await context.close();
  });
});
