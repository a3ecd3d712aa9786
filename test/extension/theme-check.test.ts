import path from "node:path";
import { expect, it } from "vitest";
import { checkExtensions, formatOffense } from "../../scripts/theme-check-lib.mjs";

const ROOT = path.resolve(import.meta.dirname, "../..");

it("theme-check reports no offenses in any theme app extension", async () => {
  const results = await checkExtensions(ROOT);
  expect(results.map((r) => path.relative(ROOT, r.dir))).toContain("extensions/loyalty-widget");
  const offenses = results.flatMap(({ dir, offenses }) =>
    offenses.map((offense) => formatOffense(offense, dir)),
  );
  expect(offenses).toEqual([]);
});
