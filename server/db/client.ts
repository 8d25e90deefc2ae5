/**
 * Opens Gate's embedded SQLite database and brings its schema up to date. One connection per
 * process: better-sqlite3 is synchronous, so every query runs on this thread, in order.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import * as schema from "./schema";

export type DrizzleDb = BetterSQLite3Database<typeof schema>;

export interface GateDb {
  db: DrizzleDb;
  sqlite: Database.Database;
  /** The database file, or ":memory:". */
  path: string;
  close(): void;
}

/** Resolved from this file, not the working directory, so `gate start` works from anywhere. */
export const MIGRATIONS_DIR = fileURLToPath(new URL("../../drizzle", import.meta.url));

export const DB_FILE_NAME = "gate.db";

/** Open (creating if needed) `<dataDir>/gate.db`, configure it and apply pending migrations. */
export function openDatabase(dataDir: string): GateDb {
  fs.mkdirSync(dataDir, { recursive: true });
  return open(path.join(dataDir, DB_FILE_NAME));
}

/** A private in-memory database with the full schema: for tests that do not care about files. */
export function openMemoryDatabase(): GateDb {
  return open(":memory:");
}

function open(file: string): GateDb {
  const sqlite = new Database(file);
  try {
    configure(sqlite, file !== ":memory:");
    const db = drizzle({ client: sqlite, schema });
    migrate(db, { migrationsFolder: MIGRATIONS_DIR });
    const gdb: GateDb = {
      db,
      sqlite,
      path: file,
      close() {
        if (!sqlite.open) return;
        flushWrites(gdb);
        // Lets SQLite refresh its query-planner statistics cheaply, as its docs advise on close.
        sqlite.pragma("optimize");
        sqlite.close();
      },
    };
    return gdb;
  } catch (error) {
    sqlite.close();
    throw error;
  }
}

function configure(sqlite: Database.Database, onDisk: boolean): void {
  // auto_vacuum decides whether deleting executions can ever shrink the file (n8n's SQLite file
  // only grows). It only takes effect before the first table is created; on a file created without
  // it (an older Gate, or one made by hand), the setting is recorded and a one-time VACUUM rewrites
  // the file so that it applies. That VACUUM may take a while on a big file, but happens once.
  if (sqlite.pragma("auto_vacuum", { simple: true }) !== 2) {
    sqlite.pragma("auto_vacuum = INCREMENTAL");
    const tables = sqlite.prepare("SELECT count(*) FROM sqlite_master").pluck().get() as number;
    if (tables > 0) sqlite.exec("VACUUM");
  }
  if (onDisk) {
    // WAL: readers never block the writer, and a webhook's insert is one fsync-free append.
    const mode = sqlite.pragma("journal_mode = WAL", { simple: true });
    if (mode !== "wal") throw new Error(`could not switch ${sqlite.name} to WAL mode (got "${String(mode)}")`);
  }
  // NORMAL is durable in WAL mode except for the last commits on power loss (not on a crash).
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
}

/**
 * Run `fn` in a write transaction. IMMEDIATE takes the write lock up front: a deferred transaction
 * that reads first and writes later fails with SQLITE_BUSY (not waiting for busy_timeout) when
 * another connection wrote in between. Nested calls become savepoints.
 */
export function writeTransaction<T>(gdb: GateDb, fn: () => T): T {
  return gdb.sqlite.transaction(fn).immediate();
}

const savepoints = new WeakMap<GateDb, (fn: () => unknown) => unknown>();

/**
 * Run `fn` in a savepoint of the current transaction (or a transaction of its own): when it
 * throws, only its writes are undone. The wrapper is made once per connection, since making a
 * better-sqlite3 transaction function costs more than the row it usually protects.
 */
export function savepoint<T>(gdb: GateDb, fn: () => T): T {
  let run = savepoints.get(gdb);
  if (!run) savepoints.set(gdb, (run = gdb.sqlite.transaction((inner: () => unknown) => inner())));
  return run(fn) as T;
}

interface SoonWrite {
  fn: () => unknown;
  durable: boolean;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

const soonWrites = new WeakMap<GateDb, SoonWrite[]>();

/**
 * Run `fn` in a write transaction shared with every other `writeSoon` of this event-loop turn;
 * resolves once that transaction has committed. A commit costs more than the few rows one request
 * writes (a webhook event, an execution's start or outcome), so concurrent requests share one:
 * group commit. Each `fn` runs in its own savepoint, so one that throws is rolled back alone and
 * rejects only its own promise. `durable` asks for the commit to reach the disk before resolving
 * (synchronous=FULL for that commit: the WAL is fsync'ed), which then covers the whole group.
 * `close()` and `flushWrites` commit what is still waiting.
 */
export function writeSoon<T>(gdb: GateDb, fn: () => T, options: { durable?: boolean } = {}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let queue = soonWrites.get(gdb);
    if (!queue) soonWrites.set(gdb, (queue = []));
    queue.push({ fn, durable: options.durable === true, resolve, reject });
    if (queue.length === 1) setImmediate(() => flushWrites(gdb));
  });
}

/** Commit what writeSoon holds now, instead of at the end of this event-loop turn. */
export function flushWrites(gdb: GateDb): void {
  const queue = soonWrites.get(gdb);
  if (!queue?.length) return;
  soonWrites.set(gdb, []);
  if (!gdb.sqlite.open) {
    const closed = new Error("the database is closed");
    for (const write of queue) write.reject(closed);
    return;
  }
  const outcomes: { ok: boolean; value: unknown }[] = [];
  const commit = () =>
    writeTransaction(gdb, () => {
      for (const write of queue) {
        try {
          outcomes.push({ ok: true, value: savepoint(gdb, write.fn) });
        } catch (error) {
          outcomes.push({ ok: false, value: error });
        }
      }
    });
  try {
    if (gdb.path !== ":memory:" && queue.some((write) => write.durable)) fullySynced(gdb, commit);
    else commit();
  } catch (error) {
    for (const write of queue) write.reject(error);
    return;
  }
  queue.forEach((write, i) => (outcomes[i]!.ok ? write.resolve(outcomes[i]!.value) : write.reject(outcomes[i]!.value)));
}

/** Run `fn` with synchronous=FULL, then go back to the connection's setting (NORMAL). */
function fullySynced(gdb: GateDb, fn: () => void): void {
  const before = gdb.sqlite.pragma("synchronous", { simple: true }) as number;
  gdb.sqlite.pragma("synchronous = FULL");
  try {
    fn();
  } finally {
    gdb.sqlite.pragma(`synchronous = ${before}`);
  }
}
