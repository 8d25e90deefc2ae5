"use client";

import type { NodeRecord, RunRecord } from "../../../lib/types";
import { ItemsView } from "./ItemsView";

/** What a node received and produced in the last run (or a recorded execution). */
export function NodeData({ record, response, sideEffects }: { record: NodeRecord | undefined; response?: RunRecord["response"]; sideEffects: boolean }) {
  if (!record) return <p className="muted small">Run the flow to see what this node receives and produces.</p>;
  return (
    <div className="node-data">
      <p className="node-data-summary">
        <span className={`status status-${record.status}`}>{record.status}</span> {record.itemsIn} in → {record.itemsOut} out ·{" "}
        {record.durationMs.toFixed(1)} ms
        {!!record.retries && ` · ${record.retries} ${record.retries === 1 ? "retry" : "retries"}`}
      </p>
      {record.error && (
        <p className="field-error" role="alert">
          {record.error.code}: {record.error.message}
          {!!record.error.attempt && (
            <span className="pill pill-warn attempts-pill">
              {record.error.attempt === 1 ? "1 attempt" : `failed after ${record.error.attempt} attempts`}
            </span>
          )}
          {record.error.hint && <span className="muted"> — {record.error.hint}</span>}
        </p>
      )}
      {sideEffects && (
        <p className="dry-run-note">
          Test run: nothing was changed outside Gate. Writes are shown exactly as they would be sent; reads (an HTTP GET, a
          read-only query) were made.
        </p>
      )}
      <ItemsView label="Input" items={record.input} total={record.itemsIn} />
      {Object.entries(record.output).map(([port, items]) => (
        <ItemsView key={port} label={`Output ${port}`} items={items} total={record.outputCounts[port]} />
      ))}
      {response && (
        <section className="items-view" aria-label="Webhook response">
          <h4>Webhook response · status {response.status}</h4>
          <pre className="json-view">{JSON.stringify(response.body, null, 2)}</pre>
        </section>
      )}
    </div>
  );
}
