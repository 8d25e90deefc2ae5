/** A sample item as a tree of fields, for dragging onto mapping targets. */
export interface SourceField {
  /** Names from the item down to this field; arrays of objects are stepped through (JSONata maps). */
  path: string[];
  name: string;
  /** "text", "number", "object", "list of 3", … */
  kind: string;
  /** A short rendering of a scalar value. */
  preview?: string;
  children: SourceField[];
}

const MAX_FIELDS = 400;
const MAX_DEPTH = 5;

export function sampleTree(item: unknown): SourceField[] {
  let budget = MAX_FIELDS;
  const walk = (value: unknown, path: string[], depth: number): SourceField[] => {
    if (Array.isArray(value)) value = value.find((x) => typeof x === "object" && x !== null && !Array.isArray(x));
    if (typeof value !== "object" || value === null || depth > MAX_DEPTH) return [];
    const out: SourceField[] = [];
    for (const [name, child] of Object.entries(value)) {
      if (budget-- <= 0) break;
      const childPath = [...path, name];
      out.push({ path: childPath, name, kind: kindOf(child), preview: previewOf(child), children: walk(child, childPath, depth + 1) });
    }
    return out;
  };
  return walk(item, [], 0);
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return `list of ${value.length}`;
  if (value === null) return "null";
  if (typeof value === "string") return "text";
  return typeof value;
}

function previewOf(value: unknown): string | undefined {
  if (typeof value === "object" && value !== null) return undefined;
  const text = typeof value === "string" ? `"${value}"` : String(value);
  return text.length > 32 ? `${text.slice(0, 31)}…` : text;
}
