import { describe, expect, it } from "vitest";
import { appEnv, databaseEnv, EnvError } from "../../app/env.server";

const complete = {
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  SHOPIFY_APP_URL: "https://loyalty.example.com",
  SCOPES: "read_orders,write_discounts",
};

describe("environment", () => {
  it("names each missing variable and says what it is for", () => {
    const { SHOPIFY_API_KEY: _key, SCOPES: _scopes, ...rest } = complete;
    expect(() => appEnv(rest)).toThrow(EnvError);
    try {
      appEnv(rest);
    } catch (error) {
      expect((error as Error).message).toContain(
        "SHOPIFY_API_KEY (the app's client id) is missing",
      );
      expect((error as Error).message).toContain("SCOPES (comma-separated access scopes");
    }
  });

  it("explains a malformed value", () => {
    expect(() => appEnv({ ...complete, SHOPIFY_APP_URL: "localhost:3000" })).toThrow(
      /SHOPIFY_APP_URL \(the public https URL of this server\) is invalid/,
    );
    expect(() => databaseEnv({ DATABASE_URL: "mysql://db/loyalty" })).toThrow(
      /DATABASE_URL .* is invalid: DATABASE_URL must start with file:/,
    );
    expect(() => databaseEnv({ DATABASE_POOL_SIZE: "lots" })).toThrow(/DATABASE_POOL_SIZE/);
    expect(() => appEnv({ ...complete, WEBHOOK_PROCESSING: "later" })).toThrow(
      /WEBHOOK_PROCESSING \(queue: the worker applies stored webhooks/,
    );
  });

  it("fills defaults and treats an empty variable as unset", () => {
    expect(databaseEnv({ DATABASE_URL: "" })).toMatchObject({
      DATABASE_URL: "file:prisma/data/dev.sqlite",
      SQLITE_JOURNAL_MODE: "WAL",
    });
    const env = appEnv({ ...complete, DATABASE_POOL_SIZE: "4", CRON_SECRET: "" });
    expect(env).toMatchObject({
      DATABASE_POOL_SIZE: 4,
      LOG_LEVEL: "info",
      WEBHOOK_PROCESSING: "queue",
    });
    expect(env.CRON_SECRET).toBeUndefined();
  });
});
