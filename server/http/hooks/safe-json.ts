import { locateJsonError } from "./json-error";

export type ParsedBody = { ok: true; value: unknown } | { ok: false; reason: string };

/**
 * JSON.parse already creates `__proto__` as an own property, so parsing cannot pollute a
 * prototype; but such keys make later merges (Object.assign, deep merges in plugins) dangerous.
 * Bodies holding `__proto__`, or `constructor.prototype`, are refused, naming where. The scan runs
 * only when the text could contain such a key (literally, or written with \u escapes).
 */
export function parseJson(text: string): ParsedBody {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const at = locateJsonError(text);
    return { ok: false, reason: `malformed JSON at line ${at.line}, column ${at.column} (position ${at.position}): expected ${at.expected}` };
  }
  if (text.includes("__proto__") || text.includes("prototype") || text.includes("\\u")) {
    const path = findPoisonedKey(value);
    if (path) return { ok: false, reason: `the body has a forbidden key at ${path} (__proto__ and constructor.prototype are refused)` };
  }
  return { ok: true, value };
}

/** The path of the first `__proto__` key, or `constructor` holding `prototype`, in a parsed value. */
export function findPoisonedKey(root: unknown): string | undefined {
  const stack: { value: unknown; path: string }[] = [{ value: root, path: "$" }];
  while (stack.length) {
    const { value, path } = stack.pop()!;
    if (typeof value !== "object" || value === null) continue;
    if (Array.isArray(value)) {
      value.forEach((v, i) => stack.push({ value: v, path: `${path}[${i}]` }));
      continue;
    }
    for (const key of Object.keys(value)) {
      const child = (value as Record<string, unknown>)[key];
      if (key === "__proto__") return `${path}.__proto__`;
      if (key === "constructor" && typeof child === "object" && child !== null && Object.hasOwn(child, "prototype")) return `${path}.constructor.prototype`;
      stack.push({ value: child, path: `${path}.${key}` });
    }
  }
  return undefined;
}
