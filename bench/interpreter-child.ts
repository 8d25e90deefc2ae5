/**
 * Measures one side of the interpreter benchmark in its own process and prints one JSON line:
 * `{"runsPerSec": …}`, the median of several short rounds after a warm-up.
 *
 * Why a process per side: V8 decides per allocation site whether to allocate straight into the old
 * generation ("pretenuring"), from how many objects survived recent scavenges. Sharing a heap with
 * Gate's runs, the hand-written loop's sites were seen to flip to old-space allocation, which made
 * the baseline up to 10× slower and the ratio flattering. Separate heaps keep each side honest.
 */
import { workload } from "./interpreter-work";

const side = process.argv[2] === "hand" ? "hand" : "gate";
const rounds = Number(process.argv[3] ?? 5);
const roundMs = Number(process.argv[4] ?? 500);

async function runsPerSec(ms: number, fn: () => unknown): Promise<number> {
  const start = performance.now();
  const end = start + ms;
  let runs = 0;
  while (performance.now() < end) {
    await fn();
    runs++;
  }
  return runs / ((performance.now() - start) / 1000);
}

const fn = await workload(side);
await runsPerSec(1500, fn);
const measured: number[] = [];
for (let i = 0; i < rounds; i++) measured.push(await runsPerSec(roundMs, fn));
measured.sort((a, b) => a - b);
process.stdout.write(`${JSON.stringify({ side, runsPerSec: measured[measured.length >> 1] })}\n`);
