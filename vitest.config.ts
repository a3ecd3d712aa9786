import { defineConfig } from "vitest/config";

// Suites that need no database run once; every suite that touches one runs on SQLite and again on
// PostgreSQL (docs/database.md). Test names carry the project: "sqlite" or "postgresql".
const pure = [
  "app/domain/**/*.test.ts",
  "test/extension/**/*.test.ts",
  "test/redemption/admin-operations.test.ts",
  "test/redemption/admin-outcomes.test.ts",
  "test/foundation/env.test.ts",
  "test/foundation/graphql-codegen.test.ts",
  "test/foundation/boundaries.test.ts",
  "test/foundation/client-bundle.test.ts",
  "test/admin/staff.test.ts",
  "sandbox/shopify/*.test.ts",
  "sandbox/sandbox.test.ts",
  "sandbox/faults-api.test.ts",
  "scripts/**/*.test.ts",
];
const all = [
  "app/**/*.test.{ts,tsx}",
  "test/**/*.test.{ts,tsx}",
  "sandbox/**/*.test.ts",
  "scripts/**/*.test.ts",
];

const shared = {
  globalSetup: ["test/support/global-setup.ts"],
  setupFiles: ["test/support/setup-env.ts"],
  pool: "forks" as const,
  testTimeout: 30_000,
  hookTimeout: 60_000,
};

export default defineConfig({
  test: {
    projects: [
      { test: { ...shared, name: "sqlite", include: all, env: { LOYALTY_TEST_DB: "sqlite" } } },
      {
        test: {
          ...shared,
          name: "postgresql",
          include: all,
          exclude: [...pure, "**/node_modules/**"],
          env: { LOYALTY_TEST_DB: "postgresql" },
        },
      },
    ],
  },
});
