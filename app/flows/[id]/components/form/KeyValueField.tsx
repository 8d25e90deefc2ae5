"use client";

import { useFormContext } from "./context";
import { FieldShell } from "./FieldShell";
import { isRecord, labelOf, type FieldProps } from "./types";

/** A string map (headers, query): rows of name and value. */
export function KeyValueField(props: FieldProps) {
  const ctx = useFormContext();
  const entries = Object.entries(isRecord(props.value) ? props.value : {});
  const label = labelOf(props.name, props.schema);
  const set = (next: [string, unknown][]) => props.onChange(next.length ? Object.fromEntries(next) : undefined);
  return (
    <FieldShell field={props}>
      <div className="kv-list">
        {entries.map(([key, value], i) => (
          <div className="kv-row" key={i}>
            <input
              className="input"
              aria-label={`${label} name ${i + 1}`}
              value={key}
              readOnly={ctx.readOnly}
              onChange={(e) => set(entries.map((x, j) => (j === i ? [e.target.value, x[1]] : x)))}
            />
            <input
              className="input"
              aria-label={`${label} value ${i + 1}`}
              value={typeof value === "string" ? value : JSON.stringify(value)}
              readOnly={ctx.readOnly}
              onChange={(e) => set(entries.map((x, j) => (j === i ? [x[0], e.target.value] : x)))}
            />
            {!ctx.readOnly && (
              <button type="button" className="btn-icon danger" aria-label={`Remove ${label} ${i + 1}`} onClick={() => set(entries.filter((_, j) => j !== i))}>
                ×
              </button>
            )}
          </div>
        ))}
      </div>
      {!ctx.readOnly && (
        <button type="button" className="btn btn-small" onClick={() => set([...entries, [nextName(entries.map(([k]) => k)), ""]])}>
          + Add
        </button>
      )}
    </FieldShell>
  );
}

function nextName(taken: string[]): string {
  for (let i = 1; ; i++) if (!taken.includes(`name${i}`)) return `name${i}`;
}
