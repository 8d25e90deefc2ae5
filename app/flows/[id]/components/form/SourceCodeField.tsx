"use client";

import { CodeField } from "../CodeField";
import { useFormContext } from "./context";
import { FieldShell } from "./FieldShell";
import type { FieldProps } from "./types";

/** Source code (`x-gate: "code"`): a real editor with line numbers, highlighted in its language. */
export function SourceCodeField(props: FieldProps) {
  const ctx = useFormContext();
  return (
    <FieldShell field={props}>
      <CodeField
        language="javascript"
        modelPath={`${ctx.nodeId}/${props.path}.js`}
        label={props.schema.title ?? props.name}
        height={220}
        value={typeof props.value === "string" ? props.value : ""}
        readOnly={ctx.readOnly}
        onChange={(v) => props.onChange(v === "" ? undefined : v)}
      />
      <p className="field-help">Tab indents; press Ctrl+M (⌃⇧M on a Mac) first to move on with Tab.</p>
    </FieldShell>
  );
}
