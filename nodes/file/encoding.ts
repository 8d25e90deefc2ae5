import iconv from "iconv-lite";
import { NodeError } from "../sdk";

export const READ_ENCODINGS = ["auto", "utf-8", "utf-16le", "utf-16be", "latin1", "windows-1252"] as const;
export type ReadEncoding = (typeof READ_ENCODINGS)[number];
export const WRITE_ENCODINGS = ["utf-8", "utf-8-bom", "utf-16le", "latin1", "windows-1252"] as const;
export type WriteEncoding = (typeof WRITE_ENCODINGS)[number];

/** Turns bytes into text chunk by chunk; a character split across chunks is carried over. */
export interface ChunkDecoder {
  readonly label: string;
  write(bytes: Uint8Array): string;
  end(): string;
}

/**
 * Pick the decoder for a file from its configured encoding and its first bytes (for `auto`: the
 * byte order mark, else UTF-8).
 *
 * UTF-8 and UTF-16 use the built-in TextDecoder in fatal mode, so a file in another encoding is
 * reported instead of silently filled with "�". Latin-1 and Windows-1252 use iconv-lite: the
 * WHATWG TextDecoder treats the label "latin1" as Windows-1252, which turns bytes 0x80–0x9F of a
 * true ISO-8859-1 file into different characters; iconv-lite has both, exactly.
 */
export function decoderFor(encoding: ReadEncoding, head: Uint8Array): ChunkDecoder {
  let chosen: Exclude<ReadEncoding, "auto"> = encoding === "auto" ? "utf-8" : encoding;
  if (encoding === "auto") {
    if (head[0] === 0xff && head[1] === 0xfe) chosen = "utf-16le";
    else if (head[0] === 0xfe && head[1] === 0xff) chosen = "utf-16be";
  }
  if (chosen === "latin1" || chosen === "windows-1252") {
    const decoder = iconv.getDecoder(chosen === "latin1" ? "latin1" : "win1252");
    return { label: chosen, write: (bytes) => decoder.write(Buffer.from(bytes)), end: () => decoder.end() ?? "" };
  }
  // ignoreBOM: false means a leading byte order mark is consumed, not returned as text.
  const decoder = new TextDecoder(chosen, { fatal: true, ignoreBOM: false });
  return { label: chosen, write: (bytes) => decoder.decode(bytes, { stream: true }), end: () => decoder.decode() };
}

const BOM: Record<WriteEncoding, Uint8Array> = {
  "utf-8": new Uint8Array(),
  "utf-8-bom": new Uint8Array([0xef, 0xbb, 0xbf]),
  "utf-16le": new Uint8Array([0xff, 0xfe]),
  latin1: new Uint8Array(),
  "windows-1252": new Uint8Array(),
};

/** The byte order mark a new file in `encoding` starts with (empty when it has none). */
export function byteOrderMark(encoding: WriteEncoding): Uint8Array {
  return BOM[encoding];
}

/** The name an XML declaration uses for `encoding`. */
export function xmlEncodingName(encoding: WriteEncoding): string {
  return { "utf-8": "UTF-8", "utf-8-bom": "UTF-8", "utf-16le": "UTF-16", latin1: "ISO-8859-1", "windows-1252": "windows-1252" }[encoding];
}

/**
 * Encode text for writing. Single-byte encodings cannot store every character and iconv-lite would
 * write "?" instead; that silent loss is refused with the first character that does not fit.
 */
export function encodeText(text: string, encoding: WriteEncoding): Buffer {
  if (encoding === "utf-8" || encoding === "utf-8-bom") return Buffer.from(text, "utf8");
  if (encoding === "utf-16le") return Buffer.from(text, "utf16le");
  const name = encoding === "latin1" ? "latin1" : "win1252";
  const bytes = iconv.encode(text, name);
  if (/[\u0080-\uffff]/.test(text) && iconv.decode(bytes, name) !== text) {
    const bad = firstUnencodable(text, name);
    throw new NodeError(`the text contains "${bad}", which the ${encoding} encoding cannot store`, {
      code: "ENCODING_UNSUPPORTED_CHARACTER",
      hint: `write the file as utf-8${encoding === "latin1" ? " or windows-1252" : ""}, or remove the character in the mapping`,
    });
  }
  return bytes;
}

function firstUnencodable(text: string, name: string): string {
  for (const char of text) if (iconv.decode(iconv.encode(char, name), name) !== char) return char;
  return "?";
}
