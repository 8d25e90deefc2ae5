import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { BenchRow } from "./table";

interface ChildResult {
  items: number;
  itemsPerSec: number;
  peakRssMb: number;
}

function runChild(items: number): ChildResult {
  const script = fileURLToPath(new URL("./streaming-child.ts", import.meta.url));
  const out = execFileSync(process.execPath, ["--import", "tsx", script, String(items)], { encoding: "utf8" });
  return JSON.parse(out.trim().split("\n").pop()!) as ChildResult;
}

/** Streaming: the same flow over 100k and 1M items; peak RSS must not grow with the item count. */
export function benchStreaming(): BenchRow[] {
  const small = runChild(100_000);
  const large = runChild(1_000_000);
  return [
    { suite: "streaming", metric: "map.fields + filter, 1M items", gate: large.itemsPerSec, unit: "items/s", better: "higher" },
    {
      suite: "streaming",
      metric: "peak RSS, 1M items (baseline: 100k items)",
      gate: large.peakRssMb,
      baseline: small.peakRssMb,
      baselineName: "100k items",
      unit: "MB",
      better: "lower",
      target: "< 300 MB, ≈1×",
    },
  ];
}
