"use client";

import { useState } from "react";
import type { Item } from "../../../lib/types";

/** Items as a table (one column per top-level field) or as JSON. */
export function ItemsView({ items, label, total }: { items: Item[]; label: string; total?: number }) {
  const [mode, setMode] = useState<"table" | "json">("table");
  const columns = [...new Set(items.flatMap((i) => Object.keys(i)))].slice(0, 30);
  return (
    <section className="items-view" aria-label={label}>
      <header className="items-head">
        <h4>
          {label} <span className="muted">({total ?? items.length} item{(total ?? items.length) === 1 ? "" : "s"})</span>
        </h4>
        <div className="segmented" role="group" aria-label={`${label} view`}>
          <button type="button" aria-pressed={mode === "table"} onClick={() => setMode("table")}>
            Table
          </button>
          <button type="button" aria-pressed={mode === "json"} onClick={() => setMode("json")}>
            JSON
          </button>
        </div>
      </header>
      {items.length === 0 ? (
        <p className="muted small">No items.</p>
      ) : mode === "json" ? (
        <pre className="json-view">{JSON.stringify(items.length === 1 ? items[0] : items, null, 2)}</pre>
      ) : (
        <div className="table-scroll">
          <table className="items-table">
            <thead>
              <tr>
                <th>#</th>
                {columns.map((c) => (
                  <th key={c}>{c}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {items.map((item, i) => (
                <tr key={i}>
                  <td className="muted">{i + 1}</td>
                  {columns.map((c) => (
                    <td key={c}>{cell(item[c])}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function cell(value: unknown): string {
  if (value === undefined) return "";
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}
