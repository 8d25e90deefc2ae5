/**
 * JSONata's boolean casting, so that a condition means the same in `transform.filter`, `logic.if`
 * and inside an expression: empty strings, 0, empty arrays/objects, null and undefined are false.
 */
export function truthy(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value !== 0;
  if (typeof value === "string") return value.length > 0;
  if (Array.isArray(value)) {
    if (value.length === 1) return truthy(value[0]);
    return value.some(truthy);
  }
  if (typeof value === "function") return false;
  if (typeof value === "object") return Object.keys(value).length > 0;
  return false;
}

/** JSON with object keys sorted, so equal values give equal text whatever their key order (hashes, fingerprints). */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object")
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(value) ?? "null";
}
