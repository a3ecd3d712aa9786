#!/usr/bin/env node
// `npm start`: serves the production build on $PORT (default 3000), like remix-serve, plus what a
// deployment needs: one JSON line per request (method, path without query string, status, time —
// no query strings, they carry session tokens and customer ids), and a graceful stop. On SIGTERM
// or SIGINT the server stops accepting connections, finishes the requests in flight (up to
// SHUTDOWN_TIMEOUT_MS, default 25 s), closes the database pool and exits.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import compression from "compression";
import express from "express";

const build = await import(pathToFileURL(path.resolve("build/index.js")).href);
const port = Number(process.env.PORT || 3000);
const shutdownTimeout = Number(process.env.SHUTDOWN_TIMEOUT_MS || 25_000);

const app = express();
app.disable("x-powered-by");
app.use(compression());
app.use(
  build.publicPath,
  express.static(build.assetsBuildDirectory, { immutable: true, maxAge: "1y" }),
);
app.use(express.static("public", { maxAge: "1h" }));
app.use((req, res, next) => {
  const started = process.hrtime.bigint();
  res.on("finish", () => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    process.stdout.write(
      `${JSON.stringify({
        time: new Date().toISOString(),
        level: "info",
        msg: "request",
        method: req.method,
        path: req.path,
        status: res.statusCode,
        ms: Math.round(ms * 10) / 10,
      })}\n`,
    );
  });
  next();
});
app.all("*", createRequestHandler({ build, mode: process.env.NODE_ENV }));

const server = app.listen(port, () => {
  process.stdout.write(
    `${JSON.stringify({ time: new Date().toISOString(), level: "info", msg: "listening", port })}\n`,
  );
});

let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    const log = (msg) =>
      process.stdout.write(
        `${JSON.stringify({ time: new Date().toISOString(), level: "info", msg, signal })}\n`,
      );
    log("stopping: finishing requests in flight");
    const deadline = setTimeout(() => server.closeAllConnections(), shutdownTimeout);
    server.close(async () => {
      clearTimeout(deadline);
      await build.entry.module.releaseResources();
      log("stopped");
      process.exit(0);
    });
    // Idle keep-alive connections would otherwise hold close() open until they time out.
    server.closeIdleConnections();
  });
}
