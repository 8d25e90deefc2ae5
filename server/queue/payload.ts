import type { Item } from "../../nodes/sdk";

/** The request as stored with an event and as flows see it in `$request` (headers redacted). */
export interface RequestMeta {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  sourceIp: string;
  contentType: string | undefined;
}

/**
 * A parsed body as the trigger's items: an array gives one item per element, an object one item;
 * anything else (text, a number) is wrapped as `{ body }` because items are objects.
 */
export function payloadItems(payload: unknown): Item[] {
  const list = Array.isArray(payload) ? payload : [payload];
  return list.map((value) => (isObject(value) ? value : { body: value }));
}

function isObject(value: unknown): value is Item {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
