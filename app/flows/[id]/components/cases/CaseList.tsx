"use client";

import { useState } from "react";
import { ConfirmDialog } from "../../../../components/ConfirmDialog";
import { errorText } from "../../../../lib/errors";
import { hasRole, needsRole } from "../../../../lib/roles";
import { useSession } from "../../../../lib/session";
import { api } from "../../../../lib/trpc";
import type { StoredFlow, TestCaseResult } from "../../../../lib/types";
import { useEditor } from "../../store";

type Outcome = { result: TestCaseResult } | { error: string } | "running" | "deleting";

export interface CaseListProps {
  flowId: string;
  cases: { name: string }[];
  readOnly: boolean;
  /** A deleted case is a new version of the flow. */
  onDeleted: (flow: StoredFlow) => void;
}

/** Saved cases, each with Run (✓ when the output matches, else every difference by path) and Delete. */
export function CaseList({ flowId, cases, readOnly, onDeleted }: CaseListProps) {
  const [outcomes, setOutcomes] = useState<Record<string, Outcome>>({});
  const [confirming, setConfirming] = useState<string | undefined>();
  const role = useSession().status?.user?.role;
  const deleteReason = hasRole(role, "analyst") ? undefined : needsRole("Deleting test cases", "analyst", role);
  const run = async (name: string) => {
    setOutcomes((o) => ({ ...o, [name]: "running" }));
    try {
      const { results } = await api.testCases.run.mutate({ flowId, name });
      setOutcomes((o) => ({ ...o, [name]: { result: results[0]! } }));
    } catch (e) {
      setOutcomes((o) => ({ ...o, [name]: { error: errorText(e) } }));
    }
  };
  const remove = async (name: string) => {
    setOutcomes((o) => ({ ...o, [name]: "deleting" }));
    try {
      const { flow } = await api.testCases.delete.mutate({ flowId, name });
      setOutcomes(({ [name]: _gone, ...rest }) => rest);
      onDeleted(flow);
      useEditor.getState().notify({ kind: "info", text: `Test case “${name}” deleted (version ${flow.version}).` });
    } catch (e) {
      setOutcomes((o) => ({ ...o, [name]: { error: `Not deleted: ${errorText(e)}` } }));
    }
  };
  if (!cases.length) return <p className="muted small">No test cases yet.</p>;
  const busy = (name: string) => outcomes[name] === "running" || outcomes[name] === "deleting";
  return (
    <>
      <ul className="case-list" aria-label="Saved test cases">
        {cases.map((c) => (
          <li key={c.name} aria-label={`Case ${c.name}`}>
            <div className="case-head">
              <span className="case-name">{c.name}</span>
              {!readOnly && (
                <div className="case-actions">
                  <button type="button" className="btn btn-small" disabled={busy(c.name)} onClick={() => void run(c.name)}>
                    {outcomes[c.name] === "running" ? "Running…" : "Run"}
                  </button>
                  <button
                    type="button"
                    className="btn btn-small"
                    disabled={busy(c.name) || deleteReason !== undefined}
                    title={deleteReason}
                    aria-label={`Delete ${c.name}`}
                    onClick={() => setConfirming(c.name)}
                  >
                    {outcomes[c.name] === "deleting" ? "Deleting…" : "Delete"}
                  </button>
                </div>
              )}
            </div>
            <CaseOutcome outcome={outcomes[c.name]} />
          </li>
        ))}
      </ul>
      {confirming !== undefined && (
        <ConfirmDialog
          title={`Delete test case “${confirming}”?`}
          confirm="Delete test case"
          onClose={() => setConfirming(undefined)}
          onConfirm={() => {
            const name = confirming;
            setConfirming(undefined);
            void remove(name);
          }}
        >
          <p>The case is removed in a new version of the flow; the versions before it still hold it.</p>
        </ConfirmDialog>
      )}
    </>
  );
}

function CaseOutcome({ outcome }: { outcome: Outcome | undefined }) {
  if (!outcome || outcome === "running" || outcome === "deleting") return null;
  if ("error" in outcome) return <p className="field-error">{outcome.error}</p>;
  const { result } = outcome;
  if (result.passed)
    return (
      <p className="case-passed" role="status">
        ✓ passed in {result.durationMs < 1 ? "under 1 ms" : `${Math.round(result.durationMs)} ms`}
      </p>
    );
  return (
    <div className="case-failed" role="alert">
      <p>
        ✗ {result.differences.length} difference{result.differences.length === 1 ? "" : "s"}
      </p>
      <ul>
        {result.differences.map((d) => (
          <li key={d.path + d.message}>
            <code>{d.path}</code> {d.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
