import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { CSS_ASSET } from "./build-asset";
import { blockSchema, renderBlock } from "./liquid";

const customer = { id: 7, email: "ada@example.com", first_name: "Ada", tags: [] };
const program = {
  enabled: true,
  earnPoints: 1,
  earnPerCents: 100,
  pointsName: { one: "point", other: "points" },
};
const product = (...prices: number[]) => {
  const variants = prices.map((price, i) => ({ id: 4100 + i, price }));
  return {
    id: 41,
    price_varies: new Set(prices).size > 1,
    variants,
    selected_or_first_available_variant: variants[0],
  };
};

/** Opening tag of the first element carrying `marker`. */
const tagWith = (html: string, marker: string) => {
  const at = html.indexOf(marker);
  if (at < 0) throw new Error(`${marker} not rendered`);
  return html.slice(html.lastIndexOf("<", at), html.indexOf(">", at) + 1);
};
// liquidjs writes &#34; and &#39; where Shopify writes &quot; and &#39;; both decode the same.
const decode = (s: string) =>
  s
    .replace(/&quot;|&#34;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
const text = (html: string) =>
  html
    .replace(/<style>[^<]*<\/style>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .trim();

describe("the widget's CSS", () => {
  // Shopify puts a block's schema "stylesheet" in <head>, where it holds up the first paint
  // (measured at ~310 ms of mobile LCP). Blocks in the page flow carry their few rules inline;
  // the launcher's panel loads its sheet as print media, switched to all once it has loaded.
  it("blocks nothing: no schema stylesheet, inline rules, the panel's sheet loaded async", async () => {
    for (const name of ["launcher", "points-balance", "earn-points"]) {
      expect(blockSchema(name).stylesheet, name).toBeUndefined();
    }
    const launcher = await renderBlock("launcher");
    const link = tagWith(launcher, 'rel="stylesheet"');
    expect(link).toContain('media="print"');
    expect(link).toContain(`onload="this.media='all'"`);
    // A sheet that fails to load removes the hiding rule, the element just before it.
    expect(link).toContain(`onerror="this.previousElementSibling.remove()"`);
    expect(launcher).toMatch(
      /<style>\.lw-launcher\{visibility:hidden\}<\/style>\s*<link rel="stylesheet"/,
    );
    // Invisible until that sheet applies (it sets visibility back), so never seen unstyled.
    const hide = launcher.indexOf("<style>.lw-launcher{visibility:hidden}</style>");
    expect(hide).toBeGreaterThan(-1);
    expect(hide).toBeLessThan(launcher.indexOf(link));
    expect(fs.readFileSync(CSS_ASSET, "utf8")).toMatch(/\.lw-launcher \{[^}]*visibility: visible;/);
    for (const html of [
      launcher,
      await renderBlock("points-balance"),
      await renderBlock("earn-points", { program, product: product(4599) }),
    ]) {
      expect(html).toMatch(/<style>\.lw\{--lw-accent/);
    }
  });
});

describe("launcher (app embed)", () => {
  it("renders an accessible launcher button wired to a modal panel", async () => {
    const html = await renderBlock("launcher");
    const button = tagWith(html, 'data-lw="open"');
    expect(button).toContain('type="button"');
    expect(button).toContain('aria-expanded="false"');
    expect(button).toContain('aria-controls="LoyaltyPanel-AbCdEf123"');
    expect(button).toContain('aria-haspopup="dialog"');
    const dialog = tagWith(html, 'id="LoyaltyPanel-AbCdEf123"');
    expect(dialog.startsWith("<dialog")).toBe(true);
    expect(dialog).toContain('aria-modal="true"');
    expect(dialog).toContain('aria-labelledby="LoyaltyTitle-AbCdEf123"');
    expect(html).toContain('id="LoyaltyTitle-AbCdEf123"');
    expect(tagWith(html, "data-lw-live")).toContain('aria-live="polite"');
    expect(text(html)).toContain("Rewards");
  });

  it("loads its script deferred and never outputs the schema", async () => {
    const html = await renderBlock("launcher");
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts).toEqual([
      '<script src="//example.myshopify.com/cdn/shop/extensions/0000/assets/loyalty.js" defer>',
    ]);
    expect(html).not.toContain('"target"');
    expect(html).not.toContain("translation missing");
  });

  it("offers guests join and sign-in links instead of a balance", async () => {
    const html = await renderBlock("launcher", { customer: null });
    expect(html).toContain('href="/account/register"');
    expect(html).toContain('href="/account/login"');
    expect(html).not.toContain('data-lw-f="points"');
    expect(html).not.toContain('data-lw-list="history"');
    expect(tagWith(html, "data-lw-root")).toContain('data-logged-in="false"');
  });

  it("gives members balance, tier and history slots but no join links", async () => {
    const html = await renderBlock("launcher", { customer });
    expect(html).toContain('data-lw-f="points"');
    expect(html).toContain('data-lw-f="next"');
    expect(html).toContain("<progress");
    expect(html).toContain('data-lw-list="rewards"');
    expect(html).toContain('data-lw-list="earn"');
    expect(html).toContain('data-lw-list="history"');
    expect(html).not.toContain("/account/register");
    expect(tagWith(html, "data-lw-root")).toContain('data-logged-in="true"');
  });

  it("passes the proxy URL, locale and unit names to the script", async () => {
    const root = tagWith(await renderBlock("launcher"), "data-lw-root");
    expect(root).toContain('data-proxy="/apps/loyalty"');
    expect(root).toContain('data-locale="en"');
    expect(root).toContain('data-one="point"');
    expect(root).toContain('data-other="points"');
  });

  it("builds locale-prefixed proxy and account URLs from routes", async () => {
    const html = await renderBlock("launcher", { lang: "fr", rootUrl: "/fr" });
    const root = tagWith(html, "data-lw-root");
    expect(root).toContain('data-proxy="/fr/apps/loyalty"');
    expect(root).toContain('data-locale="fr"');
    expect(html).toContain('href="/fr/account/login"');
    expect(text(html)).toContain("Récompenses");
    expect(tagWith(html, "data-lw-t")).toContain('data-redeemed="Votre code {code} est prêt.');
  });

  it("applies theme-editor settings", async () => {
    const html = await renderBlock("launcher", {
      customer,
      settings: {
        accent_color: "#0a7d38",
        text_color: "#000000",
        position: "bottom-left",
        show_rewards: false,
        show_history: false,
      },
    });
    const root = tagWith(html, "data-lw-root");
    expect(root).toContain('class="lw lw--left"');
    expect(root).toContain("--lw-accent: #0a7d38; --lw-on-accent: #000000;");
    expect(html).not.toContain('data-lw-list="rewards"');
    expect(html).not.toContain('data-lw-list="history"');
    expect(html).toContain('data-lw-list="earn"');
  });

  it("falls back to the stylesheet's colours when a colour setting is cleared", async () => {
    const html = await renderBlock("launcher", { settings: { accent_color: "", text_color: "" } });
    expect(tagWith(html, "data-lw-root")).toContain('style=""');
  });

  it("uses the merchant's label, escaped, or the translated default", async () => {
    const custom = await renderBlock("launcher", {
      settings: { launcher_label: 'VIP <img src=x onerror="alert(1)">' },
    });
    expect(custom).toContain("VIP &lt;img src=x onerror=");
    expect(custom).not.toContain("<img");
    expect(decode(text(custom))).toContain('VIP <img src=x onerror="alert(1)">');
    const german = await renderBlock("launcher", { lang: "de" });
    expect(text(german)).toContain("Prämien");
  });

  it("carries every string the script needs for errors and results", async () => {
    const strings = tagWith(await renderBlock("launcher"), "data-lw-t");
    for (const name of [
      "loading",
      "error",
      "pending",
      "expires",
      "tier",
      "multiplier",
      "next",
      "top",
      "need",
      "until",
      "redeemed",
      "copied",
      "insufficient_points",
      "reward_disabled",
      "rate_limited",
      "not_logged_in",
    ]) {
      expect(strings).toMatch(new RegExp(`data-${name}="[^"]+"`));
    }
  });
});

describe("a paused program", () => {
  it("hides the launcher and the balance block, which show before the metafield is written", async () => {
    const paused = { ...program, enabled: false };
    for (const block of ["launcher", "points-balance"]) {
      expect((await renderBlock(block, { customer, program: paused })).trim(), block).toBe("");
      expect(await renderBlock(block, { customer, program }), block).toContain("data-lw-root");
      expect(await renderBlock(block, { customer }), block).toContain("data-lw-root");
    }
  });
});

describe("points balance (app block)", () => {
  it("shows a join prompt to guests without loading any script", async () => {
    const html = await renderBlock("points-balance", { customer: null });
    expect(html).toContain('href="/account/register"');
    expect(html).toContain('href="/account/login"');
    expect(html).not.toContain("data-lw-auto");
    expect(html).not.toContain("<script");
    expect(text(html)).toContain("Join our rewards program");
  });

  it("asks the script to fetch the balance for signed-in shoppers", async () => {
    const html = await renderBlock("points-balance", { customer });
    expect(tagWith(html, "data-lw-root")).toContain("data-lw-auto");
    expect(text(html)).toContain("Your rewards");
    expect(text(html)).toContain("You have …");
    expect(html).toContain('<strong class="lw-block__points" data-lw-f="points">…</strong>');
    expect(html).toContain('data-lw-f="tier"');
    expect(html).toMatch(/<script src="[^"]+loyalty\.js" defer><\/script>/);
    expect(html).not.toContain("/account/register");
  });

  it("honours the heading and tier settings", async () => {
    const html = await renderBlock("points-balance", {
      customer,
      settings: { heading: "Club <b>Stars</b>", show_tier: false },
    });
    expect(html).toContain("Club &lt;b&gt;Stars&lt;/b&gt;");
    expect(html).not.toContain('data-lw-f="tier"');
    const bare = await renderBlock("points-balance", {
      customer,
      settings: { show_heading: false },
    });
    expect(bare).not.toContain("<h2");
  });
});

describe("earn points (product app block)", () => {
  it("shows the points a $45.99 product earns at 1 point per $1, rounded down", async () => {
    const html = await renderBlock("earn-points", { program, product: product(4599) });
    expect(text(html)).toBe(
      "Earn 45 points with this purchase Sign in or create an account to collect them",
    );
    // A guest's figure is final: no script, no request.
    expect(html).not.toContain("<script");
    expect(html).not.toContain("data-proxy");
  });

  it("loads the script for a signed-in member, whose tier may multiply the figure", async () => {
    const html = await renderBlock("earn-points", { program, product: product(4599), customer });
    expect(text(html)).toBe("Earn 45 points with this purchase");
    expect(tagWith(html, "data-lw-earn")).toContain('data-proxy="/apps/loyalty"');
    expect(html).toContain("<script");
  });

  it("names points in the storefront's language from the metafield", async () => {
    const named = {
      ...program,
      pointsName: { one: "star", other: "stars" },
      pointsNames: { de: { one: "Stern", other: "Sterne" }, en: { one: "star", other: "stars" } },
    };
    const de = await renderBlock("earn-points", {
      lang: "de",
      program: named,
      product: product(4599),
      customer,
    });
    expect(tagWith(de, "data-lw-earn")).toContain('data-other="Sterne"');
    expect(de).toContain("45 Sterne");
  });

  it("rounds as the program rounds an order's points, and tells the script how", async () => {
    const figure = async (rounding?: string, price = 4599) => {
      const html = await renderBlock("earn-points", {
        program: { ...program, rounding },
        product: product(price),
      });
      return [text(html).split(" ")[1], /data-r="(\w+)"/.exec(html)?.[1]];
    };
    expect(await figure(undefined)).toEqual(["45", "floor"]);
    expect(await figure("DOWN")).toEqual(["45", "floor"]);
    expect(await figure("UP")).toEqual(["46", "ceil"]);
    expect(await figure("NEAREST")).toEqual(["46", "round"]);
    expect(await figure("NEAREST", 4549)).toEqual(["45", "round"]);
    // Half rounds up, as the server's NEAREST does.
    expect(await figure("NEAREST", 4550)).toEqual(["46", "round"]);
    expect(await figure("UP", 4500)).toEqual(["45", "ceil"]);
  });

  it("uses the singular form for one point", async () => {
    const html = await renderBlock("earn-points", { program, product: product(150), customer });
    expect(text(html)).toBe("Earn 1 point with this purchase");
  });

  it("uses the program's own points name and the locale's sentence", async () => {
    const stars = { ...program, earnPoints: 2, pointsName: { one: "star", other: "stars" } };
    expect(
      text(await renderBlock("earn-points", { program: stars, product: product(1000), customer })),
    ).toBe("Earn 20 stars with this purchase");
    const fr = await renderBlock("earn-points", {
      lang: "fr",
      program: { ...program, pointsName: undefined },
      product: product(4599),
      customer,
    });
    expect(text(fr)).toBe("Gagnez 45 points avec cet achat");
  });

  it("escapes the points name taken from the metafield", async () => {
    const evil = { ...program, pointsName: { one: "<i>pt</i>", other: "<script>x</script>" } };
    const html = await renderBlock("earn-points", {
      program: evil,
      product: product(4599),
      customer,
    });
    expect(html).toContain("45 &lt;script&gt;x&lt;/script&gt;");
    expect(html).not.toContain("<script>x");
  });

  it("renders nothing without the metafield, when disabled, or off product pages", async () => {
    expect((await renderBlock("earn-points", { product: product(4599) })).trim()).toBe("");
    const disabled = { ...program, enabled: false };
    expect(
      (await renderBlock("earn-points", { program: disabled, product: product(4599) })).trim(),
    ).toBe("");
    expect((await renderBlock("earn-points", { program, product: null })).trim()).toBe("");
    const broken = { ...program, earnPerCents: 0 };
    expect(
      (await renderBlock("earn-points", { program: broken, product: product(4599) })).trim(),
    ).toBe("");
  });

  it("stays hidden when the price earns less than one point", async () => {
    const html = await renderBlock("earn-points", { program, product: product(99), customer });
    expect(tagWith(html, "data-lw-earn")).toMatch(/\shidden[\s>]/);
  });

  it("invites guests to sign in to collect the points", async () => {
    const html = await renderBlock("earn-points", { program, product: product(4599) });
    expect(html).toContain('href="/account/login"');
    expect(text(html)).toContain("Sign in or create an account to collect them");
    const off = await renderBlock("earn-points", {
      program,
      product: product(4599),
      settings: { show_sign_in: false },
    });
    expect(off).not.toContain("/account/login");
  });

  it("gives the script every variant's price when prices differ", async () => {
    const html = await renderBlock("earn-points", { program, product: product(4599, 9900) });
    const root = tagWith(html, "data-lw-earn");
    const prices = decode(/data-prices="([^"]+)"/.exec(root)?.[1] ?? "null");
    expect(JSON.parse(prices)).toEqual({ "4100": 4599, "4101": 9900 });
    expect(root).toContain('data-earn="1"');
    expect(root).toContain('data-per="100"');
    expect(root).toContain('data-price="4599"');
    expect(html).toMatch(/<script src="[^"]+loyalty\.js" defer><\/script>/);
  });

  it("flags a shopper currency that differs from the shop's for conversion", async () => {
    const html = await renderBlock("earn-points", {
      program,
      product: product(4599),
      cartCurrency: "EUR",
    });
    const root = tagWith(html, "data-lw-earn");
    expect(root).toContain("data-fx");
    expect(root).not.toMatch(/\shidden[\s>]/);
    expect(html).toContain("<script");
  });
});
