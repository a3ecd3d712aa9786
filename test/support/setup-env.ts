import { afterAll, inject } from "vitest";
import { API_KEY, API_SECRET_KEY, APP_URL } from "@shopify/shopify-api/test-helpers";
import { createDatabase, testDatabaseKind } from "./databases";

// Runs before each test file imports anything from app/, so db.server.ts and shopify.server.ts
// pick up a private database (a copy of the migrated template) and the same credentials the
// Shopify test helpers sign with.
const database = await createDatabase(testDatabaseKind(), {
  run: inject("testRun"),
  template: inject("templateDatabase"),
});
afterAll(async () => {
  const { default: prisma } = await import("../../app/db.server");
  await prisma.$disconnect();
  await database.drop();
});

process.env.DATABASE_URL = database.url;
// Warnings are part of what many tests provoke; errors are what a reader of the output wants.
process.env.LOG_LEVEL ??= "error";
process.env.SHOPIFY_API_KEY = API_KEY;
process.env.SHOPIFY_API_SECRET = API_SECRET_KEY;
process.env.SHOPIFY_APP_URL = APP_URL;
// Most tests check a webhook's effect right after its answer; test/engine/webhook-queue.test.ts
// and the worker tests cover the queue production uses.
process.env.WEBHOOK_PROCESSING ??= "inline";
process.env.SCOPES =
  "read_orders,read_customers,write_customers,write_discounts,write_app_proxy,read_products,read_store_credit_accounts,write_store_credit_account_transactions";
