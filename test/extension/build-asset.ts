import fs from "node:fs/promises";
import path from "node:path";
import { transformWithEsbuild } from "vite";

export const EXTENSION_DIR = path.resolve(import.meta.dirname, "../../extensions/loyalty-widget");
export const JS_SOURCE = path.join(EXTENSION_DIR, "src/loyalty.ts");
export const JS_ASSET = path.join(EXTENSION_DIR, "assets/loyalty.js");
/** What only the open panel needs, loaded by loyalty.js when the panel first opens. */
export const PANEL_JS_SOURCE = path.join(EXTENSION_DIR, "src/loyalty-panel.ts");
export const PANEL_JS_ASSET = path.join(EXTENSION_DIR, "assets/loyalty-panel.js");
export const CSS_ASSET = path.join(EXTENSION_DIR, "assets/loyalty.css");
/** The styles blocks in the page flow need, inline in each (not render-blocking). */
export const STYLES_SNIPPET = path.join(EXTENSION_DIR, "snippets/lw-styles.liquid");

/**
 * assets/loyalty.js is src/loyalty.ts minified: the readable source would not fit the 6 KB budget.
 * Uses the esbuild that ships with vite (pinned by the lockfile) so the output is reproducible.
 */
export async function buildLoyaltyJs(file = JS_SOURCE): Promise<string> {
  const source = await fs.readFile(file, "utf8");
  const { code } = await transformWithEsbuild(source, file, {
    loader: "ts",
    format: "iife",
    target: "es2022",
    minify: true,
    legalComments: "none",
    charset: "utf8",
    // Every byte counts against the budget; .prettierignore keeps prettier off the output.
    banner: `// Built from src/${path.basename(file)}`,
  });
  return code;
}
