/**
 * Serves the app's production build the way `npm start` does, plus the only three changes that
 * stand Shopify's own hosts in for local ones. They apply to this server alone; the production
 * code paths are untouched:
 *  - App Bridge's CDN script (https://cdn.shopify.com/shopifycloud/app-bridge.js) is replaced by
 *    the sandbox's stand-in in HTML and in the preload Link header;
 *  - the CSP `frame-ancestors` list (admin.shopify.com, the shop) gains the sandbox admin;
 *  - redirects to https://admin.shopify.com/store/… go to the sandbox admin instead.
 */
import { createRequestHandler } from "@remix-run/node";
import type { LoadedBuild } from "./build";
import { mimeType, type Handler } from "./http";

export const APP_BRIDGE_CDN_URL = "https://cdn.shopify.com/shopifycloud/app-bridge.js";
export const APP_BRIDGE_SANDBOX_PATH = "/cdn/shopifycloud/app-bridge.js";
const SHOPIFY_ADMIN = "https://admin.shopify.com";

/** Replaces `from` with `to` in a streamed text body, including matches split across chunks. */
export function replaceInStream(
  body: ReadableStream<Uint8Array>,
  from: string,
  to: string,
): ReadableStream<Uint8Array> {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let carry = "";
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        const text = (carry + decoder.decode(chunk, { stream: true })).split(from).join(to);
        // Hold back a tail that could be the start of a match completed by the next chunk.
        const keep = Math.min(text.length, from.length - 1);
        carry = text.slice(text.length - keep);
        const ready = text.slice(0, text.length - keep);
        if (ready) controller.enqueue(encoder.encode(ready));
      },
      flush(controller) {
        const rest = (carry + decoder.decode()).split(from).join(to);
        if (rest) controller.enqueue(encoder.encode(rest));
      },
    }),
  );
}

export function createAppHandler(loaded: LoadedBuild, options: { sandboxOrigin: string }): Handler {
  const remix = createRequestHandler(loaded.build, "production");
  const standIn = `${options.sandboxOrigin}${APP_BRIDGE_SANDBOX_PATH}`;

  return async (request) => {
    const url = new URL(request.url);
    const asset = request.method === "GET" || request.method === "HEAD" ? url.pathname : null;
    const file = asset ? loaded.assets.get(asset) : undefined;
    if (asset && file) {
      return new Response(request.method === "HEAD" ? null : new Uint8Array(file), {
        headers: {
          "content-type": mimeType(asset),
          // Same policy as remix-serve: fingerprinted build files are immutable.
          "cache-control": asset.startsWith("/build/")
            ? "public, max-age=31536000, immutable"
            : "public, max-age=3600",
        },
      });
    }

    const response = await remix(request);
    const headers = new Headers(response.headers);
    const link = headers.get("link");
    if (link?.includes(APP_BRIDGE_CDN_URL))
      headers.set("link", link.replace(APP_BRIDGE_CDN_URL, standIn));
    const csp = headers.get("content-security-policy");
    if (csp?.includes("frame-ancestors")) {
      headers.set(
        "content-security-policy",
        csp.replace("frame-ancestors", `frame-ancestors ${options.sandboxOrigin}`),
      );
    }
    const location = headers.get("location");
    if (location?.startsWith(`${SHOPIFY_ADMIN}/`))
      headers.set("location", options.sandboxOrigin + location.slice(SHOPIFY_ADMIN.length));

    let body: ReadableStream<Uint8Array> | null = response.body;
    if (body && (headers.get("content-type") ?? "").includes("text/html")) {
      body = replaceInStream(body, APP_BRIDGE_CDN_URL, standIn);
      headers.delete("content-length");
    }
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers,
    });
  };
}
