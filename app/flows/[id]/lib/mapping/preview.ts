/**
 * The mapping preview: what `map.fields` would make of one sample item, and each field's problems,
 * by the node's own rules (defaults, required checks, coercion; see nodes/map/fields.ts).
 */
import jsonata, { type Expression } from "jsonata";
import type { Item } from "../../../../lib/types";
import { coerce, type FieldType } from "./coerce";
import { caseHints, itemPaths } from "./references";

/** One entry of the node's `fields` config, as the form holds it (possibly incomplete). */
export interface MapField {
  target?: string;
  expr?: string;
  type?: FieldType;
  required?: boolean;
  default?: unknown;
}

export interface MappingPreview {
  output: Item;
  /** Problems by field index. */
  problems: string[][];
  /** Wall time of the evaluation in ms. */
  ms: number;
}

type Compiled = { expression: Expression; paths: string[][] } | { error: string };

/** Compiling is the expensive part of typing: keep the last few hundred expressions. */
const compiled = new Map<string, Compiled>();

function compile(source: string): Compiled {
  let found = compiled.get(source);
  if (!found) {
    try {
      const expression = jsonata(source);
      found = { expression, paths: itemPaths(expression.ast()) };
    } catch (error) {
      found = { error: `expression: ${(error as { message?: string }).message ?? String(error)}` };
    }
    if (compiled.size > 500) compiled.clear();
    compiled.set(source, found);
  }
  return found;
}

const isEmpty = (v: unknown) => v === undefined || v === null || v === "";

export async function previewMapping(fields: readonly MapField[], item: Item, keepInput: boolean): Promise<MappingPreview> {
  const started = performance.now();
  const output: Item = keepInput ? structuredClone(item) : {};
  const problems = await Promise.all(
    fields.map(async (field) => {
      const found: string[] = [];
      if (!field.target) found.push("The target field has no name.");
      const source = field.expr?.trim();
      if (!source) return [...found, "The value has no expression yet: drag a source field here or type one."];
      const expr = compile(source);
      if ("error" in expr) return [...found, expr.error];
      found.push(...caseHints(expr.paths, item));
      let value: unknown;
      try {
        value = await expr.expression.evaluate(item);
      } catch (error) {
        return [...found, `expression: ${(error as { message?: string }).message ?? String(error)}`];
      }
      if (isEmpty(value)) value = field.default ?? value;
      if (field.required && isEmpty(value)) return [...found, `Required, but \`${source}\` gave no value.`];
      if (value === undefined) return found;
      try {
        value = coerce(value, field.type ?? "any");
      } catch (error) {
        return [...found, `Type ${field.type}: ${(error as Error).message}.`];
      }
      if (field.target) setPath(output, field.target.split("."), value);
      return found;
    }),
  );
  return { output, problems, ms: performance.now() - started };
}

function setPath(target: Record<string, unknown>, segments: string[], value: unknown): void {
  let cursor = target;
  for (const key of segments.slice(0, -1)) {
    const next = cursor[key];
    if (next && typeof next === "object" && !Array.isArray(next)) cursor = next as Record<string, unknown>;
    else cursor = cursor[key] = {};
  }
  cursor[segments.at(-1)!] = value;
}

/** The JSONata path of a source field: plain names joined by dots, others in backticks. */
export function pathExpression(segments: readonly string[]): string {
  return segments.map((s) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(s) ? s : `\`${s.replace(/`/g, "")}\``)).join(".");
}
