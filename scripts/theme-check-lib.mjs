// Shared by scripts/theme-check.mjs and test/extension so both run theme-check the same way.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { themeCheckRun } from "@shopify/theme-check-node";

const SEVERITY = ["error", "warning", "info"];

/** Folders under `<root>/extensions` that hold a theme app extension. */
export function extensionDirs(root) {
  const base = path.join(root, "extensions");
  if (!fs.existsSync(base)) return [];
  return fs
    .readdirSync(base, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.join(base, entry.name))
    .filter((dir) => isThemeExtension(dir));
}

function isThemeExtension(dir) {
  const toml = path.join(dir, "shopify.extension.toml");
  if (!fs.existsSync(toml)) return false;
  // Other extension types (functions, UI extensions) share the folder layout but not theme-check.
  return /^\s*type\s*=\s*"theme"\s*$/m.test(fs.readFileSync(toml, "utf8"));
}

/**
 * Runs theme-check on one extension folder. With no config file it picks the
 * theme-app-extension preset because the folder holds shopify.extension.toml.
 */
export async function checkExtension(dir, log = () => {}) {
  const { offenses } = await themeCheckRun(dir, undefined, log);
  return offenses;
}

export async function checkExtensions(root, log) {
  const results = [];
  for (const dir of extensionDirs(root)) {
    results.push({ dir, offenses: await checkExtension(dir, log) });
  }
  return results;
}

export function formatOffense(offense, dir) {
  const file = path.relative(dir, fileURLToPath(offense.uri));
  const severity = SEVERITY[offense.severity] ?? String(offense.severity);
  return `${file}:${offense.start.line + 1}:${offense.start.character + 1} ${severity} ${offense.check}: ${offense.message}`;
}
