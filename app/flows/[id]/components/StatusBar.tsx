"use client";

import { useShallow } from "zustand/react/shallow";
import { useEditor } from "../store";

/** Messages for the person editing: a refused connection, a run result, problems not tied to a node. */
export function StatusBar() {
  // The node ids as one string, compared by value: a drag changes `nodes` every frame, and this bar
  // should re-render only when what it shows changes.
  const { notice, problems, nodeIds } = useEditor(
    useShallow((s) => ({ notice: s.notice, problems: s.problems, nodeIds: s.nodes.map((n) => n.id).join("\n") })),
  );
  const ids = new Set(nodeIds.split("\n"));
  const flowProblems = problems.filter((p) => !p.node || !ids.has(p.node));
  if (!notice && flowProblems.length === 0) return null;
  return (
    <div className="status-bar">
      {notice && (
        <div className={`notice notice-${notice.kind}`} role={notice.kind === "error" ? "alert" : "status"}>
          <span>{notice.text}</span>
          <button type="button" className="btn-icon" aria-label="Dismiss" onClick={() => useEditor.getState().notify(undefined)}>
            ×
          </button>
        </div>
      )}
      {flowProblems.map((p) => (
        <div key={`${p.path}:${p.message}`} className="notice notice-warn">
          <code>{p.path}</code> {p.message}
        </div>
      ))}
    </div>
  );
}
