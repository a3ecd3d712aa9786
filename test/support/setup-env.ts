import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { inject } from "vitest";
import { API_KEY, API_SECRET_KEY, APP_URL } from "@shopify/shopify-api/test-helpers";

// Runs before each test file imports anything from app/, so db.server.ts and shopify.server.ts
// pick up a private database and the same credentials the Shopify test helpers sign with.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "loyalty-db-"));
const database = path.join(dir, "test.sqlite");
fs.copyFileSync(inject("templateDatabase"), database);

process.env.DATABASE_URL = `file:${database}`;
process.env.SHOPIFY_API_KEY = API_KEY;
process.env.SHOPIFY_API_SECRET = API_SECRET_KEY;
process.env.SHOPIFY_APP_URL = APP_URL;
process.env.SCOPES = "read_orders,read_customers,write_customers,write_discounts,write_app_proxy";
