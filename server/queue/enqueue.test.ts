// "Run now (live)" through the durable queue, on the server's services with real workers.
import "./testing/env";
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { events } from "../db/schema";
import { waitFor } from "../http/hooks/testing";
import { openServices } from "../services";
import type { EnqueueError } from "./enqueue";
import { queueCounts } from "./stats";

test("a manual live run is stored in the queue, run by a worker with the event binding, and deduplicated by key", async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gate-enqueue-"));
  const services = await openServices(dir, { webhooks: { workers: true } });
  t.after(async () => {
    await services.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const imported = services.flows.importFlow(
    {
      schemaVersion: 1,
      name: "manual",
      nodes: [
        { id: "in", type: "trigger.manual", config: {} },
        { id: "out", type: "map.fields", config: { keepInput: true, fields: [{ target: "event", expr: "$event.id" }] } },
      ],
      edges: [{ from: "in", to: "out" }],
    },
    { activate: false },
  );
  assert.ok(imported.ok);
  const flowId = imported.flow.id;

  const first = await services.enqueueRun({ flowId, input: [{ n: 1 }], idempotencyKey: "click-1" });
  const again = await services.enqueueRun({ flowId, input: [{ n: 1 }], idempotencyKey: "click-1" });
  assert.equal(first.duplicate, false);
  assert.deepEqual(again, { eventId: first.eventId, duplicate: true });

  const row = await waitFor(() => {
    const r = services.gdb.db.select().from(events).where(eq(events.id, first.eventId)).get();
    return r?.status === "done" ? r : undefined;
  });
  const execution = services.runner.get(row.executionId!)!;
  assert.equal(execution.status, "success");
  assert.deepEqual(execution.nodes.out?.output.main, [{ n: 1, event: first.eventId }], "the run sees $event.id");
  assert.deepEqual(queueCounts(services.gdb, flowId), { queued: 0, leased: 0, done: 1, failed: 0 });

  await assert.rejects(services.enqueueRun({ flowId, input: [{}], trigger: "out" }), (e: EnqueueError) => e.code === "BAD_REQUEST");
  await assert.rejects(services.enqueueRun({ flowId: "nope", input: [{}] }), (e: EnqueueError) => e.code === "NOT_FOUND");
});
