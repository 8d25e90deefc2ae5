import { NodeError, credentialData, type Credential, type NodeContext } from "../sdk";
import { loadMysqlDriver, openMysql, mysqlSyntax } from "./dialects/mysql";
import { loadPostgresDriver, openPostgres, postgresSyntax, type NetworkTarget } from "./dialects/postgres";
import { openSqlite, sqliteSyntax } from "./dialects/sqlite";
import type { Database, Session, Syntax } from "./dialects/types";
import { databaseError, type ErrorScope } from "./errors";
import { fingerprint, pooled } from "./pool";

export const DATABASE_KINDS = ["postgres", "mysql", "sqlite"] as const;

/** The node's credential, or a clear error when the flow has none. */
export function requireCredential(credential: Credential | undefined): Credential {
  if (!credential)
    throw new NodeError("no database connection is set", {
      code: "CREDENTIAL_MISSING",
      hint: "pick a PostgreSQL, MySQL or SQLite credential in the node's settings",
    });
  return credential;
}

/** The dialect's SQL rules: known from the credential's kind alone, so dry runs never connect. */
export function syntaxFor(credential: Credential): Syntax {
  switch (credential.kind) {
    case "postgres":
      return postgresSyntax;
    case "mysql":
      return mysqlSyntax;
    case "sqlite":
      return sqliteSyntax;
    default:
      throw new NodeError(`credential "${credential.name}" is of kind ${credential.kind}, not a database`, {
        code: "CREDENTIAL_KIND",
        hint: "pick a PostgreSQL, MySQL or SQLite credential",
      });
  }
}

// One lookup per node execution: items of a batch share the guard check and the pool.
const perRun = new WeakMap<NodeContext, Map<string, Promise<Database>>>();

/** The pooled database for this credential, with every driver error turned into a NodeError. */
export function openDatabase(credential: Credential, ctx: NodeContext): Promise<Database> {
  let byCredential = perRun.get(ctx);
  if (!byCredential) perRun.set(ctx, (byCredential = new Map<string, Promise<Database>>()));
  let opening = byCredential.get(credential.id);
  if (!opening) {
    opening = resolve(credential, ctx);
    byCredential.set(credential.id, opening);
    // A failed lookup (blocked host, bad credential) is tried afresh by the next attempt.
    opening.catch(() => byCredential.delete(credential.id));
  }
  return opening;
}

async function resolve(credential: Credential, ctx: NodeContext): Promise<Database> {
  if (credential.kind === "sqlite") {
    const data = credentialData("sqlite", credential);
    const file = await ctx.files.resolveReal(data.path);
    const scope: ErrorScope = { credential: credential.name, target: data.path, secrets: [] };
    const print = fingerprint({ kind: "sqlite", file });
    return pooled(credential.id, print, () => reportingErrors(guardOpen(() => openSqlite(file), scope), scope));
  }
  const kind = syntaxFor(credential).name as "postgres" | "mysql";
  const data = credentialData(kind, credential);
  const scope: ErrorScope = {
    credential: credential.name,
    target: `${data.host}:${data.port}`,
    secrets: data.password ? [data.password] : [],
  };
  // The SSRF guard decides where the socket may go; the pool connects to that address only.
  const address = await ctx.net.resolve(data.host, data.port);
  const target: NetworkTarget = { ...data, address, password: data.password };
  const print = fingerprint({ kind, data, address });
  await (kind === "postgres" ? loadPostgresDriver() : loadMysqlDriver());
  const open = kind === "postgres" ? openPostgres : openMysql;
  return pooled(credential.id, print, () => reportingErrors(guardOpen(() => open(target), scope), scope));
}

function guardOpen(open: () => Database, scope: ErrorScope): Database {
  try {
    return open();
  } catch (error) {
    throw databaseError(error, scope);
  }
}

/** The same database, but whatever its driver throws arrives as a NodeError with secrets redacted. */
function reportingErrors(db: Database, scope: ErrorScope): Database {
  // async wrappers: a driver that throws synchronously is translated just the same.
  const translated = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw databaseError(error, scope);
    }
  };
  const session = (inner: Session): Session => ({ query: (sql, params) => translated(() => inner.query(sql, params)) });
  return {
    syntax: db.syntax,
    query: session(db).query,
    transaction: (work, options) => translated(() => db.transaction((s) => work(session(s)), options)),
    close: () => db.close(),
  };
}
