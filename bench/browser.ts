/**
 * `npm run bench -- --browser`: what a merchant and a shopper feel, in Chromium against the
 * sandbox (the production build): each admin page's LCP, CLS and INP for a typical action, at
 * normal speed and with 4× CPU throttling (a merchant's laptop), and its JS/CSS bytes; the
 * storefront product page's LCP, total blocking time and CLS with the app's embed and blocks and
 * without them. Medians of --runs runs (default 3). Rewrites its section of docs/benchmarks.md.
 *
 * Measured in the page with the browser's own APIs (PerformanceObserver: largest-contentful-paint,
 * layout-shift, event, longtask), the way web-vitals computes them: CLS is the largest session
 * window of shifts without recent input; INP the longest interaction (fewer than 50 here, so no
 * percentile is dropped); TBT the blocking part (beyond 50 ms) of every long task after first
 * contentful paint until the page has been idle.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import type { Browser, Frame, FrameLocator, Page } from "playwright-core";
import { launchBrowser, newContext } from "../sandbox/chromium";
import { startSandbox, type Sandbox } from "../sandbox/start";
import { writeSection } from "./large";

export const BROWSER_START = "<!-- browser:start -->";
export const BROWSER_END = "<!-- browser:end -->";

const log = (line: string) => console.log(line);

/** Installed in every frame before its scripts run. */
function observe() {
  const vitals = { lcp: 0, cls: 0, inp: 0, tbt: 0, fcp: 0, ttfb: 0, interactions: 0 };
  (window as unknown as { __vitals: typeof vitals }).__vitals = vitals;
  const watch = (type: string, each: (entry: PerformanceEntry) => void, extra = {}) => {
    try {
      new PerformanceObserver((list) => list.getEntries().forEach(each)).observe({
        type,
        buffered: true,
        ...extra,
      });
    } catch {
      // An entry type this browser does not know.
    }
  };
  watch("navigation", (entry) => {
    vitals.ttfb = (entry as PerformanceNavigationTiming).responseStart;
  });
  watch("paint", (entry) => {
    if (entry.name === "first-contentful-paint") vitals.fcp = entry.startTime;
  });
  watch("largest-contentful-paint", (entry) => {
    vitals.lcp = entry.startTime;
  });
  let window0 = 0;
  let windowStart = 0;
  let windowLast = 0;
  watch("layout-shift", (entry) => {
    const shift = entry as PerformanceEntry & { value: number; hadRecentInput: boolean };
    if (shift.hadRecentInput) return;
    if (shift.startTime - windowLast > 1000 || shift.startTime - windowStart > 5000) {
      window0 = 0;
      windowStart = shift.startTime;
    }
    windowLast = shift.startTime;
    window0 += shift.value;
    vitals.cls = Math.max(vitals.cls, window0);
  });
  const seen = new Set<number>();
  watch(
    "event",
    (entry) => {
      const event = entry as PerformanceEntry & { interactionId: number };
      if (!event.interactionId) return;
      seen.add(event.interactionId);
      vitals.interactions = seen.size;
      vitals.inp = Math.max(vitals.inp, event.duration);
    },
    { durationThreshold: 16 },
  );
  watch("longtask", (entry) => {
    if (entry.startTime >= vitals.fcp) vitals.tbt += Math.max(0, entry.duration - 50);
  });
}

type Vitals = {
  lcp: number;
  cls: number;
  inp: number;
  tbt: number;
  ttfb: number;
  interactions: number;
  /** The frame's navigation start after the top page's, ms. */
  offset: number;
  jsBytes: number;
  cssBytes: number;
};

async function vitalsOf(frame: Frame, top: Page): Promise<Vitals> {
  const topOrigin = await top.evaluate(() => performance.timeOrigin);
  const measured = await frame.evaluate((origin) => {
    const v = (window as unknown as { __vitals: Omit<Vitals, "offset" | "jsBytes" | "cssBytes"> })
      .__vitals;
    const resources = performance.getEntriesByType("resource") as PerformanceResourceTiming[];
    return {
      ...v,
      offset: performance.timeOrigin - origin,
      scripts: resources.filter((r) => /\.m?js(\?|$)/.test(r.name)).map((r) => r.name),
      sheets: resources.filter((r) => /\.css(\?|$)/.test(r.name)).map((r) => r.name),
    };
  }, topOrigin);
  const { scripts, sheets, ...vitals } = measured;
  return { ...vitals, jsBytes: await gzipBytes(scripts), cssBytes: await gzipBytes(sheets) };
}

/**
 * What the files weigh gzipped, as a CDN or `compression` would send them. Only what the machine
 * serves: Shopify's CDN (App Bridge's script, which the sandbox admin stands in for) is not ours.
 */
async function gzipBytes(urls: string[]) {
  let total = 0;
  for (const url of new Set(urls)) {
    if (!/^https?:\/\/(localhost|127\.0\.0\.1)[:/]/.test(url)) continue;
    const body = Buffer.from(
      await (await fetch(url.replace("localhost", "127.0.0.1"))).arrayBuffer(),
    );
    total += zlib.gzipSync(body).length;
  }
  return total;
}

interface AdminCase {
  page: string;
  path: (sandbox: Sandbox) => Promise<string>;
  action: string;
  act: (app: FrameLocator, page: Page) => Promise<void>;
}

const typeSlowly = async (page: Page, text: string) => {
  for (const key of text) {
    await page.keyboard.type(key);
    await page.waitForTimeout(120);
  }
};

const ADMIN: AdminCase[] = [
  {
    page: "Dashboard",
    path: async () => "/app",
    action: "choose “Last 12 months”",
    act: async (app, page) => {
      // Keys, not selectOption: only trusted input is an interaction the browser times.
      await app.getByLabel("Date range").focus();
      await page.keyboard.press("ArrowDown");
      await page.waitForTimeout(300);
      await page.keyboard.press("ArrowDown");
    },
  },
  {
    page: "Members",
    path: async () => "/app/members",
    action: "type “ada” in the search",
    act: async (app, page) => {
      await app.getByRole("textbox").first().click();
      await typeSlowly(page, "ada");
    },
  },
  {
    page: "Member",
    path: async (sandbox) => {
      const { members } = await memberIds(sandbox);
      return `/app/members/${members[0]}`;
    },
    action: "type “25” in the points to add",
    act: async (app, page) => {
      await app.getByLabel(/to add or remove$/).click();
      await typeSlowly(page, "25");
    },
  },
  {
    page: "Rewards",
    path: async () => "/app/rewards",
    action: "open “Create reward”",
    act: async (app) => {
      await app
        .getByRole("link", { name: /Create reward/ })
        .first()
        .click();
      await app
        .getByRole("heading", { level: 1 })
        .filter({ hasText: /reward/i })
        .first()
        .waitFor();
    },
  },
  {
    page: "Tiers",
    path: async () => "/app/tiers",
    action: "click “Add tier”",
    act: async (app) => {
      await app
        .getByRole("button", { name: /Add tier/ })
        .first()
        .click();
    },
  },
  {
    page: "Program settings",
    path: async () => "/app/program",
    action: "type “3” in points earned",
    act: async (app, page) => {
      await app.getByLabel("Points earned").click();
      await page.keyboard.press("End");
      await typeSlowly(page, "3");
    },
  },
  {
    page: "Orders",
    path: async () => "/app/orders",
    action: "type an order number",
    act: async (app, page) => {
      await app.getByRole("textbox").first().click();
      await typeSlowly(page, "1001");
    },
  },
];

async function memberIds(sandbox: Sandbox) {
  const { createPrismaClient } = await import("../app/db.server");
  const db = createPrismaClient(sandbox.databaseUrl);
  try {
    const members = await db.member.findMany({
      where: { balance: { gt: 0 } },
      orderBy: { balance: "desc" },
      take: 1,
      select: { id: true },
    });
    return { members: members.map((m) => m.id) };
  } finally {
    await db.$disconnect();
  }
}

/** Loaded, then quiet for a while: late layout shifts and long tasks count. */
async function settle(page: Page) {
  await page.waitForLoadState("load");
  for (const frame of page.frames()) await frame.waitForLoadState("load").catch(() => {});
  await page.waitForTimeout(1_500);
}

async function throttled(page: Page, rate: number) {
  if (rate === 1) return;
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate });
}

async function measureAdmin(browser: Browser, sandbox: Sandbox, c: AdminCase, rate: number) {
  const context = await newContext(browser, { reducedMotion: false });
  await context.addInitScript(observe);
  const page = await context.newPage();
  await throttled(page, rate);
  const appPath = await c.path(sandbox);
  await page.goto(`${sandbox.url}/store/demo-shop/apps/loyalty${appPath}`);
  const app = page.frameLocator('iframe[title="Loyalty"]');
  await app.locator("h1").first().waitFor({ timeout: 60_000 });
  await settle(page);
  const frame = page.frames().find((f) => f.url().startsWith(sandbox.appUrl))!;
  const loaded = await vitalsOf(frame, page);
  await c.act(app, page);
  await settle(page);
  // A link the action followed replaced the frame's document; the interaction was in the first.
  const after = page.frames().find((f) => f.url().startsWith(sandbox.appUrl))!;
  const acted = after === frame ? await vitalsOf(frame, page) : loaded;
  await context.close();
  return {
    lcp: loaded.offset + loaded.lcp,
    appLcp: loaded.lcp,
    cls: acted.cls,
    inp: acted.inp,
    interactions: acted.interactions,
    jsBytes: loaded.jsBytes,
    cssBytes: loaded.cssBytes,
  };
}

async function measureStorefront(browser: Browser, sandbox: Sandbox, apps: boolean, rate: number) {
  sandbox.theme.apps = apps;
  const context = await newContext(browser, { reducedMotion: false });
  await context.addInitScript(observe);
  const page = await context.newPage();
  await throttled(page, rate);
  await page.goto(`${sandbox.storefrontUrl}products/canvas-tote`);
  await settle(page);
  await page.waitForTimeout(1_000);
  const vitals = await vitalsOf(page.mainFrame(), page);
  await context.close();
  return vitals;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
};

const medians = <T extends Record<string, number>>(all: T[]): T =>
  Object.fromEntries(
    Object.keys(all[0]!).map((key) => [key, median(all.map((r) => r[key]!))]),
  ) as T;

/**
 * Each variant's medians, their loads taking turns: figures compared with each other (the page
 * with and without the widget) then drift together. Run one after the other, the first variant's
 * loads met a machine still warming up: +136 ms of LCP "for the widget" that turned into +4 ms.
 */
async function interleavedMedians<T extends Record<string, number>>(
  runs: number,
  variants: (() => Promise<T>)[],
): Promise<T[]> {
  // One load first, not counted: the server's first render of a page compiles and caches.
  for (const once of variants) await once();
  const all: T[][] = variants.map(() => []);
  for (let i = 0; i < runs; i += 1)
    for (const [v, once] of variants.entries()) all[v]!.push(await once());
  return all.map(medians);
}

const medianOf = async <T extends Record<string, number>>(runs: number, once: () => Promise<T>) =>
  (await interleavedMedians(runs, [once]))[0]!;

const ms = (value: number) => `${Math.round(value)}`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
const row = (cells: string[]) => `| ${cells.join(" | ")} |`;

export async function runBrowser(runs: number, command: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "loyalty-browser-bench-"));
  const sandbox = await startSandbox({
    port: 0,
    appPort: 0,
    reset: true,
    databaseUrl: `file:${path.join(dir, "app.sqlite")}`,
    statePath: path.join(dir, "shopify.json"),
    log: (line) => {
      if (line.startsWith("[sandbox]")) log(line);
    },
  });
  const browser = await launchBrowser();
  const admin: { c: AdminCase; normal: AdminResult; slow: AdminResult }[] = [];
  const storefront: { label: string; normal: Vitals; slow: Vitals }[] = [];
  try {
    for (const c of ADMIN) {
      const normal = await medianOf(runs, () => measureAdmin(browser, sandbox, c, 1));
      const slow = await medianOf(runs, () => measureAdmin(browser, sandbox, c, 4));
      log(`[bench --browser] ${c.page}: ${JSON.stringify({ normal, slow })}`);
      admin.push({ c, normal, slow });
    }
    const pages = [
      ["with the app (launcher embed + earn-points block)", true],
      ["without the app", false],
    ] as const;
    const atRate = (rate: number) =>
      interleavedMedians(
        runs,
        pages.map(
          ([, apps]) =>
            () =>
              measureStorefront(browser, sandbox, apps, rate),
        ),
      );
    const normal = await atRate(1);
    const slow = await atRate(4);
    for (const [i, [label]] of pages.entries()) {
      const result = { normal: normal[i]!, slow: slow[i]! };
      log(`[bench --browser] storefront ${label}: ${JSON.stringify(result)}`);
      storefront.push({ label, ...result });
    }
  } finally {
    sandbox.theme.apps = true;
    await browser.close();
    await sandbox.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const lines = [
    "## In the browser",
    "",
    "Chromium (Debian's, headless) against the sandbox serving the production build, 1280×900,",
    `median of ${runs} page loads per figure; "4×" is Chrome's CPU throttling (a merchant's laptop`,
    "or a mid-range phone). Admin pages load inside the sandbox admin's iframe as they do in",
    "Shopify admin: LCP counts from the admin page's navigation (the app frame starts after it),",
    "CLS and INP are the app frame's, INP over the action named. Bytes are the app frame's scripts",
    "and style sheets, gzipped. “Built for Shopify”",
    "asks p75 LCP ≤ 2,500 ms, CLS ≤ 0.1, INP ≤ 200 ms.",
    "",
    row([
      "admin page",
      "action",
      "LCP ms",
      "LCP 4×",
      "CLS",
      "CLS 4×",
      "INP ms",
      "INP 4×",
      "JS",
      "CSS",
    ]),
    row(Array(10).fill("---")),
    ...admin.map(({ c, normal, slow }) =>
      row([
        c.page,
        c.action,
        ms(normal.lcp),
        ms(slow.lcp),
        normal.cls.toFixed(3),
        slow.cls.toFixed(3),
        ms(normal.inp),
        ms(slow.inp),
        kb(normal.jsBytes),
        kb(normal.cssBytes),
      ]),
    ),
    "",
    "The storefront's product page (`/products/canvas-tote`, a guest), with the app's theme",
    "extension and with it switched off in the theme (the sandbox's `theme.apps`). “Server” is the",
    "time to the first byte: the sandbox renders the theme's Liquid itself, with liquidjs, so the",
    "app's blocks cost server time here that Shopify's renderer does not spend the same way.",
    "",
    row([
      "product page",
      "server ms",
      "LCP ms",
      "LCP 4×",
      "TBT ms",
      "TBT 4×",
      "CLS",
      "CLS 4×",
      "JS",
      "CSS",
    ]),
    row(Array(10).fill("---")),
    ...storefront.map(({ label, normal, slow }) =>
      row([
        label,
        ms(normal.ttfb),
        ms(normal.lcp),
        ms(slow.lcp),
        ms(normal.tbt),
        ms(slow.tbt),
        normal.cls.toFixed(3),
        slow.cls.toFixed(3),
        kb(normal.jsBytes),
        kb(normal.cssBytes),
      ]),
    ),
    "",
    `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "CPU"}, Node ${process.version}. Command: \`${command}\`.`,
  ];
  log(writeSection(BROWSER_START, BROWSER_END, lines.join("\n")));
}

type AdminResult = Awaited<ReturnType<typeof measureAdmin>>;
