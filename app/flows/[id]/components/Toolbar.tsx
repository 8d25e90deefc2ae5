"use client";

import Link from "next/link";
import { useShallow } from "zustand/react/shallow";
import { useEditor } from "../store";

export interface ToolbarProps {
  flowId: string;
  version: number | undefined;
  saving: boolean;
  onSave: () => void;
  onRun: () => void;
  onLayout: () => void;
  onFit: () => void;
  onVersions: () => void;
  onCases: () => void;
}

/** The editor's top bar: the flow's name, history, layout, run and save. */
export function Toolbar(props: ToolbarProps) {
  const { name, canUndo, canRedo, dirty, running, readOnly, problemCount } = useEditor(
    useShallow((s) => ({
      name: s.rest.name,
      canUndo: s.past.length > 0,
      canRedo: s.future.length > 0,
      dirty: s.revision !== s.savedRevision,
      running: s.running,
      readOnly: s.readOnly,
      problemCount: s.problems.length,
    })),
  );
  const { undo, redo, setRest } = useEditor.getState();
  return (
    <div className="toolbar" role="toolbar" aria-label="Flow editor">
      <Link href="/flows" className="toolbar-back" aria-label="Back to flows">
        ← Flows
      </Link>
      <input
        className="input flow-name"
        aria-label="Flow name"
        value={name}
        readOnly={readOnly}
        onChange={(e) => setRest({ ...useEditor.getState().rest, name: e.target.value })}
      />
      <span className="muted small save-state" aria-live="polite">
        {props.version !== undefined && `v${props.version}`}
        {dirty ? " · unsaved changes" : " · saved"}
      </span>
      <div className="toolbar-group">
        <button type="button" className="btn" onClick={undo} disabled={!canUndo || readOnly} title="Undo (Ctrl+Z)">
          Undo
        </button>
        <button type="button" className="btn" onClick={redo} disabled={!canRedo || readOnly} title="Redo (Ctrl+Shift+Z)">
          Redo
        </button>
        <button type="button" className="btn" onClick={props.onLayout} disabled={readOnly} title="Arrange the nodes automatically">
          Auto layout
        </button>
        <button type="button" className="btn" onClick={props.onFit} title="Zoom to fit">
          Fit
        </button>
      </div>
      <div className="toolbar-group toolbar-end">
        {problemCount > 0 && <span className="pill pill-bad">{problemCount} problem{problemCount === 1 ? "" : "s"}</span>}
        <button type="button" className="btn" onClick={props.onVersions}>
          Versions
        </button>
        <button type="button" className="btn" onClick={props.onCases}>
          Test cases
        </button>
        <Link className="btn" href={`/flows/${props.flowId}/executions`}>
          Executions
        </Link>
        <button type="button" className="btn" onClick={props.onRun} disabled={running || readOnly} title="Test run on the sample payload (dry run)">
          {running ? "Running…" : "Run"}
        </button>
        <button type="button" className="btn btn-primary" onClick={props.onSave} disabled={props.saving || readOnly} title="Save a new version (Ctrl+S)">
          {props.saving ? "Saving…" : "Save"}
        </button>
      </div>
    </div>
  );
}
