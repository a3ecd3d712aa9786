import fs from "node:fs/promises";
import path from "node:path";
import { transformWithEsbuild } from "vite";

const cache = new Map<string, Promise<string>>();

/** Compiles one of the sandbox's browser scripts (TypeScript, type-checked with the repo). */
export function browserScript(name: "app-bridge" | "admin-host"): Promise<string> {
  let compiled = cache.get(name);
  if (!compiled) {
    const file = path.join(import.meta.dirname, `${name}.ts`);
    compiled = fs
      .readFile(file, "utf8")
      .then((source) =>
        transformWithEsbuild(source, file, { loader: "ts", format: "iife", target: "es2022" }),
      )
      .then((result) => result.code);
    cache.set(name, compiled);
  }
  return compiled;
}
