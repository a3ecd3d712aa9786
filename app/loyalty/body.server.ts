/**
 * Reading request bodies Shopify sends (webhooks, app proxy), bounded before the signature is
 * checked: a body over the limit is refused with 413 as soon as its Content-Length, or its bytes
 * so far, say so, without reading the rest. Shopify's own payloads are far below the limits.
 */

export const WEBHOOK_BODY_LIMIT = 2 * 1024 * 1024;
export const PROXY_BODY_LIMIT = 16 * 1024;

export interface Body {
  text: string;
  bytes: number;
}

function tooLarge(limit: number) {
  return new Response(`Request body larger than ${limit} bytes`, {
    status: 413,
    headers: { "Content-Type": "text/plain; charset=utf-8", Connection: "close" },
  });
}

/** The body as UTF-8 text, or a 413 response. */
export async function readBoundedBody(request: Request, limit: number): Promise<Body | Response> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) {
    await request.body?.cancel().catch(() => {});
    return tooLarge(limit);
  }
  if (!request.body) return { text: "", bytes: 0 };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > limit) {
      await reader.cancel().catch(() => {});
      return tooLarge(limit);
    }
    chunks.push(value);
  }
  // Invalid UTF-8 becomes U+FFFD, as it would in any JSON consumer.
  return { text: new TextDecoder().decode(Buffer.concat(chunks)), bytes };
}
