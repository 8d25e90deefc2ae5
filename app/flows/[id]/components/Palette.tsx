"use client";

import { useMemo, useState, type DragEvent } from "react";
import type { NodeSummary } from "../../../lib/types";
import { CATEGORY_LABEL, CATEGORY_ORDER, CategoryIcon } from "./CategoryIcon";

export const DRAG_MIME = "application/x-gate-node";

/** The node types by category, with search. Drag one onto the canvas, or press Enter to add it in the middle. */
export function Palette({ types, onAdd }: { types: NodeSummary[]; onAdd: (type: string) => void }) {
  const [query, setQuery] = useState("");
  const groups = useMemo(() => groupTypes(types, query), [types, query]);
  return (
    <aside className="palette" aria-label="Node palette">
      <input
        className="input palette-search"
        type="search"
        placeholder="Search nodes"
        aria-label="Search nodes"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      <div className="palette-groups">
        {groups.map(([category, list]) => (
          <section key={category} className="palette-group" aria-label={CATEGORY_LABEL[category] ?? category}>
            <h3>{CATEGORY_LABEL[category] ?? category}</h3>
            {list.map((t) => (
              <PaletteItem key={t.type} summary={t} onAdd={onAdd} />
            ))}
          </section>
        ))}
        {groups.length === 0 && <p className="muted small">No node matches “{query}”.</p>}
      </div>
    </aside>
  );
}

function PaletteItem({ summary, onAdd }: { summary: NodeSummary; onAdd: (type: string) => void }) {
  const onDragStart = (event: DragEvent) => {
    event.dataTransfer.setData(DRAG_MIME, summary.type);
    event.dataTransfer.effectAllowed = "move";
  };
  return (
    <button
      type="button"
      className="palette-item"
      draggable
      onDragStart={onDragStart}
      onClick={() => onAdd(summary.type)}
      title={`${summary.description}\nDrag onto the canvas, or click to add.`}
      data-type={summary.type}
    >
      <CategoryIcon category={summary.category} />
      <span>{summary.title}</span>
    </button>
  );
}

function groupTypes(types: NodeSummary[], query: string): [string, NodeSummary[]][] {
  const q = query.trim().toLowerCase();
  const match = (t: NodeSummary) => !q || `${t.title} ${t.type} ${t.description} ${t.category}`.toLowerCase().includes(q);
  const byCategory = new Map<string, NodeSummary[]>();
  for (const t of types.filter(match)) byCategory.set(t.category, [...(byCategory.get(t.category) ?? []), t]);
  const rank = (c: string) => {
    const i = (CATEGORY_ORDER as readonly string[]).indexOf(c);
    return i < 0 ? CATEGORY_ORDER.length : i;
  };
  return [...byCategory.entries()].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
}
