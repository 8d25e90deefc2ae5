import type { XMLBuilder } from "fast-xml-parser";
import { NodeError, type Item } from "../sdk";
import { ATTRIBUTE_PREFIX, TEXT_KEY } from "./xml-read";

/** XML's name rule, restricted to what every tool accepts: letter or _, then letters, digits, _ . - : */
export const XML_NAME = /^[\p{L}_][\p{L}\p{N}_.\-:]*$/u;

let builder: XMLBuilder | undefined;

/** fast-xml-parser is loaded by the first XML write, not with the node registry: most Gates write no XML. */
export async function loadXmlWriter(): Promise<void> {
  const { XMLBuilder } = await import("fast-xml-parser");
  builder ??= new XMLBuilder({
    ignoreAttributes: false,
    attributeNamePrefix: ATTRIBUTE_PREFIX,
    textNodeName: TEXT_KEY,
    format: true,
    indentBy: "  ",
    suppressEmptyNode: true,
  });
}

export function xmlHead(root: string, encodingName: string): string {
  return `<?xml version="1.0" encoding="${encodingName}"?>\n<${root}>\n`;
}

export function xmlTail(root: string): string {
  return `</${root}>\n`;
}

/** One element per item; keys that cannot be XML names are refused, naming the item and key. */
export function renderXmlItems(items: readonly Item[], element: string, firstIndex: number): string {
  if (!builder) throw new Error("the XML writer is not loaded: call loadXmlWriter() first");
  const xml = builder;
  let out = "";
  items.forEach((item, i) => {
    const bad = badName(item);
    if (bad !== undefined)
      throw new NodeError(`item ${firstIndex + i + 1}: "${bad}" cannot be an XML element or attribute name`, {
        code: "XML_NAME_INVALID",
        hint: "rename the field in the mapping: names start with a letter or _ and hold letters, digits, _ . - or :",
        details: [{ item: firstIndex + i + 1, key: bad }],
      });
    out += xml.build({ [element]: item });
  });
  return out;
}

function badName(value: unknown): string | undefined {
  if (Array.isArray(value)) {
    for (const entry of value) {
      const bad = badName(entry);
      if (bad !== undefined) return bad;
    }
    return undefined;
  }
  if (value === null || typeof value !== "object") return undefined;
  for (const [key, child] of Object.entries(value)) {
    if (key === TEXT_KEY) continue;
    const name = key.startsWith(ATTRIBUTE_PREFIX) ? key.slice(ATTRIBUTE_PREFIX.length) : key;
    if (!XML_NAME.test(name)) return key;
    const bad = badName(child);
    if (bad !== undefined) return bad;
  }
  return undefined;
}
