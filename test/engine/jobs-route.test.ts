import { afterEach, describe, expect, it } from "vitest";
import { action } from "../../app/routes/jobs.run";

function call(headers: Record<string, string> = {}) {
  return action({
    request: new Request("https://my-test-app.myshopify.io/jobs/run", { method: "POST", headers }),
    params: {},
    context: {},
  });
}

describe("POST /jobs/run", () => {
  afterEach(() => {
    delete process.env.CRON_SECRET;
  });

  it("runs the scheduled jobs for a caller holding CRON_SECRET", async () => {
    process.env.CRON_SECRET = "s3cret-value-long-enough";
    const response = await call({ Authorization: "Bearer s3cret-value-long-enough" });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      released: 0,
      expired: 0,
      tierChanges: 0,
      expiredCodes: 0,
      redemptions: { completed: 0, refunded: 0, skipped: 0 },
    });
  });

  it("refuses other callers, and everyone when no secret is configured", async () => {
    process.env.CRON_SECRET = "s3cret-value-long-enough";
    expect((await call({ Authorization: "Bearer wrong-value" })).status).toBe(401);
    expect((await call()).status).toBe(401);
    delete process.env.CRON_SECRET;
    expect((await call({ Authorization: "Bearer " })).status).toBe(401);
  });
});
