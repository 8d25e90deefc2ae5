"use client";

import { useMemo, useState, type FormEvent } from "react";
import { useShallow } from "zustand/react/shallow";
import { errorText } from "../../../../lib/errors";
import { api } from "../../../../lib/trpc";
import type { StoredFlow } from "../../../../lib/types";
import { parseSample } from "../../lib/run";
import { useEditor } from "../../store";

/** Nodes no edge leaves from: what a flow finally produces, the default to check. */
function leafNodes(nodes: { id: string }[], edges: { source: string }[]): string[] {
  const sources = new Set(edges.map((e) => e.source));
  return nodes.map((n) => n.id).filter((id) => !sources.has(id));
}

export interface SaveCaseFormProps {
  flowId: string;
  hasRun: boolean;
  dirty: boolean;
  taken: string[];
  onSaved: (flow: StoredFlow) => void;
}

/** "Save as test case": the sample payload as input, the chosen nodes' output as the expectation. */
export function SaveCaseForm({ flowId, hasRun, dirty, taken, onSaved }: SaveCaseFormProps) {
  const { nodeIds, leaves, sample } = useEditor(
    useShallow((s) => ({ nodeIds: s.nodes.map((n) => n.id).join("\n"), leaves: leafNodes(s.nodes, s.edges).join("\n"), sample: s.sample })),
  );
  const ids = useMemo(() => (nodeIds ? nodeIds.split("\n") : []), [nodeIds]);
  const [name, setName] = useState("");
  const [chosen, setChosen] = useState<string[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [saving, setSaving] = useState(false);
  const nodes = chosen ?? (leaves ? leaves.split("\n") : []);
  const input = parseSample(sample);
  const blocked = !hasRun ? "Run the flow first: the case takes its input from the sample payload." : dirty ? "Save the flow first: cases run the saved version." : undefined;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if ("error" in input) return setError(input.error);
    setSaving(true);
    setError(undefined);
    try {
      const result = await api.testCases.save.mutate({ flowId, case: { name: name.trim(), input: input.items.length === 1 ? input.items[0]! : input.items }, capture: nodes });
      onSaved(result.flow);
      useEditor.getState().notify({ kind: "info", text: `Test case “${result.case.name}” saved (version ${result.flow.version}).` });
      setName("");
    } catch (err) {
      setError(errorText(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form className="save-case" aria-label="Save as test case" onSubmit={(e) => void submit(e)}>
      <h3>Save as test case</h3>
      <div className="field">
        <label className="field-label" htmlFor="case-name">
          Name
        </label>
        <input id="case-name" className="input" value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Ada from the CRM sample" />
        {taken.includes(name.trim()) && <p className="field-help">Replaces the case of that name.</p>}
      </div>
      <fieldset className="fieldset">
        <legend>Expect the output of</legend>
        {ids.map((id) => (
          <label key={id} className="checkbox-row">
            <input type="checkbox" checked={nodes.includes(id)} onChange={(e) => setChosen(e.target.checked ? [...nodes, id] : nodes.filter((n) => n !== id))} />
            <code>{id}</code>
          </label>
        ))}
      </fieldset>
      {blocked && <p className="muted small">{blocked}</p>}
      {error && <p className="field-error">{error}</p>}
      <button type="submit" className="btn btn-primary" disabled={!!blocked || saving || !name.trim() || nodes.length === 0}>
        {saving ? "Saving…" : "Save as test case"}
      </button>
    </form>
  );
}
