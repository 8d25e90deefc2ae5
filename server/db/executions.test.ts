import assert from "node:assert/strict";
import { test } from "node:test";
import type { NodeRecord, RunRecord } from "../engine/run-record";
import { SAMPLE_SIZE } from "../engine/run-record";
import { StoreError } from "./errors";
import {
  INTERRUPTED_ERROR,
  finishExecution,
  getExecution,
  heartbeat,
  isCancelRequested,
  listExecutions,
  recoverInterrupted,
  requestCancel,
  startExecution,
} from "./executions";
import { createFlow, deleteFlow } from "./flows";
import { JSON_CAP_BYTES } from "./json";
import { flowDoc, tempDb } from "./testing";

const node = (over: Partial<NodeRecord> = {}): NodeRecord => ({
  status: "success",
  durationMs: 0.25,
  itemsIn: 1,
  itemsOut: 1,
  batches: 1,
  input: [{ a: 1 }],
  output: { main: [{ a: 1, b: "x" }] },
  outputCounts: { main: 1 },
  ...over,
});

const record = (nodes: Record<string, NodeRecord>, over: Partial<RunRecord> = {}): RunRecord => ({
  status: "success",
  startedAt: new Date().toISOString(),
  durationMs: 12.5,
  nodes,
  ...over,
});

/** `n` items of about `size` bytes of JSON each, numbered so that order can be checked. */
const bulky = (n: number, size: number) => Array.from({ length: n }, (_, i) => ({ i, pad: "x".repeat(size) }));

test("executions: start, finish and read back", (t) => {
  const gdb = tempDb(t);
  const flow = createFlow(gdb, flowDoc("Runs"));
  const id = startExecution(gdb, { flowId: flow.id, flowVersion: 1, mode: "live", triggerPayload: [{ hello: "world" }] });
  const running = getExecution(gdb, id)!;
  assert.equal(running.status, "running");
  assert.equal(running.heartbeatAt, running.startedAt);
  assert.deepEqual(running.nodes, {});

  const nodes = {
    in: node({ retries: 2 }),
    map: node({ status: "failed", output: {}, outputCounts: {}, error: { message: "boom", code: "E_MAP", node: "map", attempt: 2 } }),
    out: node({ status: "skipped", itemsIn: 0, itemsOut: 0, batches: 0, input: [], output: {}, outputCounts: {} }),
  };
  const error = { message: "boom", code: "E_MAP", node: "map" };
  assert.equal(finishExecution(gdb, id, record(nodes, { status: "failed", error })), true);
  const done = getExecution(gdb, id)!;
  assert.equal(done.status, "failed");
  assert.deepEqual(done.error, error);
  assert.equal(done.flowName, "Runs");
  assert.equal(done.durationMs, 13);
  assert.ok(done.finishedAt !== null && done.finishedAt >= done.startedAt);
  assert.deepEqual(done.triggerPayload, [{ hello: "world" }]);
  assert.deepEqual(done.nodes, nodes, "per-node records round-trip exactly");
  assert.deepEqual(Object.keys(done.nodes), ["in", "map", "out"], "in run-record order");

  // Finishing again replaces the node rows instead of failing on the primary key.
  assert.equal(finishExecution(gdb, id, record({ in: node() })), true);
  assert.deepEqual(Object.keys(getExecution(gdb, id)!.nodes), ["in"]);
  assert.equal(getExecution(gdb, "missing"), undefined);
});

test("executions: samples are capped at 64 KiB per column with a truncation note; payloads get a marker", (t) => {
  const gdb = tempDb(t);
  const flow = createFlow(gdb, flowDoc("Big"));
  const big = bulky(SAMPLE_SIZE, 10_000); // 20 × ~10 KB: ~200 KB per column before the cap
  const id = startExecution(gdb, { flowId: flow.id, flowVersion: 1, mode: "live", triggerPayload: big });
  const nodes = {
    huge: node({
      itemsIn: 500,
      itemsOut: 501,
      input: big,
      output: { main: big, error: [{ error: { message: "bad row" } }] },
      outputCounts: { main: 500, error: 1 },
    }),
    small: node(),
  };
  finishExecution(gdb, id, record(nodes));

  const columns = gdb.sqlite
    .prepare("SELECT input_sample AS input, output_sample AS output, sample_truncated AS note FROM execution_nodes WHERE node_id = 'huge'")
    .get() as { input: string; output: string; note: string };
  assert.ok(Buffer.byteLength(columns.input) <= JSON_CAP_BYTES, `input column is ${columns.input.length} bytes`);
  assert.ok(Buffer.byteLength(columns.output) <= JSON_CAP_BYTES, `output column is ${columns.output.length} bytes`);
  assert.ok(Buffer.byteLength(columns.input) > JSON_CAP_BYTES - 10_100, "the cap is used, not wasted");

  const stored = getExecution(gdb, id)!;
  const huge = stored.nodes.huge!;
  const kept = huge.input.length;
  assert.equal(kept, 6, "six ~10 KB items fit in 64 KiB");
  assert.deepEqual(huge.input, big.slice(0, kept), "the first items are kept, in order");
  assert.equal(huge.output.main!.length + huge.truncated!.output!.main!, SAMPLE_SIZE);
  assert.deepEqual(huge.output.error, [{ error: { message: "bad row" } }], "a small port is not crowded out by a bulky one");
  assert.deepEqual(huge.truncated, { input: SAMPLE_SIZE - kept, output: { main: SAMPLE_SIZE - huge.output.main!.length } });
  assert.deepEqual(huge.outputCounts, { main: 500, error: 1 }, "counts stay exact");
  assert.equal(stored.nodes.small!.truncated, undefined);
  assert.deepEqual(stored.nodes.small, nodes.small);

  const payload = stored.triggerPayload as { truncated: boolean; bytes: number };
  assert.deepEqual(payload, { truncated: true, bytes: Buffer.byteLength(JSON.stringify(big)) });

  // One item bigger than the whole cap: nothing fits, and the note says so.
  const id2 = startExecution(gdb, { flowId: flow.id, flowVersion: 1, mode: "test" });
  finishExecution(gdb, id2, record({ one: node({ input: bulky(1, 70_000), output: { main: [] } }) }));
  const one = getExecution(gdb, id2)!.nodes.one!;
  assert.deepEqual(one.input, []);
  assert.deepEqual(one.truncated, { input: 1 });
  assert.equal(getExecution(gdb, id2)!.triggerPayload, undefined);
});

test("executions: newest first with keyset pagination, per flow or all", (t) => {
  const gdb = tempDb(t);
  const a = createFlow(gdb, flowDoc("A"));
  const b = createFlow(gdb, flowDoc("B"));
  const ids = Array.from({ length: 7 }, (_, i) => startExecution(gdb, { flowId: i % 2 ? b.id : a.id, flowVersion: 1, mode: "live" }));
  // Several share a millisecond: spread a few apart, leave others tied so the id tiebreak is exercised.
  gdb.sqlite.prepare("UPDATE executions SET started_at = started_at + ? WHERE id = ?").run(5, ids[6]);
  gdb.sqlite.prepare("UPDATE executions SET started_at = started_at - ? WHERE id = ?").run(5, ids[0]);

  const seen: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = listExecutions(gdb, { limit: 3, before: cursor });
    seen.push(...page.items.map((e) => e.id));
    cursor = page.nextCursor;
    pages++;
  } while (cursor);
  assert.equal(pages, 3);
  assert.equal(new Set(seen).size, 7, "no duplicates, nothing missed");
  assert.equal(seen[0], ids[6]);
  assert.equal(seen.at(-1), ids[0]);

  const ofB = listExecutions(gdb, { flowId: b.id, limit: 10 });
  assert.equal(ofB.items.length, 3);
  assert.ok(ofB.items.every((e) => e.flowName === "B" && e.status === "running" && e.error === undefined));
  assert.equal(ofB.nextCursor, undefined);
  assert.throws(() => listExecutions(gdb, { limit: 3, before: "garbage" }), (e: unknown) => e instanceof StoreError && e.code === "BAD_CURSOR");
});

test("executions: heartbeat, cancel requests and recovery after a crash", (t) => {
  const gdb = tempDb(t);
  const flow = createFlow(gdb, flowDoc("Live"));
  const alive = startExecution(gdb, { flowId: flow.id, flowVersion: 1, mode: "live" });
  const lost = startExecution(gdb, { flowId: flow.id, flowVersion: 1, mode: "live" });
  const finished = startExecution(gdb, { flowId: flow.id, flowVersion: 1, mode: "live" });
  finishExecution(gdb, finished, record({}));
  // The lost one's process died a minute ago; the alive one's worker keeps beating.
  gdb.sqlite.prepare("UPDATE executions SET heartbeat_at = heartbeat_at - 60000, started_at = started_at - 60000 WHERE id IN (?, ?, ?)").run(alive, lost, finished);
  heartbeat(gdb, [alive, finished]);
  assert.equal(getExecution(gdb, finished)!.heartbeatAt, getExecution(gdb, finished)!.startedAt, "a finished run is not touched");

  assert.equal(requestCancel(gdb, alive), true);
  assert.equal(isCancelRequested(gdb, alive), true);
  assert.equal(isCancelRequested(gdb, lost), false);
  assert.equal(requestCancel(gdb, finished), false, "only a running execution can be cancelled");
  assert.equal(requestCancel(gdb, "missing"), false);

  assert.equal(recoverInterrupted(gdb, { staleAfterMs: 30_000 }), 1);
  const recovered = getExecution(gdb, lost)!;
  assert.equal(recovered.status, "failed");
  assert.deepEqual(recovered.error, INTERRUPTED_ERROR);
  assert.ok(recovered.durationMs !== null && recovered.durationMs >= 60_000);
  assert.equal(getExecution(gdb, alive)!.status, "running");
  assert.equal(recoverInterrupted(gdb, { staleAfterMs: 30_000 }), 0, "nothing left to recover");
  assert.equal(requestCancel(gdb, lost), false);

  // A run whose flow was deleted meanwhile finishes quietly.
  deleteFlow(gdb, flow.id);
  assert.equal(finishExecution(gdb, alive, record({ in: node() })), false);
});
