"use client";

import type { JsonSchema } from "../../../lib/types";
import { FormCtx, RenderFieldCtx, type RenderField } from "./form/context";
import { Field } from "./form/Field";
import { ObjectFields } from "./form/ObjectFields";
import type { FormContext } from "./form/types";

const renderField: RenderField = (props) => <Field {...props} />;

/** A node's config form, generated from its JSON Schema (which the server generates from zod). */
export function SchemaForm({
  schema,
  value,
  onChange,
  context,
}: {
  schema: JsonSchema;
  value: Record<string, unknown>;
  onChange: (value: Record<string, unknown>) => void;
  context: FormContext;
}) {
  const empty = !schema.properties || Object.keys(schema.properties).length === 0;
  const rootProblem = context.problems.get("");
  return (
    <FormCtx.Provider value={context}>
      <RenderFieldCtx.Provider value={renderField}>
        <form className="schema-form" onSubmit={(e) => e.preventDefault()}>
          {rootProblem && (
            <p className="field-error" role="alert">
              {rootProblem}
            </p>
          )}
          {empty ? <p className="muted small">This node has nothing to configure.</p> : <ObjectFields path="" schema={schema} value={value} onChange={(v) => onChange(v as Record<string, unknown>)} />}
        </form>
      </RenderFieldCtx.Provider>
    </FormCtx.Provider>
  );
}
