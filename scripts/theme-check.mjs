// Runs Shopify's theme-check (theme-app-extension preset) on every theme app extension and fails
// on any offense, warnings included: `npm run theme-check`.
import { fileURLToPath } from "node:url";
import path from "node:path";
import { checkExtensions, formatOffense } from "./theme-check-lib.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const results = await checkExtensions(root);

if (results.length === 0) {
  console.error("theme-check: no extension folder with shopify.extension.toml under extensions/");
  process.exit(1);
}
let total = 0;
for (const { dir, offenses } of results) {
  const rel = path.relative(root, dir);
  console.log(`theme-check ${rel}: ${offenses.length} offense(s)`);
  for (const offense of offenses) console.log("  " + formatOffense(offense, dir));
  total += offenses.length;
}
process.exit(total > 0 ? 1 : 0);
