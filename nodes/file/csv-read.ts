import { NodeError, type Item } from "../sdk";
import { CsvScanner, CsvSyntaxError } from "./csv-scan";
import { Unreadable, type ReadRecord } from "./records";

export interface CsvReadOptions {
  delimiter: string;
  quote: string;
  escape: string;
  /** The first row names the columns. */
  header: boolean;
  /** Column names to use instead of (or, without a header row, in the absence of) the header. */
  columns: string[] | undefined;
  skipEmptyLines: boolean;
  path: string;
}

/**
 * A record larger than this is refused: an unclosed quote early in a large file would otherwise
 * make the parser hold the rest of the file as one field.
 */
const MAX_RECORD_CHARS = 16 * 1024 * 1024;

/**
 * Parse CSV text into items keyed by column name, every value a string (typing is the mapping's
 * job). A row with too few or too many fields is a bad record naming its row, line and column;
 * a broken quote is fatal, because where the following rows start is then unknowable.
 */
export async function* readCsv(text: AsyncIterable<string>, options: CsvReadOptions): AsyncGenerator<ReadRecord[]> {
  const scanner = new CsvScanner({
    delimiter: options.delimiter,
    quote: options.quote,
    escape: options.escape,
    skipEmptyLines: options.skipEmptyLines,
    maxRecordChars: MAX_RECORD_CHARS,
  });
  let names: string[] | undefined = options.header ? undefined : options.columns;
  let toItem = names && itemMaker(names);
  let shared = names && new RepeatedValues(names.length);
  let row = 0;
  let out: ReadRecord[] = [];
  const sink = (fields: string[], line: number) => {
    if (!names) {
      names = options.columns ?? (options.header ? headerNames(fields, line, options.path) : fields.map((_, i) => `column${i + 1}`));
      toItem = itemMaker(names);
      shared = new RepeatedValues(names.length);
      if (options.header) return;
    }
    row++;
    if (fields.length !== names.length) {
      out.push(ragged(fields.slice(), names, line, row));
      return;
    }
    shared!.share(fields);
    out.push(toItem!(fields));
  };
  try {
    // One group per chunk of text: the rest of the pipeline pays one await per group, not per record.
    for await (const chunk of text) {
      scanner.push(chunk, sink);
      if (out.length) {
        yield out;
        out = [];
      }
    }
    scanner.end(sink);
    if (out.length) yield out;
  } catch (error) {
    throw error instanceof CsvSyntaxError ? parseError(error, options.path) : error;
  }
}

/**
 * One string per distinct short value of a column that repeats (a country, a status, "true"),
 * instead of one per row. Strings are immutable, so sharing them changes nothing for the items,
 * but a batch held across garbage collections then holds far fewer objects: the young-generation
 * collector copies every object still alive, and with 10,000-row batches that copying was the
 * largest cost after the database itself. A column whose values mostly differ (ids, e-mails)
 * stops being looked up after its first rows.
 */
class RepeatedValues {
  private static readonly MAX_LENGTH = 32;
  private static readonly MAX_DISTINCT = 256;
  private static readonly TRIAL_ROWS = 1000;
  private readonly pools: (Map<string, string> | undefined)[];
  private readonly hits: number[];
  private rows = 0;

  constructor(columns: number) {
    this.pools = Array.from({ length: columns }, () => new Map<string, string>());
    this.hits = new Array<number>(columns).fill(0);
  }

  share(fields: string[]): void {
    const { pools, hits } = this;
    for (let i = 0; i < pools.length; i++) {
      const pool = pools[i];
      if (pool === undefined) continue;
      const value = fields[i]!;
      if (value.length > RepeatedValues.MAX_LENGTH) continue;
      const known = pool.get(value);
      if (known !== undefined) {
        fields[i] = known;
        hits[i]!++;
      } else if (pool.size < RepeatedValues.MAX_DISTINCT) pool.set(value, value);
    }
    if (++this.rows === RepeatedValues.TRIAL_ROWS)
      for (let i = 0; i < pools.length; i++) if (hits[i]! < RepeatedValues.TRIAL_ROWS / 2) pools[i] = undefined;
  }
}

/** Above this many columns, items are built key by key instead of by a generated literal. */
const LITERAL_COLUMNS = 256;

/**
 * Builds an item from a row's fields. For the usual few columns it is a generated object literal:
 * every item then gets its final shape in one allocation, several times faster than assigning keys
 * one by one (which grows the object as it goes). The names enter the code only through
 * `JSON.stringify`, whose output is always a plain string literal, never code. A column named
 * `__proto__` would set the prototype in a literal, so such headers take the slow, exact path.
 */
function itemMaker(names: readonly string[]): (fields: readonly string[]) => Item {
  if (names.includes("__proto__")) return (fields) => Object.fromEntries(names.map((name, i) => [name, fields[i]]));
  if (names.length > LITERAL_COLUMNS) {
    return (fields) => {
      const item: Item = {};
      for (let i = 0; i < names.length; i++) item[names[i]!] = fields[i];
      return item;
    };
  }
  const properties = names.map((name, i) => `${JSON.stringify(name)}: fields[${i}]`).join(", ");
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the names are string literals (see above)
  return new Function("fields", `"use strict"; return { ${properties} };`) as (fields: readonly string[]) => Item;
}

function ragged(fields: string[], names: string[], line: number, row: number): ReadRecord {
  const missing = fields.length < names.length;
  const column = missing ? fields.length + 1 : names.length + 1;
  return new Unreadable({
    code: "CSV_FIELD_COUNT",
    message: missing
      ? `${fields.length} field(s) instead of ${names.length}: column ${column} ("${names[column - 1]}") and after are missing`
      : `${fields.length} fields instead of ${names.length}: column ${column} and after have no column name`,
    line,
    row,
    column,
    fields,
  });
}

function headerNames(fields: readonly string[], line: number, path: string): string[] {
  const names = fields.map((name, i) => name.trim() || `column${i + 1}`);
  const seen = new Map<string, number>();
  names.forEach((name, i) => {
    const first = seen.get(name);
    if (first !== undefined)
      throw new NodeError(`"${path}" line ${line}: the header names "${name}" twice (columns ${first + 1} and ${i + 1})`, {
        code: "CSV_HEADER_INVALID",
        hint: "rename one of the columns in the file, or list the column names in the node's settings",
        details: [{ path, line, column: i + 1 }],
      });
    seen.set(name, i);
  });
  return names;
}

const PLAIN_WORDS: Record<CsvSyntaxError["code"], string> = {
  CSV_QUOTE_NOT_CLOSED: "the row starting here opens a quote that is never closed",
  CSV_INVALID_CLOSING_QUOTE: "a quoted field is followed by text before the next delimiter",
  CSV_INVALID_OPENING_QUOTE: "a quote appears inside a field that does not start with a quote",
  CSV_MAX_RECORD_SIZE: `a row is longer than ${MAX_RECORD_CHARS / 1024 / 1024} MiB (probably an unclosed quote)`,
};

function parseError(error: CsvSyntaxError, path: string): NodeError {
  const { line, column } = error;
  const at = `line ${line}${column !== undefined ? `, column ${column}` : ""}`;
  return new NodeError(`"${path}" ${at}: ${PLAIN_WORDS[error.code]}; the file cannot be read past this point`, {
    code: "CSV_MALFORMED",
    hint: "check the quotes around that place, or the delimiter, quote and escape settings",
    details: [{ path, line, column, reason: error.message }],
    cause: error,
  });
}
