/**
 * A stopping web server (SIGTERM, as a deploy or a scale-down sends) finishes the requests it is
 * serving, refuses new ones, releases the database and exits 0: the production server, over HTTP.
 */
import { spawn } from "node:child_process";
import http from "node:http";
import { API_KEY, API_SECRET_KEY, APP_URL } from "@shopify/shopify-api/test-helpers";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuild } from "../../sandbox/build";
import { listen } from "../../sandbox/http";
import { memberOf, resetShop } from "../support/engine";
import { orderPayload } from "../support/payloads";
import { webhookRequest } from "../support/shopify";

beforeAll(() => ensureBuild(() => {}), 180_000);

async function freePort() {
  const server = await listen(0);
  await server.close();
  return server.port;
}

describe("graceful shutdown", () => {
  it("finishes a webhook in flight after SIGTERM, then exits 0", async () => {
    await resetShop();
    const port = await freePort();
    const child = spawn(process.execPath, ["test/support/app-instance.mjs"], {
      env: {
        ...process.env,
        NODE_ENV: "production",
        PORT: String(port),
        SHOPIFY_API_KEY: API_KEY,
        SHOPIFY_API_SECRET: API_SECRET_KEY,
        SHOPIFY_APP_URL: APP_URL,
        SHOPIFY_SIMULATION_URL: "http://127.0.0.1:9",
        LOG_LEVEL: "info",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    for (let i = 0; !output.includes('"msg":"listening"'); i += 1) {
      if (i > 300) throw new Error(`server did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    // A webhook whose body is still arriving when the server is told to stop.
    const signed = webhookRequest({
      topic: "orders/paid",
      payload: orderPayload({ customerId: 4501, subtotal: "21.00" }),
    });
    const body = Buffer.from(await signed.text());
    const response = new Promise<number>((resolve, reject) => {
      const request = http.request(
        {
          host: "127.0.0.1",
          port,
          path: "/webhooks/orders/paid",
          method: "POST",
          headers: {
            ...Object.fromEntries(signed.headers.entries()),
            "content-length": String(body.length),
          },
        },
        (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        },
      );
      request.on("error", reject);
      request.write(body.subarray(0, 100));
      setTimeout(() => {
        child.kill("SIGTERM");
        setTimeout(() => request.end(body.subarray(100)), 500);
      }, 200);
    });

    expect(await response).toBe(200);
    expect(await exited).toBe(0);
    expect(output).toContain('"msg":"stopping: finishing requests in flight"');
    expect(output).toContain('"msg":"stopped"');
    expect((await memberOf(4501))?.balance).toBe(21);
  }, 120_000);
});
