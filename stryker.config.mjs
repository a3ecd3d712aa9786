// Mutation testing: `npm run test:mutation` (docs/mutation-testing.md). Not part of `npm test`:
// a full run takes hours on a small machine.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  // Stryker's default pool is threads; the suite is written for forks (as vitest.config.ts says),
  // and a thread's stack changes how deep a body can nest before parsing it gives up.
  vitest: { configFile: "vitest.mutation.config.ts", related: false, pool: "forks" },
  mutate: ["app/domain/**/*.ts", "app/loyalty/**/*.ts", "!**/*.test.ts"],
  // The sandbox copy needs sources, tests, prisma schemas and config; not reports or builds.
  ignorePatterns: [
    ".stryker-tmp*",
    "reports",
    "build",
    "public/build",
    ".cache",
    "tmp",
    "prisma/data",
    "docs",
  ],
  coverageAnalysis: "perTest",
  // A static mutant (a module-level constant) needs a fresh environment and every test, for each
  // mutant: in the domain alone they were 12% of the mutants and 81% of the time. They are left
  // out; a config importing this one with `ignoreStatic: false` measures them for the database
  // suites (docs/mutation-testing.md).
  ignoreStatic: true,
  // The machine is small and shared; SQLite test databases are per file, so 2 would be safe.
  concurrency: 1,
  incremental: true,
  incrementalFile: "reports/mutation/stryker-incremental.json",
  reporters: ["clear-text", "html", "json", "progress"],
  htmlReporter: { fileName: "reports/mutation/mutation.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0 },
  thresholds: { high: 90, low: 80, break: null },
  // Database suites start a server or a worker; the first (dry) run needs room for all of them.
  dryRunTimeoutMinutes: 30,
  // On top of 1.5 × the test's time in the dry run: room for a loaded machine, but a mutant
  // that loops forever costs little.
  timeoutMS: 10000,
  cleanTempDir: true,
};
