import { readFile } from "node:fs/promises";
import { text } from "node:stream/consumers";
import { UsageError } from "./errors";

/** Read and parse a JSON file (or stdin for "-"), naming the line and column of a syntax error. */
export async function readJson(file: string): Promise<unknown> {
  let source: string;
  try {
    source = file === "-" ? await text(process.stdin) : await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code === "ENOENT" ? `${file}: no such file` : `${file}: cannot read (${code ?? String(error)})`);
  }
  return parseJson(source.replace(/^\uFEFF/, ""), file === "-" ? "stdin" : file);
}

export function parseJson(source: string, name: string): unknown {
  try {
    return JSON.parse(source) as unknown;
  } catch (error) {
    const message = (error as Error).message;
    // V8 names the position for some errors only ("Unexpected token 'x', …" and "Unexpected end"
    // carry none, and quote the source instead): find it ourselves then, and drop the quote.
    const reported = /position (\d+)/.exec(message)?.[1];
    const position = reported === undefined ? syntaxErrorOffset(source) : Number(reported);
    const reason = message.replace(/ in JSON at position.*$/s, "").replace(/, (\.\.\.)?".*"(\.\.\.)? is not valid JSON$/s, "");
    if (position === undefined) throw new UsageError(`${name}: invalid JSON: ${reason}`);
    const before = source.slice(0, position);
    const line = before.split("\n").length;
    const column = position - before.lastIndexOf("\n");
    throw new UsageError(`${name}:${line}:${column}: invalid JSON: ${reason}`);
  }
}

/** The offset of the first character where `source` stops being JSON (its length if it ends early). */
function syntaxErrorOffset(source: string): number | undefined {
  let i = 0;
  const fail = (): never => {
    throw i;
  };
  const space = () => {
    while (i < source.length && " \t\n\r".includes(source[i]!)) i++;
  };
  const expect = (text: string) => {
    for (const char of text) {
      if (source[i] !== char) fail();
      i++;
    }
  };
  const string = () => {
    expect('"');
    while (source[i] !== '"') {
      if (i >= source.length || source.charCodeAt(i) < 0x20) fail();
      if (source[i] === "\\") {
        i++;
        if (source[i] === "u") {
          for (let k = 0; k < 4; k++) if (!/[0-9a-fA-F]/.test(source[++i] ?? "")) fail();
        } else if (!'"\\/bfnrt'.includes(source[i] ?? "?")) fail();
      }
      i++;
    }
    i++;
  };
  const list = (close: string, entry: () => void) => {
    i++;
    space();
    if (source[i] === close) return void i++;
    for (;;) {
      entry();
      space();
      if (source[i] === close) return void i++;
      expect(",");
      space();
    }
  };
  const value = (): void => {
    space();
    const char = source[i];
    if (char === "{")
      list("}", () => {
        string();
        space();
        expect(":");
        value();
      });
    else if (char === "[") list("]", value);
    else if (char === '"') string();
    else if (char === "t") expect("true");
    else if (char === "f") expect("false");
    else if (char === "n") expect("null");
    else {
      const number = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
      number.lastIndex = i;
      if (!number.test(source)) fail();
      i = number.lastIndex;
    }
  };
  try {
    value();
    space();
    return i;
  } catch (offset) {
    // Not a number: nesting too deep for this scanner; the caller then names no position.
    return typeof offset === "number" ? offset : undefined;
  }
}

/** The trigger payload: one object is one item, an array is one item per element. */
export function toItems(payload: unknown, name: string): Record<string, unknown>[] {
  const list = Array.isArray(payload) ? payload : [payload];
  list.forEach((item, i) => {
    if (typeof item !== "object" || item === null || Array.isArray(item))
      throw new UsageError(`${name}${Array.isArray(payload) ? `[${i}]` : ""}: an input item must be a JSON object`);
  });
  return list as Record<string, unknown>[];
}
