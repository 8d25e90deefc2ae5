import net from "node:net";
import type mysql from "mysql2";
import type { ExecuteValues } from "mysql2";
import type { Pool, PoolConnection, ResultSetHeader, RowDataPacket } from "mysql2/promise";
import { toJsonParam } from "../values";
import type { NetworkTarget } from "./postgres";
import type { Database, QueryResult, Session, Syntax } from "./types";

export const mysqlSyntax: Syntax = {
  name: "mysql",
  quotePart: (part) => `\`${part}\``,
  placeholder: () => "?",
  maxParams: 65_535,
  questionMarkIsPlaceholder: true,
  // MySQL picks the conflicting unique key itself; `conflictKeys` only decide what is not updated.
  // VALUES(col) rather than the row alias: MariaDB has no row alias, MySQL 8 still accepts VALUES().
  upsertClause: (keys, update) =>
    ` ON DUPLICATE KEY UPDATE ${(update.length ? update : keys.slice(0, 1)).map((c) => `${c} = VALUES(${c})`).join(", ")}`,
  bind: toJsonParam,
};

const POOL_SIZE = 5;

let driver: typeof mysql | undefined;

/** Loaded by the first connection, not with the node registry (see loadPostgresDriver). */
export async function loadMysqlDriver(): Promise<void> {
  driver ??= (await import("mysql2")).default;
}

export function openMysql(target: NetworkTarget): Database {
  // Our own socket factory: the socket goes to the guard's address while `host` stays the name
  // in the credential, which mysql2 uses for the TLS certificate check.
  const sockets = new WeakMap<object, net.Socket>();
  if (!driver) throw new Error("the MySQL driver is not loaded: call loadMysqlDriver() first");
  const base = driver.createPool({
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password ?? "",
    database: target.database,
    ssl: target.ssl ? { rejectUnauthorized: true, verifyIdentity: true } : undefined,
    stream: (opts: { config: object }) => {
      const socket = net.connect({ host: target.address, port: target.port });
      socket.setNoDelay(true);
      sockets.set(opts.config, socket);
      return socket;
    },
    connectionLimit: POOL_SIZE,
    // maxIdle below the limit starts a timer that never lets the process exit; idle sockets are
    // unref'd below instead, the way pg's allowExitOnIdle does it.
    maxIdle: POOL_SIZE,
    connectTimeout: 10_000,
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: false,
    multipleStatements: false,
    maxPreparedStatements: 64,
  });
  const socketOf = (conn: { config: object }) => sockets.get(conn.config);
  base.on("acquire", (conn) => socketOf(conn)?.ref());
  base.on("release", (conn) => socketOf(conn)?.unref());
  const pool = base.promise();

  return {
    syntax: mysqlSyntax,
    ...sessionOf(pool),
    async transaction(work, options) {
      const conn = await pool.getConnection();
      let broken = false;
      try {
        await conn.query(options?.readOnly ? "START TRANSACTION READ ONLY" : "START TRANSACTION");
        const value = await work(sessionOf(conn));
        await conn.query("COMMIT");
        return value;
      } catch (error) {
        await conn.query("ROLLBACK").catch(() => (broken = true));
        throw error;
      } finally {
        if (broken) conn.destroy();
        else conn.release();
      }
    },
    close: () => pool.end(),
  };
}

function sessionOf(runner: Pool | PoolConnection): Session {
  return {
    async query(sql, params) {
      // `execute` binds on the server (a prepared statement); statements without values use the
      // plain protocol because some (LOCK, some DDL) cannot be prepared.
      const [result] = params.length
        ? await runner.execute(sql, params.map(mysqlSyntax.bind) as ExecuteValues[])
        : await runner.query(sql);
      return toResult(result as RowDataPacket[] | ResultSetHeader);
    },
  };
}

function toResult(result: RowDataPacket[] | ResultSetHeader): QueryResult {
  if (Array.isArray(result)) return { rows: result, affected: result.length };
  return { rows: [], affected: result.affectedRows };
}
