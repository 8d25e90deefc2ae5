"use client";

import { useMemo, useState } from "react";
import { useShallow } from "zustand/react/shallow";
import type { Item } from "../../../../lib/types";
import { pathExpression, type MapField } from "../../lib/mapping/preview";
import { sampleTree } from "../../lib/mapping/sample-tree";
import { useMappingPreview } from "../../lib/mapping/use-preview";
import { parseSample } from "../../lib/run";
import { useEditor } from "../../store";
import { SourceTree } from "./SourceTree";
import { NewTargetZone } from "./NewTargetZone";
import { TargetRow } from "./TargetRow";

const NO_FIELDS: MapField[] = [];

/** The sample this node maps: its input in the last test run, else the trigger's sample payload. */
function useSampleItems(nodeId: string): { items: Item[]; from: string } {
  const { recorded, sample } = useEditor(useShallow((s) => ({ recorded: s.run?.nodes[nodeId]?.input, sample: s.sample })));
  return useMemo(() => {
    if (recorded?.length) return { items: recorded, from: "this node's input in the last test run" };
    const parsed = parseSample(sample);
    return "items" in parsed ? { items: parsed.items, from: "the trigger's sample payload" } : { items: [], from: "the trigger's sample payload (not valid JSON)" };
  }, [recorded, sample]);
}

/** Source fields on the left, the node's target fields on the right, the mapped output live below. */
export function MappingPreviewer({ nodeId }: { nodeId: string }) {
  const { config, readOnly } = useEditor(useShallow((s) => ({ config: s.nodes.find((n) => n.id === nodeId)?.data.config, readOnly: s.readOnly })));
  const fields = (Array.isArray(config?.fields) ? config.fields : NO_FIELDS) as MapField[];
  const keepInput = config?.keepInput === true;
  const { items, from } = useSampleItems(nodeId);
  const [index, setIndex] = useState(0);
  const item = items[Math.min(index, items.length - 1)];
  const tree = useMemo(() => sampleTree(item), [item]);
  const preview = useMappingPreview(fields, item, keepInput);

  const setFields = (next: MapField[], editKey: string) => {
    const current = useEditor.getState().nodes.find((n) => n.id === nodeId)?.data.config ?? {};
    useEditor.getState().updateNode(nodeId, { config: { ...current, fields: next } }, `mapping:${editKey}`);
  };
  // Each drop is its own undo step: a unique key keeps it from merging with the previous edit.
  const dropKey = () => `drop-${Date.now()}`;

  return (
    <div className="mapping-previewer">
      <p className="muted small">
        Sample: {from}
        {items.length > 1 && (
          <>
            {" · "}
            <label>
              item{" "}
              <select className="input input-inline" value={index} onChange={(e) => setIndex(Number(e.target.value))} aria-label="Sample item">
                {items.map((_, i) => (
                  <option key={i} value={i}>
                    {i + 1} of {items.length}
                  </option>
                ))}
              </select>
            </label>
          </>
        )}
      </p>
      <div className="mapping-columns">
        <section className="mapping-source" aria-label="Sample fields">
          <h3>Sample fields</h3>
          {item ? <SourceTree fields={tree} /> : <p className="muted small">No sample: run the flow, or paste a sample payload on the trigger.</p>}
        </section>
        <section className="mapping-targets" aria-label="Target fields">
          <h3>Target fields</h3>
          <ol className="target-list">
            {fields.map((field, i) => (
              <TargetRow
                key={i}
                index={i}
                field={field}
                problems={preview?.problems[i]}
                readOnly={readOnly}
                onChange={(next, key) => setFields(fields.map((f, j) => (j === i ? next : f)), key)}
                onDropPath={(path) => setFields(fields.map((f, j) => (j === i ? { ...f, expr: pathExpression(path) } : f)), dropKey())}
              />
            ))}
          </ol>
          {!readOnly && <NewTargetZone onDropPath={(path) => setFields([...fields, { target: path.at(-1)!, expr: pathExpression(path) }], dropKey())} />}
        </section>
      </div>
      <section className="mapping-output" aria-label="Mapped output" data-eval-ms={preview?.ms.toFixed(1)}>
        <h3>
          Output of this item
          {process.env.NODE_ENV === "development" && preview && <span className="muted small"> · evaluated in {preview.ms.toFixed(1)} ms</span>}
        </h3>
        <pre className="json-view">{preview ? JSON.stringify(preview.output, null, 2) : "…"}</pre>
      </section>
    </div>
  );
}
