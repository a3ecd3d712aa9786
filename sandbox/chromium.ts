/**
 * Debian's Chromium driven by playwright-core, for the end-to-end tests and the screenshot
 * script. Never downloads a browser.
 */
import fs from "node:fs";
import { chromium, type Browser, type BrowserContext } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Fails (never skips) without Chromium: CI installs it, and a skipped browser test proves nothing. */
export function requireChromium(): string {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}. The end-to-end tests need Debian's chromium: ` +
        "`apt-get update && apt-get install -y chromium` (.ci/run does this), or set CHROMIUM_PATH.",
    );
  }
  return CHROMIUM;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: requireChromium(),
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}

/**
 * A browser context as a person would have: a regular Chrome user agent (the Shopify app
 * library turns away self-declared bots such as HeadlessChrome with 410 Gone, on Shopify too)
 * and no way off the machine.
 */
export async function newContext(
  browser: Browser,
  options: { reducedMotion?: boolean } = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    userAgent:
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36",
    locale: "en-US",
    reducedMotion: options.reducedMotion === false ? "no-preference" : "reduce",
  });
  await context.route(/^https?:\/\/(?!localhost[:/]|127\.0\.0\.1[:/])/, (route) => route.abort());
  return context;
}
