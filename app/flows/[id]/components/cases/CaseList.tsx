"use client";

import { useState } from "react";
import { errorText } from "../../../../lib/errors";
import { api } from "../../../../lib/trpc";
import type { TestCaseResult } from "../../../../lib/types";

type Outcome = { result: TestCaseResult } | { error: string } | "running";

/** Saved cases, each with Run: ✓ when the output matches, else every difference by path. */
export function CaseList({ flowId, cases, readOnly }: { flowId: string; cases: { name: string }[]; readOnly: boolean }) {
  const [outcomes, setOutcomes] = useState<Record<string, Outcome>>({});
  const run = async (name: string) => {
    setOutcomes((o) => ({ ...o, [name]: "running" }));
    try {
      const { results } = await api.testCases.run.mutate({ flowId, name });
      setOutcomes((o) => ({ ...o, [name]: { result: results[0]! } }));
    } catch (e) {
      setOutcomes((o) => ({ ...o, [name]: { error: errorText(e) } }));
    }
  };
  if (!cases.length) return <p className="muted small">No test cases yet.</p>;
  return (
    <ul className="case-list" aria-label="Saved test cases">
      {cases.map((c) => (
        <li key={c.name} aria-label={`Case ${c.name}`}>
          <div className="case-head">
            <span className="case-name">{c.name}</span>
            {!readOnly && (
              <button type="button" className="btn btn-small" disabled={outcomes[c.name] === "running"} onClick={() => void run(c.name)}>
                {outcomes[c.name] === "running" ? "Running…" : "Run"}
              </button>
            )}
          </div>
          <CaseOutcome outcome={outcomes[c.name]} />
        </li>
      ))}
    </ul>
  );
}

function CaseOutcome({ outcome }: { outcome: Outcome | undefined }) {
  if (!outcome || outcome === "running") return null;
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
