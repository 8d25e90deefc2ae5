"use client";

import type { JsonSchema } from "../../../../lib/types";
import { useFormContext, useRenderField } from "./context";
import { FieldShell } from "./FieldShell";
import { ObjectFields } from "./ObjectFields";
import { childPath, labelOf, typeOf, type FieldProps } from "./types";

/** An array: each entry is a card (objects) or a row (scalars) that can be added, moved and removed. */
export function ListField(props: FieldProps) {
  const ctx = useFormContext();
  const renderField = useRenderField();
  const items: unknown[] = Array.isArray(props.value) ? (props.value as unknown[]) : [];
  const itemSchema = props.schema.items as JsonSchema;
  const isObject = typeOf(itemSchema) === "object" && itemSchema.properties;
  const label = labelOf(props.name, props.schema);
  const set = (next: unknown[]) => props.onChange(next);
  const move = (from: number, to: number) => {
    const next = [...items];
    const [moved] = next.splice(from, 1);
    next.splice(to, 0, moved);
    set(next);
  };
  return (
    <FieldShell field={props}>
      <ol className="list-field" aria-label={label}>
        {items.map((item, i) => (
          <li key={i} className={isObject ? "list-card" : "list-row"}>
            <div className="list-body">
              {isObject ? (
                <ObjectFields path={childPath(props.path, i)} schema={itemSchema} value={item} onChange={(v) => set(items.map((x, j) => (j === i ? v : x)))} />
              ) : (
                renderField({
                  name: `${label} ${i + 1}`,
                  path: childPath(props.path, i),
                  schema: itemSchema,
                  value: item,
                  required: true,
                  onChange: (v) => set(items.map((x, j) => (j === i ? v : x))),
                })
              )}
            </div>
            {!ctx.readOnly && (
              <div className="list-actions">
                <button type="button" className="btn-icon" aria-label={`Move ${label} ${i + 1} up`} disabled={i === 0} onClick={() => move(i, i - 1)}>
                  ↑
                </button>
                <button type="button" className="btn-icon" aria-label={`Move ${label} ${i + 1} down`} disabled={i === items.length - 1} onClick={() => move(i, i + 1)}>
                  ↓
                </button>
                <button type="button" className="btn-icon danger" aria-label={`Remove ${label} ${i + 1}`} onClick={() => set(items.filter((_, j) => j !== i))}>
                  ×
                </button>
              </div>
            )}
          </li>
        ))}
      </ol>
      {!ctx.readOnly && (
        <button type="button" className="btn btn-small" onClick={() => set([...items, isObject ? {} : ""])}>
          + Add {singular(label)}
        </button>
      )}
    </FieldShell>
  );
}

function singular(label: string): string {
  const lower = label.toLowerCase();
  if (lower.endsWith("ies")) return `${lower.slice(0, -3)}y`;
  if (lower.endsWith("ses")) return lower.slice(0, -2);
  return lower.endsWith("s") ? lower.slice(0, -1) : lower;
}
