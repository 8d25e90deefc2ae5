import { NodeError, type Item, type ItemError, type NodeLogger, type PortItems } from "../sdk";

/** A record a format reader could not turn into an item; the rest of the file still reads. */
export interface BadRecord {
  code: string;
  message: string;
  /** The line in the file where the record starts (1-based, as an editor shows it). */
  line: number;
  /** For CSV: the data row (1 = the first row after the header). */
  row?: number;
  /** The field (CSV, 1-based) or character (JSON, 1-based) where the problem is. */
  column?: number;
  /** The fields of a CSV row that could not be read. */
  fields?: string[];
  /** The text of a line that could not be read. */
  raw?: string;
}

/**
 * A record that could not be read. A class, so it can never be taken for an item (items are plain
 * objects): readers pass items on as they are, without a wrapper object per record.
 */
export class Unreadable {
  constructor(readonly bad: BadRecord) {}
}

/** Readers yield records in groups (one per chunk of text): one await per group, not per record. */
export type ReadRecord = Item | Unreadable;

export interface BatchOptions {
  nodeId: string;
  path: string;
  batchSize: number;
  /** `error`: bad records go to the error port; `fail`: the first one ends the read. */
  badRecords: "error" | "fail";
  maxBadRecords: number;
  signal: AbortSignal;
  log: NodeLogger;
}

const RAW_KEPT = 1000;

/**
 * Group records into batches of `main` items and `error` items. Memory holds one batch at a time:
 * the next record is read only after the interpreter has pushed the batch through the rest of the flow.
 */
export async function* inBatches(groups: AsyncIterable<ReadRecord[]>, options: BatchOptions): AsyncGenerator<PortItems> {
  let main: Item[] = [];
  let error: Item[] = [];
  let bad = 0;
  for await (const group of groups) {
    for (const record of group) {
      if (record instanceof Unreadable) {
        bad++;
        checkBad(record.bad, bad, options);
        error.push(errorItem(record.bad, options));
      } else main.push(record);
      if (main.length + error.length >= options.batchSize) {
        options.signal.throwIfAborted();
        yield error.length ? { main, error } : { main };
        main = [];
        error = [];
      }
    }
  }
  if (main.length || error.length) yield error.length ? { main, error } : { main };
  // The node cannot tell whether its error port leads anywhere: say so where operators look.
  if (bad) options.log.warn(`${bad} record(s) of "${options.path}" could not be read and went to the error port`, { path: options.path, bad });
}

/** Stop the read at the first bad record (`fail`), or when there are too many to be an accident. */
function checkBad(bad: BadRecord, count: number, options: BatchOptions): void {
  if (options.badRecords === "fail")
    throw new NodeError(`"${options.path}" ${where(bad)}: ${bad.message}`, { code: bad.code, details: [locate(bad, options.path)] });
  if (count > options.maxBadRecords)
    throw new NodeError(`"${options.path}" has more than ${options.maxBadRecords} records that cannot be read; the read was stopped`, {
      code: "TOO_MANY_BAD_RECORDS",
      hint: "the settings probably do not match the file (delimiter, header, encoding, item path); the error port shows the first ones",
    });
}

/** Where a record is, in words: "row 4 (line 5), column 2". */
export function where(bad: Pick<BadRecord, "line" | "row" | "column">): string {
  const at = bad.row !== undefined ? `row ${bad.row} (line ${bad.line})` : `line ${bad.line}`;
  return bad.column !== undefined ? `${at}, column ${bad.column}` : at;
}

function locate(bad: BadRecord, path: string) {
  const at: Record<string, unknown> = { path, line: bad.line };
  if (bad.row !== undefined) at.row = bad.row;
  if (bad.column !== undefined) at.column = bad.column;
  return at;
}

/** The error port's usual shape (`{error, item}`), the item holding where the record is. */
function errorItem(bad: BadRecord, options: BatchOptions): Item {
  const at = locate(bad, options.path);
  const error: ItemError = {
    message: `${where(bad)}: ${bad.message}`,
    code: bad.code,
    node: options.nodeId,
    attempt: 1,
    details: [at],
  };
  const item: Item = { ...at, message: bad.message };
  if (bad.fields !== undefined) item.fields = bad.fields;
  if (bad.raw !== undefined) item.raw = bad.raw.length > RAW_KEPT ? `${bad.raw.slice(0, RAW_KEPT)}…` : bad.raw;
  return { error, item };
}

/** Turn a parsed JSON value into an item: objects as they are, anything else wrapped as `{ value }`. */
export function asItem(value: unknown): Item {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Item) : { value };
}
