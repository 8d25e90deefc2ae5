import { z } from "zod";
import type { NodeDefinition } from "./types";

/**
 * Declare a node. The value returned is what the registry loads from a node file's default export.
 * `config` is a zod object: it drives validation, the editor's form and the docs alike.
 */
export function defineNode<S extends z.ZodType<Record<string, unknown>>, P = undefined>(
  definition: NodeDefinition<S, P>,
): NodeDefinition<S, P> {
  return Object.freeze(definition);
}

/**
 * The explicit tag for a config value computed per item: `{ "kind": "expr", "expr": "<JSONata>" }`.
 * A plain value next to it is always a literal; no string prefix conventions.
 */
export const ExprRef = z
  .object({ kind: z.literal("expr"), expr: z.string().min(1) })
  .strict()
  .meta({ "x-gate": "expr-ref" });
export type ExprRef = z.infer<typeof ExprRef>;

export function isExprRef(value: unknown): value is ExprRef {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { kind?: unknown }).kind === "expr" &&
    typeof (value as { expr?: unknown }).expr === "string"
  );
}

/** A config field that takes a literal of `schema` or an expression evaluated per item. */
export function exprable<T extends z.ZodType>(schema: T) {
  return z.union([schema, ExprRef]);
}

/** A config field whose value is itself a JSONata expression (a condition, a mapping). */
export function expression() {
  return z.string().min(1, "expression is empty").meta({ "x-gate": "jsonata" });
}

/** A config field holding JavaScript source: the editor shows a code editor, not a text box. */
export function code() {
  return z.string().min(1, "code is empty").meta({ "x-gate": "code", "x-language": "javascript" });
}

/** A reference to a stored credential by name or id. Secrets are never written into a flow. */
export function credentialRef() {
  return z
    .string()
    .min(1, "name a credential")
    .max(200)
    .meta({ "x-gate": "credential", description: "Name or id of a stored credential" });
}
