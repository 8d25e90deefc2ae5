import type { FileHandle } from "node:fs/promises";
import { NodeError } from "../sdk";
import { decoderFor, type ReadEncoding } from "./encoding";
import { fileError } from "./fs-errors";

/**
 * Bytes read per chunk: large enough to keep system calls rare, and small enough that the decoded
 * text stays an ordinary V8 string. Above 128 KiB it becomes a "large object": the values of the
 * items read from it keep it alive until a full garbage collection, and a 10,000-row CSV batch load
 * peaked about 40 MB higher with 256 KiB chunks.
 */
const CHUNK_BYTES = 64 * 1024;

/**
 * The text of an open file, chunk by chunk, decoded as `encoding`. The file is closed when the
 * iteration ends, breaks or fails. A byte sequence invalid in the encoding fails with the line it is on.
 */
export async function* readText(handle: FileHandle, relPath: string, encoding: ReadEncoding, signal: AbortSignal): AsyncGenerator<string> {
  const stream = handle.createReadStream({ highWaterMark: CHUNK_BYTES, signal });
  let decoder: ReturnType<typeof decoderFor> | undefined;
  let newlines = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      decoder ??= decoderFor(encoding, chunk);
      let text: string;
      try {
        text = decoder.write(chunk);
      } catch (error) {
        throw invalidEncoding(relPath, decoder.label, newlines + 1 + newlinesBeforeInvalid(chunk, decoder.label), error);
      }
      newlines += countNewlines(text);
      if (text) yield text;
    }
    if (decoder) {
      let rest: string;
      try {
        rest = decoder.end();
      } catch (error) {
        throw invalidEncoding(relPath, decoder.label, newlines + 1, error);
      }
      if (rest) yield rest;
    }
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw fileError(error, relPath, "read");
  } finally {
    stream.destroy();
    await handle.close().catch(() => undefined);
  }
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

/**
 * Where in a chunk the first undecodable byte sits, in lines: decode leniently and find the first "�".
 * (Off by a line at worst, when a character split across two chunks precedes the bad byte.)
 */
function newlinesBeforeInvalid(chunk: Uint8Array, label: string): number {
  const lenient = new TextDecoder(label).decode(chunk);
  const at = lenient.indexOf("\uFFFD");
  return countNewlines(at === -1 ? lenient : lenient.slice(0, at));
}

function invalidEncoding(relPath: string, label: string, line: number, cause: unknown): NodeError {
  return new NodeError(`line ${line} of "${relPath}" is not valid ${label.toUpperCase()} text`, {
    code: "ENCODING_INVALID",
    hint: "the file was probably saved in another encoding: try latin1 or windows-1252 (common for files from Excel on Windows), or utf-16le",
    details: [{ path: relPath, line }],
    cause,
  });
}
