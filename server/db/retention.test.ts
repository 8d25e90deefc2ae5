import assert from "node:assert/strict";
import { test } from "node:test";
import type { NodeRecord } from "../engine/run-record";
import type { GateDb } from "./client";
import { finishExecution, listExecutions, startExecution } from "./executions";
import { createFlow } from "./flows";
import { pruneExecutions, startMaintenance, type MaintenanceResult } from "./retention";
import { fileSize, flowDoc, tempDb } from "./testing";

const DAY = 86_400_000;
const roomy = { maxAgeDays: 30, maxCount: 1000 };

/** `count` finished executions of a flow, started `ageDays` ago, oldest first. */
function seed(gdb: GateDb, flowId: string, count: number, options: { ageDays?: number; nodes?: Record<string, NodeRecord> } = {}): string[] {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = startExecution(gdb, { flowId, flowVersion: 1, mode: "live" });
    finishExecution(gdb, id, { status: "success", startedAt: new Date().toISOString(), durationMs: 1, nodes: options.nodes ?? {} });
    // Distinct, increasing start times make "newest" unambiguous.
    const startedAt = Date.now() - (options.ageDays ?? 0) * DAY - (count - i) * 1000;
    gdb.sqlite.prepare("UPDATE executions SET started_at = ? WHERE id = ?").run(startedAt, id);
    ids.push(id);
  }
  return ids;
}

const remaining = (gdb: GateDb, flowId: string) => listExecutions(gdb, { flowId, limit: 500 }).items.map((e) => e.id);

test("retention by count keeps the newest and never deletes running executions", async (t) => {
  const gdb = tempDb(t);
  const flow = createFlow(gdb, flowDoc("Busy"));
  const ids = seed(gdb, flow.id, 10);
  const running = startExecution(gdb, { flowId: flow.id, flowVersion: 1, mode: "live" });
  gdb.sqlite.prepare("UPDATE executions SET started_at = 1 WHERE id = ?").run(running); // ancient, but still running

  const result = await pruneExecutions(gdb, { defaults: { maxAgeDays: 30, maxCount: 3 }, batchSize: 4 });
  assert.equal(result.deleted, 7, "keep the newest 3 of 10; the older, running one stays too");
  assert.deepEqual(remaining(gdb, flow.id).sort(), [...ids.slice(-3), running].sort());
  assert.equal((await pruneExecutions(gdb, { defaults: { maxAgeDays: 30, maxCount: 3 } })).deleted, 0, "idempotent");
  assert.equal(gdb.sqlite.prepare("SELECT count(*) FROM execution_nodes WHERE execution_id NOT IN (SELECT id FROM executions)").pluck().get(), 0);
});

test("retention by age, with a flow's own settings.retention overriding the defaults", async (t) => {
  const gdb = tempDb(t);
  const strict = createFlow(gdb, flowDoc("Strict", { retention: { maxAgeDays: 1 } }));
  const lenient = createFlow(gdb, flowDoc("Lenient"));
  const capped = createFlow(gdb, flowDoc("Capped", { retention: { maxCount: 2 } }));
  seed(gdb, strict.id, 3, { ageDays: 5 });
  const fresh = seed(gdb, strict.id, 2);
  const kept = seed(gdb, lenient.id, 3, { ageDays: 5 });
  const old = seed(gdb, lenient.id, 2, { ageDays: 40 });
  const newest = seed(gdb, capped.id, 4).slice(-2);

  const { deleted } = await pruneExecutions(gdb, { defaults: roomy });
  assert.equal(deleted, 3 + 2 + 2);
  assert.deepEqual(remaining(gdb, strict.id).sort(), fresh.sort(), "1 day for this flow");
  assert.deepEqual(remaining(gdb, lenient.id).sort(), kept.sort(), "the 30-day default; the 40-day-old ones went");
  assert.ok(old.every((id) => !remaining(gdb, lenient.id).includes(id)));
  assert.deepEqual(remaining(gdb, capped.id).sort(), newest.sort(), "maxCount 2 from the flow, age from the defaults");
});

test("pruning shrinks the database file on disk (db + WAL)", async (t) => {
  const gdb = tempDb(t);
  const flow = createFlow(gdb, flowDoc("Heavy"));
  const items = Array.from({ length: 20 }, (_, i) => ({ i, pad: "y".repeat(3_000) })); // ~60 KB per column
  const heavy: NodeRecord = {
    status: "success",
    durationMs: 1,
    itemsIn: 20,
    itemsOut: 20,
    batches: 1,
    input: items,
    output: { main: items },
    outputCounts: { main: 20 },
  };
  seed(gdb, flow.id, 30, { ageDays: 10, nodes: { a: heavy, b: heavy, c: heavy } });
  const size = () => fileSize(gdb.path) + fileSize(`${gdb.path}-wal`);
  const before = size();
  assert.ok(before > 8_000_000, `seeded ${before} bytes`);

  const result = await pruneExecutions(gdb, { defaults: { maxAgeDays: 1, maxCount: 1000 } });
  assert.equal(result.deleted, 30);
  assert.ok(result.vacuumedPages > 1000);
  const after = size();
  assert.ok(after < before / 10, `file went from ${before} to ${after} bytes`);
  assert.equal(fileSize(`${gdb.path}-wal`), 0, "the WAL was truncated");
});

test("maintenance recovers and prunes right away, then on its timer, and reports instead of logging", async (t) => {
  const gdb = tempDb(t);
  const flow = createFlow(gdb, flowDoc("Kept tidy"));
  seed(gdb, flow.id, 5, { ageDays: 100 });
  const lost = startExecution(gdb, { flowId: flow.id, flowVersion: 1, mode: "live" });
  gdb.sqlite.prepare("UPDATE executions SET heartbeat_at = heartbeat_at - 600000 WHERE id = ?").run(lost);

  let maintenance: ReturnType<typeof startMaintenance> | undefined;
  const first = new Promise((onRun, onError) => {
    maintenance = startMaintenance(gdb, { intervalMs: 60_000, defaults: roomy, staleAfterMs: 60_000, onRun, onError });
  });
  t.after(() => maintenance?.stop());
  // The maintenance timer is unref'd (it must never keep Gate alive on its own): while the test
  // waits for its first pass, something has to keep the event loop running, or node:test sees an
  // empty loop and cancels the test.
  const alive = setInterval(() => {}, 1_000);
  const firstPass = (await first.finally(() => clearInterval(alive))) as MaintenanceResult;
  assert.equal(firstPass.recovered, 1);
  assert.equal(firstPass.deleted, 5);
  assert.deepEqual(await maintenance!.runNow(), { recovered: 0, deleted: 0, vacuumedPages: 0 });
});
