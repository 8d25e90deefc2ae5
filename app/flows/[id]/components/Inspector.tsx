"use client";

import { useEffect, useMemo, useState } from "react";
import { useShallow } from "zustand/react/shallow";
import { loadCredentialChoices, type CredentialChoice } from "../lib/credentials";
import { fieldPaths, parseSample, runTest } from "../lib/run";
import { useEditor } from "../store";
import { CategoryIcon } from "./CategoryIcon";
import { CodeField } from "./CodeField";
import { MappingPreviewButton } from "./mapping/MappingPreviewButton";
import { NodeData } from "./NodeData";
import { SchemaForm } from "./SchemaForm";

/** The side panel of the selected node: its settings (a generated form) and its data from the last run. */
export function Inspector({ nodeId, initialTab = "settings", live = false }: { nodeId: string; initialTab?: "settings" | "data"; /** Showing a live execution: nothing was dry-run. */ live?: boolean }) {
  // The node's data, not the node: a drag changes the node's position on every frame, and the panel
  // must not re-render (forms, code editors) for that.
  const { data, summary, problems, record, pinned, readOnly, upstreamSample, response, running } = useEditor(
    useShallow((s) => {
      const data = s.nodes.find((n) => n.id === nodeId)?.data;
      return {
        data,
        summary: data && s.types.get(data.type),
        problems: s.problems,
        record: s.run?.nodes[nodeId],
        pinned: s.pinned[nodeId],
        readOnly: s.readOnly,
        upstreamSample: s.sample,
        response: s.run?.response,
        running: s.running,
      };
    }),
  );
  const [tab, setTab] = useState<"settings" | "data">(initialTab);
  const [credentials, setCredentials] = useState<CredentialChoice[] | undefined>();
  // Asked each time the panel opens, so a credential just created on the Credentials page shows up.
  useEffect(() => void loadCredentialChoices().then(setCredentials), []);
  const nodeProblems = useMemo(() => {
    const map = new Map<string, string>();
    const prefix = `nodes[${nodeId}].config`;
    for (const p of problems) {
      if (p.node !== nodeId) continue;
      const path = p.path.startsWith(prefix) ? p.path.slice(prefix.length).replace(/^\./, "") : "";
      map.set(path, map.has(path) ? `${map.get(path)}; ${p.message}` : p.message);
    }
    return map;
  }, [problems, nodeId]);
  const completionPaths = useMemo(() => {
    if (record) return fieldPaths(record.input);
    const sample = parseSample(upstreamSample);
    return "items" in sample ? fieldPaths(sample.items) : [];
  }, [record, upstreamSample]);

  if (!data) return null;
  const node = { id: nodeId, data };
  const { updateNode, pin, inspect } = useEditor.getState();
  const title = node.data.name ?? summary?.title ?? node.data.type;
  const isTrigger = summary?.category === "trigger";
  const outputs = record?.output.main;
  return (
    <aside className="inspector" aria-label={`Inspector: ${title}`}>
      <header className="inspector-head">
        <CategoryIcon category={summary?.category ?? "unknown"} size={18} />
        <div className="inspector-titles">
          <h2>{title}</h2>
          <p className="muted small">
            {node.data.type} · id <code>{node.id}</code>
          </p>
        </div>
        <button type="button" className="btn-icon" aria-label="Close the inspector" onClick={() => inspect(undefined)}>
          ×
        </button>
      </header>
      {summary?.description && <p className="inspector-desc muted small">{summary.description}</p>}
      <div className="tabs" role="tablist">
        <button type="button" role="tab" aria-selected={tab === "settings"} onClick={() => setTab("settings")}>
          Settings
        </button>
        <button type="button" role="tab" aria-selected={tab === "data"} onClick={() => setTab("data")}>
          Data{record ? ` · ${record.itemsOut}` : ""}
        </button>
      </div>
      <div className="inspector-body" role="tabpanel">
        {tab === "settings" ? (
          <>
            <div className="field">
              <label className="field-label" htmlFor={`name-${node.id}`}>
                Label
              </label>
              <input
                id={`name-${node.id}`}
                className="input"
                value={node.data.name ?? ""}
                placeholder={summary?.title}
                readOnly={readOnly}
                onChange={(e) => updateNode(node.id, { name: e.target.value }, "name")}
              />
            </div>
            {node.data.type === "map.fields" && <MappingPreviewButton nodeId={node.id} />}
            {summary ? (
              <SchemaForm
                key={node.id}
                schema={summary.configSchema}
                value={node.data.config}
                onChange={(config) => updateNode(node.id, { config }, "config")}
                context={{ nodeId: node.id, problems: nodeProblems, completionPaths, credentials, credentialKinds: summary.credential?.kinds, readOnly }}
              />
            ) : (
              <p className="field-error">Gate has no node type “{node.data.type}”. Replace this node or load the plugin that defines it.</p>
            )}
            {isTrigger && !readOnly && <SamplePayload />}
          </>
        ) : (
          <>
            {!readOnly && (
              <div className="button-row">
                <button type="button" className="btn" disabled={running} onClick={() => void runTest(isTrigger ? undefined : node.id)}>
                  {isTrigger ? "Run flow" : "Run from here"}
                </button>
                {pinned ? (
                  <button type="button" className="btn" onClick={() => pin(node.id, undefined)}>
                    Unpin output
                  </button>
                ) : (
                  <button type="button" className="btn" disabled={!outputs} onClick={() => outputs && pin(node.id, outputs)} title="Use this output in test runs instead of running the node">
                    Pin output
                  </button>
                )}
              </div>
            )}
            {pinned && <p className="muted small">Output pinned ({pinned.length} item{pinned.length === 1 ? "" : "s"}): test runs use it instead of running this node.</p>}
            <NodeData record={record} response={summary?.type === "respond" ? response : undefined} sideEffects={!live && (summary?.sideEffects ?? false)} />
          </>
        )}
      </div>
    </aside>
  );
}

function SamplePayload() {
  const sample = useEditor((s) => s.sample);
  const parsed = parseSample(sample);
  return (
    <section className="sample" aria-label="Sample payload">
      <h3>Sample payload</h3>
      <p className="field-help">The test input: a JSON object, or an array of objects for several items.</p>
      <CodeField language="gate-json" modelPath="sample.json" label="Sample payload" height={180} value={sample} onChange={(v) => useEditor.setState({ sample: v })} />
      {"error" in parsed && <p className="field-error">{parsed.error}</p>}
      <button type="button" className="btn btn-primary" onClick={() => void runTest()}>
        Run with this payload
      </button>
    </section>
  );
}
