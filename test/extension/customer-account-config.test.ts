import fs from "node:fs";
import path from "node:path";
import toml from "toml";
import { describe, expect, it } from "vitest";
import { EXTENSION, locale } from "./customer-account-fakes";

const config = toml.parse(fs.readFileSync(path.join(EXTENSION, "shopify.extension.toml"), "utf8"));
const extension = config.extensions[0];

describe("shopify.extension.toml", () => {
  it("declares a 2026-10 UI extension on the page and order status targets", () => {
    expect(config.api_version).toBe("2026-10");
    expect(extension.type).toBe("ui_extension");
    expect(
      extension.targeting.map((t: { target: string; module: string }) => [t.target, t.module]),
    ).toEqual([
      ["customer-account.page.render", "./src/PageExtension.tsx"],
      ["customer-account.order-status.block.render", "./src/OrderStatusExtension.tsx"],
    ]);
    expect(extension.capabilities).toEqual({ network_access: true, api_access: true });
  });

  it("points each target at a module whose default export renders it", async () => {
    for (const { module } of extension.targeting as { module: string }[]) {
      const loaded = await import(path.join(EXTENSION, module));
      expect(typeof loaded.default, module).toBe("function");
    }
  });
});

/** Leaf keys; a plural object ({ one, other }) counts as one key. */
function keys(node: object, prefix = ""): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [key, value] of Object.entries(node)) {
    const plural =
      typeof value === "object" && Object.keys(value).every((k) => k === "one" || k === "other");
    if (typeof value === "string" || plural)
      out.set(prefix + key, typeof value === "string" ? [value] : Object.values(value));
    else for (const [k, v] of keys(value, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
}
const placeholders = (texts: string[]) =>
  [
    ...new Set(texts.flatMap((s) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]))),
  ].sort();

describe("locales", () => {
  const english = keys(locale("en"));

  it.each(["fr", "de", "es", "ja"])(
    "%s has every English string with the same placeholders",
    (lang) => {
      const other = keys(locale(lang));
      expect([...other.keys()].sort()).toEqual([...english.keys()].sort());
      for (const [key, texts] of english) {
        expect(placeholders(other.get(key)!), `${lang}:${key}`).toEqual(placeholders(texts));
      }
    },
  );

  it("has every key the source translates", () => {
    const source = fs
      .readdirSync(path.join(EXTENSION, "src"))
      .map((file) => fs.readFileSync(path.join(EXTENSION, "src", file), "utf8"))
      .join("\n");
    const used = [...source.matchAll(/\bt(?:ranslate)?\("([a-z_.]+)"/g)].map((m) => m[1]!);
    expect(used.length).toBeGreaterThan(40);
    expect(used.filter((key) => !english.has(key))).toEqual([]);
  });
});
