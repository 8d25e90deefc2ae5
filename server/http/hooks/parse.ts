/**
 * The body as the flow sees it, by content type: JSON, form, XML (no entity expansion, no DTD) or
 * text. Every refusal names what is wrong and where.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { findPoisonedKey, parseJson } from "./safe-json";

export type ParseResult =
  | { ok: true; payload: unknown; /** JSON text of `payload`, reusing the body when it was JSON. */ json: string }
  | { ok: false; status: 400 | 415; reason: string };

export const SUPPORTED_TYPES = "application/json, application/x-www-form-urlencoded, application/xml, text/xml, text/plain";

const xml = new XMLParser({
  processEntities: false,
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  // Keep values as sent: "00123" stays a string; mapping converts types explicitly.
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: true,
});
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

export function parseBody(raw: Buffer, contentType: string | undefined, query: Record<string, string>): ParseResult {
  if (raw.length === 0) return ok({ ...query });
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    return { ok: false, status: 400, reason: "the body is not valid UTF-8" };
  }
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === "application/json" || type.endsWith("+json") || (type === "" && /^\s*[[{]/.test(text))) {
    const parsed = parseJson(text);
    return parsed.ok ? { ok: true, payload: parsed.value, json: text } : { ok: false, status: 400, reason: parsed.reason };
  }
  if (type === "application/x-www-form-urlencoded") return parseForm(text);
  if (type === "application/xml" || type === "text/xml" || type.endsWith("+xml")) return parseXml(text);
  if (type === "" || type.startsWith("text/")) return ok({ body: text });
  return { ok: false, status: 415, reason: `content type "${type}" is not supported; send one of ${SUPPORTED_TYPES}` };
}

function ok(payload: unknown): ParseResult {
  return { ok: true, payload, json: JSON.stringify(payload) };
}

function parseForm(text: string): ParseResult {
  const fields = new Map<string, string | string[]>();
  for (const [key, value] of new URLSearchParams(text)) {
    if (key === "__proto__") return { ok: false, status: 400, reason: "the form has a forbidden field name __proto__" };
    const seen = fields.get(key);
    fields.set(key, seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value]);
  }
  // fromEntries defines own properties, never invoking the __proto__ setter.
  return ok(Object.fromEntries(fields));
}

function parseXml(text: string): ParseResult {
  if (/<!DOCTYPE/i.test(text)) return { ok: false, status: 400, reason: "XML with a DOCTYPE is refused (no DTDs or entity declarations)" };
  const valid = XMLValidator.validate(text);
  if (valid !== true) return { ok: false, status: 400, reason: `malformed XML at line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}` };
  const payload = xml.parse(text) as unknown;
  const poisoned = findPoisonedKey(payload);
  if (poisoned) return { ok: false, status: 400, reason: `the XML has a forbidden element or attribute at ${poisoned}` };
  return ok(payload);
}
