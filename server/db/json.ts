/**
 * JSON for TEXT columns, with the byte caps that keep one execution from bloating the database.
 * Sizes are UTF-8 bytes of the JSON text, i.e. what SQLite actually stores.
 */
import type { NodeRecord } from "../engine/run-record";

type Item = NodeRecord["input"][number];

/** Per stored JSON value: trigger payload, and each sample column of each node. */
export const JSON_CAP_BYTES = 64 * 1024;

/** JSON.stringify that survives BigInt (database drivers produce them); `undefined` → null column. */
export function toJson(value: unknown): string | null {
  const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v)) as string | undefined;
  return text ?? null;
}

export function fromJson(text: string | null): unknown {
  return text === null ? undefined : (JSON.parse(text) as unknown);
}

function bytes(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/** A value whose JSON is over the cap is replaced by a marker saying how big it was. */
export function capValue(value: unknown, cap = JSON_CAP_BYTES): string | null {
  const text = toJson(value);
  if (text === null) return null;
  const size = bytes(text);
  return size <= cap ? text : JSON.stringify({ truncated: true, bytes: size });
}

export interface CappedPorts {
  /** `{"port":[items…],…}` — every port is kept, possibly with fewer items. */
  json: string;
  /** Items dropped per port to stay under the cap; empty when nothing was dropped. */
  dropped: Record<string, number>;
}

/**
 * Keep the first items of every port that fit in `cap` bytes of JSON. Ports take turns (first item
 * of each, then second of each…) so a bulky `main` cannot push out the `error` port's first item.
 * A port stops at its first item that does not fit, so what is kept is always a prefix.
 * Each item is stringified once and the result is assembled from those strings.
 */
export function capPorts(ports: Record<string, Item[]>, cap = JSON_CAP_BYTES): CappedPorts {
  const names = Object.keys(ports);
  const kept = new Map<string, string[]>(names.map((name) => [name, []]));
  // `{` `}`, and per port: `"name":[` `]` plus a comma between ports.
  let size = 2 + names.reduce((sum, name, i) => sum + bytes(JSON.stringify(name)) + 3 + (i > 0 ? 1 : 0), 0);
  const open = new Set(names);
  for (let index = 0; open.size > 0; index++) {
    for (const name of names) {
      if (!open.has(name)) continue;
      const item = ports[name]![index];
      if (item === undefined) {
        open.delete(name);
        continue;
      }
      const text = toJson(item) ?? "null";
      const list = kept.get(name)!;
      const add = bytes(text) + (list.length > 0 ? 1 : 0);
      if (size + add > cap) {
        open.delete(name);
        continue;
      }
      list.push(text);
      size += add;
    }
  }
  const dropped: Record<string, number> = {};
  for (const name of names) {
    const missing = ports[name]!.length - kept.get(name)!.length;
    if (missing > 0) dropped[name] = missing;
  }
  const json = `{${names.map((name) => `${JSON.stringify(name)}:[${kept.get(name)!.join(",")}]`).join(",")}}`;
  return { json, dropped };
}

/** `capPorts` for a single list (a node's input sample). */
export function capItems(items: Item[], cap = JSON_CAP_BYTES): { json: string; dropped: number } {
  // The wrapper `{"x":` `}` costs 6 bytes that a bare array does not; give them back to the budget.
  const { json, dropped } = capPorts({ x: items }, cap + 6);
  return { json: json.slice(5, -1), dropped: dropped.x ?? 0 };
}
