#!/usr/bin/env node
// `npm run worker`: runs scheduled and queued jobs (app/worker/) from the production build, until
// SIGTERM or SIGINT; then it stops taking jobs, lets the running ones finish (up to 30 s) and exits.
// Reads .env like `npm start`. Run one beside a SQLite app; any number beside PostgreSQL.
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

// Everything here can wait a moment; answering Shopify and shoppers cannot. On a machine shared
// with the web server (a flash sale on 2 cores) the worker takes the CPU the server leaves.
os.setPriority(Math.max(os.getPriority(), 10));

const build = await import(pathToFileURL(path.resolve("build/index.js")).href);
const { startAppWorker, releaseResources } = build.entry.module;

const worker = await startAppWorker({ ownProcess: true });
let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.once(signal, async () => {
    if (stopping) return;
    stopping = true;
    await worker.stop(30_000);
    await releaseResources();
    process.exit(0);
  });
}
