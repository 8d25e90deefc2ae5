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
    const position = /position (\d+)/.exec(message)?.[1];
    if (position === undefined) throw new UsageError(`${name}: invalid JSON: ${message}`);
    const before = source.slice(0, Number(position));
    const line = before.split("\n").length;
    const column = Number(position) - before.lastIndexOf("\n");
    throw new UsageError(`${name}:${line}:${column}: invalid JSON: ${message.replace(/ in JSON at position.*$/, "")}`);
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
