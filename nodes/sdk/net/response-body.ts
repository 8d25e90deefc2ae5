import { NodeError } from "../errors";

export type ResponseFormat = "auto" | "json" | "text" | "binary";

/** A binary body as it travels in an item. */
export interface BinaryBody {
  contentType: string;
  size: number;
  base64: string;
}

/**
 * Decode a response body by its content type: JSON parsed; text, XML, HTML, CSV and form bodies
 * as text (XML is left as text on purpose: parsing it safely is the XML node's job); anything
 * else as base64 with its size. `format` forces one reading.
 */
export function decodeBody(body: Uint8Array, contentType: string | undefined, format: ResponseFormat = "auto"): unknown {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  const kind = format !== "auto" ? format : guess(type, body);
  if (kind === "binary") return { contentType: type || "application/octet-stream", size: body.length, base64: Buffer.from(body).toString("base64") } satisfies BinaryBody;
  const text = decodeText(body, contentType);
  if (kind === "text") return text;
  if (text.trim() === "") return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new NodeError(`the response says it is JSON but is not valid JSON: ${text.slice(0, 100)}`, {
      code: "RESPONSE_INVALID",
      hint: 'set "Response format" to text to keep the body as it is',
    });
  }
}

function guess(type: string, body: Uint8Array): "json" | "text" | "binary" {
  if (type === "application/json" || type.endsWith("+json") || type === "text/json") return "json";
  if (type.startsWith("text/") || type.endsWith("+xml") || TEXT_TYPES.has(type)) return "text";
  if (type) return "binary";
  // No content type: JSON if it parses, text if it is valid UTF-8, else binary.
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(body);
    const trimmed = text.trim();
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
      try {
        JSON.parse(trimmed);
        return "json";
      } catch {
        return "text";
      }
    }
    return "text";
  } catch {
    return "binary";
  }
}

const TEXT_TYPES = new Set([
  "application/xml",
  "application/javascript",
  "application/x-www-form-urlencoded",
  "application/csv",
  "application/yaml",
  "application/x-yaml",
  "application/graphql",
]);

function decodeText(body: Uint8Array, contentType: string | undefined): string {
  const charset = /charset="?([^";\s]+)"?/i.exec(contentType ?? "")?.[1];
  try {
    return new TextDecoder(charset ?? "utf-8").decode(body);
  } catch {
    // An unknown charset label: UTF-8 is the best guess on today's web.
    return new TextDecoder("utf-8").decode(body);
  }
}
