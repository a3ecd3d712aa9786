import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { ApiType, shopifyApiProject } from "@shopify/api-codegen-preset";

/** The version the app pins (ApiVersion.October26); the sandbox serves the same schema. */
export const ADMIN_API_VERSION = "2026-10";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export const ADMIN_TYPES_DIR = path.join(root, "app", "types");

/**
 * The graphql-codegen project for Shopify's preset, as in Shopify's app template, but offline:
 * the preset fetches the schema from shopify.dev unless `<outputDir>/admin-<version>.schema.json`
 * already exists, and our machines cannot reach shopify.dev. So that file (git-ignored) is written
 * from the introspection dump @shopify/dev-mcp ships, the one the tests and the sandbox validate
 * and execute against; rewriting it on every run keeps it in step with the installed package.
 */
export function adminCodegenProject(outputDir = ADMIN_TYPES_DIR) {
  const dump = path.join(
    root,
    "node_modules/@shopify/dev-mcp/dist/data",
    `admin_${ADMIN_API_VERSION}.json.gz`,
  );
  mkdirSync(outputDir, { recursive: true });
  writeFileSync(
    path.join(outputDir, `admin-${ADMIN_API_VERSION}.schema.json`),
    gunzipSync(readFileSync(dump)),
  );
  return shopifyApiProject({
    apiType: ApiType.Admin,
    apiVersion: ADMIN_API_VERSION,
    documents: [path.join(root, "app/**/*.{js,ts,jsx,tsx}")],
    outputDir,
  });
}
