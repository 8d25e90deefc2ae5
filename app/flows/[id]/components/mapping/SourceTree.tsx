"use client";

import type { SourceField } from "../../lib/mapping/sample-tree";

/** What a drag from the source tree carries: the field's path, as JSON. */
export const SOURCE_FIELD_MIME = "application/x-gate-source-field";

/** The sample item's fields as a tree; each field can be dragged onto a mapping target. */
export function SourceTree({ fields }: { fields: SourceField[] }) {
  if (!fields.length) return <p className="muted small">The sample item has no fields.</p>;
  return (
    <ul className="source-tree" role="tree" aria-label="Source fields">
      {fields.map((field) => (
        <SourceNode key={field.name} field={field} />
      ))}
    </ul>
  );
}

function SourceNode({ field }: { field: SourceField }) {
  return (
    <li role="treeitem" aria-selected={false} aria-label={field.path.join(".")}>
      <div
        className="source-field"
        draggable
        title={`Drag ${field.path.join(".")} onto a target field`}
        onDragStart={(e) => {
          e.dataTransfer.setData(SOURCE_FIELD_MIME, JSON.stringify(field.path));
          e.dataTransfer.setData("text/plain", field.path.join("."));
          e.dataTransfer.effectAllowed = "copy";
        }}
      >
        <span className="source-name">{field.name}</span>
        <span className="source-kind">{field.kind}</span>
        {field.preview && <span className="source-preview">{field.preview}</span>}
      </div>
      {field.children.length > 0 && (
        <ul role="group">
          {field.children.map((child) => (
            <SourceNode key={child.name} field={child} />
          ))}
        </ul>
      )}
    </li>
  );
}

/** The source path a drop carries, or undefined when the drag is something else. */
export function droppedPath(data: DataTransfer): string[] | undefined {
  const raw = data.getData(SOURCE_FIELD_MIME);
  if (!raw) return undefined;
  const path: unknown = JSON.parse(raw);
  return Array.isArray(path) && path.every((s) => typeof s === "string") ? path : undefined;
}
