// One schema, two providers (docs/decisions/0004). prisma/schema.prisma is the source of truth
// (SQLite, the embedded default); prisma/postgresql/schema.prisma is derived from it by this
// module and only differs in the provider and where its client is generated. Both folders keep
// their own migrations, written together by scripts/new-migration.mjs.
import fs from "node:fs";
import path from "node:path";

export const PROVIDERS = {
  sqlite: { root: "prisma" },
  postgresql: { root: path.join("prisma", "postgresql") },
};

export const schemaPath = (provider) => path.join(PROVIDERS[provider].root, "schema.prisma");
export const migrationsPath = (provider) => path.join(PROVIDERS[provider].root, "migrations");

const HEADER =
  "// GENERATED from prisma/schema.prisma by scripts/prisma-schemas.mjs — edit that file instead,\n" +
  "// then run `npm run migration:new -- <name>`, which rewrites this one.\n";

export function derivePostgresSchema(source) {
  const generator = /generator client \{\n([^}]*)\}/;
  const datasource = /(datasource db \{[^}]*provider\s*=\s*)"sqlite"/;
  if (!generator.test(source) || !datasource.test(source)) {
    throw new Error("prisma/schema.prisma must keep its `generator client` and sqlite datasource");
  }
  return (
    HEADER +
    source
      .replace(
        generator,
        (_, body) =>
          `generator client {\n${body}  output     = "../../node_modules/.prisma/client-postgresql"\n}`,
      )
      .replace(datasource, '$1"postgresql"')
      .replace(/url(\s*)= "file:[^"]*"/, 'url$1= "postgresql://localhost/loyalty"')
  );
}

/** Writes prisma/postgresql/schema.prisma; returns true when it changed. */
export function writePostgresSchema() {
  const next = derivePostgresSchema(fs.readFileSync(schemaPath("sqlite"), "utf8"));
  const file = schemaPath("postgresql");
  const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : null;
  if (current === next) return false;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, next);
  return true;
}

export function postgresSchemaIsCurrent() {
  const file = schemaPath("postgresql");
  return (
    fs.existsSync(file) &&
    fs.readFileSync(file, "utf8") ===
      derivePostgresSchema(fs.readFileSync(schemaPath("sqlite"), "utf8"))
  );
}
