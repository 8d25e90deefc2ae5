import { NodeError, defineNode, expression, z, type CompiledExpression, type Item, type NodeContext } from "../sdk";
import { FIELD_TYPES, coerce, type FieldType } from "./coerce";
import { mappingKernel, type MappingKernel } from "./fields-kernel";
import { parseTargetPath, setPath } from "./target-path";

const Field = z
  .object({
    target: z
      .string()
      .min(1)
      .superRefine((path, ctx) => {
        const parsed = parseTargetPath(path);
        if (typeof parsed === "string") ctx.addIssue({ code: "custom", message: parsed });
      })
      .meta({ title: "Target field", description: "Where the value goes; dots make nested objects (address.city)" }),
    expr: expression().meta({ title: "Value", description: "JSONata over the input item, e.g. first & ' ' & last" }),
    type: z.enum(FIELD_TYPES).default("any").meta({ title: "Type" }),
    required: z.boolean().default(false).meta({ title: "Required" }),
    default: z.unknown().optional().meta({ title: "Default", description: "Used when the value is missing" }),
  })
  .strict();

interface PreparedField {
  target: string;
  segments: string[];
  expr: CompiledExpression;
  type: FieldType;
  required: boolean;
  fallback: unknown;
}

interface PreparedMapping {
  fields: PreparedField[];
  nested: boolean;
  /** Builds the output in one object literal when every target is a top-level field. */
  shape: ((values: unknown[]) => Item) | undefined;
  /** One call per item when every expression is synchronous and the output is flat (see fields-kernel.ts). */
  kernel: MappingKernel | undefined;
}

/**
 * Why generated code: assigning five computed keys to `{}` per item goes through V8's megamorphic
 * keyed-store path and was the largest cost of a mapping. An object literal with fixed keys gets one
 * hidden class. The keys are emitted with JSON.stringify, so no config text ever becomes code.
 */
function literalShape(targets: string[]): ((values: unknown[]) => Item) | undefined {
  if (targets.some((t) => t.includes(".")) || new Set(targets).size !== targets.length) return undefined;
  const body = targets.map((t, i) => `${JSON.stringify(t)}: v[${i}]`).join(", ");
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- deliberate, see above: keys are JSON literals
  return new Function("v", `return { ${body} };`) as (values: unknown[]) => Item;
}

export default defineNode({
  type: "map.fields",
  version: 1,
  category: "mapping",
  title: "Map fields",
  description: "Builds each output item field by field from JSONata expressions, with type coercion and required checks.",
  config: z
    .object({
      fields: z.array(Field).default([]).meta({ title: "Fields" }),
      keepInput: z
        .boolean()
        .default(false)
        .meta({ title: "Keep input fields", description: "Start from a copy of the input item instead of an empty one" }),
    })
    .strict(),
  prepare: ({ config, compile }): PreparedMapping => {
    const fields = config.fields.map((f) => ({
      target: f.target,
      segments: f.target.split("."),
      expr: compile(f.expr),
      type: f.type,
      required: f.required,
      fallback: f.default,
    }));
    const mapping: PreparedMapping = {
      fields,
      nested: config.fields.some((f) => f.target.includes(".")),
      shape: literalShape(config.fields.map((f) => f.target)),
      kernel: undefined,
    };
    if (!config.keepInput) mapping.kernel = mappingKernel(fields, (item, values) => build(mapping, item, values, false));
    return mapping;
  },
  runItem: ({ item, prepared, config, ctx }) => {
    // Expressions get the run's bindings as ctx.evaluate would give them.
    if (prepared.kernel) return { main: prepared.kernel(item, ctx.bindings) };
    const values = evaluateAll(prepared.fields, item, ctx);
    if (values instanceof Promise) return values.then((v) => ({ main: build(prepared, item, v, config.keepInput) }));
    return { main: build(prepared, item, values, config.keepInput) };
  },
});

/** Evaluate every field; stays synchronous unless an expression needs the jsonata library. */
function evaluateAll(fields: PreparedField[], item: Item, ctx: NodeContext): unknown[] | Promise<unknown[]> {
  const values = new Array<unknown>(fields.length);
  let pending = false;
  for (let i = 0; i < fields.length; i++) {
    const v = ctx.evaluate(fields[i]!.expr, item);
    if (v instanceof Promise) pending = true;
    values[i] = v;
  }
  return pending ? Promise.all(values) : values;
}

function build(mapping: PreparedMapping, input: Item, values: unknown[], keepInput: boolean): Item {
  const { fields } = mapping;
  let problems: string[] | undefined;
  let missing = false;
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    let value = values[i];
    if (value === undefined || value === null || value === "") value = field.fallback ?? value;
    if (field.required && (value === undefined || value === null || value === "")) {
      (problems ??= []).push(`${field.target}: required, but \`${field.expr.source}\` gave no value`);
      continue;
    }
    if (value === undefined) {
      missing = true;
      values[i] = undefined;
      continue;
    }
    try {
      values[i] = coerce(value, field.type);
    } catch (error) {
      (problems ??= []).push(`${field.target}: ${(error as Error).message}`);
    }
  }
  if (problems)
    throw new NodeError(`mapping failed for ${problems.length} field(s): ${problems.join("; ")}`, {
      code: "MAPPING_FAILED",
      details: problems,
    });
  if (mapping.shape && !keepInput && !missing) return mapping.shape(values);
  // Items are immutable: a kept input is copied, deeply only when nested targets write into it.
  const out: Item = keepInput ? (mapping.nested ? structuredClone(input) : { ...input }) : {};
  for (let i = 0; i < fields.length; i++) {
    const value = values[i];
    if (value === undefined) continue;
    const field = fields[i]!;
    if (field.segments.length === 1) out[field.target] = value;
    else setPath(out, field.segments, value);
  }
  return out;
}
