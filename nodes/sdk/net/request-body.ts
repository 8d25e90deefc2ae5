import { NodeError } from "../errors";

export type BodyMode = "json" | "form" | "multipart" | "raw" | "none";

export interface EncodedBody {
  body: string | FormData | null;
  /** Set unless the body is FormData (which brings its own boundary) or absent. */
  contentType?: string;
  /** What a dry run shows: the JSON value, the form string, the multipart fields, the raw text. */
  preview: unknown;
}

/**
 * Encode a request body. Form and multipart take an object of fields; a multipart field that is
 * `{ base64, filename?, contentType? }` (the shape binary responses have) becomes a file part.
 */
export function encodeBody(mode: BodyMode, value: unknown, rawContentType?: string): EncodedBody {
  switch (mode) {
    case "none":
      return { body: null, preview: null };
    case "json": {
      const text = JSON.stringify(value ?? null);
      return { body: text, contentType: "application/json", preview: value ?? null };
    }
    case "raw": {
      if (typeof value !== "string")
        throw bodyError(`a raw body must be text, but the value is ${describe(value)}`, "use a text value, or the json body mode for objects");
      return { body: value, contentType: rawContentType ?? "text/plain; charset=utf-8", preview: value };
    }
    case "form": {
      const params = new URLSearchParams();
      for (const [name, v] of fields(value, "form")) for (const one of Array.isArray(v) ? v : [v]) params.append(name, fieldText(one));
      const text = params.toString();
      return { body: text, contentType: "application/x-www-form-urlencoded", preview: text };
    }
    case "multipart": {
      const form = new FormData();
      const preview: Record<string, unknown>[] = [];
      for (const [name, v] of fields(value, "multipart"))
        for (const one of Array.isArray(v) ? v : [v]) {
          if (isFile(one)) {
            const bytes = Buffer.from(one.base64, "base64");
            const type = one.contentType ?? "application/octet-stream";
            const filename = one.filename ?? name;
            form.append(name, new Blob([bytes], { type }), filename);
            preview.push({ name, filename, contentType: type, size: bytes.length });
          } else {
            form.append(name, fieldText(one));
            preview.push({ name, value: fieldText(one) });
          }
        }
      return { body: form, preview: { multipart: preview } };
    }
  }
}

function fields(value: unknown, mode: string): [string, unknown][] {
  if (!value || typeof value !== "object" || Array.isArray(value))
    throw bodyError(`a ${mode} body needs an object of fields, but the value is ${describe(value)}`, "set the body to an object such as {\"name\": \"Ada\"}");
  return Object.entries(value).filter(([, v]) => v !== undefined && v !== null);
}

function fieldText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

function isFile(value: unknown): value is { base64: string; filename?: string; contentType?: string } {
  return !!value && typeof value === "object" && typeof (value as { base64?: unknown }).base64 === "string";
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return "empty";
  if (Array.isArray(value)) return "a list";
  return `a ${typeof value}`;
}

function bodyError(message: string, hint: string): NodeError {
  return new NodeError(message, { code: "BODY_INVALID", hint });
}
