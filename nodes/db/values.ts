import type { Item } from "../sdk";

/**
 * Items are plain JSON; drivers speak their own types. Going in, nested objects and arrays become
 * JSON text (a json/jsonb/JSON column takes it as-is); coming out, driver types become JSON again
 * so an item can be stored, compared and shown.
 */
export function toJsonParam(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === "object" && !(value instanceof Uint8Array)) return JSON.stringify(value);
  return value;
}

export function rowToItem(row: Record<string, unknown>): Item {
  const item: Item = {};
  for (const key of Object.keys(row)) item[key] = toJsonValue(row[key]);
  return item;
}

function toJsonValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint") return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  // Binary columns: base64 keeps the item JSON; a mapping can decode it when it needs bytes.
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64");
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = toJsonValue(v);
    return out;
  }
  return value;
}
