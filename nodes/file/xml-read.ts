import { Unreadable, asItem, type ReadRecord } from "./records";
import { XmlCutter, type XmlFragment } from "./xml-cut";

export const ATTRIBUTE_PREFIX = "@_";
export const TEXT_KEY = "#text";

export interface XmlReadOptions {
  /** The repeated element, root first: ["orders", "order"]. */
  itemPath: string[];
  /** Element names that are always lists, even when an item has only one. */
  arrays: string[];
  path: string;
}

const PREDEFINED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/**
 * Replace XML's five predefined entities and numeric character references. fast-xml-parser runs
 * with `processEntities: false` so that no entity defined by a document is ever expanded; this
 * one-pass replacement restores ordinary text ("Tom &amp; Jerry") and cannot expand recursively.
 */
export function decodeEntities(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(/&(?:#x([0-9a-fA-F]{1,6})|#([0-9]{1,7})|(amp|lt|gt|quot|apos));/g, (whole, hex?: string, dec?: string, name?: string) => {
    if (name) return PREDEFINED[name]!;
    const code = hex ? parseInt(hex, 16) : Number(dec);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/**
 * Items from the elements at `itemPath`, each parsed on its own (see XmlCutter). Attributes become
 * `@_name` keys, text next to child elements `#text`, and every value stays a string.
 */
export async function* readXml(text: AsyncIterable<string>, options: XmlReadOptions): AsyncGenerator<ReadRecord[]> {
  // Loaded here rather than with the node registry: most Gates read no XML and need not hold it.
  const { XMLParser, XMLValidator } = await import("fast-xml-parser");
  const arrays = new Set(options.arrays);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: ATTRIBUTE_PREFIX,
    textNodeName: TEXT_KEY,
    processEntities: false,
    htmlEntities: false,
    parseTagValue: false,
    parseAttributeValue: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    isArray: (name) => arrays.has(name),
    tagValueProcessor: (_name, value) => decodeEntities(value),
    attributeValueProcessor: (_name, value) => decodeEntities(value),
  });
  const element = options.itemPath.at(-1)!;
  const cutter = new XmlCutter(options.itemPath, options.path);
  const parse = ({ text, line, column }: XmlFragment): ReadRecord => {
    const valid = XMLValidator.validate(text);
    if (valid !== true) {
      const { msg, line: at, col } = valid.err;
      // The validator counts from the fragment's start; on its first line, columns continue the file's.
      return new Unreadable({ code: "XML_ELEMENT_INVALID", message: msg, line: line + at - 1, column: at === 1 ? column + col - 1 : col, raw: text });
    }
    const parsed = parser.parse(text) as Record<string, unknown>;
    const value = parsed[element];
    return asItem(Array.isArray(value) ? value[0] : typeof value === "string" ? { [TEXT_KEY]: value } : value);
  };
  for await (const chunk of text) yield cutter.push(chunk).map(parse);
  yield cutter.end().map(parse);
}
