/**
 * Walks a node config alongside its JSON Schema (generated from the node's zod schema) to find
 * values the schema marks with `x-gate`: JSONata fields to compile, credential references.
 */
import { formatPath } from "../../../nodes/sdk";

type JsonSchema = Record<string, unknown>;

export interface MarkedValue {
  path: (string | number)[];
  value: unknown;
}

export function findMarked(schema: JsonSchema, data: unknown, kind: string): MarkedValue[] {
  const found: MarkedValue[] = [];
  walk(schema, data, [], (s, value, path) => {
    if (s["x-gate"] === kind && value !== undefined) found.push({ path, value });
  });
  return found;
}

function walk(
  schema: JsonSchema,
  data: unknown,
  path: (string | number)[],
  visit: (schema: JsonSchema, value: unknown, path: (string | number)[]) => void,
): void {
  visit(schema, data, path);
  const branches = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (branches) {
    const branch = branches.find((b) => matchesType(b, data));
    if (branch) walk(branch, data, path, visit);
    return;
  }
  if (Array.isArray(data) && schema.items && typeof schema.items === "object") {
    data.forEach((v, i) => walk(schema.items as JsonSchema, v, [...path, i], visit));
    return;
  }
  if (data && typeof data === "object" && !Array.isArray(data)) {
    const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
    const extra = typeof schema.additionalProperties === "object" ? (schema.additionalProperties as JsonSchema) : undefined;
    for (const [key, value] of Object.entries(data)) {
      const sub = props[key] ?? extra;
      if (sub) walk(sub, value, [...path, key], visit);
    }
  }
}

function matchesType(schema: JsonSchema, data: unknown): boolean {
  const type = schema.type;
  if (type === undefined) return true;
  const actual = Array.isArray(data) ? "array" : data === null ? "null" : typeof data;
  const types = Array.isArray(type) ? type : [type];
  return types.some((t) => t === actual || (t === "integer" && actual === "number"));
}

// Keys whose literal values are secrets. A header named Authorization or X-Api-Key counts too.
const SECRET_KEY =
  /^(x-)?(password|passwd|secret|client[-_]?secret|api[-_]?key|apikey|token|access[-_]?token|refresh[-_]?token|private[-_]?key|authorization|proxy-authorization|cookie)$/i;
// Well-known secret formats, wherever they appear.
const SECRET_VALUE = /^(Bearer\s+\S{8,}|Basic\s+[A-Za-z0-9+/=]{8,}|sk_(live|test)_\w{8,}|whsec_\S{8,}|gh[pousr]_\w{20,}|xox[abpr]-[\w-]{10,}|AKIA[0-9A-Z]{16})$/;

/** Paths of literal secrets in a raw config. Expressions and credential references are fine. */
export function findInlineSecrets(config: unknown, schema: JsonSchema): string[] {
  const credentialPaths = new Set(findMarked(schema, config, "credential").map((m) => JSON.stringify(m.path)));
  const found: string[] = [];
  const scan = (value: unknown, path: (string | number)[], key: string | undefined) => {
    if (typeof value === "string") {
      if (credentialPaths.has(JSON.stringify(path)) || value.length === 0) return;
      if ((key !== undefined && SECRET_KEY.test(key)) || SECRET_VALUE.test(value.trim())) found.push(formatPath(path));
      return;
    }
    if (Array.isArray(value)) value.forEach((v, i) => scan(v, [...path, i], undefined));
    else if (value && typeof value === "object") {
      if ((value as { kind?: unknown }).kind === "expr") return;
      for (const [k, v] of Object.entries(value)) scan(v, [...path, k], k);
    }
  };
  scan(config, [], undefined);
  return found;
}
