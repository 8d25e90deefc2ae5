import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { parse } from "csv-parse/sync";
import { CsvScanner, CsvSyntaxError } from "./csv-scan";

/**
 * The scanner replaced csv-parse in file.read and must split files exactly as it did: random texts
 * over an alphabet of the characters that matter, cut into random chunks, give the same records
 * (and fail on the same texts) as csv-parse with the options file.read used.
 */
describe("CSV scanner", () => {
  test("splits records exactly as csv-parse does", () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
    const alphabet = ["a", "b", ",", ";", '"', "\n", "\r", "\r\n", " ", "\\", "é", ":"];
    for (let n = 0; n < 5000; n++) {
      let text = "";
      for (let i = Math.floor(random() * 40); i > 0; i--) text += pick(alphabet);
      const options = { delimiter: pick([",", ";", "::"]), quote: '"', escape: pick(['"', "\\"]), skipEmptyLines: random() < 0.7 };
      let expected: string[][] | "fails";
      try {
        const records: string[][] = parse(text, {
          delimiter: options.delimiter,
          quote: options.quote,
          escape: options.escape,
          skip_empty_lines: options.skipEmptyLines,
          relax_column_count: true,
        });
        expected = records;
      } catch {
        expected = "fails";
      }
      const scanner = new CsvScanner({ ...options, maxRecordChars: 1000 });
      const records: string[][] = [];
      const sink = (fields: readonly string[]) => records.push([...fields]);
      let actual: string[][] | "fails" = records;
      try {
        for (let i = 0; i < text.length; ) {
          const size = 1 + Math.floor(random() * 5);
          scanner.push(text.slice(i, i + size), sink);
          i += size;
        }
        scanner.end(sink);
      } catch (error) {
        assert.ok(error instanceof CsvSyntaxError, String(error));
        actual = "fails";
      }
      assert.deepEqual(actual, expected, `${JSON.stringify(text)} with ${JSON.stringify(options)}`);
    }
  });

  test("reports the line where a record starts, counting CR LF, LF and a lone CR as one line each", () => {
    const lines: number[] = [];
    const scanner = new CsvScanner({ delimiter: ",", quote: '"', escape: '"', skipEmptyLines: true, maxRecordChars: 1000 });
    scanner.push('a\r\n\r\n"b\r\nc\rd\ne"\r\nf', (_, line) => lines.push(line));
    scanner.end((_, line) => lines.push(line));
    assert.deepEqual(lines, [1, 3, 7]);
  });

  test("an unclosed quote names the line its record starts on", () => {
    const scanner = new CsvScanner({ delimiter: ",", quote: '"', escape: '"', skipEmptyLines: true, maxRecordChars: 1000 });
    scanner.push('a\n\n\nb,"open\nmore\n', () => undefined);
    assert.throws(() => scanner.end(() => undefined), (error: CsvSyntaxError) => error.code === "CSV_QUOTE_NOT_CLOSED" && error.line === 4);
  });

  test("a record past the size limit is refused", () => {
    const scanner = new CsvScanner({ delimiter: ",", quote: '"', escape: '"', skipEmptyLines: true, maxRecordChars: 100 });
    assert.throws(() => {
      scanner.push('a,"', () => undefined);
      for (let i = 0; i < 10; i++) scanner.push("x".repeat(30), () => undefined);
    }, (error: CsvSyntaxError) => error.code === "CSV_MAX_RECORD_SIZE" && error.line === 1);
  });
});
