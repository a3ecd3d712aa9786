// One app process for multi-process tests: the production server (scripts/serve.mjs) or, with
// the argument "worker", the worker (scripts/worker.mjs), exactly as deployed — except that
// requests to *.myshopify.com go to the Shopify simulation at SHOPIFY_SIMULATION_URL, because
// no machine here can reach Shopify. The original host travels in X-Forwarded-Host.
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";

const simulation = new URL(process.env.SHOPIFY_SIMULATION_URL);
const realFetch = globalThis.fetch;

async function routedFetch(input, init) {
  const request = new Request(input, init);
  const url = new URL(request.url);
  if (!url.hostname.endsWith(".myshopify.com")) return realFetch(request);
  const headers = new Headers(request.headers);
  headers.set("x-forwarded-host", url.host);
  const body =
    request.method === "GET" || request.method === "HEAD" ? undefined : await request.arrayBuffer();
  return realFetch(new URL(url.pathname + url.search, simulation), {
    method: request.method,
    headers,
    body,
    signal: request.signal,
  });
}

globalThis.fetch = routedFetch;
setAbstractFetchFunc(routedFetch);
await import(process.argv[2] === "worker" ? "../../scripts/worker.mjs" : "../../scripts/serve.mjs");
// The Shopify adapter the build imports captures a fetch of its own; point it back here.
setAbstractFetchFunc(routedFetch);
