import jsonata from "jsonata";
import { NodeError } from "../errors";
import type { CompiledExpression } from "../types";
import { compileFast } from "./fast";
import { EXPRESSION_LIMITS } from "./limits";
import { generateFast } from "./fast-codegen";

/** A JSONata expression that does not compile; `position` is the 1-based character offset. */
export class ExpressionSyntaxError extends NodeError {
  readonly position: number | undefined;
  constructor(message: string, position: number | undefined, cause: unknown) {
    super(message, { code: "EXPRESSION_SYNTAX", cause });
    this.name = "ExpressionSyntaxError";
    this.position = position;
  }
}

// Compiled expressions are pure values, so one process-wide cache keyed by source serves
// every flow version; it is bounded so that a long-running server editing many flows cannot grow it without end.
const CACHE_LIMIT = 5000;
const cache = new Map<string, CompiledExpression>();

export function compileExpression(source: string): CompiledExpression {
  const hit = cache.get(source);
  if (hit) return hit;
  const compiled = compileUncached(source);
  if (cache.size >= CACHE_LIMIT) {
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  }
  cache.set(source, compiled);
  return compiled;
}

function compileUncached(source: string): CompiledExpression {
  let parsed: jsonata.Expression;
  try {
    parsed = jsonata(source, EXPRESSION_LIMITS);
  } catch (error) {
    const e = error as { message?: string; position?: number; token?: string };
    const where = e.position === undefined ? "" : ` at character ${e.position}`;
    throw new ExpressionSyntaxError(`${e.message ?? "invalid expression"}${where}`, e.position, error);
  }
  const ast = parsed.ast();
  const generated = generateFast(ast, (error) => evaluationError(source, error));
  if (generated) return { source, fast: true, evaluate: generated };
  const fast = compileFast(ast);
  if (fast) {
    return {
      source,
      fast: true,
      evaluate(input, bindings) {
        try {
          return fast(input, bindings);
        } catch (error) {
          throw evaluationError(source, error);
        }
      },
    };
  }
  return {
    source,
    fast: false,
    async evaluate(input, bindings) {
      try {
        return normalize(await parsed.evaluate(input, bindings));
      } catch (error) {
        throw evaluationError(source, error);
      }
    },
  };
}

function evaluationError(source: string, error: unknown): NodeError {
  if (error instanceof NodeError) return error;
  const e = error as { message?: string; code?: string };
  return new NodeError(`expression \`${source}\` failed: ${e.message ?? String(error)}`, {
    code: "EXPRESSION_FAILED",
    cause: error,
  });
}

/**
 * jsonata marks result arrays as "sequences" with extra properties, builds objects without a
 * prototype, and may return functions; items must stay plain JSON objects, so rebuild what it made.
 */
function normalize(value: unknown): unknown {
  if (typeof value === "function") return undefined;
  if (Array.isArray(value)) return value.map(normalize);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const n = normalize(v);
      // jsonata's objects have no prototype, so "__proto__" is an ordinary key there; assigning it
      // here would make it this object's prototype instead (defineProperty keeps it a key, as JSON.parse does).
      if (n === undefined) continue;
      if (k === "__proto__") Object.defineProperty(out, k, { value: n, enumerable: true, writable: true, configurable: true });
      else out[k] = n;
    }
    return out;
  }
  return value;
}
