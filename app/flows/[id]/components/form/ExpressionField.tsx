"use client";

import { CodeField } from "../CodeField";
import { useFormContext } from "./context";
import { FieldShell } from "./FieldShell";
import type { FieldProps } from "./types";

/** A JSONata field: highlighted, with completion of the fields seen in the sample input. */
export function ExpressionField(props: FieldProps) {
  const ctx = useFormContext();
  return (
    <FieldShell field={props}>
      <CodeField
        language="jsonata"
        modelPath={`${ctx.nodeId}/${props.path}`}
        label={props.schema.title ?? props.name}
        height={64}
        value={typeof props.value === "string" ? props.value : ""}
        completionPaths={ctx.completionPaths}
        readOnly={ctx.readOnly}
        onChange={(v) => props.onChange(v === "" ? undefined : v)}
      />
    </FieldShell>
  );
}
