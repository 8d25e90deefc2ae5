"use client";

import { useShallow } from "zustand/react/shallow";
import { useEditor } from "../store";

/** Messages for the person editing: a refused connection, a run result, problems not tied to a node. */
export function StatusBar() {
  const { notice, problems, nodes } = useEditor(useShallow((s) => ({ notice: s.notice, problems: s.problems, nodes: s.nodes })));
  const flowProblems = problems.filter((p) => !p.node || !nodes.some((n) => n.id === p.node));
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
