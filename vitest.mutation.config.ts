import { defineConfig } from "vitest/config";
import base from "./vitest.config";

// Stryker (stryker.config.mjs) runs the whole non-browser suite, on SQLite only: PostgreSQL
// runs the same suites again (no more mutants killed) and the Chromium tests drive a built app,
// never the instrumented sources. The domain's unit tests get a project without the database
// setup: Stryker reruns them thousands of times, and a database copy and a fresh worker per file
// are most of the cost.
const sqlite = base.test?.projects?.find(
  (project) => typeof project === "object" && "test" in project && project.test?.name === "sqlite",
);
if (!sqlite || typeof sqlite !== "object" || !("test" in sqlite) || !sqlite.test) {
  throw new Error("vitest.config.ts has no sqlite project");
}
const unit = ["app/domain/**/*.test.ts"];

export default defineConfig({
  test: {
    projects: [
      // Pure functions: one worker can run every file, and Stryker switches mutants at run time.
      {
        test: {
          name: "unit",
          include: unit,
          pool: "forks",
          isolate: false,
        },
      },
      {
        test: {
          ...sqlite.test,
          exclude: [...unit, "test/e2e/**", "**/node_modules/**"],
        },
      },
    ],
  },
});
