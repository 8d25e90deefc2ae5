/**
 * What the nodes need from a database, and nothing more. Each dialect file implements it for one
 * driver, so the nodes never branch on the kind of database.
 */
export type DialectName = "postgres" | "mysql" | "sqlite";

/** SQL text rules of a dialect: pure, usable without a connection (dry runs need them too). */
export interface Syntax {
  readonly name: DialectName;
  /** Quote one checked identifier part. */
  readonly quotePart: (part: string) => string;
  /** The driver's marker for the value at `index` (1-based). */
  readonly placeholder: (index: number) => string;
  /** Most bound values one statement may carry. */
  readonly maxParams: number;
  /** Does the driver treat `?` in SQL text as a placeholder (so Gate's `:name` SQL must not contain one)? */
  readonly questionMarkIsPlaceholder: boolean;
  /** The clause after `INSERT … VALUES …` that turns it into an upsert; columns arrive quoted. */
  readonly upsertClause: (conflictKeys: readonly string[], updateColumns: readonly string[]) => string;
  /** The driver's representation of one bound value. */
  readonly bind: (value: unknown) => unknown;
}

export interface QueryResult {
  rows: Record<string, unknown>[];
  /** Rows inserted, updated or deleted (for a SELECT: rows returned). */
  affected: number;
}

/** One connection's worth of work: a statement with its bound values. */
export interface Session {
  readonly query: (sql: string, params: readonly unknown[]) => Promise<QueryResult>;
}

export interface TransactionOptions {
  /** The database itself refuses every change inside the transaction. */
  readOnly?: boolean;
}

/** A pooled connection to one database, shared by every run that uses the same credential. */
export interface Database extends Session {
  readonly syntax: Syntax;
  /** Run `work` on one connection inside a transaction: committed when it resolves, rolled back when it throws. */
  readonly transaction: <T>(work: (session: Session) => Promise<T>, options?: TransactionOptions) => Promise<T>;
  /** Close every connection; the pool cache calls this on rotation and at shutdown. */
  readonly close: () => Promise<void>;
}
