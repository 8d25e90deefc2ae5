// Runs that do not end on their own: a node that ignores cancellation past the time limit, and runs
// cut off by a crash. Neither may stay `running`; both are reported (failed, dead-lettered, logged).
import "./testing/env";
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { defineNode, silentLogger, z } from "../../nodes/sdk";
import { openDatabase } from "../db/client";
import { getExecution, INTERRUPTED_ERROR, startExecution } from "../db/executions";
import { createFlow } from "../db/flows";
import { startMaintenance, type MaintenanceResult } from "../db/retention";
import { events, executions } from "../db/schema";
import { flowDoc } from "../db/testing";
import { DeadLetters } from "../dlq/service";
import { loadDefaultRegistry } from "../engine/registry";
import { ExecutionRunner, type FinishedExecution } from "../engine/runner";
import { waitFor } from "../http/hooks/testing";
import { EventStore } from "./store";
import { QueueWorkers } from "./workers";

/** A node stuck in a call that never returns and never looks at its abort signal. */
const hang = defineNode({
  type: "test.hangForever",
  version: 1,
  category: "transform",
  title: "Hang",
  description: "never returns, ignores cancellation",
  config: z.object({}),
  run: () => new Promise(() => undefined),
});

function tempDir(t: { after(fn: () => void): void }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gate-stuck-"));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe("stuck and interrupted executions", () => {
  test("a queued run stuck past its time limit is recorded failed/TIMEOUT, its event failed and dead-lettered", async (t) => {
    const registry = await loadDefaultRegistry();
    if (!registry.get(hang.type)) registry.register(hang, "test");
    const gdb = openDatabase(tempDir(t));
    t.after(() => gdb.close());
    const flow = createFlow(
      gdb,
      {
        schemaVersion: 1,
        name: "stuck",
        nodes: [
          { id: "in", type: "trigger.webhook", config: { path: "stuck" } },
          { id: "hang", type: hang.type, config: {} },
        ],
        edges: [{ from: "in", to: "hang" }],
        settings: { timeoutMs: 200 },
      },
      { active: true },
    );
    const runner = new ExecutionRunner(gdb, registry, { stuckGraceMs: 300 });
    const heard: FinishedExecution[] = [];
    runner.onFinished.push((f) => heard.push(f));
    const letters = new DeadLetters(gdb, runner, { log: { info: () => undefined, error: () => undefined }, sweepMs: 0 });
    runner.onFinished.push(letters.onExecutionFinished);
    const store = new EventStore(gdb);
    const workers = new QueueWorkers(store, runner, { pollMs: 20, log: silentLogger });
    workers.start();
    t.after(() => workers.stop(0));

    const started = Date.now();
    const { eventId } = await store.accept({ flowId: flow.id, flowVersion: 1, triggerNodeId: "in", payload: '{"n":1}', request: "null" });
    workers.notify();
    const failed = await waitFor(() => {
      const row = gdb.db.select().from(events).where(eq(events.id, eventId)).get();
      return row?.status === "failed" ? row : undefined;
    });
    const took = Date.now() - started;
    assert.ok(took >= 500 && took < 3_000, `given up after the limit plus the grace (${took} ms)`);
    assert.match(failed.error ?? "", /TIMEOUT/);
    const execution = getExecution(gdb, failed.executionId!)!;
    assert.equal(execution.status, "failed");
    assert.equal(execution.error?.code, "TIMEOUT");
    assert.equal(runner.activeCount, 0, "the runner no longer counts it (its heartbeat stopped)");
    assert.equal(heard.length, 1, "listeners (alerts) heard of it");
    const letter = letters.list({ limit: 10 }).items[0];
    assert.equal(letter?.eventId, eventId);
    assert.equal(letter?.error.code, "TIMEOUT");
  });

  test("a run cut off by a crash is failed INTERRUPTED once its heartbeat is stale, without waiting for the next full pass", async (t) => {
    const gdb = openDatabase(tempDir(t));
    t.after(() => gdb.close());
    const flow = createFlow(gdb, flowDoc("interrupted"));
    // The killed process's last heartbeat was just now, so the pass at start leaves the run alone.
    const id = startExecution(gdb, { flowId: flow.id, flowVersion: 1, mode: "live", triggerPayload: { n: 1 } });
    const passes: MaintenanceResult[] = [];
    const maintenance = startMaintenance(gdb, {
      intervalMs: 3_600_000,
      staleAfterMs: 1_000,
      defaults: { maxAgeDays: 30, maxCount: 1_000 },
      onRun: (r) => passes.push(r),
    });
    t.after(() => maintenance.stop());
    await waitFor(() => passes.length >= 1 || undefined);
    assert.equal(passes[0]!.recovered, 0);
    assert.equal(gdb.db.select().from(executions).where(eq(executions.id, id)).get()?.status, "running");
    const recovered = await waitFor(() => passes.find((p) => p.recovered === 1), 5_000);
    assert.equal(recovered.recovered, 1);
    const row = getExecution(gdb, id)!;
    assert.equal(row.status, "failed");
    assert.deepEqual(row.error, INTERRUPTED_ERROR);
  });
});
