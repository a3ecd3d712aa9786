import fs from "node:fs";
import path from "node:path";
import { Liquid, Tag, type TagToken, type TopLevelToken } from "liquidjs";
import { EXTENSION_DIR } from "./build-asset";

type Json = { [key: string]: unknown };
type Setting = { id?: string; type: string; default?: unknown };

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);

export function readJson(file: string): Json {
  return JSON.parse(fs.readFileSync(path.join(EXTENSION_DIR, file), "utf8")) as Json;
}

/** The storefront locale file Shopify would use for `lang` (en is the default). */
export function storefrontLocale(lang: string): Json {
  return readJson(lang === "en" ? "locales/en.default.json" : `locales/${lang}.json`);
}

/**
 * Shopify's `t` filter, reduced to what the blocks use: nested keys, `count` choosing a plural
 * form by the locale's CLDR rules, and `{{ name }}` interpolation with HTML-escaped values.
 * A missing key renders Shopify's "translation missing" text so tests notice it.
 */
function translate(locale: Json, lang: string) {
  return (key: string, ...args: unknown[]) => {
    const vars = Object.fromEntries(
      args.filter((a): a is [string, unknown] => Array.isArray(a) && a.length === 2),
    );
    let value: unknown = key
      .split(".")
      .reduce<unknown>((node, part) => (node as Json | undefined)?.[part], locale);
    if (value && typeof value === "object" && "count" in vars) {
      const forms = value as Json;
      value = forms[new Intl.PluralRules(lang).select(Number(vars.count))] ?? forms.other;
    }
    if (typeof value !== "string") return `translation missing: ${lang}.${key}`;
    return value.replace(/\{\{\s*(\w+)\s*\}\}/g, (match, name: string) =>
      name in vars ? escapeHtml(String(vars[name])) : match,
    );
  };
}

/** {% schema %} is metadata for Shopify, never output. */
class SchemaTag extends Tag {
  constructor(token: TagToken, remain: TopLevelToken[], liquid: Liquid) {
    super(token, remain, liquid);
    while (remain.length) {
      const next = remain.shift() as TopLevelToken & { name?: string };
      if (next.name === "endschema") return;
    }
    throw new Error("{% schema %} is not closed");
  }
  *render() {}
}

export function blockSchema(block: string): { settings: Setting[] } & Json {
  const source = fs.readFileSync(path.join(EXTENSION_DIR, "blocks", `${block}.liquid`), "utf8");
  const match = /{%-?\s*schema\s*-?%}([\s\S]*?){%-?\s*endschema\s*-?%}/.exec(source);
  if (!match?.[1]) throw new Error(`${block} has no schema`);
  return JSON.parse(match[1]) as { settings: Setting[] } & Json;
}

/** Settings as Shopify hands them to a freshly added block: each setting's default. */
function defaultSettings(block: string): Json {
  const settings: Json = {};
  for (const s of blockSchema(block).settings) {
    if (!s.id) continue;
    settings[s.id] = s.default ?? (s.type === "checkbox" ? false : null);
  }
  return settings;
}

export interface RenderOptions {
  lang?: string;
  rootUrl?: string;
  customer?: Json | null;
  settings?: Json;
  product?: Json | null;
  program?: Json | null;
  shopCurrency?: string;
  cartCurrency?: string;
}

export async function renderBlock(block: string, options: RenderOptions = {}): Promise<string> {
  const lang = options.lang ?? "en";
  const engine = new Liquid({
    root: [path.join(EXTENSION_DIR, "blocks"), path.join(EXTENSION_DIR, "snippets")],
    extname: ".liquid",
    // An unknown filter is a Shopify filter this file does not stub: fail instead of passing it through.
    strictFilters: true,
  });
  engine.registerTag("schema", SchemaTag);
  engine.registerFilter("t", translate(storefrontLocale(lang), lang));
  engine.registerFilter(
    "asset_url",
    (name: string) => `//example.myshopify.com/cdn/shop/extensions/0000/assets/${name}`,
  );

  const rootUrl = options.rootUrl ?? "/";
  const prefix = rootUrl === "/" ? "" : rootUrl;
  const shopCurrency = options.shopCurrency ?? "USD";
  const context = {
    block: {
      id: "AbCdEf123",
      type: `shopify://apps/loyalty/blocks/${block}/0000`,
      settings: { ...defaultSettings(block), ...options.settings },
    },
    customer: options.customer ?? null,
    product: options.product ?? null,
    app: {
      metafields: options.program ? { loyalty: { program: { value: options.program } } } : {},
    },
    shop: {
      permanent_domain: "example.myshopify.com",
      currency: shopCurrency,
      money_format: "${{amount}}",
    },
    cart: { currency: { iso_code: options.cartCurrency ?? shopCurrency } },
    request: { locale: { iso_code: lang }, design_mode: false, page_type: "index" },
    routes: {
      root_url: rootUrl,
      account_login_url: `${prefix}/account/login`,
      account_register_url: `${prefix}/account/register`,
    },
  };
  return engine.renderFile(block, context);
}
