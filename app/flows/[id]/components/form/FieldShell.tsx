import type { ReactNode } from "react";
import { useFormContext } from "./context";
import { fieldId, friendly, labelOf, type FieldProps } from "./types";

/** Label, help text and the field's own problem, around any control. */
export function FieldShell({ field, children, inline }: { field: FieldProps; children: ReactNode; inline?: boolean }) {
  const ctx = useFormContext();
  const id = fieldId(ctx, field.path);
  const problem = friendly(ctx.problems.get(field.path));
  return (
    <div className={`field${inline ? " field-inline" : ""}${problem ? " field-invalid" : ""}`} data-path={field.path}>
      <label htmlFor={id} className="field-label">
        {labelOf(field.name, field.schema)}
        {field.required && <span className="required" aria-hidden="true"> *</span>}
      </label>
      {children}
      {field.schema.description && <p className="field-help">{field.schema.description}</p>}
      {problem && (
        <p className="field-error" role="alert" id={`${id}-error`}>
          {problem}
        </p>
      )}
    </div>
  );
}
