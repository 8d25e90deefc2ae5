import { NodeError, defineNode, expression, z, type CompiledExpression, type Item, type NodeContext } from "../sdk";
import { FIELD_TYPES, coerce, type FieldType } from "./coerce";
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
  prepare: ({ config, compile }): PreparedField[] =>
    config.fields.map((f) => ({
      target: f.target,
      segments: f.target.split("."),
      expr: compile(f.expr),
      type: f.type,
      required: f.required,
      fallback: f.default,
    })),
  runItem: ({ item, prepared, config, ctx }) => {
    const values = evaluateAll(prepared, item, ctx);
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

function build(fields: PreparedField[], input: Item, values: unknown[], keepInput: boolean): Item {
  const out: Item = keepInput ? structuredClone(input) : {};
  let problems: string[] | undefined;
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    let value = values[i];
    if (value === undefined || value === null || value === "") value = field.fallback ?? value;
    if (field.required && (value === undefined || value === null || value === "")) {
      (problems ??= []).push(`${field.target}: required, but \`${field.expr.source}\` gave no value`);
      continue;
    }
    if (value === undefined) continue;
    try {
      setOne(out, field, coerce(value, field.type));
    } catch (error) {
      (problems ??= []).push(`${field.target}: ${(error as Error).message}`);
    }
  }
  if (problems)
    throw new NodeError(`mapping failed for ${problems.length} field(s): ${problems.join("; ")}`, {
      code: "MAPPING_FAILED",
      details: problems,
    });
  return out;
}

function setOne(out: Item, field: PreparedField, value: unknown) {
  if (field.segments.length === 1) out[field.target] = value;
  else setPath(out, field.segments, value);
}
