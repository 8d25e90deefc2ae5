/** One row of the benchmark table: a measurement, its baseline from the same run, and their ratio. */
export interface BenchRow {
  suite: string;
  metric: string;
  gate: number;
  baseline?: number;
  baselineName?: string;
  unit: string;
  /** Higher is better (throughput) or lower is better (latency, memory). */
  better: "higher" | "lower";
  target?: string;
}

function fmt(n: number): string {
  if (n >= 100) return Math.round(n).toLocaleString("en-US");
  if (n >= 1) return n.toFixed(2);
  return n.toPrecision(3);
}

export function printTable(rows: BenchRow[]): string {
  const header = ["suite", "metric", "Gate", "baseline", "ratio", "target"];
  const body = rows.map((r) => [
    r.suite,
    r.metric,
    `${fmt(r.gate)} ${r.unit}`,
    r.baseline === undefined ? "—" : `${fmt(r.baseline)} ${r.unit} (${r.baselineName ?? "baseline"})`,
    r.baseline === undefined ? "—" : `${(r.better === "higher" ? r.gate / r.baseline : r.baseline / r.gate).toFixed(2)}×`,
    r.target ?? "",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...body.map(line)].join("\n");
}
