import { quoteName } from "./identifiers";
import type { Syntax } from "./dialects/types";

/** A statement exactly as the driver receives it; also what a dry run shows. */
export interface Statement {
  sql: string;
  params: unknown[];
}

export interface InsertSpec {
  table: string;
  columns: readonly string[];
  rows: readonly (readonly unknown[])[];
  /** Set for an upsert: the columns that identify a row. */
  conflictKeys?: readonly string[];
}

/** One multi-row INSERT (or upsert) with every value bound. */
export function insertStatement(syntax: Syntax, spec: InsertSpec): Statement {
  const params: unknown[] = [];
  for (const row of spec.rows) for (const value of row) params.push(value);
  return { sql: insertSql(syntax, spec.table, spec.columns, spec.rows.length, spec.conflictKeys), params };
}

/** The same statement for rows whose values already follow each other in one list. */
export function insertStatementOf(syntax: Syntax, spec: Omit<InsertSpec, "rows">, values: unknown[]): Statement {
  const rowCount = values.length / Math.max(1, spec.columns.length);
  return { sql: insertSql(syntax, spec.table, spec.columns, rowCount, spec.conflictKeys), params: values };
}

/**
 * The text depends only on the table, the columns and the number of rows, and a batch writer asks
 * for the same few shapes over and over: built once, it is also the very same string each time,
 * which is what a driver's statement cache looks up.
 */
const insertTexts = new Map<string, string>();
const INSERT_TEXTS_KEPT = 256;

export function insertSql(syntax: Syntax, table: string, columns: readonly string[], rowCount: number, conflictKeys: readonly string[] | undefined): string {
  // Unambiguous, so only the very inputs whose names were checked (below, by quoteName) find the text.
  const key = JSON.stringify([syntax.name, table, columns, rowCount, conflictKeys ?? null]);
  let sql = insertTexts.get(key);
  if (sql !== undefined) return sql;
  const quote = (column: string) => quoteName(column, syntax.quotePart, false);
  const tuples: string[] = [];
  const width = columns.length;
  let index = 0;
  for (let r = 0; r < rowCount; r++) {
    const marks: string[] = [];
    for (let c = 0; c < width; c++) marks.push(syntax.placeholder(++index));
    tuples.push(`(${marks.join(", ")})`);
  }
  sql = `INSERT INTO ${quoteName(table, syntax.quotePart)} (${columns.map(quote).join(", ")}) VALUES ${tuples.join(", ")}`;
  if (conflictKeys) {
    const keys = new Set(conflictKeys);
    const update = columns.filter((c) => !keys.has(c)).map(quote);
    sql += syntax.upsertClause(conflictKeys.map(quote), update);
  }
  if (insertTexts.size >= INSERT_TEXTS_KEPT) insertTexts.clear();
  insertTexts.set(key, sql);
  return sql;
}

/** Rows per statement: the batch size, unless the columns would exceed the driver's bound-value limit. */
export function rowsPerStatement(syntax: Syntax, columnCount: number, batchSize: number): number {
  return Math.max(1, Math.min(batchSize, Math.floor(syntax.maxParams / Math.max(1, columnCount))));
}

export interface ReadSpec {
  /** A table, or a SELECT used as a subquery. */
  from: { table: string } | { sql: string };
  columns: readonly string[];
  cursor: string;
  /** A unique column that breaks ties between rows with the same cursor value. */
  key?: string;
  /** The watermark: only rows after it. */
  after?: { cursor: unknown; key?: unknown };
  limit: number;
}

/**
 * Keyset pagination: `WHERE cursor > :w ORDER BY cursor LIMIT n`, or with a tie-breaking key
 * `(cursor > :w) OR (cursor = :w AND key > :k)`, written out rather than as a row comparison so
 * every dialect (and its indexes) understands it.
 */
export function readStatement(syntax: Syntax, spec: ReadSpec): Statement {
  const q = (column: string) => quoteName(column, syntax.quotePart, false);
  const from =
    "table" in spec.from
      ? quoteName(spec.from.table, syntax.quotePart)
      : `(${spec.from.sql.trim().replace(/;+\s*$/, "")}) AS gate_source`;
  const select = spec.columns.length ? spec.columns.map(q).join(", ") : "*";
  const params: unknown[] = [];
  const mark = (value: unknown) => {
    params.push(value);
    return syntax.placeholder(params.length);
  };
  const cursor = q(spec.cursor);
  const where = [`${cursor} IS NOT NULL`];
  if (spec.after) {
    if (spec.key !== undefined && spec.after.key !== undefined) {
      const key = q(spec.key);
      where.push(`(${cursor} > ${mark(spec.after.cursor)} OR (${cursor} = ${mark(spec.after.cursor)} AND ${key} > ${mark(spec.after.key)}))`);
    } else where.push(`${cursor} > ${mark(spec.after.cursor)}`);
  }
  const order = spec.key !== undefined ? `${cursor}, ${q(spec.key)}` : cursor;
  // The limit is a validated integer from the config, never item data; inlined because MySQL
  // refuses a bound LIMIT in some versions.
  const sql = `SELECT ${select} FROM ${from} WHERE ${where.join(" AND ")} ORDER BY ${order} LIMIT ${Math.trunc(spec.limit)}`;
  return { sql, params };
}
