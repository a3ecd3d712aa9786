/**
 * `npm run demo`: builds the app if needed, starts it with the local Shopify sandbox on the
 * embedded SQLite default, seeds the demo shop on first run, and prints where to go.
 *
 *   npm run demo                         start (keeps the demo shop between runs)
 *   npm run demo -- --reset              start over with a freshly seeded shop
 *   npm run demo -- --port 4000          sandbox on :4000, app on :4001 (--app-port to choose)
 *   npm run demo -- webhook <action> …   act as Shopify against a running demo (see --help)
 *   npm run demo -- faults add|list|clear …   make its Admin API fail the app's calls (see --help)
 */
import { runCli } from "./cli";
import { startSandbox } from "./start";

const HELP = `Usage: npm run demo -- [options]
       npm run demo -- webhook <action> [options]     (run \`npm run demo -- webhook --help\`)
       npm run demo -- faults add|list|clear [options] (run \`npm run demo -- faults --help\`)

Options:
  --port <n>        sandbox port: admin, storefront, console (default 3100; 0 = any free port)
  --app-port <n>    app port (default: sandbox port + 1)
  --reset           delete the demo shop and seed a new one
  --members <n>     members to seed on a fresh shop (default 50)
  --database <url>  the app's DATABASE_URL (default file:prisma/data/demo/demo.sqlite)
  --state <file>    the sandbox's Shopify state (default prisma/data/demo/shopify.json)
  --json            print one JSON line with the URLs once ready (for scripts and tests)
`;

function flag(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

async function main() {
  const args = process.argv.slice(2).filter((a) => a !== "--");
  if (args[0] === "webhook") {
    process.exitCode = await runCli(args.slice(1));
    return;
  }
  if (args[0] === "faults") {
    // runCli's `faults` action: the same control API client and --url option as `webhook`.
    process.exitCode = await runCli(args);
    return;
  }
  if (args.includes("--help") || args.includes("-h")) {
    console.log(HELP);
    return;
  }
  const port = Number(flag(args, "--port") ?? process.env.SANDBOX_PORT ?? 3100);
  const appPort = Number(flag(args, "--app-port") ?? (port === 0 ? 0 : port + 1));
  const json = args.includes("--json");
  const sandbox = await startSandbox({
    port,
    appPort,
    reset: args.includes("--reset"),
    members: Number(flag(args, "--members") ?? 50),
    databaseUrl: flag(args, "--database"),
    statePath: flag(args, "--state"),
  });

  const stop = async () => {
    await sandbox.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);

  if (json) {
    console.log(
      `SANDBOX_READY ${JSON.stringify({
        url: sandbox.url,
        adminUrl: sandbox.adminUrl,
        storefrontUrl: sandbox.storefrontUrl,
        appUrl: sandbox.appUrl,
        databaseUrl: sandbox.databaseUrl,
      })}`,
    );
    return;
  }
  console.log(`
  Loyalty app running against a local Shopify sandbox (${sandbox.shop.domain})

    Admin        ${sandbox.adminUrl}
    Storefront   ${sandbox.storefrontUrl}
    Orders       ${sandbox.url}/admin/orders      (place, pay, refund, cancel: sends webhooks)
    Webhooks     ${sandbox.url}/admin/webhooks    (delivery log, hold/duplicate/reorder, throttling)
    App          ${sandbox.appUrl}

  Sign in on the storefront as Ada Lovelace (ada@example.com) with the shopper switcher.
  Send webhooks from another terminal: npm run demo -- webhook --help
  Make the Admin API fail the app's calls: npm run demo -- faults --help
  Press Ctrl+C to stop. The demo shop is kept in prisma/data/demo/ (--reset starts over).
`);
}

main().catch((error: unknown) => {
  if ((error as NodeJS.ErrnoException)?.code === "EADDRINUSE") {
    console.error(
      `${(error as Error).message}\nAnother demo (or server) uses that port: stop it, or pass --port <n>.`,
    );
  } else console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
