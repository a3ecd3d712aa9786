import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EXTENSION_DIR } from "./build-asset";
import { readJson } from "./liquid";

const PLURAL_FORMS = new Set(["zero", "one", "two", "few", "many", "other"]);
const LANGUAGES = ["fr", "de", "es", "ja"];

const isPlural = (value: unknown): value is Record<string, string> =>
  !!value &&
  typeof value === "object" &&
  Object.keys(value).length > 0 &&
  Object.keys(value).every((key) => PLURAL_FORMS.has(key));

/** Leaf keys, with a plural object ({ one, other }) counted as one translation. */
function entries(node: unknown, prefix = ""): Map<string, string | Record<string, string>> {
  const out = new Map<string, string | Record<string, string>>();
  for (const [key, value] of Object.entries(node as object)) {
    const name = prefix + key;
    if (typeof value === "string" || isPlural(value)) out.set(name, value);
    else for (const [k, v] of entries(value, name + ".")) out.set(k, v);
  }
  return out;
}

const strings = (value: string | Record<string, string>) =>
  typeof value === "string" ? [value] : Object.values(value);

const placeholders = (value: string | Record<string, string>) => {
  const text = strings(value).join(" ");
  return [...text.matchAll(/\{\{\s*\w+\s*\}\}|\{\w+\}/g)]
    .map((m) => m[0].replace(/\s/g, ""))
    .sort();
};

describe.each([
  ["storefront", "locales/en.default.json", (lang: string) => `locales/${lang}.json`],
  ["schema", "locales/en.default.schema.json", (lang: string) => `locales/${lang}.schema.json`],
])("%s locale files", (_kind, defaultFile, fileFor) => {
  const english = entries(readJson(defaultFile));

  it.each(LANGUAGES)("%s has exactly the keys of the default locale", (lang) => {
    const other = entries(readJson(fileFor(lang)));
    expect([...other.keys()].sort()).toEqual([...english.keys()].sort());
  });

  it.each(LANGUAGES)("%s keeps every placeholder and plural form", (lang) => {
    const other = entries(readJson(fileFor(lang)));
    for (const [key, value] of english) {
      const translated = other.get(key)!;
      expect(placeholders(translated), `${lang} ${key}`).toEqual(placeholders(value));
      if (isPlural(value)) {
        expect(isPlural(translated), `${lang} ${key}`).toBe(true);
        expect(translated, `${lang} ${key}`).toHaveProperty("other");
      }
      for (const text of strings(translated)) expect(text.trim(), `${lang} ${key}`).not.toBe("");
    }
  });
});

describe("storefront strings", () => {
  it("contain no straight double quote, so they are safe inside HTML attributes", () => {
    // Strings are printed into data-* attributes; Shopify's t filter may or may not escape them.
    for (const lang of ["en.default", ...LANGUAGES]) {
      for (const [key, value] of entries(readJson(`locales/${lang}.json`))) {
        if (key.endsWith("_html")) continue;
        for (const text of strings(value)) expect(text, `${lang} ${key}`).not.toContain('"');
      }
    }
  });

  it("use plural forms for the points unit", () => {
    const unit = (
      readJson("locales/en.default.json").loyalty as { common: { point_unit: unknown } }
    ).common.point_unit;
    expect(unit).toEqual({ one: "point", other: "points" });
  });

  it("are all referenced by a block", () => {
    const liquid = fs
      .readdirSync(path.join(EXTENSION_DIR, "blocks"))
      .map((f) => fs.readFileSync(path.join(EXTENSION_DIR, "blocks", f), "utf8"))
      .join("\n");
    for (const key of entries(readJson("locales/en.default.json")).keys()) {
      expect(liquid, key).toContain(`'${key}' | t`);
    }
  });
});
