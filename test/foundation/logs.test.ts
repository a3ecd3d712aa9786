import { afterEach, describe, expect, it, vi } from "vitest";
import { errorFields, log } from "../../app/log.server";
import { deliver, resetShop } from "../support/engine";
import { orderPayload } from "../support/payloads";

function capture() {
  const lines: string[] = [];
  const take = (chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  };
  vi.spyOn(process.stdout, "write").mockImplementation(take);
  vi.spyOn(process.stderr, "write").mockImplementation(take);
  return lines;
}

afterEach(() => {
  vi.restoreAllMocks();
  delete process.env.LOG_LEVEL;
});

describe("logs", () => {
  it("are one JSON object per line, warnings and errors on stderr, filtered by LOG_LEVEL", () => {
    process.env.LOG_LEVEL = "info";
    const out: string[] = [];
    const err: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((c) => out.push(String(c)) > 0);
    vi.spyOn(process.stderr, "write").mockImplementation((c) => err.push(String(c)) > 0);

    log.debug("hidden", {});
    log.info("job finished", { job: "expire-balances", ms: 12 });
    log.error("failed", errorFields(Object.assign(new Error("boom"), { code: "P2002" })));

    expect(out).toHaveLength(1);
    expect(JSON.parse(out[0]!)).toMatchObject({ level: "info", msg: "job finished", ms: 12 });
    expect(JSON.parse(err[0]!)).toMatchObject({
      level: "error",
      error: "boom",
      errorName: "Error",
      errorCode: "P2002",
    });
    expect(out[0]!.endsWith("\n")).toBe(true);
  });

  it("carry no personal data from a webhook the app rejects or fails on", async () => {
    await resetShop();
    process.env.LOG_LEVEL = "debug";
    const lines = capture();
    const email = "ada.private@example.com";
    const payload: Record<string, unknown> = {
      ...orderPayload({ customerId: 4401, email, currency: "ZZZ" }),
    };
    expect(await deliver({ topic: "orders/paid", payload })).toBe(200);
    const logged = lines.join("");
    expect(logged).toContain("webhook rejected");
    expect(logged).not.toContain(email);
    expect(logged).not.toContain("Lovelace");
    for (const line of logged.trim().split("\n")) expect(() => JSON.parse(line)).not.toThrow();
  });
});
