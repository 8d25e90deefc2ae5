import BetterSqlite from "better-sqlite3";
import { toJsonParam } from "../values";
import type { Database, QueryResult, Session, Syntax } from "./types";

export const sqliteSyntax: Syntax = {
  name: "sqlite",
  quotePart: (part) => `"${part}"`,
  placeholder: () => "?",
  maxParams: 32_766,
  questionMarkIsPlaceholder: true,
  upsertClause: (keys, update) =>
    ` ON CONFLICT (${keys.join(", ")}) DO ` +
    (update.length ? `UPDATE SET ${update.map((c) => `${c} = excluded.${c}`).join(", ")}` : "NOTHING"),
  // SQLite has no boolean type; 1 and 0 are what its own functions return.
  bind: (value) => (typeof value === "boolean" ? (value ? 1 : 0) : toJsonParam(value)),
};

/**
 * One handle per file. better-sqlite3 is synchronous, but a transaction's work is async (it awaits
 * between statements), so every use takes a lock: another run's statement must never land inside
 * our open transaction on the shared handle.
 */
export function openSqlite(file: string): Database {
  // fileMustExist: a typo in the path must not silently create an empty database.
  const handle = new BetterSqlite(file, { fileMustExist: true, timeout: 5_000 });
  useWriteAheadLog(handle);
  const prepare = statementCache(handle);
  let tail: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const run = tail.then(work, work);
    tail = run.catch(() => undefined);
    return run;
  };
  // async: a driver error must arrive as a rejection, like the other drivers', not a synchronous throw.
  const session: Session = { query: (sql, params) => new Promise((resolve) => resolve(runStatement(prepare(sql), params))) };

  return {
    syntax: sqliteSyntax,
    query: (sql, params) => exclusive(() => session.query(sql, params)),
    transaction: (work, options) =>
      exclusive(async () => {
        const readOnly = options?.readOnly === true;
        if (readOnly) handle.pragma("query_only = ON");
        try {
          // IMMEDIATE takes the write lock up front, so two writers wait (busy timeout) instead of deadlocking.
          handle.exec(readOnly ? "BEGIN" : "BEGIN IMMEDIATE");
          try {
            const value = await work(session);
            handle.exec("COMMIT");
            return value;
          } catch (error) {
            if (handle.inTransaction) handle.exec("ROLLBACK");
            throw error;
          }
        } finally {
          if (readOnly) handle.pragma("query_only = OFF");
        }
      }),
    close: () => exclusive(() => Promise.resolve(void handle.close())),
  };
}

/**
 * Write-ahead log with `synchronous = NORMAL`: a commit appends to the log without waiting for the
 * disk, and the log is synced when it is copied into the database (a checkpoint). Without it every
 * committed batch costs several fsyncs, which made a bulk load spend most of its time waiting.
 * The database stays consistent after a crash or power loss; what a power loss (not a crash of
 * Gate) can undo is the last commits before it. The mode is stored in the file, so other programs
 * opening it use the log too (they need SQLite 3.7+, and the file must be on a local disk).
 * When the file cannot switch (read-only, or another connection holds it), it keeps its mode and
 * full syncs: never less safe than before.
 */
function useWriteAheadLog(handle: BetterSqlite.Database): void {
  try {
    const mode = handle.pragma("journal_mode = WAL", { simple: true });
    if (String(mode).toLowerCase() === "wal") handle.pragma("synchronous = NORMAL");
  } catch {
    // Kept as it was; see above.
  }
}

/** Prepared statements are reusable: a batch writer runs the same INSERT text over and over. */
const CACHED_STATEMENTS = 64;

function statementCache(handle: BetterSqlite.Database): (sql: string) => BetterSqlite.Statement {
  const cache = new Map<string, BetterSqlite.Statement>();
  return (sql) => {
    let statement = cache.get(sql);
    if (statement) return statement;
    statement = handle.prepare(sql);
    // Oldest first out: statements built from item data (db.query with varying SQL) must not pile up.
    if (cache.size >= CACHED_STATEMENTS) cache.delete(cache.keys().next().value!);
    cache.set(sql, statement);
    return statement;
  };
}

function runStatement(statement: BetterSqlite.Statement, params: readonly unknown[]): QueryResult {
  const values = bound(params);
  if (statement.reader) {
    const rows = statement.all(values) as Record<string, unknown>[];
    return { rows, affected: rows.length };
  }
  return { rows: [], affected: statement.run(values).changes };
}

/** The values as the driver takes them; copied only when one needs converting (most are text and numbers). */
function bound(params: readonly unknown[]): readonly unknown[] {
  for (let i = 0; i < params.length; i++) {
    const type = typeof params[i];
    if (type !== "string" && type !== "number" && type !== "bigint") return params.map(sqliteSyntax.bind);
  }
  return params;
}
