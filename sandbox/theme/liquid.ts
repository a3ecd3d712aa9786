/**
 * Renders theme app extension blocks with liquidjs plus stubs for the Shopify-only pieces the
 * blocks use: the `t` filter over the extension's locale files, `asset_url`, and a `{% schema %}`
 * tag that outputs nothing. Unknown filters fail the render (strictFilters), so a block that
 * starts using another Shopify filter is noticed instead of silently passed through.
 * Used by the sandbox storefront and by the extension's tests (test/extension/liquid.ts).
 */
import fs from "node:fs";
import path from "node:path";
import { Liquid, Tag, type TagToken, type TopLevelToken } from "liquidjs";

type Json = { [key: string]: unknown };
export type Setting = { id?: string; type: string; default?: unknown };

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);

export function readExtensionJson(extensionDir: string, file: string): Json {
  return JSON.parse(fs.readFileSync(path.join(extensionDir, file), "utf8")) as Json;
}

/** The storefront locale file Shopify would use for `lang` (en is the default). */
export function extensionLocale(extensionDir: string, lang: string): Json {
  return readExtensionJson(
    extensionDir,
    lang === "en" ? "locales/en.default.json" : `locales/${lang}.json`,
  );
}

/** Storefront languages the extension ships, default first. */
export function extensionLanguages(extensionDir: string): string[] {
  const files = fs.readdirSync(path.join(extensionDir, "locales"));
  const langs = files
    .filter((f) => f.endsWith(".json") && !f.includes(".schema."))
    .map((f) => f.replace(/\.default\.json$|\.json$/, ""));
  return ["en", ...langs.filter((l) => l !== "en").sort()];
}

/**
 * Shopify's `t` filter, reduced to what the blocks use: nested keys, `count` choosing a plural
 * form by the locale's CLDR rules, and `{{ name }}` interpolation with HTML-escaped values.
 * A missing key renders Shopify's "translation missing" text so tests notice it.
 */
export function translateFilter(locale: Json, lang: string) {
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
export class SchemaTag extends Tag {
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

export function blockSchema(
  extensionDir: string,
  block: string,
): { settings: Setting[]; stylesheet?: string; javascript?: string } & Json {
  const source = fs.readFileSync(path.join(extensionDir, "blocks", `${block}.liquid`), "utf8");
  const match = /{%-?\s*schema\s*-?%}([\s\S]*?){%-?\s*endschema\s*-?%}/.exec(source);
  if (!match?.[1]) throw new Error(`${block} has no schema`);
  return JSON.parse(match[1]) as { settings: Setting[] } & Json;
}

/** Settings as Shopify hands them to a freshly added block: each setting's default. */
export function defaultSettings(extensionDir: string, block: string): Json {
  const settings: Json = {};
  for (const s of blockSchema(extensionDir, block).settings) {
    if (!s.id) continue;
    settings[s.id] = s.default ?? (s.type === "checkbox" ? false : null);
  }
  return settings;
}

export interface ThemeEngineOptions {
  extensionDir: string;
  lang: string;
  /** What `asset_url` returns for an extension asset file name. */
  assetUrl: (file: string) => string;
}

export function createThemeEngine(options: ThemeEngineOptions): Liquid {
  const engine = new Liquid({
    root: [path.join(options.extensionDir, "blocks"), path.join(options.extensionDir, "snippets")],
    extname: ".liquid",
    strictFilters: true,
    // The extension can change while the sandbox runs; always render the file on disk.
    cache: false,
  });
  engine.registerTag("schema", SchemaTag);
  engine.registerFilter(
    "t",
    translateFilter(extensionLocale(options.extensionDir, options.lang), options.lang),
  );
  engine.registerFilter("asset_url", options.assetUrl);
  return engine;
}
