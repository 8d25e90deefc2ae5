import type jsonata from "jsonata";

export type FastEvaluator = (input: unknown, bindings: Record<string, unknown> | undefined) => unknown;

/** Placeholder until the fast path lands: every expression uses the jsonata library. */
export function compileFast(_ast: jsonata.ExprNode): FastEvaluator | undefined {
  return undefined;
}
