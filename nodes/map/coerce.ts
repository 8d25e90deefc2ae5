// Straight from errors.ts, not the SDK index: the editor's mapping preview bundles this file for the browser.
import { NodeError } from "../sdk/errors";

export const FIELD_TYPES = ["any", "string", "number", "integer", "boolean", "date"] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

const TRUE_WORDS = new Set(["true", "yes", "y", "1", "on"]);
const FALSE_WORDS = new Set(["false", "no", "n", "0", "off"]);

/**
 * Turn a mapped value into the field's declared type, or explain why it cannot be.
 * Deliberately strict: "12abc" is not a number and 3.5 is not an integer; silent guesses corrupt data.
 */
export function coerce(value: unknown, type: FieldType): unknown {
  if (value === undefined || value === null || type === "any") return value;
  switch (type) {
    case "string":
      if (typeof value === "string") return value;
      if (typeof value === "number" || typeof value === "boolean") return String(value);
      return JSON.stringify(value);
    case "number":
      return toNumber(value);
    case "integer": {
      const n = toNumber(value);
      if (!Number.isInteger(n)) throw cannot(value, "an integer");
      return n;
    }
    case "boolean":
      if (typeof value === "boolean") return value;
      if (typeof value === "number" && (value === 0 || value === 1)) return value === 1;
      if (typeof value === "string") {
        const word = value.trim().toLowerCase();
        if (TRUE_WORDS.has(word)) return true;
        if (FALSE_WORDS.has(word)) return false;
      }
      throw cannot(value, "a boolean (true/false, yes/no, 1/0)");
    case "date":
      return toDate(value);
  }
}

function toNumber(value: unknown): number {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && value.trim() !== "") {
    const n = Number(value.trim());
    if (Number.isFinite(n)) return n;
  }
  throw cannot(value, "a number");
}

function toDate(value: unknown): string {
  if (typeof value === "number" && Number.isFinite(value)) {
    // Beyond ±8.64e15 ms a Date is invalid and toISOString() would throw a bare RangeError.
    const date = new Date(value);
    if (!Number.isNaN(date.getTime())) return date.toISOString();
  }
  if (typeof value === "string" && value.trim() !== "") {
    const ms = Date.parse(value.trim());
    if (!Number.isNaN(ms)) return new Date(ms).toISOString();
  }
  throw cannot(value, "a date (ISO 8601 text or epoch milliseconds)");
}

function cannot(value: unknown, what: string): NodeError {
  const shown = typeof value === "string" ? `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"` : JSON.stringify(value);
  return new NodeError(`cannot turn ${shown} into ${what}`, { code: "COERCION_FAILED" });
}
