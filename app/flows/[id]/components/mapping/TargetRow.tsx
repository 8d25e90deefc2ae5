"use client";

import { useState } from "react";
import { FIELD_TYPES, type FieldType } from "../../lib/mapping/coerce";
import type { MapField } from "../../lib/mapping/preview";
import { SOURCE_FIELD_MIME, droppedPath } from "./SourceTree";

export interface TargetRowProps {
  index: number;
  field: MapField;
  problems: string[] | undefined;
  readOnly: boolean;
  onChange: (field: MapField, editKey: string) => void;
  onDropPath: (path: string[]) => void;
}

/** One target field: its name, the expression that fills it, its type, and what is wrong with it. */
export function TargetRow({ index, field, problems, readOnly, onChange, onDropPath }: TargetRowProps) {
  const [over, setOver] = useState(false);
  const name = field.target || `field ${index + 1}`;
  const accepts = (e: React.DragEvent) => !readOnly && e.dataTransfer.types.includes(SOURCE_FIELD_MIME);
  return (
    <li
      className={`target-row${over ? " is-drop-target" : ""}${problems?.length ? " has-problem" : ""}`}
      aria-label={`Target ${name}`}
      onDragOver={(e) => {
        if (!accepts(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = "copy";
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        setOver(false);
        const path = droppedPath(e.dataTransfer);
        if (!path) return;
        e.preventDefault();
        onDropPath(path);
      }}
    >
      <div className="target-line">
        <input
          className="input target-name"
          aria-label={`Target name ${index + 1}`}
          value={field.target ?? ""}
          placeholder="target"
          readOnly={readOnly}
          onChange={(e) => onChange({ ...field, target: e.target.value }, `target-${index}`)}
        />
        <span className="target-arrow" aria-hidden="true">
          ←
        </span>
        <input
          className="input target-expr"
          aria-label={`Value of ${name}`}
          value={field.expr ?? ""}
          placeholder="drop a source field or type JSONata"
          spellCheck={false}
          readOnly={readOnly}
          onChange={(e) => onChange({ ...field, expr: e.target.value }, `expr-${index}`)}
        />
        <select
          className="input target-type"
          aria-label={`Type of ${name}`}
          value={field.type ?? "any"}
          disabled={readOnly}
          onChange={(e) => onChange({ ...field, type: e.target.value as FieldType }, `type-${index}`)}
        >
          {FIELD_TYPES.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
        <label className="target-required">
          <input type="checkbox" checked={field.required ?? false} disabled={readOnly} onChange={(e) => onChange({ ...field, required: e.target.checked }, `required-${index}`)} />
          required
        </label>
      </div>
      {problems?.map((p) => (
        <p key={p} className="field-error target-problem">
          {p}
        </p>
      ))}
    </li>
  );
}
