/**
 * Shopify's app proxy: a storefront request to /{prefix}/{subpath}/rest (optionally under a
 * locale root such as /fr) is forwarded to {app proxy url}/rest with the storefront's query plus
 * shop, logged_in_customer_id (empty for guests), path_prefix and timestamp, signed with the app
 * secret. Shopper-supplied copies of those parameters are dropped first, so a shopper cannot pose
 * as someone else. Cookies are not forwarded and Set-Cookie is stripped from the answer.
 */
import { createHmac } from "node:crypto";

export const PROXY_PARAMS = [
  "shop",
  "logged_in_customer_id",
  "path_prefix",
  "timestamp",
  "signature",
] as const;

/**
 * Shopify's algorithm: every parameter except `signature` as key=value (values of a repeated key
 * joined with ","), sorted, concatenated without separator, HMAC-SHA256 hex with the app secret.
 */
export function proxySignature(params: URLSearchParams, secret: string): string {
  const grouped = new Map<string, string[]>();
  for (const [key, value] of params) {
    if (key === "signature") continue;
    grouped.set(key, [...(grouped.get(key) ?? []), value]);
  }
  const message = [...grouped.entries()]
    .map(([key, values]) => `${key}=${values.join(",")}`)
    .sort()
    .join("");
  return createHmac("sha256", secret).update(message).digest("hex");
}

export interface ProxyTarget {
  /** Where the app listens, e.g. http://127.0.0.1:3101. */
  appUrl: string;
  /** The app proxy URL's path in shopify.app.toml, e.g. "/proxy". */
  proxyPath: string;
  /** "/apps/loyalty" */
  pathPrefix: string;
  shop: string;
  secret: string;
}

const FORWARDED_HEADERS = ["accept", "accept-language", "content-type", "user-agent"];

/**
 * Forwards a storefront request whose path (after any locale root) starts with the proxy prefix.
 * `rest` is the part after the prefix, e.g. "/member".
 */
export async function forwardAppProxy(
  request: Request,
  rest: string,
  customerId: string | null,
  target: ProxyTarget,
): Promise<Response> {
  const incoming = new URL(request.url);
  const params = new URLSearchParams();
  for (const [key, value] of incoming.searchParams) {
    if (!(PROXY_PARAMS as readonly string[]).includes(key)) params.append(key, value);
  }
  params.set("shop", target.shop);
  params.set("logged_in_customer_id", customerId ?? "");
  params.set("path_prefix", target.pathPrefix);
  params.set("timestamp", String(Math.floor(Date.now() / 1000)));
  params.set("signature", proxySignature(params, target.secret));

  const headers = new Headers();
  for (const name of FORWARDED_HEADERS) {
    const value = request.headers.get(name);
    if (value) headers.set(name, value);
  }
  headers.set("x-forwarded-for", "127.0.0.1");
  headers.set("x-forwarded-host", incoming.host);
  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  const response = await fetch(`${target.appUrl}${target.proxyPath}${rest}?${params}`, {
    method: request.method,
    headers,
    redirect: "manual",
    ...(hasBody ? { body: await request.arrayBuffer() } : {}),
  });
  const out = new Headers(response.headers);
  out.delete("set-cookie");
  // fetch() already decoded the body; the length and encoding headers described the old one.
  out.delete("content-encoding");
  out.delete("content-length");
  out.delete("transfer-encoding");
  return new Response(response.body, { status: response.status, headers: out });
}
