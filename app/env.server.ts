import { z } from "zod";
import { DEFAULT_DATABASE_URL, databaseKind } from "./database-url";

/**
 * The environment, validated once at start (app/entry.server.tsx, the worker, scripts) so a
 * missing or malformed variable stops the process with its name and what it is for, instead of
 * surfacing later as a 500 on some request. README "Configuration" lists the same variables.
 */

const positiveInt = (max: number) => z.coerce.number().int().min(1).max(max);

const databaseSchema = z.object({
  DATABASE_URL: z
    .string()
    .trim()
    .default(DEFAULT_DATABASE_URL)
    .transform((url) => url || DEFAULT_DATABASE_URL)
    .superRefine((url, ctx) => {
      try {
        databaseKind(url);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: (error as Error).message });
      }
    })
    .describe("file:… (SQLite) or postgresql://… (PostgreSQL)"),
  DATABASE_POOL_SIZE: positiveInt(200)
    .optional()
    .describe("PostgreSQL connections per process (default 10)"),
  SQLITE_LOCK_WAIT_MS: positiveInt(60_000)
    .optional()
    .describe("how long a write waits for a SQLite lock held elsewhere (default 3000)"),
  SQLITE_JOURNAL_MODE: z
    .enum(["WAL", "DELETE"])
    .default("WAL")
    .describe("DELETE only where WAL cannot work, e.g. a network filesystem"),
});

const appSchema = databaseSchema.extend({
  SHOPIFY_API_KEY: z.string().min(1).describe("the app's client id"),
  SHOPIFY_API_SECRET: z.string().min(1).describe("the app's client secret"),
  SHOPIFY_APP_URL: z.url({ protocol: /^https?$/ }).describe("the public https URL of this server"),
  SCOPES: z.string().min(1).describe("comma-separated access scopes, as in shopify.app.toml"),
  CRON_SECRET: z.string().min(16).optional().describe("bearer token for POST /jobs/run"),
  SHOP_CUSTOM_DOMAIN: z.string().optional(),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  WEBHOOK_PROCESSING: z
    .enum(["queue", "inline"])
    .default("queue")
    .describe("queue: the worker applies stored webhooks; inline: inside the request (tests)"),
  REDEMPTION_SETTLE_SECONDS: positiveInt(86_400)
    .default(300)
    .describe("how long a code whose creation is unconfirmed may still appear in Shopify"),
});

export type DatabaseEnv = z.infer<typeof databaseSchema>;
export type AppEnv = z.infer<typeof appSchema>;

export class EnvError extends Error {
  constructor(issues: string[]) {
    super(
      `Invalid environment (see .env.example and README "Configuration"):\n${issues.join("\n")}`,
    );
    this.name = "EnvError";
  }
}

function parse<S extends z.ZodObject>(schema: S, env: Record<string, string | undefined>) {
  // An empty variable (FOO= in .env) means unset.
  const given = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ""));
  const result = schema.safeParse(given);
  if (result.success) return result.data as z.infer<S>;
  throw new EnvError(
    result.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      const field = schema.shape[name] as z.ZodType | undefined;
      const meaning = field?.description ? ` (${field.description})` : "";
      const problem = given[name] === undefined ? "is missing" : `is invalid: ${issue.message}`;
      return `  ${name}${meaning} ${problem}`;
    }),
  );
}

/** What the database layer needs (also enough for scripts that only touch the database). */
export function databaseEnv(env: Record<string, string | undefined> = process.env): DatabaseEnv {
  return parse(databaseSchema, env);
}

/** Everything the web app and the worker need. */
export function appEnv(env: Record<string, string | undefined> = process.env): AppEnv {
  return parse(appSchema, env);
}
