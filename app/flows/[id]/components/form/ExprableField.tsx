"use client";

import type { JsonSchema } from "../../../../lib/types";
import { CodeField } from "../CodeField";
import { useFormContext, useRenderField } from "./context";
import { FieldShell } from "./FieldShell";
import { isRecord, type FieldProps } from "./types";

/** A field that takes a literal or `{kind:"expr", expr}` (marked `expr-ref` in the schema). */
export function isExprable(schema: JsonSchema): boolean {
  return !!schema.anyOf?.some((s) => s["x-gate"] === "expr-ref");
}

export function ExprableField(props: FieldProps) {
  const ctx = useFormContext();
  const renderField = useRenderField();
  const isExpr = isRecord(props.value) && props.value.kind === "expr";
  const literal = props.schema.anyOf?.find((s) => s["x-gate"] !== "expr-ref") ?? {};
  const literalSchema: JsonSchema = { ...literal, title: props.schema.title, description: undefined };
  const toggle = (
    <div className="segmented" role="group" aria-label={`${props.schema.title ?? props.name}: literal or expression`}>
      <button type="button" aria-pressed={!isExpr} disabled={ctx.readOnly} onClick={() => isExpr && props.onChange(undefined)}>
        Fixed
      </button>
      <button type="button" aria-pressed={isExpr} disabled={ctx.readOnly} onClick={() => !isExpr && props.onChange({ kind: "expr", expr: "$" })}>
        Expression
      </button>
    </div>
  );
  if (!isExpr)
    return (
      <div className="exprable">
        {toggle}
        {renderField({ ...props, schema: literalSchema })}
        {props.schema.description && <p className="field-help">{props.schema.description}</p>}
      </div>
    );
  const expr = (props.value as { expr?: unknown }).expr;
  return (
    <div className="exprable">
      {toggle}
      <FieldShell field={{ ...props, path: `${props.path}.expr` }}>
        <CodeField
          language="jsonata"
          modelPath={`${ctx.nodeId}/${props.path}.expr`}
          label={`${props.schema.title ?? props.name} expression`}
          height={64}
          value={typeof expr === "string" ? expr : ""}
          completionPaths={ctx.completionPaths}
          readOnly={ctx.readOnly}
          onChange={(v) => props.onChange({ kind: "expr", expr: v })}
        />
      </FieldShell>
    </div>
  );
}
