import { isIP } from "node:net";
import type pg from "pg";
import { toJsonParam } from "../values";
import type { Database, QueryResult, Session, Syntax } from "./types";

export const postgresSyntax: Syntax = {
  name: "postgres",
  quotePart: (part) => `"${part}"`,
  placeholder: (index) => `$${index}`,
  maxParams: 65_535,
  // `?` is a jsonb operator in PostgreSQL, not a marker.
  questionMarkIsPlaceholder: false,
  upsertClause: (keys, update) =>
    ` ON CONFLICT (${keys.join(", ")}) DO ` +
    (update.length ? `UPDATE SET ${update.map((c) => `${c} = EXCLUDED.${c}`).join(", ")}` : "NOTHING"),
  bind: toJsonParam,
};

export interface NetworkTarget {
  /** The address the SSRF guard approved: the only place a socket goes. */
  address: string;
  /** The name in the credential: kept for TLS certificate checks. */
  host: string;
  port: number;
  database: string;
  user: string;
  password: string | undefined;
  ssl: boolean;
}

let driver: typeof pg | undefined;

/**
 * The driver is loaded by the first connection, not with the node registry (which loads every node
 * file at start): a Gate that never talks to PostgreSQL does not hold it in memory.
 */
export async function loadPostgresDriver(): Promise<void> {
  driver ??= (await import("pg")).default;
}

function pgDriver(): typeof pg {
  if (!driver) throw new Error("the PostgreSQL driver is not loaded: call loadPostgresDriver() first");
  return driver;
}

// Dates and times stay the database's own text: a JS Date would lose microseconds and shift
// `timestamp without time zone` by the server's zone, and a cursor must round-trip exactly.
const TEXT_TYPES = new Set([1082, 1083, 1114, 1184, 1266, 1186]);
const INT8 = 20;
const types = {
  getTypeParser(oid: number, format?: "text" | "binary"): (value: string) => unknown {
    if (TEXT_TYPES.has(oid)) return (value: string) => value;
    if (oid === INT8) return (value: string) => (Number.isSafeInteger(Number(value)) ? Number(value) : value);
    return pgDriver().types.getTypeParser(oid, format) as (value: string) => unknown;
  },
};

export function openPostgres(target: NetworkTarget): Database {
  const pool = new (pgDriver().Pool)({
    host: target.address,
    port: target.port,
    database: target.database,
    user: target.user,
    password: target.password,
    ssl: target.ssl ? { rejectUnauthorized: true, ...(isIP(target.host) ? {} : { servername: target.host }) } : false,
    max: 5,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
    // Idle pooled connections must not keep a CLI run or a test process alive.
    allowExitOnIdle: true,
    application_name: "gate",
    types,
  });
  // An idle connection whose server went away: the pool drops it and the next query reconnects.
  pool.on("error", () => {});

  const sessionOf = (client: pg.Pool | pg.PoolClient): Session => ({
    async query(sql, params) {
      const result = (await client.query({ text: sql, values: params.map(postgresSyntax.bind) })) as
        | pg.QueryResult
        | pg.QueryResult[];
      // Several statements without parameters answer with one result each: the last one counts.
      const last = Array.isArray(result) ? result[result.length - 1] : result;
      return toResult(last);
    },
  });

  return {
    syntax: postgresSyntax,
    ...sessionOf(pool),
    async transaction(work, options) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query(options?.readOnly ? "BEGIN READ ONLY" : "BEGIN");
        const value = await work(sessionOf(client));
        await client.query("COMMIT");
        return value;
      } catch (error) {
        await client.query("ROLLBACK").catch((rollbackFailed: Error) => (broken = rollbackFailed));
        throw error;
      } finally {
        // A connection that could not even roll back is destroyed instead of going back to the pool.
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}

function toResult(result: pg.QueryResult | undefined): QueryResult {
  const rows = (result?.rows ?? []) as Record<string, unknown>[];
  return { rows, affected: result?.rowCount ?? rows.length };
}
