import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { generate, type CodegenConfig } from "@graphql-codegen/cli";
import { afterAll, describe, expect, it } from "vitest";
import { ADMIN_TYPES_DIR, adminCodegenProject } from "../../scripts/graphql-codegen";

function readCommitted(name: string) {
  try {
    return readFileSync(path.join(ADMIN_TYPES_DIR, name), "utf8");
  } catch {
    return null;
  }
}

// The generated types are committed so tsc works from a fresh clone; this keeps them honest: a
// document edited without `npm run graphql-codegen` fails here instead of typing the old answer.
describe("generated Admin GraphQL types", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "admin-types-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("match the documents in app/ and the 2026-10 schema", { timeout: 180_000 }, async () => {
    const { schema, documents, extensions } = adminCodegenProject(dir);
    // What `graphql-codegen` makes of .graphqlrc.ts, without writing anything.
    const config: CodegenConfig = { schema, documents, ...extensions?.codegen, silent: true };
    const outputs: { filename: string; content: string }[] = await generate(config, false);
    const stale = outputs
      .filter((o) => readCommitted(path.basename(o.filename)) !== o.content)
      .map((o) => path.basename(o.filename));
    expect(outputs.length).toBe(2);
    expect(stale, "app/types is stale: run npm run graphql-codegen").toEqual([]);
  });
});
