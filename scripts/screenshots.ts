/**
 * `npm run screenshots`: starts a freshly seeded sandbox on free ports, opens the admin dashboard
 * and the storefront widget in Chromium, and writes docs/screenshots/*.png for the README.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { launchBrowser, newContext } from "../sandbox/chromium";
import { ROOT } from "../sandbox/config";
import { startSandbox } from "../sandbox/start";

const OUT = path.join(ROOT, "docs/screenshots");
const SHOPPER = "ada@example.com";

async function settle(page: Page) {
  await page.waitForLoadState("networkidle");
  // Let transitions and web fonts finish so the image is the steady state.
  await page.waitForTimeout(500);
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "loyalty-screenshots-"));
  const sandbox = await startSandbox({
    port: 0,
    appPort: 0,
    reset: true,
    databaseUrl: `file:${path.join(dir, "app.sqlite")}`,
    statePath: path.join(dir, "shopify.json"),
    log: (line) => {
      if (line.startsWith("[sandbox]")) console.log(line);
    },
  });
  const browser = await launchBrowser();
  try {
    fs.mkdirSync(OUT, { recursive: true });
    const context = await newContext(browser);
    const page = await context.newPage();

    await page.goto(sandbox.adminUrl);
    const app = page.frameLocator('iframe[title="Loyalty"]');
    await app.locator("h1").first().waitFor();
    await settle(page);
    for (const frame of page.frames()) await frame.waitForLoadState("networkidle");
    await page.screenshot({ path: path.join(OUT, "admin-dashboard.png") });
    console.log("wrote docs/screenshots/admin-dashboard.png");

    await page.goto(`${sandbox.storefrontUrl}account/login`);
    const select = page.getByLabel("Customer", { exact: true });
    await select.selectOption(
      (await select.locator("option", { hasText: `(${SHOPPER})` }).getAttribute("value"))!,
    );
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL(/\/account$/);
    await page.goto(sandbox.storefrontUrl);
    await page.getByRole("button", { name: "Rewards" }).click();
    const panel = page.getByRole("dialog", { name: "Rewards" });
    await panel.locator("[data-lw-f=points]:not(:empty)").waitFor();
    await settle(page);
    await page.screenshot({ path: path.join(OUT, "storefront-widget.png") });
    console.log("wrote docs/screenshots/storefront-widget.png");
    await context.close();
  } finally {
    await browser.close();
    await sandbox.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
