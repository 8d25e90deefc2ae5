import "../http/hooks/ephemeral-env";
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { defineNode, silentLogger, z } from "../../nodes/sdk";
import { openDatabase, type GateDb } from "../db/client";
import { createFlow } from "../db/flows";
import { events } from "../db/schema";
import { flowDoc } from "../db/testing";
import { loadDefaultRegistry } from "../engine/registry";
import { ExecutionRunner } from "../engine/runner";
import { waitFor } from "../http/hooks/testing";
import { EventStore, type NewEvent } from "./store";
import { QueueWorkers } from "./workers";

function tempDir(t: { after(fn: () => void): void }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gate-queue-"));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function event(flowId: string, extra: Partial<NewEvent> = {}): NewEvent {
  return { flowId, flowVersion: 1, triggerNodeId: "in", payload: JSON.stringify({ n: 1 }), request: JSON.stringify({ method: "POST", path: "q", query: {}, headers: {} }), ...extra };
}

const rows = (gdb: GateDb) => gdb.db.select().from(events).all();

const sleep = defineNode({
  type: "test.queueSleep",
  version: 1,
  category: "transform",
  title: "Sleep",
  description: "waits until aborted or done",
  config: z.object({ ms: z.number() }),
  run: async ({ items, config, ctx }) => {
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, config.ms);
      ctx.signal.addEventListener("abort", () => (clearTimeout(timer), resolve(undefined)));
    });
    ctx.signal.throwIfAborted();
    return { main: items };
  },
});

describe("event queue", () => {
  test("concurrent accepts share commits and are all stored; a repeated idempotency key returns the first id", async (t) => {
    const gdb = openDatabase(tempDir(t));
    t.after(() => gdb.close());
    const flow = createFlow(gdb, flowDoc("q", { webhook: "q" }));
    const store = new EventStore(gdb);
    const accepted = await Promise.all(Array.from({ length: 200 }, (_, i) => store.accept(event(flow.id, { idempotencyKey: `k${i % 150}` }))));
    assert.equal(rows(gdb).length, 150);
    assert.equal(accepted.filter((a) => a.duplicate).length, 50);
    for (let i = 150; i < 200; i++) assert.equal(accepted[i]!.eventId, accepted[i - 150]!.eventId);
    // The acceptance commit ran with synchronous=FULL; the connection is back to NORMAL for everything else.
    assert.equal(gdb.sqlite.pragma("synchronous", { simple: true }), 1);
    // An event for a flow deleted meanwhile fails alone, not its whole commit.
    const results = await Promise.allSettled([store.accept(event("no-such-flow")), store.accept(event(flow.id))]);
    assert.equal(results[0].status, "rejected");
    assert.equal(results[1].status, "fulfilled");
  });

  test("crash and resume: a lease left behind by a dead process expires and the event runs after reopening", async (t) => {
    const dir = tempDir(t);
    const registry = await loadDefaultRegistry();
    let gdb = openDatabase(dir);
    const flow = createFlow(gdb, flowDoc("crashy", { webhook: "crashy" }), { active: true });
    const store = new EventStore(gdb);
    const { eventId } = await store.accept(event(flow.id));
    // A worker leased it and then the process died (kill -9): no finish, no release.
    const [leased] = store.lease(4, 300);
    assert.equal(leased?.id, eventId);
    gdb.sqlite.close();

    gdb = openDatabase(dir);
    t.after(() => gdb.close());
    const runner = new ExecutionRunner(gdb, registry);
    const workers = new QueueWorkers(new EventStore(gdb), runner, { pollMs: 50, log: silentLogger });
    t.after(() => workers.stop(0));
    workers.start();
    // Not before the lease expires: nobody runs it twice at once.
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(gdb.db.select().from(events).where(eq(events.id, eventId)).get()?.status, "leased");
    const done = await waitFor(() => {
      const row = gdb.db.select().from(events).where(eq(events.id, eventId)).get();
      return row?.status === "done" ? row : undefined;
    });
    assert.equal(done.attempts, 2);
    assert.ok(done.executionId);
  });

  test("an event whose every run died with the process is given up after maxAttempts", async (t) => {
    const gdb = openDatabase(tempDir(t));
    t.after(() => gdb.close());
    const flow = createFlow(gdb, flowDoc("poison", { webhook: "poison" }), { active: true });
    const store = new EventStore(gdb);
    const { eventId } = await store.accept(event(flow.id));
    for (let i = 0; i < 3; i++) store.lease(1, -1);
    const workers = new QueueWorkers(store, new ExecutionRunner(gdb, await loadDefaultRegistry()), { maxAttempts: 3, pollMs: 20, log: silentLogger });
    workers.start();
    t.after(() => workers.stop(0));
    const failed = await waitFor(() => rows(gdb).find((r) => r.id === eventId && r.status === "failed"));
    assert.match(failed.error!, /GAVE_UP/);
  });

  test("graceful stop: running events get a grace period, then go back to the queue", async (t) => {
    const registry = await loadDefaultRegistry();
    if (!registry.get(sleep.type)) registry.register(sleep, "test");
    const gdb = openDatabase(tempDir(t));
    t.after(() => gdb.close());
    const doc = {
      schemaVersion: 1 as const,
      name: "slowq",
      nodes: [
        { id: "in", type: "trigger.webhook", config: { path: "slowq" } },
        { id: "wait", type: sleep.type, config: { ms: 5000 } },
      ],
      edges: [{ from: "in", to: "wait" }],
    };
    const flow = createFlow(gdb, doc, { active: true });
    const store = new EventStore(gdb);
    const workers = new QueueWorkers(store, new ExecutionRunner(gdb, registry), { pollMs: 20, log: silentLogger });
    workers.start();
    const { eventId } = await store.accept(event(flow.id));
    workers.notify();
    await waitFor(() => workers.active === 1 || undefined);
    const started = Date.now();
    await workers.stop(100);
    assert.ok(Date.now() - started < 2000);
    const row = rows(gdb).find((r) => r.id === eventId)!;
    assert.deepEqual([row.status, row.leaseUntil, row.attempts], ["queued", null, 0]);
  });
});
