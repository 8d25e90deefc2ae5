import { stringify } from "csv-stringify/sync";
import type { Item } from "../sdk";

export interface CsvWriteOptions {
  delimiter: string;
  quote: string;
  lineEnding: "lf" | "crlf";
  escapeFormulas: boolean;
}

/** The columns of a batch: every key, in the order first seen. */
export function columnsOf(items: readonly Item[]): string[] {
  const seen = new Set<string>();
  for (const item of items) for (const key of Object.keys(item)) seen.add(key);
  return [...seen];
}

/** Keys of the items that have no column, so are not written. */
export function keysWithoutColumn(items: readonly Item[], columns: readonly string[]): string[] {
  const known = new Set(columns);
  const extra = new Set<string>();
  for (const item of items) for (const key of Object.keys(item)) if (!known.has(key)) extra.add(key);
  return [...extra];
}

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * OWASP's advice against CSV formula injection: a cell a spreadsheet would run as a formula gets a
 * leading `'`. Hand-written rather than csv-stringify's `escape_formulas`, which also prefixes
 * plain negative numbers ("-12.50" → "'-12.50") and so corrupts every amount column; a plain
 * number cannot run anything.
 */
export function neutraliseFormula(cell: string): string {
  return FORMULA_START.test(cell) && !PLAIN_NUMBER.test(cell) ? `'${cell}` : cell;
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/**
 * CSV text for rows (and the header line when asked). Batches are already in memory, so the sync
 * API of csv-stringify is enough here; reading is where streaming matters.
 */
export function renderCsv(items: readonly Item[], columns: readonly string[], header: boolean, options: CsvWriteOptions): string {
  const records: string[][] = header ? [[...columns]] : [];
  for (const item of items) records.push(columns.map((column) => cell(item[column])));
  if (records.length === 0) return "";
  return stringify(records, {
    delimiter: options.delimiter,
    quote: options.quote,
    escape: options.quote,
    record_delimiter: options.lineEnding === "crlf" ? "windows" : "unix",
    cast: { string: options.escapeFormulas ? neutraliseFormula : (value) => value },
  });
}
