/**
 * The CSV tokenizer behind `file.read`. It follows csv-parse's rules (the parser Gate used before,
 * and still uses for the header of a file it appends to) so files read exactly as they did:
 *
 * - the record delimiter is the first `\r\n`, `\n` or `\r` met outside quotes, and only that one
 *   ends records afterwards (a lone `\r` in a `\n` file is data);
 * - a quote opens a quoted field only at the start of a field, and a closing quote must be
 *   followed by a delimiter, the record delimiter or the end of the file;
 * - inside quotes, the escape character takes the next character literally (when it is the quote
 *   itself, only a following quote);
 * - with `skipEmptyLines`, a line with nothing on it is no record; a last line without any
 *   character never is.
 *
 * It exists because csv-parse could only report the line of a record through a per-record hook
 * that cost as much as the parsing itself: here the line is counted in the same pass, over the
 * text's characters, as an editor counts them (`\r\n`, `\n` and a lone `\r` each end a line).
 */

export type CsvSyntaxCode = "CSV_QUOTE_NOT_CLOSED" | "CSV_INVALID_CLOSING_QUOTE" | "CSV_INVALID_OPENING_QUOTE" | "CSV_MAX_RECORD_SIZE";

/** A place where the text stops being CSV: nothing after it can be split into records reliably. */
export class CsvSyntaxError extends Error {
  constructor(
    readonly code: CsvSyntaxCode,
    message: string,
    /** The line of the problem (for an unclosed quote or an oversized record: where the record starts). */
    readonly line: number,
    /** The field (1-based), when the problem is inside one. */
    readonly column: number | undefined,
  ) {
    super(message);
    this.name = "CsvSyntaxError";
  }
}

export interface CsvScanOptions {
  delimiter: string;
  quote: string;
  escape: string;
  skipEmptyLines: boolean;
  /** A record longer than this (in characters) is refused. */
  maxRecordChars: number;
}

/**
 * Receives each record with the line (1-based) where it starts. The array is reused for the next
 * record (one allocation less per row): a sink may change it, and must copy it to keep it.
 */
export type RecordSink = (fields: string[], line: number) => void;

const LF = 10;
const CR = 13;
const EOL_UNKNOWN = 0;
const EOL_LF = 1;
const EOL_CRLF = 2;
const EOL_CR = 3;

export class CsvScanner {
  private readonly delimiter: string;
  private readonly delimiter0: number;
  private readonly quote: number;
  private readonly escape: number;
  private readonly skipEmptyLines: boolean;
  private readonly maxRecordChars: number;
  /**
   * Characters a decision may look past the current one: a closing quote followed by a delimiter
   * followed by nothing yet, or by `\r\n`. A chunk is scanned up to that distance from its end and
   * the rest waits for the next chunk, so no decision is ever made on a cut.
   */
  private readonly lookahead: number;
  /** Characters that stop the fast skip over plain field text (ASCII only; others are compared). */
  private readonly plain = new Uint8Array(128).fill(1);

  private eol = EOL_UNKNOWN;
  /** Text not scanned yet: the end of the previous chunk, inside the lookahead distance. */
  private pending = "";
  /** The current field's text from previous chunks (and a quoted field's text up to its last escape). */
  private carry = "";
  private quoting = false;
  /** The current field was quoted and its closing quote has been passed. */
  private wasQuoting = false;
  private record: string[] = [];
  /** Fields of the current record so far (`record` may hold stale ones after them). */
  private fields = 0;
  private recordChars = 0;
  /** The line the scan is on. */
  private line = 1;
  /** The line where the current record starts. */
  private recordLine = 1;

  constructor(options: CsvScanOptions) {
    this.delimiter = options.delimiter;
    this.delimiter0 = options.delimiter.charCodeAt(0);
    this.quote = options.quote.charCodeAt(0);
    this.escape = options.escape.charCodeAt(0);
    this.skipEmptyLines = options.skipEmptyLines;
    this.maxRecordChars = options.maxRecordChars;
    this.lookahead = options.delimiter.length + 2;
    for (const code of [LF, CR, this.delimiter0, this.quote]) if (code < 128) this.plain[code] = 0;
  }

  /** Scan the next chunk of text; complete records go to `sink`. */
  push(text: string, sink: RecordSink): void {
    this.scan(this.pending ? this.pending + text : text, false, sink);
  }

  /** The text has ended: scan what is left and close the last record. */
  end(sink: RecordSink): void {
    this.scan(this.pending, true, sink);
    this.pending = "";
    if (this.quoting)
      throw new CsvSyntaxError("CSV_QUOTE_NOT_CLOSED", `quote not closed: the text ends inside the quoted field of the record starting on line ${this.recordLine}`, this.recordLine, undefined);
    if (this.wasQuoting || this.fields > 0 || this.carry.length > 0) {
      this.endField("");
      this.emit(sink);
    }
  }

  private scan(buf: string, final: boolean, sink: RecordSink): void {
    const { quote, escape, delimiter0, plain } = this;
    const escapeIsQuote = escape === quote;
    const length = buf.length;
    const limit = final ? length : length - this.lookahead;
    let i = 0;
    // Start of the current field's text in `buf` that is not yet in `carry`.
    let start = 0;
    while (i < limit) {
      let c = buf.charCodeAt(i);
      if (this.quoting) {
        if (c === quote) {
          if (escapeIsQuote && i + 1 < length && buf.charCodeAt(i + 1) === quote) {
            this.carry += buf.slice(start, i + 1);
            i += 2;
            start = i;
            continue;
          }
          const next = i + 1;
          if (next >= length || this.delimiterAt(buf, next) || this.eolAt(buf, next) > 0) {
            this.carry += buf.slice(start, i);
            this.quoting = false;
            this.wasQuoting = true;
            i = next;
            start = i;
            continue;
          }
          throw new CsvSyntaxError(
            "CSV_INVALID_CLOSING_QUOTE",
            `invalid closing quote: got ${JSON.stringify(buf[next])} on line ${this.line} instead of a delimiter or the end of the record`,
            this.line,
            this.fields + 1,
          );
        }
        if (c === escape && !escapeIsQuote && i + 1 < length) {
          this.carry += buf.slice(start, i);
          start = i + 1;
          i++;
          c = buf.charCodeAt(i);
        }
        if (c === LF || (c === CR && buf.charCodeAt(i + 1) !== LF)) this.line++;
        i++;
        continue;
      }
      // Plain field text: the common case, skipped without further checks.
      if (c < 128 ? plain[c] === 1 : c !== quote && c !== delimiter0) {
        i++;
        continue;
      }
      if (c === quote) {
        if (this.carry.length > 0 || i > start)
          throw new CsvSyntaxError(
            "CSV_INVALID_OPENING_QUOTE",
            `invalid opening quote: a quote in field ${this.fields + 1} on line ${this.line}, after ${JSON.stringify(this.carry + buf.slice(start, i))}`,
            this.line,
            this.fields + 1,
          );
        this.quoting = true;
        i++;
        start = i;
        continue;
      }
      if (c === LF || c === CR) {
        const eolLength = this.eolAt(buf, i);
        if (eolLength === 0) {
          // A line break that is not the record delimiter is data, but still a line to an editor.
          if (c === LF || buf.charCodeAt(i + 1) !== LF) this.line++;
          i++;
          continue;
        }
        // Where records end with a lone CR, a CR LF ends the record at the CR and the LF is data;
        // the line is counted once, at the LF.
        if (eolLength === 2 || c === LF || buf.charCodeAt(i + 1) !== LF) this.line++;
        const fieldEnd = i;
        i += eolLength;
        if (!(this.skipEmptyLines && !this.wasQuoting && this.fields === 0 && this.carry.length === 0 && fieldEnd === start)) {
          this.endField(buf.slice(start, fieldEnd));
          this.emit(sink);
        }
        start = i;
        this.recordLine = this.line;
        continue;
      }
      if (c === delimiter0 && this.delimiterAt(buf, i)) {
        this.endField(buf.slice(start, i));
        i += this.delimiter.length;
        start = i;
        continue;
      }
      i++;
    }
    if (start < i) this.carry += buf.slice(start, i);
    this.pending = final ? "" : buf.slice(i);
    if (this.recordChars + this.carry.length > this.maxRecordChars)
      throw new CsvSyntaxError("CSV_MAX_RECORD_SIZE", `the record starting on line ${this.recordLine} is longer than ${this.maxRecordChars} characters`, this.recordLine, undefined);
  }

  private endField(tail: string): void {
    const value = this.carry.length > 0 ? this.carry + tail : tail;
    this.carry = "";
    this.wasQuoting = false;
    this.record[this.fields++] = value;
    this.recordChars += value.length;
  }

  private emit(sink: RecordSink): void {
    if (this.recordChars > this.maxRecordChars)
      throw new CsvSyntaxError("CSV_MAX_RECORD_SIZE", `the record starting on line ${this.recordLine} is longer than ${this.maxRecordChars} characters`, this.recordLine, undefined);
    const { record } = this;
    if (record.length !== this.fields) record.length = this.fields;
    this.fields = 0;
    this.recordChars = 0;
    sink(record, this.recordLine);
  }

  private delimiterAt(buf: string, at: number): boolean {
    return this.delimiter.length === 1 ? buf.charCodeAt(at) === this.delimiter0 : buf.startsWith(this.delimiter, at);
  }

  /** Length of the record delimiter at `at` (0 when there is none), discovering it when still unknown. */
  private eolAt(buf: string, at: number): number {
    const c = buf.charCodeAt(at);
    if (c !== LF && c !== CR) return 0;
    if (this.eol === EOL_UNKNOWN) this.eol = c === LF ? EOL_LF : buf.charCodeAt(at + 1) === LF ? EOL_CRLF : EOL_CR;
    switch (this.eol) {
      case EOL_LF:
        return c === LF ? 1 : 0;
      case EOL_CR:
        return c === CR ? 1 : 0;
      default:
        return c === CR && buf.charCodeAt(at + 1) === LF ? 2 : 0;
    }
  }
}
