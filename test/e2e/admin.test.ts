// The admin's rough edges, as a merchant meets them inside the (sandbox) Shopify admin: what a
// page says, when it asks, what it refuses and when. Each test drives Chromium through the
// embedded app and checks the database only for what the merchant cannot see.
import type { FrameLocator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { parseLocalDateTime } from "../../app/domain/time-zones";
import { e2eSession, newContext, poll, seriousViolations } from "./harness";

const SHOP = "demo-shop.myshopify.com";

const session = e2eSession({ members: 12 });

const appFrame = (page: Page): FrameLocator => page.frameLocator('iframe[title="Loyalty"]');

async function openPage(path: string) {
  const context = await newContext(session.browser);
  const page = await context.newPage();
  // The admin URL carries the app's path, as admin.shopify.com/store/…/apps/loyalty/… does.
  await page.goto(`${session.demo.url}/store/demo-shop/apps/loyalty${path}`);
  const app = appFrame(page);
  await app.locator("h1").first().waitFor();
  return { context, page, app };
}

const saveBar = (page: Page) =>
  page.getByRole("region", { name: "Unsaved changes" }).getByRole("button", { name: "Save" });

describe("admin pages", { timeout: 120_000 }, () => {
  it("switches the tier basis to amount spent and back, and saves each time", async () => {
    const { context, page, app } = await openPage("/app/tiers");
    const thresholds = () =>
      app.getByRole("textbox", { name: /^(Points to reach|Spend to reach \(USD\))$/ }).all();
    const values = async () => Promise.all((await thresholds()).map((t) => t.inputValue()));
    const before = await values();
    expect(before.length).toBeGreaterThan(1);

    await app.getByLabel("Tiers are based on").selectOption("AMOUNT_SPENT");
    await poll(values).toEqual(before.map((v) => `${v}.00`));
    await poll(() =>
      app.getByText("Check each tier's threshold in the new unit before saving.").count(),
    ).toBe(1);
    await saveBar(page).click();
    await poll(() => page.locator("#toasts").innerText()).toContain("Tiers saved");
    await poll(
      async () => (await session.db.program.findUniqueOrThrow({ where: { shop: SHOP } })).tierBasis,
    ).toBe("AMOUNT_SPENT");

    // Back to points: "500.00" becomes "500" again instead of a value the form refuses.
    await app.getByLabel("Tiers are based on").selectOption("POINTS_EARNED");
    await poll(values).toEqual(before);
    await saveBar(page).click();
    await poll(
      async () => (await session.db.program.findUniqueOrThrow({ where: { shop: SHOP } })).tierBasis,
    ).toBe("POINTS_EARNED");
    expect(await app.getByText("Nothing was saved").count()).toBe(0);
    const tiers = await session.db.tier.findMany({
      where: { shop: SHOP },
      orderBy: { threshold: "asc" },
    });
    expect(tiers.map((t) => String(t.threshold))).toEqual(before);
    await context.close();
  });

  it("asks before expiring one idle member's points, in words that fit one member", async () => {
    const members = await session.db.member.findMany({
      where: { shop: SHOP, balance: { gt: 0 } },
      orderBy: { customerId: "asc" },
    });
    const idle = members[0]!;
    await session.db.member.updateMany({
      where: { shop: SHOP },
      data: { lastActivityAt: new Date() },
    });
    await session.db.member.update({
      where: { id: idle.id },
      data: { lastActivityAt: new Date(Date.now() - 400 * 24 * 3600 * 1000) },
    });

    const { context, page, app } = await openPage("/app/program");
    await app.getByText("After a period without activity", { exact: true }).click();
    await app.getByLabel("Months without activity").fill("12");
    await saveBar(page).click();

    const dialog = app.getByRole("dialog", { name: "Expire inactive balances?" });
    await dialog.waitFor();
    await poll(() => dialog.innerText()).toContain(
      `1 member has had no activity for longer than 12 months. With this policy their ${idle.balance.toLocaleString("en-US")} ${idle.balance === 1 ? "point" : "points"} expire`,
    );
    // The question is the dialog's; the form behind it shows no error and no "Nothing was saved".
    expect(await app.getByText("Save again to confirm").count()).toBe(0);
    expect(await app.getByText("Nothing was saved").count()).toBe(0);
    await dialog.getByRole("button", { name: "Cancel" }).click();
    expect(
      (await session.db.program.findUniqueOrThrow({ where: { shop: SHOP } })).expiryMonths,
    ).toBeNull();
    await context.close();
  });

  it("refuses to remove more points than the balance before asking to confirm", async () => {
    const member = await session.db.member.findFirstOrThrow({
      where: { shop: SHOP, balance: { gt: 0 } },
      orderBy: { customerId: "desc" },
    });
    const manual = () =>
      session.db.ledgerEntry.count({ where: { memberId: member.id, kind: "MANUAL" } });
    const manualBefore = await manual();
    const { context, page, app } = await openPage(`/app/members/${member.id}`);
    await app.getByLabel(/to add or remove$/).fill(String(-(member.balance + 1)));
    await app.getByLabel("Reason").fill("Returned goods");
    await app.getByRole("button", { name: "Adjust points" }).click();

    await poll(() =>
      app.getByText(`you can remove at most ${member.balance.toLocaleString("en-US")}`).count(),
    ).toBe(1);
    expect(await app.getByRole("dialog", { name: "Remove points?" }).count()).toBe(0);
    expect(await manual()).toBe(manualBefore);

    // Within the balance the confirmation comes, and then the points go.
    await app.getByLabel(/to add or remove$/).fill("-1");
    await app.getByRole("button", { name: "Adjust points" }).click();
    const dialog = app.getByRole("dialog", { name: "Remove points?" });
    await dialog.getByRole("button", { name: "Remove points" }).click();
    await poll(() => page.locator("#toasts").innerText()).toContain("Points adjusted");
    expect((await session.db.member.findUniqueOrThrow({ where: { id: member.id } })).balance).toBe(
      member.balance - 1,
    );
    await context.close();
  });
  it("confirms a created and a deleted reward with a toast", async () => {
    const { context, page, app } = await openPage("/app/rewards/new");
    await app.getByLabel("Reward name").fill("$3 off");
    await app.getByLabel("Amount off (USD)").fill("3.00");
    await app.getByLabel("Points cost").fill("300");
    await saveBar(page).click();
    await poll(() => page.locator("#toasts").innerText()).toContain("Reward created");
    const reward = await session.db.reward.findFirstOrThrow({
      where: { shop: SHOP, name: "$3 off" },
    });
    // The parameter that carried the news is gone, so a reload does not toast again.
    await poll(() => app.locator("h1").first().textContent()).toBe("Edit reward");
    const frame = page.frames().find((f) => f.url().includes(`/app/rewards/${reward.id}`));
    await poll(() => new URL(frame!.url()).searchParams.get("done")).toBeNull();

    await app.getByRole("button", { name: "Delete reward" }).click();
    await app.getByRole("dialog").getByRole("button", { name: "Delete reward" }).click();
    await poll(() => page.locator("#toasts").innerText()).toContain("Reward deleted");
    expect(await session.db.reward.count({ where: { id: reward.id } })).toBe(0);
    await context.close();
  });

  it("makes a free product reward of the variant chosen in the admin's resource picker", async () => {
    const { context, page, app } = await openPage("/app/rewards/new");
    await app.getByLabel("Reward type").selectOption("FREE_PRODUCT");
    const choose = async (label: string) => {
      await app.getByRole("button", { name: "Choose product" }).click();
      // Shopify admin draws the picker over the page, outside the app's frame.
      const picker = page.getByRole("dialog", { name: "Select variants" });
      await picker.getByLabel(label).check();
      await picker.getByRole("button", { name: "Select" }).click();
    };
    await choose("Leather Wallet - Black");
    await poll(() => app.getByRole("list", { name: "Product" }).innerText()).toContain(
      "Leather Wallet - Black",
    );
    // A name to start from, kept once there is one.
    expect(await app.getByLabel("Reward name").inputValue()).toBe("Free Leather Wallet - Black");
    await app.getByLabel("Reward name").fill("");
    // A product without options goes by its own name, not "Trail Mug - Default Title".
    await choose("Trail Mug");
    await poll(() => app.getByRole("list", { name: "Product" }).innerText()).toBe("Trail Mug");
    expect(await app.getByLabel("Reward name").inputValue()).toBe("Free Trail Mug");
    expect(await app.getByLabel(/Minimum order subtotal/).count()).toBe(0);
    await app.getByLabel("Points cost").fill("900");
    const frame = page.frames().find((f) => f.url().includes("/app/rewards/new"))!;
    expect(await seriousViolations(frame)).toEqual([]);
    await saveBar(page).click();
    await poll(() => page.locator("#toasts").innerText()).toContain("Reward created");
    const reward = await session.db.reward.findFirstOrThrow({
      where: { shop: SHOP, name: "Free Trail Mug", pointsCost: 900 },
    });
    expect(reward).toMatchObject({
      type: "FREE_PRODUCT",
      amount: null,
      variant: { id: "gid://shopify/ProductVariant/4400000000030", title: "Trail Mug" },
    });
    // Its page says what one costs today.
    await poll(() => app.getByText("Today one costs $18.00.", { exact: false }).count()).toBe(1);
    await session.db.reward.delete({ where: { id: reward.id } });
    await context.close();
  });

  it("runs a campaign from the form: times in the shop's zone, limited to a tier", async () => {
    const day = (offset: number) =>
      new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const tier = await session.db.tier.findFirstOrThrow({
      where: { shop: SHOP },
      orderBy: { threshold: "desc" },
    });
    const { context, page, app } = await openPage("/app/campaigns/new");
    // The demo shop is in New York (sandbox/config.ts); the page says which zone its times are in.
    await poll(() =>
      app.getByText("in the shop's time zone (America/New_York)", { exact: false }).count(),
    ).toBe(1);
    await app.getByLabel("Campaign name").fill("Triple points week");
    await app.getByLabel("Multiplier").fill("3");
    await app.getByLabel("Starts").fill(`${day(-1)}T09:30`);
    await app.getByLabel("Ends").fill(`${day(6)}T18:00`);
    await app.getByLabel(tier.name, { exact: true }).check();
    await saveBar(page).click();
    await poll(() => page.locator("#toasts").innerText()).toContain("Campaign created");
    const campaign = await session.db.campaign.findFirstOrThrow({
      where: { shop: SHOP, name: "Triple points week" },
    });
    expect(campaign).toMatchObject({
      kind: "MULTIPLIER",
      multiplierPercent: 300,
      tierIds: [tier.id],
      startsAt: parseLocalDateTime(`${day(-1)}T09:30`, "America/New_York"),
      endsAt: parseLocalDateTime(`${day(6)}T18:00`, "America/New_York"),
    });

    await app.getByRole("link", { name: "Campaigns" }).first().click();
    const row = app.locator("tbody tr").filter({ hasText: "Triple points week" });
    await poll(() => row.innerText()).toMatch(/3× points\s+\S.*\s+.*Running/s);
    expect(await row.innerText()).toContain(tier.name);
    await session.db.campaign.delete({ where: { id: campaign.id } });
    await context.close();
  });

  it("limits a campaign to products and collections chosen in the admin's resource picker", async () => {
    const { context, page, app } = await openPage("/app/campaigns/new");
    await app.getByLabel("Campaign name").fill("Outdoor days");
    // Shopify admin draws the picker over the page, outside the app's frame.
    await app.getByRole("button", { name: "Choose products" }).click();
    const products = page.getByRole("dialog", { name: "Select products" });
    await products.getByLabel("Canvas Tote").check();
    await products.getByRole("button", { name: "Select" }).click();
    await poll(() => app.getByRole("list", { name: "Products" }).innerText()).toContain(
      "Canvas Tote",
    );
    await app.getByRole("button", { name: "Choose collections" }).click();
    const collections = page.getByRole("dialog", { name: "Select collections" });
    await collections.getByLabel("Outdoor").check();
    await collections.getByRole("button", { name: "Select" }).click();
    await poll(() => app.getByRole("list", { name: "Collections" }).innerText()).toContain(
      "Outdoor",
    );
    const frame = page.frames().find((f) => f.url().includes("/app/campaigns/new"))!;
    expect(await seriousViolations(frame)).toEqual([]);
    await saveBar(page).click();
    await poll(() => page.locator("#toasts").innerText()).toContain("Campaign created");
    const campaign = await session.db.campaign.findFirstOrThrow({
      where: { shop: SHOP, name: "Outdoor days" },
    });
    expect(campaign).toMatchObject({
      products: [{ id: "gid://shopify/Product/8800000000001", title: "Canvas Tote" }],
      collections: [{ id: "gid://shopify/Collection/9900000000001", title: "Outdoor" }],
    });
    // The worker reads the collection's products from the Admin API; the page says so.
    await poll(() =>
      session.db.campaign
        .findUniqueOrThrow({ where: { id: campaign.id } })
        .then((c) => c.collectionProductIds),
    ).toEqual([
      "gid://shopify/Product/8800000000003",
      "gid://shopify/Product/8800000000004",
      "gid://shopify/Product/8800000000005",
    ]);
    await page.reload();
    await poll(() =>
      appFrame(page).getByText("The saved collections hold 3 products", { exact: false }).count(),
    ).toBe(1);
    await session.db.campaign.delete({ where: { id: campaign.id } });
    await context.close();
  });

  it("searches members as the merchant types, the search field open from the start", async () => {
    const member = await session.db.member.findFirstOrThrow({
      where: { shop: SHOP, email: { not: null } },
      orderBy: { balance: "asc" },
    });
    const { context, page, app } = await openPage("/app/members");
    const frame = () => page.frames().find((f) => f.url().includes("/app/members"));
    // No button to open it first: that mode switch was the page's slowest interaction.
    const search = app.getByPlaceholder("Search by email, name or customer ID");
    await search.click();
    await page.keyboard.type(member.email!);
    await poll(() => new URL(frame()!.url()).searchParams.get("q")).toBe(member.email);
    await poll(() => app.locator("tbody tr").count()).toBe(1);
    expect(await app.getByText("1 member match").count()).toBe(1);
    await context.close();
  });

  it("keeps a sort chosen while the search is still waiting to be sent", async () => {
    const { context, page, app } = await openPage("/app/members");
    const params = () =>
      new URL(
        page
          .frames()
          .find((f) => f.url().includes("/app/members"))!
          .url(),
      ).searchParams;
    // The sort's answer is held and the search's 300 ms wait runs on a paused clock, so the
    // search is sent while the sort still loads, however slow the machine (CI lost the sort).
    let releaseSort!: () => void;
    const sortHeld = new Promise<void>((resolve) => (releaseSort = resolve));
    await page.route(/\/app\/members\.data\?.*sort=joined/, async (route) => {
      await sortHeld;
      await route.continue();
    });
    await page.clock.install();
    await page.clock.pauseAt(Date.now() + 60_000);
    await app.getByRole("button", { name: "Sort the results" }).click();
    const joined = app.locator("label", { hasText: "Joined, newest first" });
    await joined.waitFor();
    await app.getByPlaceholder("Search by email, name or customer ID").focus();
    await page.keyboard.type("e");
    await joined.click();
    expect(params().get("q"), "the search waits for its timer").toBeNull();
    await page.clock.runFor(300);
    releaseSort();
    await poll(() => params().get("q")).toBe("e");
    expect(params().get("sort")).toBe("joined desc");
    await page.clock.resume();
    await context.close();
  });

  it("pages through members by cursor with Next and Previous", async () => {
    const extra = Array.from({ length: 45 }, (_, i) => ({
      shop: SHOP,
      customerId: String(880_000 + i),
      email: `paging${i}@example.com`,
      // Below every seeded balance, so they fill the list's end in a known order.
      balance: -1,
    }));
    await session.db.member.createMany({ data: extra });
    try {
      const total = await session.db.member.count({ where: { shop: SHOP } });
      const { context, page, app } = await openPage("/app/members");
      const frame = () => page.frames().find((f) => f.url().includes("/app/members"));
      const rows = () => app.locator("tbody tr");
      await poll(() => rows().count()).toBe(50);
      const firstPage = await rows().allInnerTexts();

      await app.getByRole("button", { name: "Next" }).click();
      await poll(() => new URL(frame()!.url()).searchParams.get("page")).toBe("2");
      expect(new URL(frame()!.url()).searchParams.get("after")).toBeTruthy();
      await poll(() => rows().count()).toBe(total - 50);
      expect(await app.getByText(`51–${total} of ${total}`).count()).toBe(1);

      await app.getByRole("button", { name: "Previous" }).click();
      await poll(() => new URL(frame()!.url()).searchParams.get("page")).toBeNull();
      await poll(() => rows().count()).toBe(50);
      expect(await rows().allInnerTexts()).toEqual(firstPage);
      await context.close();
    } finally {
      await session.db.member.deleteMany({
        where: { shop: SHOP, customerId: { in: extra.map((m) => m.customerId) } },
      });
    }
  });
});
