/**
 * The body limit at its exact boundary, the 413 response Shopify (or a proxy caller) gets, and
 * requests that carry no body at all.
 */
import { describe, expect, it } from "vitest";
import { PROXY_BODY_LIMIT, readBoundedBody } from "../../app/loyalty/body.server";

const URL = "https://my-test-app.myshopify.io/apps/loyalty";

function post(body: string | null, headers: Record<string, string> = {}) {
  return new Request(URL, { method: "POST", body, headers });
}

describe("the size limit", () => {
  it("accepts a body of exactly the limit, declared or not, and refuses one byte more", async () => {
    const atLimit = "x".repeat(PROXY_BODY_LIMIT);
    // Content-Length equal to the limit is allowed (the limit is inclusive).
    const declared = await readBoundedBody(
      post(atLimit, { "Content-Length": String(PROXY_BODY_LIMIT) }),
      PROXY_BODY_LIMIT,
    );
    expect(declared).toEqual({ text: atLimit, bytes: PROXY_BODY_LIMIT });
    expect(await readBoundedBody(post(atLimit), PROXY_BODY_LIMIT)).toEqual({
      text: atLimit,
      bytes: PROXY_BODY_LIMIT,
    });

    const over = await readBoundedBody(post(`${atLimit}x`), PROXY_BODY_LIMIT);
    expect(over).toBeInstanceOf(Response);
    const response = over as Response;
    expect(response.status).toBe(413);
    expect(await response.text()).toBe(`Request body larger than ${PROXY_BODY_LIMIT} bytes`);
    expect(response.headers.get("Content-Type")).toBe("text/plain; charset=utf-8");
    // The rest of an oversized upload is not read: the connection is not reused.
    expect(response.headers.get("Connection")).toBe("close");
  });

  it("refuses an oversized declared length even when no body came with it", async () => {
    const request = post(null, { "Content-Length": String(PROXY_BODY_LIMIT + 1) });
    expect(request.body).toBeNull();
    const response = await readBoundedBody(request, PROXY_BODY_LIMIT);
    expect((response as Response).status).toBe(413);
  });
});

describe("requests without a body", () => {
  it("reads as empty text", async () => {
    expect(await readBoundedBody(post(null), PROXY_BODY_LIMIT)).toEqual({ text: "", bytes: 0 });
    expect(await readBoundedBody(new Request(URL), PROXY_BODY_LIMIT)).toEqual({
      text: "",
      bytes: 0,
    });
  });
});
