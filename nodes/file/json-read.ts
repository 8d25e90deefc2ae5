import { NodeError } from "../sdk";
import { JsonArrayScanner, MAX_VALUE_CHARS } from "./json-scan";
import { Unreadable, asItem, type ReadRecord } from "./records";

/** Items from a JSON array (the whole document, or the one at `itemsPath`), element by element. */
export async function* readJsonArray(text: AsyncIterable<string>, itemsPath: readonly string[], path: string): AsyncGenerator<ReadRecord[]> {
  const scanner = new JsonArrayScanner(itemsPath, path);
  for await (const chunk of text) {
    yield scanner.push(chunk).map((value) => asItem(value));
    // Nothing after the array matters; returning closes the file.
    if (scanner.done) return;
  }
  scanner.end();
}

/**
 * Items from NDJSON (one JSON value per line). A line that is not valid JSON is a bad record naming
 * its line and the character where parsing stopped; the following lines still read. A line is read
 * whole, so one longer than 16 MiB ends the read.
 */
export async function* readNdjson(text: AsyncIterable<string>, path: string): AsyncGenerator<ReadRecord[]> {
  let rest = "";
  let line = 0;
  for await (const chunk of text) {
    const buf = rest + chunk;
    let start = 0;
    const out: ReadRecord[] = [];
    for (let nl = buf.indexOf("\n"); nl !== -1; nl = buf.indexOf("\n", start)) {
      line++;
      const record = parseLine(buf.slice(start, nl), line);
      if (record) out.push(record);
      start = nl + 1;
    }
    yield out;
    rest = buf.slice(start);
    if (rest.length > MAX_VALUE_CHARS)
      throw new NodeError(`"${path}" line ${line + 1} is longer than ${MAX_VALUE_CHARS / 1024 / 1024} MiB`, {
        code: "NDJSON_LINE_TOO_LONG",
        hint: "check the file really has one JSON value per line (NDJSON); a JSON array needs the JSON format",
        details: [{ path, line: line + 1 }],
      });
  }
  const last = parseLine(rest, line + 1);
  if (last) yield [last];
}

function parseLine(raw: string, line: number): ReadRecord | undefined {
  const text = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
  if (text.trim() === "") return undefined;
  try {
    return asItem(JSON.parse(text));
  } catch (error) {
    const message = (error as Error).message;
    const position = /at position (\d+)/.exec(message)?.[1];
    return new Unreadable({
      code: "NDJSON_LINE_INVALID",
      message: `not valid JSON (${message})`,
      line,
      ...(position !== undefined ? { column: Number(position) + 1 } : {}),
      raw: text,
    });
  }
}
