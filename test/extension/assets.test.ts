import fs from "node:fs";
import vm from "node:vm";
import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  CSS_ASSET,
  JS_ASSET,
  PANEL_JS_ASSET,
  PANEL_JS_SOURCE,
  STYLES_SNIPPET,
  buildLoyaltyJs,
} from "./build-asset";
import { blockSchema } from "./liquid";

const JS_BUDGET = 6_000; // issue budget; theme-check's own limit is 10,000
// Loaded when the panel first opens, beside the /member request it waits for anyway.
const PANEL_JS_BUDGET = 4_500;
const CSS_BUDGET = 8_000;

describe("loyalty.js", () => {
  it("is src/loyalty.ts minified (regenerate: npx vitest run test/extension -u)", async () => {
    await expect(await buildLoyaltyJs()).toMatchFileSnapshot(JS_ASSET);
  });

  it(`stays within ${JS_BUDGET} bytes`, () => {
    expect(fs.statSync(JS_ASSET).size).toBeLessThanOrEqual(JS_BUDGET);
  });

  it("parses as a classic script", () => {
    expect(() => new vm.Script(fs.readFileSync(JS_ASSET, "utf8"))).not.toThrow();
  });
});

describe("loyalty-panel.js", () => {
  it("is src/loyalty-panel.ts minified (regenerate: npx vitest run test/extension -u)", async () => {
    await expect(await buildLoyaltyJs(PANEL_JS_SOURCE)).toMatchFileSnapshot(PANEL_JS_ASSET);
  });

  it(`stays within ${PANEL_JS_BUDGET} bytes`, () => {
    expect(fs.statSync(PANEL_JS_ASSET).size).toBeLessThanOrEqual(PANEL_JS_BUDGET);
  });

  it("parses as a classic script", () => {
    expect(() => new vm.Script(fs.readFileSync(PANEL_JS_ASSET, "utf8"))).not.toThrow();
  });
});

describe("loyalty.css", () => {
  it(`stays within ${CSS_BUDGET} bytes`, () => {
    const css = fs.readFileSync(CSS_ASSET);
    expect(css.length).toBeLessThanOrEqual(CSS_BUDGET);
    expect(zlib.gzipSync(css).length).toBeLessThanOrEqual(2_000);
  });

  it("animates the panel only for shoppers who did not ask for reduced motion", () => {
    const css = fs.readFileSync(CSS_ASSET, "utf8");
    const motion = css.indexOf("@media (prefers-reduced-motion: no-preference)");
    expect(motion).toBeGreaterThan(-1);
    for (const match of css.matchAll(/animation|transition/g)) {
      expect(match.index).toBeGreaterThan(motion);
    }
  });

  it("keeps the inline styles of blocks small and free of animation", () => {
    const inline = fs.readFileSync(STYLES_SNIPPET, "utf8");
    expect(inline.length).toBeLessThanOrEqual(1_600);
    expect(inline).not.toMatch(/animation|transition|@import|url\(/);
  });

  it("keeps the launcher out of the document flow", () => {
    const css = fs.readFileSync(CSS_ASSET, "utf8");
    expect(css).toMatch(/\.lw-launcher \{[^}]*position: fixed;/);
  });
});

/** A stand-in for the few browser APIs loyalty.js touches while it starts up. */
function boot(autoRoots = 0, earnBlocks: { fx: boolean }[] = []) {
  const listeners: { type: string; capture: boolean }[] = [];
  const requests: string[] = [];
  // Product-page earn blocks, each its own root, priced by Liquid: $45.99 at 1 point per $1.
  const earns = earnBlocks.map(({ fx }) => {
    const slot = { textContent: "Liquid's 45 points", hidden: false };
    const dataset: Record<string, string> = { locale: "en", one: "point", other: "points" };
    Object.assign(dataset, { earn: "1", per: "100", r: "floor", price: "4599" });
    if (fx) dataset.fx = "";
    const block = {
      dataset,
      fx,
      slot,
      hidden: false,
      closest: () => block,
      querySelector: () => slot,
    };
    return block;
  });
  const root = {
    dataset: { proxy: "/apps/loyalty", locale: "en", one: "point", other: "points" },
    closest: () => root,
    querySelector: () => null,
    querySelectorAll: () => [],
  };
  const document = {
    addEventListener: (type: string, _fn: unknown, capture?: boolean) =>
      listeners.push({ type, capture: !!capture }),
    querySelector: () => null,
    querySelectorAll: (selector: string) =>
      selector === "[data-lw-auto]"
        ? Array(autoRoots).fill(root)
        : selector.startsWith("[data-lw-earn]")
          ? earns.filter((b) => b.fx || !selector.includes("[data-fx]"))
          : [],
  };
  const fetch = (url: string) => {
    requests.push(url);
    return Promise.resolve({
      ok: true,
      json: () => Promise.resolve({ loggedIn: true, points: 120, history: [], rewards: [] }),
    });
  };
  // The shopper pays in a currency worth half the shop's.
  const window = { Shopify: { currency: { rate: "0.5" } } };
  const sandbox = { window, document, fetch, Intl, setTimeout, location: { href: "https://x/" } };
  const code = fs.readFileSync(JS_ASSET, "utf8");
  vm.runInNewContext(code, sandbox);
  return { listeners, requests, earns, run: () => vm.runInNewContext(code, sandbox) };
}

describe("loyalty.js start-up", () => {
  it("makes no request on page load when no balance block is present", async () => {
    const { requests } = boot(0);
    await new Promise((r) => setTimeout(r, 10));
    expect(requests).toEqual([]);
  });

  it("shares one /member request between balance blocks, saying the page language", async () => {
    const { requests } = boot(2);
    await new Promise((r) => setTimeout(r, 10));
    expect(requests).toEqual(["/apps/loyalty/member?locale=en"]);
  });

  it("converts the earn figure when the shopper pays in another currency", () => {
    // Liquid prints data-fx bare, which the dataset reads as "": a falsy presence.
    const { earns } = boot(0, [{ fx: true }]);
    expect(earns[0]!.slot.textContent).toBe("91 points");
  });

  it("leaves Liquid's earn figure alone unless the shopper pays in another currency", () => {
    // Formatting the page's first number costs ~35 ms (ICU data): a long task before any input.
    const { earns } = boot(0, [{ fx: false }, { fx: true }]);
    expect(earns.map((b) => b.slot.textContent)).toEqual(["Liquid's 45 points", "91 points"]);
  });

  it("binds its delegated listeners once even when several blocks include it", () => {
    const { listeners, run } = boot(0);
    const before = listeners.length;
    run();
    expect(listeners.length).toBe(before);
    const types = listeners.map((l) => l.type);
    for (const type of ["click", "keydown", "close", "focusin", "pointerover", "change"]) {
      expect(types).toContain(type);
    }
    // close does not bubble; only a capturing listener on document sees it.
    expect(listeners.find((l) => l.type === "close")?.capture).toBe(true);
  });
});

// WCAG 2.x relative luminance and contrast ratio.
const luminance = (hex: string) => {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
};
const expand = (hex: string) =>
  hex.length === 4 ? "#" + [...hex.slice(1)].map((c) => c + c).join("") : hex;

describe("default colours", () => {
  const css = fs.readFileSync(STYLES_SNIPPET, "utf8");
  const cssVar = (name: string) => {
    const value = new RegExp(`--lw-${name}: (#[0-9a-f]{3,6});`).exec(css)?.[1];
    if (!value) throw new Error(`--lw-${name} missing`);
    return expand(value);
  };
  const setting = (id: string) =>
    String(blockSchema("launcher").settings.find((s) => s.id === id)?.default);

  it("pass WCAG AA for text", () => {
    expect(contrast(setting("accent_color"), setting("text_color"))).toBeGreaterThanOrEqual(4.5);
    expect(setting("accent_color")).toBe(cssVar("accent"));
    expect(contrast(cssVar("fg"), cssVar("bg"))).toBeGreaterThanOrEqual(4.5);
    expect(contrast(cssVar("muted"), cssVar("bg"))).toBeGreaterThanOrEqual(4.5);
    expect(contrast("#b91c1c", cssVar("bg"))).toBeGreaterThanOrEqual(4.5);
  });

  it("pass WCAG AA for the progress bar and button outlines (3:1)", () => {
    expect(contrast(cssVar("accent"), "#e5e7eb")).toBeGreaterThanOrEqual(3);
    expect(contrast(cssVar("accent"), cssVar("bg"))).toBeGreaterThanOrEqual(3);
  });
});
