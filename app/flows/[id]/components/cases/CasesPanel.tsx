"use client";

import { useShallow } from "zustand/react/shallow";
import type { StoredFlow } from "../../../../lib/types";
import { useEditor } from "../../store";
import { CaseList } from "./CaseList";
import { SaveCaseForm } from "./SaveCaseForm";

const NO_CASES: { name: string }[] = [];

/** The flow's saved test cases: save the last test run as one, run them, see what differs. */
export function CasesPanel({ flowId, onFlowSaved, onClose }: { flowId: string; onFlowSaved: (flow: StoredFlow) => void; onClose: () => void }) {
  const { cases, hasRun, dirty, readOnly } = useEditor(
    useShallow((s) => ({ cases: s.rest.tests?.cases ?? NO_CASES, hasRun: !!s.run, dirty: s.revision !== s.savedRevision, readOnly: s.readOnly })),
  );
  /** A case saved or deleted is a new version: keep the document on screen in step without marking it edited. */
  const adopt = (flow: StoredFlow) => {
    const s = useEditor.getState();
    useEditor.setState({ rest: { ...s.rest, tests: { ...s.rest.tests, cases: flow.doc.tests?.cases ?? [] } } });
    onFlowSaved(flow);
  };
  return (
    <aside className="inspector cases-panel" aria-label="Test cases">
      <header className="inspector-head">
        <div className="inspector-titles">
          <h2>Test cases</h2>
          <p className="muted small">An input and the output chosen nodes must give. Cases run as test runs of the saved version.</p>
        </div>
        <button type="button" className="btn-icon" aria-label="Close test cases" onClick={onClose}>
          ×
        </button>
      </header>
      <div className="inspector-body">
        {!readOnly && <SaveCaseForm flowId={flowId} hasRun={hasRun} dirty={dirty} taken={cases.map((c) => c.name)} onSaved={adopt} />}
        <CaseList flowId={flowId} cases={cases} readOnly={readOnly} onDeleted={adopt} />
      </div>
    </aside>
  );
}
