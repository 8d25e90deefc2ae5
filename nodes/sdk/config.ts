import type { z } from "zod";
import { isExprRef } from "./define";
import { compileExpression } from "./expr";
import type { CompiledExpression, Item, NodeContext } from "./types";

export interface ConfigIssue {
  /** Path inside the node's config, e.g. `fields[0].expr`. */
  path: string;
  message: string;
}

export class ConfigError extends Error {
  readonly issues: ConfigIssue[];
  constructor(issues: ConfigIssue[]) {
    super(issues.map((i) => `${i.path || "config"}: ${i.message}`).join("; "));
    this.name = "ConfigError";
    this.issues = issues;
  }
}

/** Render a path the way every Gate error does: `fields[0].expr`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

export function parseConfig<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const result = schema.safeParse(raw ?? {});
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })));
}

interface ExprSlot {
  path: (string | number)[];
  expr: CompiledExpression;
}

/** Where a parsed config holds `{kind:"expr"}` values, compiled once. */
export class ConfigExpressions {
  private constructor(private readonly slots: ExprSlot[]) {}

  static find(config: unknown): ConfigExpressions {
    const slots: ExprSlot[] = [];
    const issues: ConfigIssue[] = [];
    const walk = (value: unknown, path: (string | number)[]) => {
      if (isExprRef(value)) {
        try {
          slots.push({ path, expr: compileExpression(value.expr) });
        } catch (error) {
          issues.push({ path: formatPath([...path, "expr"]), message: (error as Error).message });
        }
      } else if (Array.isArray(value)) {
        value.forEach((v, i) => walk(v, [...path, i]));
      } else if (value && typeof value === "object") {
        for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
      }
    };
    walk(config, []);
    if (issues.length) throw new ConfigError(issues);
    return new ConfigExpressions(slots);
  }

  get empty(): boolean {
    return this.slots.length === 0;
  }

  /** A copy of `config` with every expression replaced by its value for `item`. */
  async resolve<C>(config: C, item: Item, ctx: NodeContext): Promise<C> {
    if (this.slots.length === 0) return config;
    const copy = structuredClone(config) as Record<string | number, unknown>;
    for (const slot of this.slots) {
      const value = await ctx.evaluate(slot.expr, item);
      setAt(copy, slot.path, value);
    }
    return copy as C;
  }
}

function setAt(target: Record<string | number, unknown>, path: (string | number)[], value: unknown) {
  let cursor = target;
  for (let i = 0; i < path.length - 1; i++) cursor = cursor[path[i]!] as Record<string | number, unknown>;
  cursor[path[path.length - 1]!] = value;
}
