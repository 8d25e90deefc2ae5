import type { CompiledExpression, Item } from "../sdk";
import type { FieldType } from "./coerce";

export interface KernelField {
  target: string;
  expr: CompiledExpression;
  type: FieldType;
}

/** Maps one item in one call. */
export type MappingKernel = (item: Item, bindings: Record<string, unknown>) => Item;

/** Finishes an item from every field's value, in order: defaults, required checks, coercion. */
export type GeneralPath = (item: Item, values: unknown[]) => Item;

// Per type, the test under which coerce() would return the value unchanged and no default or
// required check could apply (the value is neither undefined, null nor ""). `date` always converts.
const AS_IS: Record<FieldType, ((v: string) => string) | undefined> = {
  any: (v) => `${v} !== undefined && ${v} !== null && ${v} !== ""`,
  string: (v) => `typeof ${v} === "string" && ${v} !== ""`,
  number: (v) => `typeof ${v} === "number" && Number.isFinite(${v})`,
  integer: (v) => `Number.isInteger(${v})`,
  boolean: (v) => `typeof ${v} === "boolean"`,
  date: undefined,
};

/**
 * The kernel evaluates every field; when each value is already of its field's type it returns the
 * output directly, else it hands the values to `general`. Undefined when a field's expression is
 * not synchronous or the targets do not make one flat object.
 *
 * Why generated code: calling five expressions through one loop makes every call site see five
 * functions (no inlining), and assigning computed keys to `{}` goes through V8's megamorphic
 * keyed-store path. One function per mapping calls each expression from its own site and builds
 * the output as an object literal with fixed keys (one hidden class). Safety: keys are written
 * with JSON.stringify and everything else is identifiers generated here; no config text becomes
 * code.
 */
export function mappingKernel(fields: readonly KernelField[], general: GeneralPath): MappingKernel | undefined {
  const targets = fields.map((f) => f.target);
  // `__proto__` in an object literal would set the prototype; the config schema refuses it already.
  if (targets.some((t) => t.includes(".") || t === "__proto__") || new Set(targets).size !== targets.length) return undefined;
  if (!fields.every((f) => f.expr.fast)) return undefined;
  const values = fields.map((_, i) => `v${i}`);
  const evaluate = fields.map((_, i) => `const v${i} = e${i}.evaluate(item, bindings);`).join("\n  ");
  const plain = fields.map((f, i) => AS_IS[f.type]?.(`v${i}`) ?? "false").join(" && ") || "true";
  const literal = fields.map((f, i) => `${JSON.stringify(f.target)}: v${i}`).join(", ");
  const source = `"use strict";
return function mapItem(item, bindings) {
  ${evaluate}
  if (${plain}) return { ${literal} };
  return general(item, [${values.join(", ")}]);
};`;
  const params = ["general", ...fields.map((_, i) => `e${i}`)];
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- deliberate, see above: keys are JSON literals
    const factory = new Function(...params, source) as (...args: unknown[]) => MappingKernel;
    return factory(general, ...fields.map((f) => f.expr));
  } catch {
    return undefined; // code generation disallowed in this process: the general path serves
  }
}
