/**
 * The real databases the db node tests run against: PostgreSQL and MariaDB on this machine, and
 * SQLite files in a temp folder. Fixtures are set up and checked with the raw drivers, not with the
 * code under test. A missing server is reported loudly and skipped, or fails the suite when CI=true.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestContext } from "node:test";
import BetterSqlite from "better-sqlite3";
import mysql from "mysql2/promise";
import pg from "pg";
import { memoryState, offlineHost, type Credential, type FlowState, type ItemError, type NodeHost, type PortItems } from "../../sdk";

export type BackendName = "postgres" | "mysql" | "sqlite";

export interface Backend {
  name: BackendName;
  label: string;
  /** `true`, or why the server could not be reached. */
  available: true | string;
  credential(overrides?: Record<string, unknown>): Credential;
  /** Run SQL with the raw driver; `?` placeholders on every backend. */
  exec(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /** Does the table exist (in the default schema)? */
  tableExists(table: string): Promise<boolean>;
  close(): Promise<void>;
}

let counter = 0;
/** A table name no parallel run will pick: pid, time and a counter. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${counter++}`;
}

/** A host whose guard lets the tests reach 127.0.0.1 (the real SSRF guard blocks loopback). */
export function localHost(options: { filesDir?: string; state?: FlowState } = {}): NodeHost {
  return { ...offlineHost({ state: options.state ?? memoryState(), filesDir: options.filesDir }), net: { resolve: (host) => Promise.resolve(host) } };
}

// Ports can be pointed elsewhere (or at nothing, to see the skip and CI=true paths work).
const PG = { host: "127.0.0.1", port: Number(process.env.GATE_TEST_PG_PORT ?? 5432), database: "test", user: "postgres" };
const MY = { host: "127.0.0.1", port: Number(process.env.GATE_TEST_MYSQL_PORT ?? 3306), database: "test", user: "root" };

function credentialOf(kind: BackendName, data: Record<string, unknown>): Credential {
  // A fresh id per credential: pools are cached by id, and tests must not share them by accident.
  return { id: uniqueName(`cred_${kind}`), name: `test ${kind}`, kind, data };
}

async function postgres(): Promise<Backend> {
  const client = new pg.Client({ ...PG, connectionTimeoutMillis: 3_000 });
  let available: true | string = true;
  try {
    await client.connect();
  } catch (error) {
    available = (error as Error).message || String(error);
  }
  const toDollar = (sql: string) => {
    let n = 0;
    return sql.replace(/\?/g, () => `$${++n}`);
  };
  return {
    name: "postgres",
    label: `PostgreSQL at 127.0.0.1:${PG.port}`,
    available,
    credential: (overrides = {}) => credentialOf("postgres", { ...PG, ...overrides }),
    exec: async (sql, params = []) => (await client.query(toDollar(sql), params)).rows as Record<string, unknown>[],
    tableExists: async (table) =>
      (await client.query<{ t: string | null }>("SELECT to_regclass($1) AS t", [table])).rows[0]?.t !== null,
    close: () => (available === true ? client.end() : Promise.resolve()),
  };
}

async function mariadb(): Promise<Backend> {
  let conn: mysql.Connection | undefined;
  let available: true | string = true;
  try {
    conn = await mysql.createConnection({ ...MY, password: "", connectTimeout: 3_000, dateStrings: true });
  } catch (error) {
    available = (error as Error).message || String(error);
  }
  return {
    name: "mysql",
    label: `MariaDB/MySQL at 127.0.0.1:${MY.port}`,
    available,
    credential: (overrides = {}) => credentialOf("mysql", { ...MY, ...overrides }),
    exec: async (sql, params = []) => {
      const [rows] = await conn!.query(sql, params);
      return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
    },
    tableExists: async (table) => {
      const [rows] = await conn!.query("SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?", [table]);
      return Number((rows as { n: number }[])[0]?.n) > 0;
    },
    close: () => conn?.end() ?? Promise.resolve(),
  };
}

/** SQLite in a fresh temp folder that acts as the files folder; the credential's path is relative to it. */
export function sqlite(): Backend & { filesDir: string; file: string } {
  const filesDir = mkdtempSync(path.join(tmpdir(), "gate-db-"));
  const file = "test.sqlite";
  const handle = new BetterSqlite(path.join(filesDir, file));
  handle.pragma("journal_mode = WAL");
  return {
    name: "sqlite",
    label: "SQLite file",
    available: true,
    filesDir,
    file,
    credential: (overrides = {}) => credentialOf("sqlite", { path: file, ...overrides }),
    exec: (sql, params = []) => {
      const statement = handle.prepare(sql);
      if (statement.reader) return Promise.resolve(statement.all(...params) as Record<string, unknown>[]);
      statement.run(...params);
      return Promise.resolve([]);
    },
    tableExists: (table) =>
      Promise.resolve(handle.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined),
    close: () => {
      handle.close();
      rmSync(filesDir, { recursive: true, force: true });
      return Promise.resolve();
    },
  };
}

export async function allBackends(): Promise<Backend[]> {
  return [await postgres(), await mariadb(), sqlite()];
}

/** The host a backend's tests need: SQLite's files folder, loopback allowed for the servers. */
export function hostFor(backend: Backend, state?: FlowState): NodeHost {
  const filesDir = (backend as Partial<ReturnType<typeof sqlite>>).filesDir;
  return localHost({ filesDir, state });
}

/**
 * True when the test must stop because its server is missing: skipped with the reason (and a
 * warning on the console), or failed outright when CI=true, where every server must be there.
 */
export function unavailable(t: TestContext, backend: Backend): boolean {
  if (backend.available === true) return false;
  const reason = `${backend.label} is not reachable (${backend.available})`;
  if (process.env.CI === "true") throw new Error(`${reason}; CI=true requires every database server`);
  console.warn(`⚠ SKIPPED: ${reason}`);
  t.skip(reason);
  return true;
}

/** CREATE TABLE text that means the same on all three databases. */
export const PEOPLE_COLUMNS = "(id INTEGER PRIMARY KEY, name VARCHAR(200) NOT NULL, note TEXT)";

/** The error a failed item carries on the `error` port (the first one unless told). */
export function failureOf(outputs: PortItems, index = 0): ItemError | undefined {
  return outputs.error?.[index]?.error as ItemError | undefined;
}
