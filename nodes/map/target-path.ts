/** Set `a.b.c` in an object, creating the objects on the way. Keys like `__proto__` are refused. */
export function setPath(target: Record<string, unknown>, segments: readonly string[], value: unknown): void {
  let cursor = target;
  for (let i = 0; i < segments.length - 1; i++) {
    const key = segments[i]!;
    const next = cursor[key];
    if (next && typeof next === "object" && !Array.isArray(next)) cursor = next as Record<string, unknown>;
    else {
      const created: Record<string, unknown> = {};
      cursor[key] = created;
      cursor = created;
    }
  }
  cursor[segments[segments.length - 1]!] = value;
}

const FORBIDDEN = new Set(["__proto__", "constructor", "prototype"]);

export function parseTargetPath(path: string): string[] | string {
  const segments = path.split(".");
  if (segments.some((s) => s === "")) return `"${path}" has an empty segment`;
  const bad = segments.find((s) => FORBIDDEN.has(s));
  if (bad) return `"${bad}" cannot be a field name`;
  return segments;
}
