import fs from "node:fs";
import path from "node:path";
import type { Client, InStatement, ResultSet, Transaction } from "@libsql/client";
import type { Config as LibsqlConfig } from "@libsql/client";
import { Sqlite3Client } from "@libsql/client/sqlite3";
import { PrismaLibSQL } from "@prisma/adapter-libsql";
import Database from "libsql";
import { sqliteFilePath } from "../database-url";
import { errorFields, log } from "../log.server";

/**
 * SQLite for one app instance (or a few processes on one machine), made safe to share:
 *
 * - WAL, so readers (a backup, a `sqlite3` shell, a second process) never block writers and
 *   writers never block readers; `synchronous=NORMAL`, which WAL makes durable at every checkpoint
 *   and safe against corruption.
 * - One long-lived connection. @libsql/client hands its connection to every transaction and opens
 *   a new one for the next caller, so each transaction paid for a fresh connection, and one whose
 *   COMMIT failed was dropped still holding the write lock: every later write failed until a
 *   restart (docs/decisions/0004). Here every statement runs on the same connection, serialised
 *   by the Prisma adapter's own mutex, and a transaction that cannot commit is rolled back and
 *   the connection replaced.
 * - Transactions start with BEGIN IMMEDIATE, taking the write lock up front. A deferred transaction
 *   that reads and then writes can fail at once with SQLITE_BUSY when another process committed in
 *   between, however long it is willing to wait. A write outside a transaction gets one too.
 * - Only BEGIN, COMMIT and ROLLBACK ever wait for a lock, and they run through `exec`, which
 *   finalises its statement. A prepared statement that fails with SQLITE_BUSY stays "in progress"
 *   in libSQL until garbage collection, and from then on every COMMIT on that connection fails.
 * - Lock waits are asynchronous and fine-grained. SQLite's busy handler sleeps inside the call,
 *   which would freeze the event loop, and it polls ever more rarely (1, 2, 5, 10, 15 ms…), so a
 *   waiter lost every race to a worker committing one transaction after another (issue #15:
 *   `/healthz` p99 334 ms while the jobs ran). In WAL mode only taking the write lock contends,
 *   so the handler is off and we try again every millisecond with timers until `lockWaitMs` has
 *   gone by, then report SQLITE_BUSY (the request fails with 500/503 and Shopify retries it).
 *   In rollback-journal mode reads contend too, and SQLite's handler covers brief waits.
 * - SQLite's lock has no queue, so the worker leaves it free for a moment once it has held it for
 *   a while through transactions back to back (`yieldWriteLock`): a webhook's intake or a health
 *   check waiting in the web process gets in between two of a job's transactions instead of
 *   after the whole job.
 * - Once a wait has run out, the file is locked out: transactions queued behind it (the adapter
 *   runs them one at a time) each try once and fail fast instead of each waiting in turn, until
 *   one gets the lock again. Otherwise a burst of N requests would take N × lockWaitMs to answer.
 */

export interface SqliteOptions {
  /** SQLite's own (blocking) wait for a lock, per attempt: 0 in WAL mode, 50 ms otherwise. */
  busyTimeoutMs?: number;
  /**
   * Total time to keep trying for a lock before giving up: below Shopify's 5-second webhook
   * timeout, so a delivery that cannot get in answers 500 and is retried rather than timing out.
   */
  lockWaitMs?: number;
  /** WAL, unless the file lives where WAL cannot work (a network filesystem): then DELETE. */
  journalMode?: "WAL" | "DELETE";
}

const DEFAULTS = {
  lockWaitMs: 3_000,
  journalMode: "WAL",
} as const;

/** How often a waiter tries for the write lock again. */
const LOCK_POLL_MS = 1;

/** Set in the worker process: how long it leaves the write lock free, once it has held it long. */
let yieldGapMs = 0;
/** Holding the lock for longer than this, through transactions back to back, calls for a gap. */
const HOLD_STREAK_MS = 20;
let lastCommitAt = -Infinity;
/** When this process last took the lock after leaving it free for at least a gap. */
let streakStart = -Infinity;

/**
 * Makes this process (a background worker) leave the write lock free for `ms` once it has held it
 * for HOLD_STREAK_MS through transactions back to back, so that other processes polling for it
 * (every LOCK_POLL_MS) get it in between: it holds the lock ~90% of the time at most, and a waiter
 * waits about one of its transactions.
 */
export function yieldWriteLock(ms: number) {
  yieldGapMs = ms;
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^SQLITE_(BUSY|LOCKED)/.test(code);
}

function isNoTransaction(error: unknown): boolean {
  return error instanceof Error && /no transaction is active/i.test(error.message);
}

/** Statements that only read; anything else outside a transaction gets one of its own. */
const READ_ONLY = /^\s*(SELECT|PRAGMA|EXPLAIN)\b/i;
/** A common table expression that writes nothing (members search, dashboard sums). */
const READ_ONLY_WITH = /^\s*WITH\b/i;
const WRITES = /\b(INSERT|UPDATE|DELETE|REPLACE)\b/i;

function readsOnly(sql: string) {
  return READ_ONLY.test(sql) || (READ_ONLY_WITH.test(sql) && !WRITES.test(sql));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Connection {
  db: Database.Database;
  /** @libsql/client's statement runner and value conversion, on our connection. */
  client: Client;
}

/**
 * A libSQL `Client` that keeps one connection for everything and runs transactions on it.
 * Only what @prisma/adapter-libsql calls is implemented.
 */
export class DurableSqliteClient implements Client {
  closed = false;
  readonly protocol = "file";
  #connection: Connection;
  #inTransaction = false;
  #lockedOut = false;
  readonly #options: Required<SqliteOptions>;

  constructor(
    private readonly file: string,
    options: SqliteOptions = {},
  ) {
    // An option passed as undefined (an unset variable) keeps its default.
    const given = Object.entries(options).filter(([, value]) => value !== undefined);
    const chosen = { ...DEFAULTS, ...Object.fromEntries(given) };
    this.#options = { busyTimeoutMs: chosen.journalMode === "WAL" ? 0 : 50, ...chosen };
    this.#connection = this.#open();
  }

  #open(): Connection {
    let db = this.#connect();
    try {
      db.prepare(`PRAGMA journal_mode = ${this.#options.journalMode}`).get();
    } catch (error) {
      // Switching modes needs the file to itself for a moment. The failed statement is now stuck
      // on this connection (see above), so start over without switching: the next connection,
      // or the process that is busy with the file, makes the switch, and it sticks to the file.
      log.warn("sqlite journal mode not changed yet", errorFields(error));
      db.close();
      db = this.#connect();
    }
    // Never calling client.transaction() keeps the client on this one connection.
    return { db, client: new Sqlite3Client(this.file, {}, db, "bigint") };
  }

  #connect() {
    const db = new Database(this.file);
    db.prepare(`PRAGMA busy_timeout = ${this.#options.busyTimeoutMs}`).get();
    db.exec("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON");
    return db;
  }

  /** Closes the connection and opens a new one: whatever lock or transaction it held is gone. */
  reconnect() {
    try {
      this.#connection.db.close();
    } catch {
      // Closing a broken connection may fail too; the new one is what matters.
    }
    this.#inTransaction = false;
    this.#connection = this.#open();
  }

  /** BEGIN/COMMIT/ROLLBACK through exec(), which leaves no statement behind when it fails. */
  async #control(sql: "BEGIN IMMEDIATE" | "COMMIT" | "ROLLBACK") {
    if (sql === "BEGIN IMMEDIATE" && yieldGapMs > 0) {
      const now = performance.now();
      const wait = lastCommitAt + yieldGapMs - now;
      if (wait <= 0) streakStart = now;
      else if (now - streakStart >= HOLD_STREAK_MS) {
        await sleep(wait);
        streakStart = performance.now();
      }
    }
    const deadline = Date.now() + (this.#lockedOut ? 0 : this.#options.lockWaitMs);
    for (;;) {
      try {
        this.#connection.db.exec(sql);
        if (sql === "COMMIT") lastCommitAt = performance.now();
        this.#lockedOut = false;
        return;
      } catch (error) {
        if (!isBusy(error) || sql === "ROLLBACK") throw error;
        if (Date.now() + LOCK_POLL_MS > deadline) {
          this.#lockedOut = true;
          throw error;
        }
        await sleep(LOCK_POLL_MS);
      }
    }
  }

  async execute(stmt: InStatement): Promise<ResultSet> {
    this.#checkOpen();
    const sql = typeof stmt === "string" ? stmt : stmt.sql;
    if (this.#inTransaction || readsOnly(sql)) return this.#run(stmt);
    // A write of its own: take the write lock first, so the statement itself never waits.
    await this.#control("BEGIN IMMEDIATE");
    this.#inTransaction = true;
    try {
      const result = await this.#run(stmt);
      await this.commit();
      return result;
    } catch (error) {
      await this.rollback();
      throw error;
    }
  }

  async #run(stmt: InStatement): Promise<ResultSet> {
    try {
      return await this.#connection.client.execute(stmt);
    } catch (error) {
      // Only a read outside a transaction can get here busy (rollback-journal mode); its
      // statement is now stuck on the connection, so leave the connection behind.
      if (isBusy(error) && !this.#inTransaction) this.reconnect();
      throw error;
    }
  }

  async transaction(): Promise<Transaction> {
    this.#checkOpen();
    if (this.#inTransaction) {
      // The adapter serialises transactions; reaching this means a previous one was never ended.
      this.reconnect();
    }
    await this.#control("BEGIN IMMEDIATE");
    this.#inTransaction = true;
    return new DurableSqliteTransaction(this);
  }

  /** @internal for DurableSqliteTransaction */
  async runInTransaction(stmt: InStatement) {
    return this.#run(stmt);
  }

  /** @internal COMMIT; on failure the transaction is rolled back and the connection replaced. */
  async commit() {
    try {
      // In WAL a COMMIT by the lock holder does not wait for anyone; in rollback-journal mode
      // (WAL unavailable) it waits for readers, so give it the same patience as BEGIN.
      await this.#control("COMMIT");
      this.#inTransaction = false;
    } catch (error) {
      await this.rollback();
      // Whatever made COMMIT fail must not outlive this transaction.
      this.reconnect();
      throw error;
    }
  }

  /** @internal ROLLBACK, or a new connection if the old one cannot roll back. */
  async rollback() {
    if (!this.#inTransaction) return;
    try {
      await this.#control("ROLLBACK");
      this.#inTransaction = false;
    } catch (error) {
      if (isNoTransaction(error)) this.#inTransaction = false;
      else this.reconnect();
    }
  }

  get inTransaction() {
    return this.#inTransaction;
  }

  async batch(stmts: InStatement[]): Promise<ResultSet[]> {
    const tx = await this.transaction();
    try {
      const results: ResultSet[] = [];
      for (const stmt of stmts) results.push(await tx.execute(stmt));
      await tx.commit();
      return results;
    } finally {
      tx.close();
    }
  }

  async executeMultiple(sql: string): Promise<void> {
    this.#checkOpen();
    this.#connection.db.exec(sql);
  }

  async sync(): Promise<never> {
    throw new Error("sync() is for embedded replicas, which this app does not use");
  }

  async migrate(): Promise<never> {
    throw new Error("migrate() is not supported; use prisma migrate deploy");
  }

  close() {
    this.closed = true;
    this.#connection.db.close();
  }

  #checkOpen() {
    if (this.closed) throw new Error("The SQLite client is closed");
  }
}

class DurableSqliteTransaction implements Transaction {
  #done = false;
  constructor(private readonly client: DurableSqliteClient) {}

  get closed() {
    return this.#done || !this.client.inTransaction;
  }

  async execute(stmt: InStatement) {
    if (this.closed) throw new Error("The transaction is closed");
    return this.client.runInTransaction(stmt);
  }

  async batch(stmts: InStatement[]) {
    const results: ResultSet[] = [];
    for (const stmt of stmts) results.push(await this.execute(stmt));
    return results;
  }

  async executeMultiple(): Promise<never> {
    throw new Error("executeMultiple() is not supported inside a transaction");
  }

  async commit() {
    if (this.#done) throw new Error("The transaction is closed");
    this.#done = true;
    await this.client.commit();
  }

  async rollback() {
    if (this.#done) return;
    this.#done = true;
    await this.client.rollback();
  }

  close() {
    if (!this.#done) void this.rollback();
  }
}

/** The Prisma driver adapter over one durable connection to `url` (a `file:` URL). */
export class DurableSqliteAdapter extends PrismaLibSQL {
  constructor(
    url: string,
    private readonly sqliteOptions: SqliteOptions = {},
  ) {
    const file = sqliteFilePath(url);
    if (file) fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    super({ url });
  }

  override createClient(config: LibsqlConfig): Client {
    const file = sqliteFilePath(config.url);
    // The schema engine asks for a throwaway in-memory database; give it a plain client.
    if (!file) return super.createClient(config);
    return new DurableSqliteClient(file, this.sqliteOptions);
  }
}
