/**
 * Starts the whole system locally: the app's production build on one port and, on another, the
 * stand-ins for what Shopify runs — admin (embedding the app), App Bridge, storefront with the
 * theme extension and app proxy, checkout, webhook sender — with the Admin API and token
 * exchange answered in-process by sandbox/shopify. Used by `npm run demo`, the end-to-end tests
 * and the screenshot script.
 *
 * The app is configured only through its environment, exactly as in production. Its outbound
 * calls to https://{shop}/admin/… reach the simulation because this entry point installs the
 * routing fetch in its own process; `npm start` has no such path.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { handleApi, type ApiContext } from "./api";
import { APP_BRIDGE_SANDBOX_PATH, createAppHandler } from "./app-server";
import { ensureBuild, loadBuild } from "./build";
import { browserScript } from "./browser/build";
import {
  DEMO_API_SECRET,
  DEMO_CURRENCY,
  DEMO_TIME_ZONE,
  DEMO_SHOP,
  DEMO_SHOP_NAME,
  DEMO_STAFF_USER_ID,
  ROOT,
  readAppConfig,
} from "./config";
import { listen, type RunningServer } from "./http";
import { AdminPages } from "./pages/admin";
import { Storefront, type ThemeSettings } from "./pages/storefront";
import { ADMIN_CSS, THEME_CSS } from "./pages/styles";
import { debouncedSaver, loadSnapshot, saveSnapshot } from "./persist";
import { Shop, adminCatalog } from "./shop";
import { createAdminApi, installShopifyFetch, type AdminApi } from "./shopify";
import { FlowRunner, flowTriggers } from "./flow";
import { WebhookSender } from "./webhooks";

export interface SandboxOptions {
  /** Port of the sandbox (admin, storefront, console); 0 picks a free one. */
  port?: number;
  /** Port of the app; 0 picks a free one. */
  appPort?: number;
  /** The app's database; `file:` paths are relative to the repository. */
  databaseUrl?: string;
  /** Where the Shopify side of the demo shop is kept between runs. */
  statePath?: string;
  /** Start from an empty shop (and database), then seed. */
  reset?: boolean;
  /** Members the seed creates; 0 skips seeding (the app is still installed). */
  members?: number;
  log?: (line: string) => void;
}

export interface Sandbox {
  /** http://localhost:<port>: storefront at /, admin at /admin. */
  url: string;
  adminUrl: string;
  storefrontUrl: string;
  appUrl: string;
  /** The same servers at 127.0.0.1, for calls made from this process. */
  internal: { url: string; appUrl: string };
  api: AdminApi;
  shop: Shop;
  webhooks: WebhookSender;
  /** Shopify Flow running the app's Flow actions, with its run log. */
  flow: FlowRunner;
  /** The storefront theme's app settings; `npm run bench -- --browser` turns the apps off. */
  theme: ThemeSettings;
  databaseUrl: string;
  seeded: boolean;
  close(): Promise<void>;
}

export const DEFAULT_DATABASE_URL = "file:prisma/data/demo/demo.sqlite";
export const DEFAULT_STATE_PATH = "prisma/data/demo/shopify.json";
export const CRON_SECRET = "sandbox-cron-secret";

/** What app/entry.server.tsx exports for the processes that run the build. */
interface AppEntryModule {
  startAppWorker(options: {
    pollMs?: number;
  }): Promise<{ stop(timeoutMs?: number): Promise<void> }>;
  releaseResources(): Promise<void>;
}

function sqlitePath(url: string): string | null {
  if (!url.startsWith("file:")) return null;
  return path.resolve(ROOT, url.slice("file:".length).replace(/^\/\/(?=\/)/, ""));
}

function prisma(args: string[], databaseUrl: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(ROOT, "node_modules/prisma/build/index.js"), ...args],
      {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: databaseUrl },
        stdio: "pipe",
      },
    );
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0
        ? resolve(output)
        : reject(new Error(`prisma ${args.join(" ")} failed:\n${output}`)),
    );
  });
}

/** A fresh clone has no generated clients until `npm run generate` (npm test runs it as pretest). */
async function ensurePrismaClients(databaseUrl: string, log: (line: string) => void) {
  for (const [schemaFile, client] of [
    ["prisma/schema.prisma", "node_modules/.prisma/client"],
    ["prisma/postgresql/schema.prisma", "node_modules/.prisma/client-postgresql"],
  ] as const) {
    const generated = path.join(ROOT, client, "schema.prisma");
    const schema = fs.readFileSync(path.join(ROOT, schemaFile), "utf8");
    if (fs.existsSync(generated) && fs.readFileSync(generated, "utf8") === schema) continue;
    log(`[sandbox] generating the Prisma client for ${schemaFile} (prisma generate)…`);
    await prisma(["generate", "--schema", schemaFile], databaseUrl);
  }
}

/** PostgreSQL has no file to delete: a fresh demo empties the app's tables instead. */
async function emptyPostgres(databaseUrl: string) {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      `SELECT tablename::text AS name FROM pg_tables
       WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`,
    );
    if (rows.length) {
      await client.query(`TRUNCATE ${rows.map((r) => `"${r.name}"`).join(", ")} CASCADE`);
    }
  } finally {
    await client.end();
  }
}

async function migrate(databaseUrl: string, log: (line: string) => void): Promise<void> {
  const output = await prisma(["migrate", "deploy"], databaseUrl);
  const applied = /(\d+) migrations? found/.exec(output)?.[1];
  log(`[sandbox] database migrated${applied ? ` (${applied} migrations)` : ""}`);
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const log = options.log ?? ((line: string) => console.log(line));
  const app = readAppConfig();
  const databaseUrl = options.databaseUrl ?? DEFAULT_DATABASE_URL;
  const dbFile = sqlitePath(databaseUrl);
  const statePath = path.resolve(ROOT, options.statePath ?? DEFAULT_STATE_PATH);

  // The app and the Shopify side are one demo shop: keep both or neither.
  const haveBoth = fs.existsSync(statePath) && (!dbFile || fs.existsSync(dbFile));
  const fresh = options.reset || !haveBoth;
  if (fresh) {
    fs.rmSync(statePath, { force: true });
    if (dbFile)
      for (const suffix of ["", "-journal", "-wal", "-shm"])
        fs.rmSync(dbFile + suffix, { force: true });
  }

  const appServer = await listen(options.appPort ?? 0);
  const sandboxServer = await listen(options.port ?? 0);
  const servers: RunningServer[] = [appServer, sandboxServer];
  let stopWorker = async () => {};
  try {
    // Everything the app reads at import time, as `npm start` would get it from .env.
    Object.assign(process.env, {
      NODE_ENV: "production",
      SHOPIFY_API_KEY: app.clientId,
      SHOPIFY_API_SECRET: DEMO_API_SECRET,
      SHOPIFY_APP_URL: appServer.url,
      SCOPES: app.scopes.join(","),
      DATABASE_URL: databaseUrl,
      CRON_SECRET,
    });

    await ensurePrismaClients(databaseUrl, log);
    await migrate(databaseUrl, log);
    if (fresh && !dbFile) await emptyPostgres(databaseUrl);
    const built = await ensureBuild(log);
    if (built === "built") log("[sandbox] build done");
    const loaded = await loadBuild();
    // The worker (jobs, imports, tier re-evaluation) from the same build, in this process.
    const appModule = loaded.build.entry.module as unknown as AppEntryModule;
    const worker = await appModule.startAppWorker({ pollMs: 500 });
    stopWorker = () => worker.stop(10_000);

    const api = createAdminApi({
      shop: DEMO_SHOP,
      shopName: DEMO_SHOP_NAME,
      currencyCode: DEMO_CURRENCY,
      ianaTimezone: DEMO_TIME_ZONE,
      apiKey: app.clientId,
      apiSecretKey: DEMO_API_SECRET,
      scopes: app.scopes,
      // Flow refuses handles the app has not deployed a trigger extension for.
      flowTriggerHandles: flowTriggers().map((t) => t.handle),
      ...adminCatalog(),
    });
    let save: () => void = () => {};
    const saver = debouncedSaver(() => save());
    const webhooks = new WebhookSender({
      appUrl: appServer.internalUrl,
      shop: DEMO_SHOP,
      secret: DEMO_API_SECRET,
      apiVersion: app.webhookApiVersion,
      subscriptions: app.subscriptions,
      onChange: () => saver.schedule(),
    });
    const shop = new Shop(api, webhooks, () => saver.schedule());
    save = () => saveSnapshot(statePath, api.state, shop, webhooks);
    if (!fresh && !loadSnapshot(statePath, api.state, shop, webhooks)) {
      throw new Error(`${statePath} is from another version of the sandbox; start with --reset`);
    }
    for (const sub of app.subscriptions)
      if (sub.filter)
        log(
          `[sandbox] note: webhook filter "${sub.filter}" on ${sub.uri} is not evaluated; every event is sent`,
        );

    const uninstallFetch = installShopifyFetch({
      shopDomain: api.shopDomain,
      handle: async (request) => {
        try {
          return await api.handle(request);
        } finally {
          saver.schedule();
        }
      },
    });

    const sessionToken = () => api.sessionToken({ userId: DEMO_STAFF_USER_ID });
    const flow = new FlowRunner({ appUrl: appServer.internalUrl, secret: DEMO_API_SECRET });
    const ctx: ApiContext = { api, shop, webhooks, flow, sessionToken };
    const theme: ThemeSettings = { apps: true };
    const storefront = new Storefront({
      shop,
      theme,
      adminUrl: `${sandboxServer.url}/admin`,
      proxy: {
        appUrl: appServer.internalUrl,
        proxyPath: app.appProxy?.path ?? "/proxy",
        pathPrefix: `/${app.appProxy?.prefix ?? "apps"}/${app.appProxy?.subpath ?? "loyalty"}`,
        prefix: app.appProxy?.prefix ?? "apps",
        subpath: app.appProxy?.subpath ?? "loyalty",
        shop: DEMO_SHOP,
        secret: DEMO_API_SECRET,
      },
    });
    const admin = new AdminPages({
      ...ctx,
      app,
      appUrl: appServer.url,
      storefrontUrl: `${sandboxServer.url}/`,
      secret: DEMO_API_SECRET,
    });

    appServer.setHandler(createAppHandler(loaded, { sandboxOrigin: sandboxServer.url }));
    sandboxServer.setHandler(async (request) => {
      const url = new URL(request.url);
      if (url.pathname === APP_BRIDGE_SANDBOX_PATH)
        return script(await browserScript("app-bridge"));
      if (url.pathname === "/sandbox/assets/admin-host.js")
        return script(await browserScript("admin-host"));
      if (url.pathname === "/sandbox/assets/admin.css") return css(ADMIN_CSS);
      if (url.pathname === "/sandbox/assets/theme.css") return css(THEME_CSS);
      if (url.pathname === "/favicon.ico") return new Response(null, { status: 204 });
      return (
        (await handleApi(request, ctx)) ??
        (await admin.handle(request)) ??
        (await storefront.handle(request)) ??
        new Response("Not found", { status: 404, headers: { "content-type": "text/plain" } })
      );
    });

    const sandbox: Sandbox = {
      url: sandboxServer.url,
      adminUrl: `${sandboxServer.url}/admin`,
      storefrontUrl: `${sandboxServer.url}/`,
      appUrl: appServer.url,
      internal: { url: sandboxServer.internalUrl, appUrl: appServer.internalUrl },
      api,
      theme,
      shop,
      webhooks,
      flow,
      databaseUrl,
      seeded: false,
      async close() {
        saver.flush();
        uninstallFetch();
        await stopWorker();
        await Promise.all(servers.map((s) => s.close()));
        await appModule.releaseResources();
      },
    };

    if (fresh) {
      // Imported only now: the seed uses the app's own modules, which read the environment.
      const { seedDemoShop } = await import("./seed");
      await seedDemoShop(sandbox, { members: options.members ?? 50, log });
      sandbox.seeded = true;
      saver.flush();
    }
    return sandbox;
  } catch (error) {
    await stopWorker();
    await Promise.all(servers.map((s) => s.close()));
    // A half-seeded shop must not look like a finished one next time.
    if (fresh) fs.rmSync(statePath, { force: true });
    throw error;
  }
}

function script(source: string) {
  return new Response(source, {
    headers: { "content-type": "text/javascript; charset=utf-8", "cache-control": "no-cache" },
  });
}

function css(source: string) {
  return new Response(source, {
    headers: { "content-type": "text/css; charset=utf-8", "cache-control": "no-cache" },
  });
}
