import type { Problem } from "../engine/flow/validate";
import type { RunRecord } from "../engine/run-record";

export function printProblems(file: string, problems: Problem[]) {
  for (const p of problems) process.stderr.write(`${file}: ${p.path}: ${p.message}\n`);
  process.stderr.write(`${problems.length} problem${problems.length === 1 ? "" : "s"}\n`);
}

/** The `--json` shape documented for `gate run`. */
export function runJson(record: RunRecord) {
  return {
    status: record.status === "success" ? "success" : "failed",
    ...(record.error ? { error: record.error } : {}),
    ...(record.response ? { response: record.response } : {}),
    nodes: Object.fromEntries(
      Object.entries(record.nodes).map(([id, n]) => [
        id,
        {
          status: n.status,
          durationMs: n.durationMs,
          itemsIn: n.itemsIn,
          itemsOut: n.itemsOut,
          output: n.output,
          ...(n.error ? { error: n.error } : {}),
        },
      ]),
    ),
  };
}

/** A table a person can read at a glance, then the items that came out at the end. */
export function runText(record: RunRecord, leaves: string[]): string {
  const rows = Object.entries(record.nodes).map(([id, n]) => [
    id,
    n.status,
    `${n.itemsIn} → ${n.itemsOut}`,
    `${n.durationMs.toFixed(1)} ms`,
    n.error ? `${n.error.code}: ${n.error.message}` : "",
  ]);
  const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((r) => r[c]!.length), 4));
  const lines = rows.map((r) => r.map((cell, c) => (c < 4 ? cell.padEnd(widths[c]!) : cell)).join("  ").trimEnd());
  const head = record.status === "success" ? `✔ success in ${record.durationMs.toFixed(1)} ms` : `✖ ${record.status}: ${record.error?.message ?? ""}`;
  const out = [head, ...lines.map((l) => `  ${l}`)];
  for (const id of leaves) {
    const items = record.nodes[id]?.output.main;
    if (items?.length) out.push(`\n${id} → main (${record.nodes[id]!.outputCounts.main ?? items.length} item${(record.nodes[id]!.outputCounts.main ?? 0) === 1 ? "" : "s"}):`, JSON.stringify(items.slice(0, 5), null, 2));
  }
  if (record.response) out.push(`\nresponse ${record.response.status}:`, JSON.stringify(record.response.body, null, 2));
  return `${out.join("\n")}\n`;
}
