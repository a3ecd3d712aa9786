import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

/** The import boundaries `npm run lint` enforces (eslint.config.js), proven on sample files. */

const eslint = new ESLint();

async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === "no-restricted-imports")
    .map((m) => m.message);
}

describe("import boundaries", () => {
  it("keep the sandbox and test helpers out of app/", async () => {
    expect(
      await restricted(
        "app/loyalty/example.server.ts",
        'import { createAdminApi } from "../../sandbox/shopify";\nexport const a = createAdminApi;\n',
      ),
    ).toEqual([expect.stringMatching(/must not import the sandbox/)]);
    expect(
      await restricted(
        "app/routes/example.tsx",
        'import { seedMember } from "../../test/support/admin";\nexport const a = seedMember;\n',
      ),
    ).toHaveLength(1);
    // Tests beside the code may use test helpers.
    expect(
      await restricted(
        "app/domain/example.test.ts",
        'import { seedMember } from "../../test/support/admin";\nexport const a = seedMember;\n',
      ),
    ).toEqual([]);
  });

  it("keep app/domain free of Remix, Prisma, Shopify clients and side-effect modules", async () => {
    for (const source of ["@prisma/client", "@remix-run/node", "node:fs", "../db.server"]) {
      expect(
        await restricted(
          "app/domain/example.ts",
          `import * as m from "${source}";\nexport const a = m;\n`,
        ),
        source,
      ).toEqual([expect.stringMatching(/pure core/)]);
    }
    expect(
      await restricted("app/domain/example.ts", 'import { z } from "zod";\nexport const a = z;\n'),
    ).toEqual([]);
    expect(
      await restricted(
        "app/loyalty/example.server.ts",
        'import type { PrismaClient } from "@prisma/client";\nexport type A = PrismaClient;\n',
      ),
    ).toEqual([]);
  });
});
