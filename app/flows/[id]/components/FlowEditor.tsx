"use client";

import { ReactFlowProvider, useReactFlow } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { useCallback, useEffect, useMemo, useState } from "react";
import { useShallow } from "zustand/react/shallow";
import { describeError, errorText } from "../../../lib/errors";
import { api } from "../../../lib/trpc";
import type { NodeSummary, StoredFlow } from "../../../lib/types";
import { clearDraft, readDraft, readSample } from "../lib/draft";
import { docToGraph } from "../lib/graph-doc";
import { useDraft, useLiveValidation, useShortcuts } from "../lib/hooks";
import { layoutGraph } from "../lib/layout";
import { runTest } from "../lib/run";
import { currentDoc, useEditor } from "../store";
import { Canvas } from "./Canvas";
import { Inspector } from "./Inspector";
import { Palette } from "./Palette";
import { StatusBar } from "./StatusBar";
import { Toolbar } from "./Toolbar";
import { VersionsPanel } from "./VersionsPanel";
import { CasesPanel } from "./cases/CasesPanel";

const EMPTY_HINT = "Start with a trigger: drag “Webhook” from the palette on the left onto the canvas, then add the steps after it and connect their ports.";

export function FlowEditor({ flowId }: { flowId: string }) {
  return (
    <ReactFlowProvider>
      <EditorScreen flowId={flowId} />
    </ReactFlowProvider>
  );
}

function EditorScreen({ flowId }: { flowId: string }) {
  const [types, setTypes] = useState<NodeSummary[]>([]);
  const [stored, setStored] = useState<StoredFlow | undefined>();
  const [loadError, setLoadError] = useState<string | undefined>();
  const [saving, setSaving] = useState(false);
  const [panel, setPanel] = useState<"versions" | "cases" | undefined>();
  const [viewing, setViewing] = useState<number | undefined>();
  const { inspected, readOnly } = useEditor(useShallow((s) => ({ inspected: s.inspected, readOnly: s.readOnly })));
  const flow = useReactFlow();
  /**
   * React Flow queues a fitView asked for on an empty graph and runs it once nodes appear: the first
   * node dropped on a new flow would then be re-centred and zoomed away from where it was dropped.
   */
  const fit = useCallback(
    (duration?: number) => {
      if (useEditor.getState().nodes.length) void flow.fitView({ maxZoom: 1.2, padding: 0.2, duration });
    },
    [flow],
  );

  /** Load the current version, then any unsaved draft on top of it. */
  const load = useCallback(async () => {
    try {
      const [list, current] = await Promise.all([api.nodes.list.query(), api.flows.get.query({ id: flowId })]);
      setTypes(list);
      useEditor.getState().setTypes(list);
      setStored(current);
      setViewing(undefined);
      const draft = readDraft(flowId);
      const graph = docToGraph(draft?.doc ?? current.doc);
      useEditor.getState().load(graph, { dirty: !!draft });
      useEditor.setState({ sample: readSample(flowId) ?? "{}" });
      if (draft)
        useEditor.getState().notify({
          kind: "info",
          text: `Restored your unsaved changes from ${new Date(draft.savedAt).toLocaleString()} (based on v${draft.baseVersion}). Save to keep them, or undo them with “Discard draft” in Versions.`,
        });
      if (!graph.positioned && graph.nodes.length) {
        const positions = await layoutGraph(graph.nodes, graph.edges);
        useEditor.setState({ nodes: useEditor.getState().nodes.map((n) => ({ ...n, position: positions[n.id] ?? n.position })) });
      }
      requestAnimationFrame(() => fit());
    } catch (error) {
      setLoadError(errorText(error));
    }
  }, [flowId, fit]);

  useEffect(() => {
    void load();
  }, [load]);

  const save = useCallback(async () => {
    const s = useEditor.getState();
    if (s.readOnly) return;
    setSaving(true);
    const revision = s.revision;
    try {
      const result = await api.flows.save.mutate({ id: flowId, doc: currentDoc() });
      useEditor.getState().markSaved(revision);
      clearDraft(flowId);
      setStored(result.flow);
      useEditor.getState().notify({
        kind: "info",
        text: `Saved as version ${result.flow.version}${result.problems.length ? ` with ${result.problems.length} problem(s) to fix before it can be switched on` : ""}.`,
      });
    } catch (error) {
      const failure = describeError(error);
      useEditor.getState().notify({
        kind: "error",
        text: `Not saved: ${failure.message}${failure.problems.length ? ` (${failure.problems.map((p) => `${p.path}: ${p.message}`).join("; ")})` : ""}`,
      });
    } finally {
      setSaving(false);
    }
  }, [flowId]);

  const shortcutActions = useMemo(() => ({ save: () => void save() }), [save]);
  useShortcuts(shortcutActions);

  const addAtCenter = (type: string) => {
    const box = document.querySelector(".canvas")?.getBoundingClientRect();
    const at = flow.screenToFlowPosition({ x: (box?.left ?? 0) + (box?.width ?? 800) / 2, y: (box?.top ?? 0) + (box?.height ?? 600) / 2 });
    const n = useEditor.getState().nodes.length;
    useEditor.getState().addNode(type, { x: at.x - 100 + (n % 5) * 24, y: at.y - 30 + (n % 5) * 24 });
  };

  const autoLayout = async () => {
    const s = useEditor.getState();
    s.applyLayout(await layoutGraph(s.nodes, s.edges));
    requestAnimationFrame(() => fit(200));
  };

  const view = async (version: number) => {
    try {
      const found = await api.flows.version.query({ id: flowId, version });
      setViewing(version);
      useEditor.getState().load(docToGraph(found.doc), { readOnly: true });
      requestAnimationFrame(() => fit());
    } catch (error) {
      useEditor.getState().notify({ kind: "error", text: errorText(error) });
    }
  };

  const restore = async (version: number) => {
    const dirty = useEditor.getState().revision !== useEditor.getState().savedRevision && viewing === undefined;
    if (dirty && !window.confirm(`Restore version ${version}? Your unsaved changes will be discarded.`)) return;
    try {
      const result = await api.flows.restore.mutate({ id: flowId, version });
      clearDraft(flowId);
      await load();
      useEditor.getState().notify({ kind: "info", text: `Version ${version} restored as version ${result.flow.version}.` });
    } catch (error) {
      useEditor.getState().notify({ kind: "error", text: `Not restored: ${errorText(error)}` });
    }
  };

  const discardDraft = async () => {
    if (!window.confirm("Discard your unsaved changes and go back to the saved version?")) return;
    clearDraft(flowId);
    await load();
  };

  if (loadError)
    return (
      <div className="page">
        <p role="alert" className="error">
          Could not open this flow: {loadError}
        </p>
      </div>
    );

  return (
    <div className="editor">
      <EditWatchers flowId={flowId} version={stored?.version} enabled={!!stored} drafting={!!stored && viewing === undefined} />
      <Toolbar
        flowId={flowId}
        version={stored?.version}
        saving={saving}
        onSave={() => void save()}
        onRun={() => void runTest()}
        onLayout={() => void autoLayout()}
        onFit={() => fit(200)}
        onVersions={() => setPanel(panel === "versions" ? undefined : "versions")}
        onCases={() => setPanel(panel === "cases" ? undefined : "cases")}
      />
      {viewing !== undefined && (
        <div className="viewing-banner" role="status">
          Showing version {viewing} (read-only).
          <button type="button" className="btn btn-small" onClick={() => void restore(viewing)}>
            Restore this version
          </button>
          <button type="button" className="btn btn-small" onClick={() => void load()}>
            Back to editing
          </button>
        </div>
      )}
      <div className="editor-body">
        {!readOnly && <Palette types={types} onAdd={addAtCenter} />}
        <div className="editor-main">
          <Canvas emptyHint={stored ? EMPTY_HINT : undefined} />
          <StatusBar />
        </div>
        {panel === "versions" ? (
          <VersionsPanel
            flowId={flowId}
            current={stored?.version}
            viewing={viewing}
            onView={(v) => void view(v)}
            onRestore={(v) => void restore(v)}
            onClose={() => setPanel(undefined)}
            onDiscardDraft={viewing === undefined && readDraft(flowId) ? () => void discardDraft() : undefined}
          />
        ) : panel === "cases" ? (
          <CasesPanel flowId={flowId} onFlowSaved={setStored} onClose={() => setPanel(undefined)} />
        ) : (
          inspected && <Inspector nodeId={inspected} />
        )}
      </div>
    </div>
  );
}

/**
 * Validation and the draft follow every edit (a drag is an edit per frame). Their hooks live in
 * this leaf, which renders nothing, so an edit does not re-render the whole editor.
 */
function EditWatchers({ flowId, version, enabled, drafting }: { flowId: string; version: number | undefined; enabled: boolean; drafting: boolean }) {
  useLiveValidation(enabled);
  useDraft(flowId, version, drafting);
  return null;
}
