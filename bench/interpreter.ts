/**
 * Interpreter overhead: a 6-node flow run without persistence, against a hand-written function
 * doing the same work on the same items (see interpreter-work.ts). The outputs are checked equal
 * here; each side is then timed in its own process (see interpreter-child.ts). The two processes
 * run at the same time, so that whatever else loads the machine weighs on both alike; the median of
 * a few such turns is reported per side.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual, promisify } from "node:util";
import { compileExpression } from "../nodes/sdk";
import type { RunRecord } from "../server/engine/run-record";
import { BATCH, flowDoc, handWritten, makeItems, workload } from "./interpreter-work";
import type { BenchRow } from "./table";

const TURNS = 5;

async function measure(side: "gate" | "hand"): Promise<number> {
  const script = fileURLToPath(new URL("./interpreter-child.ts", import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, ["--no-node-snapshot", "--import", "tsx", script, side], { encoding: "utf8" });
  return (JSON.parse(stdout.trim().split("\n").pop()!) as { runsPerSec: number }).runsPerSec;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Both sides must produce the same response before their speeds mean anything. */
async function checkSameOutput(): Promise<void> {
  const runOnce = await workload("gate");
  const record = (await runOnce()) as RunRecord;
  const expected = handWritten(makeItems(BATCH)).body as unknown[];
  if (record.status !== "success" || !isDeepStrictEqual(record.response?.body, expected))
    throw new Error(`benchmark flow misbehaves: ${record.status}, ${record.nodes.out?.itemsIn} items vs ${expected.length} written by hand`);
}

export async function benchInterpreter(): Promise<BenchRow[]> {
  await checkSameOutput();
  const sources = flowDoc.nodes.flatMap((n) => {
    const config = n.config as { fields?: { expr: string }[]; condition?: string };
    return [...(config.fields ?? []).map((f) => f.expr), ...(config.condition ? [config.condition] : [])];
  });
  const fastExprs = sources.every((source) => compileExpression(source).fast);
  const gateTurns: number[] = [];
  const handTurns: number[] = [];
  for (let turn = 0; turn < TURNS; turn++) {
    const [gate, hand] = await Promise.all([measure("gate"), measure("hand")]);
    gateTurns.push(gate);
    handTurns.push(hand);
  }
  const gate = median(gateTurns);
  const hand = median(handTurns);
  const perItemGateUs = 1e6 / (gate * BATCH);
  const perItemHandUs = 1e6 / (hand * BATCH);
  const perNodeOverheadUs = (perItemGateUs - perItemHandUs) / 6;
  return [
    {
      suite: "interpreter",
      metric: `6-node flow, batch of ${BATCH}${fastExprs ? "" : " (jsonata library: fast path off)"}`,
      gate,
      baseline: hand,
      baselineName: "hand-written JS",
      unit: "runs/s",
      better: "higher",
      target: "≥ 0.25×",
    },
    { suite: "interpreter", metric: "overhead per node per item", gate: perNodeOverheadUs, unit: "µs", better: "lower", target: "< 5 µs" },
  ];
}
