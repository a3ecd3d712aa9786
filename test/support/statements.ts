import pg from "pg";
import { DurableSqliteClient } from "../../app/db/sqlite.server";

const CONTROL = /^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b/i;

function sqlOf(statement: unknown): string {
  if (typeof statement === "string") return statement;
  if (statement && typeof statement === "object" && "sql" in statement)
    return String(statement.sql);
  if (statement && typeof statement === "object" && "text" in statement)
    return String(statement.text);
  return String(statement);
}

/**
 * The SQL statements `work` sends to the database, whichever one the suite runs on, without
 * transaction control: what a write path costs in round trips. Counted at the driver (libSQL's
 * execute, pg's Client.query), below Prisma, so one Prisma call that needs two queries counts two.
 */
export async function statementsOf(work: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const record = (statement: unknown) => {
    const sql = sqlOf(statement);
    if (!CONTROL.test(sql)) seen.push(sql);
  };
  const sqlite = DurableSqliteClient.prototype;
  const { execute, runInTransaction } = sqlite;
  const { query } = pg.Client.prototype;
  sqlite.execute = function (this: DurableSqliteClient, statement) {
    record(statement);
    return execute.call(this, statement);
  };
  sqlite.runInTransaction = function (this: DurableSqliteClient, statement) {
    record(statement);
    return runInTransaction.call(this, statement);
  };
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    record(args[0]);
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;
  try {
    await work();
  } finally {
    sqlite.execute = execute;
    sqlite.runInTransaction = runInTransaction;
    pg.Client.prototype.query = query;
  }
  return seen;
}
