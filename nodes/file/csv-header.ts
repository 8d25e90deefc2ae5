import { open } from "node:fs/promises";
import { decoderFor, type WriteEncoding } from "./encoding";
import { fileError } from "./fs-errors";

/** A header line longer than this is not looked for. */
const HEAD_BYTES = 1024 * 1024;

/**
 * The column names in the first line of an existing CSV file, so appended rows line up with the
 * columns already there instead of with the keys of the new items.
 */
export async function existingCsvHeader(
  abs: string,
  rel: string,
  options: { delimiter: string; quote: string; encoding: WriteEncoding },
): Promise<string[] | undefined> {
  let head: Uint8Array;
  try {
    const handle = await open(abs, "r");
    try {
      const buffer = Buffer.alloc(HEAD_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw fileError(error, rel, "read");
  }
  const encoding = options.encoding === "utf-8-bom" ? "utf-8" : options.encoding;
  let text = decoderFor(encoding === "utf-8" ? "auto" : encoding, head).write(head);
  const newline = text.search(/\r?\n/);
  if (newline !== -1) text = text.slice(0, newline);
  // Loaded on first use: only appending to an existing CSV file needs it.
  const { parse } = await import("csv-parse/sync");
  const records: string[][] = parse(text, { delimiter: options.delimiter, quote: options.quote, escape: options.quote, relax_quotes: true });
  const first = records[0];
  return first?.length ? first : undefined;
}
