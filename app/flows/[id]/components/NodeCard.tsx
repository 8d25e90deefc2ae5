"use client";

import { Handle, Position, type NodeProps } from "@xyflow/react";
import { memo } from "react";
import { useShallow } from "zustand/react/shallow";
import type { NodeRecord } from "../../../lib/types";
import type { GateNode } from "../lib/graph-doc";
import { portsOf, useEditor } from "../store";
import { CategoryIcon } from "./CategoryIcon";

/** A node on the canvas: title, category icon, ports, the problem mark and the last run's badge. */
function NodeCardView({ id, data, selected }: NodeProps<GateNode>) {
  // Ports as strings: a selector must return stable values, and port lists are rebuilt per call.
  // Runs for every node on every store change (each drag frame): look the ports up once.
  const { summary, inputKey, outputKey, problem, record, pinned } = useEditor(
    useShallow((s) => {
      const ports = portsOf(s)({ id, type: data.type, config: data.config });
      return {
        summary: s.types.get(data.type),
        inputKey: ports?.inputs.join("\n") ?? "",
        outputKey: ports?.outputs.join("\n") ?? "main",
        problem: s.problems.find((p) => p.node === id)?.message,
        record: s.run?.nodes[id],
        pinned: id in s.pinned,
      };
    }),
  );
  const title = data.name ?? summary?.title ?? data.type;
  const allOutputs = outputKey ? outputKey.split("\n") : [];
  const outputs = allOutputs.filter((p) => p !== "error");
  const inputs = inputKey ? inputKey.split("\n") : [];
  const classes = ["node-card", selected && "is-selected", problem && "has-problem", record?.status === "failed" && "has-failed"].filter(Boolean).join(" ");
  return (
    <div className={classes} data-testid={`node-${id}`} aria-label={`${title} (${id})`}>
      {inputs.map((port, i) => (
        <Handle key={port} type="target" position={Position.Left} id={port} style={{ top: spread(i, inputs.length) }} title={`input ${port}`}>
          {inputs.length > 1 && <span className="port-label port-in">{port}</span>}
        </Handle>
      ))}
      <div className="node-head">
        <span className={`node-icon cat-${summary?.category ?? "unknown"}`}>
          <CategoryIcon category={summary?.category ?? "unknown"} />
        </span>
        <div className="node-titles">
          <div className="node-title">{title}</div>
          <div className="node-id">{id}</div>
        </div>
        {pinned && (
          <span className="pin-badge" title="Pinned output: test runs use it instead of running this node; live runs ignore it">
            pinned
          </span>
        )}
        {problem && (
          <span className="problem-mark" role="img" aria-label="invalid configuration" title={problem}>
            !
          </span>
        )}
      </div>
      {problem && <div className="node-problem">{problem}</div>}
      {!summary && <div className="node-problem">unknown node type "{data.type}"</div>}
      {(record || pinned) && <RunBadge record={record} />}
      {outputs.map((port, i) => (
        <Handle key={port} type="source" position={Position.Right} id={port} style={{ top: spread(i, outputs.length) }} title={`output ${port}`}>
          {(outputs.length > 1 || port !== "main") && <span className="port-label port-out">{port}</span>}
        </Handle>
      ))}
      {allOutputs.includes("error") && (
        <Handle type="source" position={Position.Bottom} id="error" className="handle-error" title="error output: failed items go here">
          <span className="port-label port-error">error</span>
        </Handle>
      )}
    </div>
  );
}

function RunBadge({ record }: { record: NodeRecord | undefined }) {
  if (record?.error)
    return (
      <div className="run-badge run-failed" data-testid="run-badge">
        {record.error.attempt && record.error.attempt > 1 ? `${record.error.attempt} attempts · ` : ""}
        {record.error.code}: {record.error.message}
      </div>
    );
  if (!record) return <div className="run-badge run-pinned">pinned output</div>;
  const ms = record.durationMs < 10 ? record.durationMs.toFixed(1) : Math.round(record.durationMs);
  return (
    <div className={`run-badge run-${record.status}`} data-testid="run-badge">
      {record.status === "skipped" ? "skipped" : `${record.itemsIn} → ${record.itemsOut} · ${ms} ms`}
      {!!record.retries && ` · ${record.retries} ${record.retries === 1 ? "retry" : "retries"}`}
      {record.status === "pinned" && " · pinned"}
    </div>
  );
}

function spread(index: number, count: number): string {
  return `${((index + 1) / (count + 1)) * 100}%`;
}

export const NodeCard = memo(NodeCardView);
