"use client";

import { useFormContext } from "./context";
import { CredentialField } from "./CredentialField";
import { ExprableField, isExprable } from "./ExprableField";
import { ExpressionField } from "./ExpressionField";
import { FieldShell } from "./FieldShell";
import { PlainHttpWarning } from "./PlainHttpWarning";
import { JsonField } from "./JsonField";
import { KeyValueField } from "./KeyValueField";
import { ListField } from "./ListField";
import { ObjectFields } from "./ObjectFields";
import { SourceCodeField } from "./SourceCodeField";
import { fieldId, typeOf, type FieldProps } from "./types";

/** Pick the control for a JSON Schema: the form is generated, never written per node type. */
export function Field(props: FieldProps) {
  const { schema } = props;
  const marker = schema["x-gate"];
  if (marker === "jsonata") return <ExpressionField {...props} />;
  if (marker === "credential") return <CredentialField {...props} />;
  // Only JavaScript has an editor language today; other code falls through to a plain field.
  if (marker === "code" && schema["x-language"] === "javascript") return <SourceCodeField {...props} />;
  if (isExprable(schema)) return <ExprableField {...props} />;
  if (schema.enum) return <SelectField {...props} />;
  const type = typeOf(schema);
  if (type === "boolean") return <CheckboxField {...props} />;
  if (type === "integer" || type === "number") return <NumberField {...props} />;
  if (type === "string") return <TextField {...props} />;
  if (type === "array" && schema.items) return <ListField {...props} />;
  if (type === "object" && schema.properties)
    return (
      <fieldset className="fieldset">
        <legend>{props.schema.title ?? props.name}</legend>
        <ObjectFields {...props} />
      </fieldset>
    );
  if (type === "object" && typeof schema.additionalProperties === "object" && typeOf(schema.additionalProperties) === "string")
    return <KeyValueField {...props} />;
  return <JsonField {...props} />;
}

function TextField(props: FieldProps) {
  const ctx = useFormContext();
  return (
    <FieldShell field={props}>
      <input
        id={fieldId(ctx, props.path)}
        className="input"
        value={typeof props.value === "string" ? props.value : ""}
        placeholder={typeof props.schema.default === "string" ? props.schema.default : undefined}
        readOnly={ctx.readOnly}
        onChange={(e) => props.onChange(e.target.value === "" ? undefined : e.target.value)}
      />
      <PlainHttpWarning field={props} />
    </FieldShell>
  );
}

function NumberField(props: FieldProps) {
  const ctx = useFormContext();
  return (
    <FieldShell field={props}>
      <input
        id={fieldId(ctx, props.path)}
        className="input"
        type="number"
        step={typeOf(props.schema) === "integer" ? 1 : "any"}
        min={props.schema.minimum}
        max={props.schema.maximum}
        value={typeof props.value === "number" ? props.value : ""}
        placeholder={typeof props.schema.default === "number" ? String(props.schema.default) : undefined}
        readOnly={ctx.readOnly}
        onChange={(e) => props.onChange(e.target.value === "" ? undefined : Number(e.target.value))}
      />
    </FieldShell>
  );
}

function SelectField(props: FieldProps) {
  const ctx = useFormContext();
  const options = props.schema.enum ?? [];
  const current = props.value ?? props.schema.default;
  return (
    <FieldShell field={props}>
      <select
        id={fieldId(ctx, props.path)}
        className="input"
        value={current === undefined ? "" : JSON.stringify(current)}
        disabled={ctx.readOnly}
        onChange={(e) => props.onChange(options.find((o) => JSON.stringify(o) === e.target.value))}
      >
        {current === undefined && <option value="">Choose…</option>}
        {options.map((o) => (
          <option key={JSON.stringify(o)} value={JSON.stringify(o)}>
            {typeof o === "string" ? o : JSON.stringify(o)}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

function CheckboxField(props: FieldProps) {
  const ctx = useFormContext();
  const checked = typeof props.value === "boolean" ? props.value : props.schema.default === true;
  return (
    <FieldShell field={props} inline>
      <input id={fieldId(ctx, props.path)} type="checkbox" checked={checked} disabled={ctx.readOnly} onChange={(e) => props.onChange(e.target.checked)} />
    </FieldShell>
  );
}
