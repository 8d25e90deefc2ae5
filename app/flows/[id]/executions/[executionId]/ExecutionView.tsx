"use client";

import { ReactFlowProvider } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import Link from "next/link";
import { useEffect, useState } from "react";
import { errorText } from "../../../../lib/errors";
import { api } from "../../../../lib/trpc";
import type { ExecutionDetail, RunRecord } from "../../../../lib/types";
import { Canvas } from "../../components/Canvas";
import { Inspector } from "../../components/Inspector";
import { docToGraph } from "../../lib/graph-doc";
import { useEditor } from "../../store";

/** One recorded execution: the flow version it ran, read-only, with each node's status, items and timings. */
export function ExecutionView({ flowId, executionId }: { flowId: string; executionId: string }) {
  const [execution, setExecution] = useState<ExecutionDetail | undefined>();
  const [error, setError] = useState<string | undefined>();
  const inspected = useEditor((s) => s.inspected);
  useEffect(() => {
    void (async () => {
      try {
        const [detail, types] = await Promise.all([api.executions.get.query({ id: executionId }), api.nodes.list.query()]);
        const version = await api.flows.version.query({ id: flowId, version: detail.flowVersion });
        useEditor.getState().setTypes(types);
        useEditor.getState().load(docToGraph(version.doc), { readOnly: true });
        // The stored record has the run record's per-node shape; the run-level fields come from the row.
        const record = { status: detail.status === "success" ? "success" : "failed", startedAt: new Date(detail.startedAt).toISOString(), durationMs: detail.durationMs ?? 0, error: detail.error, nodes: detail.nodes } as RunRecord;
        useEditor.getState().setRun(record, false);
        setExecution(detail);
      } catch (e) {
        setError(errorText(e));
      }
    })();
  }, [flowId, executionId]);
  if (error)
    return (
      <section className="page">
        <p role="alert" className="error">
          Could not open this execution: {error}
        </p>
      </section>
    );
  return (
    <div className="editor">
      <div className="toolbar">
        <Link href={`/flows/${flowId}/executions`} className="toolbar-back">
          ← Executions
        </Link>
        {execution && (
          <>
            <strong>{execution.flowName}</strong>
            <span className="muted small">v{execution.flowVersion}</span>
            <span className={`status status-${execution.status}`}>{execution.status}</span>
            <span className="muted small">
              {new Date(execution.startedAt).toLocaleString()} · {execution.durationMs ?? "—"} ms · {execution.mode}
            </span>
            {execution.error && (
              <span className="field-error">
                {execution.error.node && `${execution.error.node}: `}
                {execution.error.message}
              </span>
            )}
          </>
        )}
        <div className="toolbar-end">
          <Link className="btn" href={`/flows/${flowId}`}>
            Open the editor
          </Link>
        </div>
      </div>
      <div className="editor-body">
        <ReactFlowProvider>
          <div className="editor-main">
            {execution && <Canvas fitOnInit />}
          </div>
        </ReactFlowProvider>
        {inspected && <Inspector nodeId={inspected} initialTab="data" live={execution?.mode !== "test"} />}
      </div>
    </div>
  );
}
