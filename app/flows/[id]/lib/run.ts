/** Test runs from the editor: the document as it stands (saved or not), dry by default. */
import { api } from "../../../lib/trpc";
import { describeError } from "../../../lib/errors";
import type { Item } from "../../../lib/types";
import { currentDoc, useEditor } from "../store";

export function parseSample(text: string): { items: Item[] } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { error: `The sample payload is not valid JSON: ${(error as Error).message}` };
  }
  const list = Array.isArray(value) ? value : [value];
  if (!list.every((v) => typeof v === "object" && v !== null && !Array.isArray(v)))
    return { error: "The sample payload must be a JSON object (one item) or an array of objects (several items)." };
  return { items: list as Item[] };
}

/** Run the flow on the sample payload, or from one node on what reached it last time. */
export async function runTest(startAt?: string): Promise<void> {
  const s = useEditor.getState();
  const sample = parseSample(s.sample);
  let input: Item[];
  if (startAt && s.run?.nodes[startAt]) input = s.run.nodes[startAt].input;
  else if ("error" in sample) {
    s.notify({ kind: "error", text: sample.error });
    return;
  } else input = sample.items;
  s.setRun(s.run, true);
  try {
    const record = await api.runs.test.mutate({ doc: currentDoc(), input, startAt });
    // A run from one node keeps what the last full run showed upstream of it.
    const merged = startAt && s.run ? { ...record, nodes: { ...s.run.nodes, ...record.nodes } } : record;
    useEditor.getState().setRun(merged, false);
    useEditor.getState().notify(
      record.status === "success"
        ? { kind: "info", text: `Test run finished in ${Math.round(record.durationMs)} ms (nothing was changed outside Gate: writes are only shown).` }
        : { kind: "error", text: `Test run ${record.status}: ${record.error?.node ? `${record.error.node}: ` : ""}${record.error?.message ?? ""}` },
    );
  } catch (error) {
    const failure = describeError(error);
    useEditor.getState().setRun(s.run, false);
    useEditor.getState().notify({
      kind: "error",
      text: failure.problems.length ? `Cannot run: ${failure.problems.length} problem(s) in the flow — see the marked nodes.` : `Cannot run: ${failure.message}`,
    });
  }
}

/** Dotted field paths in sample items, for expression completion. */
export function fieldPaths(items: readonly Item[], limit = 200): string[] {
  const out = new Set<string>();
  const walk = (value: unknown, prefix: string, depth: number) => {
    if (out.size >= limit || depth > 4 || typeof value !== "object" || value === null || Array.isArray(value)) return;
    for (const [key, child] of Object.entries(value)) {
      const path = prefix ? `${prefix}.${key}` : key;
      out.add(path);
      walk(child, path, depth + 1);
    }
  };
  for (const item of items.slice(0, 20)) walk(item, "", 0);
  return [...out];
}
