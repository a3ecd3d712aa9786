/**
 * Shopify Flow, as far as the app meets it: a workflow step that runs one of the app's Flow
 * actions POSTs the run to the action's runtime_url (extensions/<name>/shopify.extension.toml),
 * its JSON body signed with the app secret (base64 HMAC-SHA256 in X-Shopify-Hmac-Sha256). Flow
 * waits 10 seconds; it sends a 5xx, 202 or 429 again later (the same action_run_id) and takes any
 * other 4xx as final, showing the response's message in the workflow's run log.
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { parse } from "toml";
import { ROOT } from "./config";
import { hmacBase64 } from "./webhooks";

export interface FlowAction {
  handle: string;
  /** The path of its runtime_url on the app's host. */
  path: string;
}

interface ExtensionToml {
  extensions?: { type?: string; handle?: string; runtime_url?: string }[];
  settings?: { fields?: { type?: string; key?: string }[] };
}

/** The app's extension configurations, as the Shopify CLI deploys them. */
function extensionTomls(root: string): ExtensionToml[] {
  const dir = path.join(root, "extensions");
  return (fs.existsSync(dir) ? fs.readdirSync(dir) : [])
    .map((name) => path.join(dir, name, "shopify.extension.toml"))
    .filter((file) => fs.existsSync(file))
    .map((file) => parse(fs.readFileSync(file, "utf8")) as ExtensionToml);
}

/** The app's Flow actions. */
export function flowActions(root = ROOT): FlowAction[] {
  return extensionTomls(root).flatMap((toml) =>
    (toml.extensions ?? [])
      .filter((e) => e.type === "flow_action" && e.handle && e.runtime_url)
      // Relative, as the app declares it, or absolute.
      .map((e) => ({
        handle: e.handle!,
        path: new URL(e.runtime_url!, "https://app.invalid").pathname,
      })),
  );
}

/** The app's Flow triggers, each with its fields (key → type; the customer as `customer_id`). */
export function flowTriggers(root = ROOT): { handle: string; fields: Record<string, string> }[] {
  return extensionTomls(root).flatMap((toml) =>
    (toml.extensions ?? [])
      .filter((e) => e.type === "flow_trigger" && e.handle)
      .map((e) => ({
        handle: e.handle!,
        fields: Object.fromEntries(
          (toml.settings?.fields ?? []).map((f) =>
            f.type === "customer_reference" ? ["customer_id", f.type] : [f.key ?? "", f.type ?? ""],
          ),
        ),
      })),
  );
}

export interface FlowRunInput {
  shop: string;
  handle: string;
  /** What the workflow step filled in: `customer_id` for a customer_reference field. */
  properties: Record<string, unknown>;
  /** The same run sent again, as Flow retries it. */
  runId?: string;
}

/** The request Flow sends for one run of an action. */
export function flowActionRequest(url: string, secret: string, input: FlowRunInput): Request {
  const body = JSON.stringify({
    shop_id: "1",
    shopify_domain: input.shop,
    action_run_id: input.runId ?? randomUUID(),
    action_definition_id: input.handle,
    handle: input.handle,
    properties: { ...input.properties, step_reference: randomUUID() },
  });
  return new Request(url, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Hmac-Sha256": hmacBase64(body, secret),
    },
    body,
  });
}

export interface FlowRun {
  at: string;
  runId: string;
  handle: string;
  properties: Record<string, unknown>;
  status: number | null;
  /** The app's answer, or why there was none. */
  response: string;
}

/** Runs actions against the app and keeps each run, as Flow's run log does. */
export class FlowRunner {
  readonly runs: FlowRun[] = [];

  constructor(private readonly options: { appUrl: string; secret: string; root?: string }) {}

  async run(input: FlowRunInput): Promise<FlowRun> {
    const action = flowActions(this.options.root).find((a) => a.handle === input.handle);
    if (!action) throw new Error(`The app has no Flow action "${input.handle}"`);
    const runId = input.runId ?? randomUUID();
    const request = flowActionRequest(`${this.options.appUrl}${action.path}`, this.options.secret, {
      ...input,
      runId,
    });
    const run: FlowRun = {
      at: new Date().toISOString(),
      runId,
      handle: input.handle,
      properties: input.properties,
      status: null,
      response: "",
    };
    try {
      const response = await fetch(request, { signal: AbortSignal.timeout(10_000) });
      run.status = response.status;
      run.response = await response.text();
    } catch (error) {
      run.response = error instanceof Error ? error.message : String(error);
    }
    this.runs.push(run);
    return run;
  }
}
