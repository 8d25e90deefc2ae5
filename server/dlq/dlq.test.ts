// The dead-letter queue on the real server (in-process, no UI) with a real sink over HTTP: what a
// failed event leaves behind, the ways to replay it, editing, discarding, the sweep and retention.
import "../queue/testing/env";
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { eq } from "drizzle-orm";
import { startMaintenance } from "../db/retention";
import { deadLetters, events } from "../db/schema";
import { startGate, waitFor, type TestGate } from "../http/hooks/testing";
import { sinkFlow } from "../queue/testing/flows";
import { Sink } from "../queue/testing/sink";
import { appRouter } from "../api/root";
import type { DlqError } from "./replay";
import { getDeadLetter, sweepFailedEvents } from "./store";

async function setup(t: { after(fn: () => unknown): void }, path: string, options: { errorPort?: boolean } = {}) {
  const sink = await Sink.start();
  t.after(() => sink.close());
  const gate = await startGate(t as never);
  const flowId = gate.flow(sinkFlow(`dlq ${path}`, { path, sinkUrl: sink.url, ...options }));
  return { sink, gate, flowId };
}

async function send(gate: TestGate, path: string, body: unknown): Promise<string> {
  const res = await gate.hook(path, { body: JSON.stringify(body), headers: { "content-type": "application/json" } });
  assert.equal(res.status, 202);
  return ((await res.json()) as { eventId: string }).eventId;
}

/** Send while the sink answers 503 and wait until the event is dead-lettered. */
async function deadLetter(gate: TestGate, path: string, body: unknown) {
  const eventId = await send(gate, path, body);
  const letters = gate.services.deadLetters;
  return waitFor(() => letters.list({ limit: 100 }).items.find((l) => l.eventId === eventId));
}

const statusOf = (gate: TestGate, eventId: string) => gate.services.gdb.db.select().from(events).where(eq(events.id, eventId)).get()?.status;

describe("dead letters", () => {
  test("a failed event becomes a dead letter with its payload, failing node, error and the node's input", async (t) => {
    const { sink, gate, flowId } = await setup(t, "dlq/basic");
    sink.mode = "503";
    const letter = await deadLetter(gate, "dlq/basic", { order: 1 });
    assert.equal(letter.flowId, flowId);
    assert.equal(letter.failedNode, "out");
    assert.equal(letter.error.code, "HTTP_503");
    assert.equal(letter.error.attempt, 2, "the flow's retries ran first");
    assert.equal(sink.refused, 2);
    assert.equal(letter.status, "open");
    assert.equal(letter.replayableFromNode, true);
    const full = gate.services.deadLetters.get(letter.id);
    assert.deepEqual(full.payload, { order: 1 });
    assert.deepEqual(full.failedInput, [{ order: 1, tag: "v1" }]);
    assert.equal((full.request as { path: string }).path, "dlq/basic");
    await waitFor(() => statusOf(gate, letter.eventId) === "failed");
  });

  test("a failure caught by a connected error port is no dead letter", async (t) => {
    const { sink, gate } = await setup(t, "dlq/fallback", { errorPort: true });
    sink.mode = "503";
    const eventId = await send(gate, "dlq/fallback", { order: 2 });
    await waitFor(() => statusOf(gate, eventId) === "done");
    assert.deepEqual(gate.services.deadLetters.list({ limit: 10 }).items, []);
  });

  test("replay from the trigger delivers once, closes the letter and marks the event done", async (t) => {
    const { sink, gate } = await setup(t, "dlq/trigger");
    sink.mode = "503";
    const letter = await deadLetter(gate, "dlq/trigger", { order: 3 });
    sink.mode = "up";
    const result = await gate.services.deadLetters.replay(letter.id, { from: "trigger", version: "recorded" });
    assert.equal(result.status, "success");
    assert.equal(sink.appliedWhere("order", 3).length, 1);
    const after = gate.services.deadLetters.get(letter.id);
    assert.equal(after.status, "replayed");
    assert.equal(after.replayExecutionId, result.executionId);
    assert.equal(statusOf(gate, letter.eventId), "done");
    await assert.rejects(gate.services.deadLetters.replay(letter.id, { from: "trigger", version: "recorded" }), (e: DlqError) => e.code === "CONFLICT");
  });

  test("replay from the failed node starts there with the recorded input; the steps before it do not run", async (t) => {
    const { sink, gate, flowId } = await setup(t, "dlq/node");
    sink.mode = "503";
    const letter = await deadLetter(gate, "dlq/node", { order: 4 });
    // A new version tags differently: a replay from `out` on the recorded input keeps the old tag.
    const saved = gate.services.flows.save(flowId, sinkFlow(`dlq dlq/node`, { path: "dlq/node", sinkUrl: sink.url, tag: "v2" }));
    assert.deepEqual(saved.problems, []);
    sink.mode = "up";
    const result = await gate.services.deadLetters.replay(letter.id, { from: "failedNode", version: "current" });
    assert.equal(result.status, "success", JSON.stringify(result.error));
    const execution = gate.services.runner.get(result.executionId)!;
    assert.equal(execution.flowVersion, 2);
    assert.equal(execution.nodes.tag?.status, "skipped");
    assert.equal(execution.nodes.out?.status, "success");
    assert.deepEqual(sink.appliedWhere("order", 4).map((a) => a.body), [{ order: 4, tag: "v1" }]);
  });

  test("replay on the recorded or the current version", async (t) => {
    const { sink, gate, flowId } = await setup(t, "dlq/version");
    sink.mode = "503";
    const first = await deadLetter(gate, "dlq/version", { order: 5 });
    const second = await deadLetter(gate, "dlq/version", { order: 6 });
    assert.deepEqual(gate.services.flows.save(flowId, sinkFlow(`dlq dlq/version`, { path: "dlq/version", sinkUrl: sink.url, tag: "v2" })).problems, []);
    sink.mode = "up";
    assert.equal((await gate.services.deadLetters.replay(first.id, { from: "trigger", version: "recorded" })).status, "success");
    assert.equal((await gate.services.deadLetters.replay(second.id, { from: "trigger", version: "current" })).status, "success");
    assert.equal((sink.appliedWhere("order", 5)[0]?.body as { tag: string }).tag, "v1");
    assert.equal((sink.appliedWhere("order", 6)[0]?.body as { tag: string }).tag, "v2");
  });

  test("an edited payload is what a replay from the trigger sends; a replay from the node is refused after an edit", async (t) => {
    const { sink, gate } = await setup(t, "dlq/edit");
    sink.mode = "503";
    const letter = await deadLetter(gate, "dlq/edit", { order: 7, amount: "12,50" });
    gate.services.deadLetters.updatePayload(letter.id, { order: 7, amount: 12.5 });
    assert.notEqual(gate.services.deadLetters.get(letter.id).editedAt, null);
    sink.mode = "up";
    await assert.rejects(
      gate.services.deadLetters.replay(letter.id, { from: "failedNode", version: "recorded" }),
      (e: DlqError) => e.code === "BAD_REQUEST" && /edited/.test(e.message),
    );
    assert.equal((await gate.services.deadLetters.replay(letter.id, { from: "trigger", version: "recorded" })).status, "success");
    assert.deepEqual(sink.appliedWhere("order", 7).map((a) => a.body), [{ order: 7, amount: 12.5, tag: "v1" }]);
  });

  test("a replay that fails again keeps the letter open with the new error and counts the failure", async (t) => {
    const { sink, gate } = await setup(t, "dlq/again");
    sink.mode = "503";
    const letter = await deadLetter(gate, "dlq/again", { order: 8 });
    const result = await gate.services.deadLetters.replay(letter.id, { from: "failedNode", version: "recorded" });
    assert.equal(result.status, "failed");
    const after = gate.services.deadLetters.get(letter.id);
    assert.equal(after.status, "open");
    assert.equal(after.failures, 2);
    assert.equal(after.executionId, result.executionId);
    assert.equal(gate.services.deadLetters.list({ limit: 10 }).items.length, 1, "still one letter for the event");
  });

  test("discard closes a letter for good: no replay, no edit, and the sweep does not bring it back", async (t) => {
    const { sink, gate } = await setup(t, "dlq/discard");
    sink.mode = "503";
    const letter = await deadLetter(gate, "dlq/discard", { order: 9 });
    gate.services.deadLetters.discard(letter.id);
    assert.equal(gate.services.deadLetters.get(letter.id).status, "discarded");
    await assert.rejects(gate.services.deadLetters.replay(letter.id, { from: "trigger", version: "recorded" }), (e: DlqError) => e.code === "CONFLICT");
    assert.throws(() => gate.services.deadLetters.updatePayload(letter.id, {}), (e: DlqError) => e.code === "CONFLICT");
    assert.equal(sweepFailedEvents(gate.services.gdb, 86_400_000), 0);
    assert.equal(gate.services.deadLetters.list({ limit: 10, status: "open" }).items.length, 0);
    assert.throws(() => gate.services.deadLetters.get("nope"), (e: DlqError) => e.code === "NOT_FOUND");
  });

  test("the sweep dead-letters a failed event no run reported (given up after repeated crashes)", async (t) => {
    const { gate, flowId } = await setup(t, "dlq/sweep");
    const { eventId } = await gate.services.webhooks.store.accept({
      flowId,
      flowVersion: 1,
      triggerNodeId: "in",
      payload: JSON.stringify({ order: 10 }),
      request: "null",
      leasedUntil: Date.now() + 60_000,
    });
    gate.services.webhooks.store.finish(eventId, { status: "failed", error: { code: "GAVE_UP", message: "started 6 times" } });
    assert.equal(gate.services.deadLetters.sweep(), 1);
    const letter = gate.services.deadLetters.list({ limit: 10 }).items[0]!;
    assert.equal(letter.eventId, eventId);
    assert.equal(letter.error.code, "GAVE_UP");
    assert.equal(letter.failedNode, null);
    await assert.rejects(gate.services.deadLetters.replay(letter.id, { from: "failedNode", version: "recorded" }), (e: DlqError) => e.code === "BAD_REQUEST");
    assert.equal(gate.services.deadLetters.sweep(), 0);
  });

  test("retention: maintenance deletes letters older than the configured days, keeps newer ones", async (t) => {
    const { sink, gate } = await setup(t, "dlq/retention");
    sink.mode = "503";
    const recent = await deadLetter(gate, "dlq/retention", { order: 11 });
    const old = await deadLetter(gate, "dlq/retention", { order: 12 });
    const gdb = gate.services.gdb;
    gdb.sqlite.prepare("UPDATE dead_letters SET created_at = ? WHERE id = ?").run(Date.now() - 40 * 86_400_000, old.id);
    const maintenance = startMaintenance(gdb, { intervalMs: 3_600_000, staleAfterMs: 60_000, defaults: { maxAgeDays: 30, maxCount: 1000 }, deadLetterMaxAgeDays: 30 });
    t.after(() => maintenance.stop());
    const result = await maintenance.runNow();
    assert.equal(result.deadLetters, 1);
    assert.equal(getDeadLetter(gdb, old.id), undefined);
    assert.ok(getDeadLetter(gdb, recent.id));
  });

  test("replay-all goes through a flow's open letters, paced at perSecond", async (t) => {
    const { sink, gate, flowId } = await setup(t, "dlq/all");
    sink.mode = "503";
    // Two letters, four failed calls: one fewer than opens the destination's circuit breaker.
    for (let i = 0; i < 2; i++) await deadLetter(gate, "dlq/all", { order: 100 + i });
    sink.mode = "up";
    const started = Date.now();
    const progress = gate.services.deadLetters.replayAll(flowId, { from: "trigger", version: "recorded", perSecond: 10 });
    assert.equal(progress.total, 2);
    assert.throws(() => gate.services.deadLetters.replayAll(flowId, { from: "trigger", version: "recorded" }), (e: DlqError) => e.code === "CONFLICT");
    const done = await waitFor(() => {
      const p = gate.services.deadLetters.progress(flowId);
      return p?.finishedAt ? p : undefined;
    });
    assert.equal(done.succeeded, 2);
    assert.ok(Date.now() - started >= 100, "two replays at 10/s take at least 100 ms");
    for (let i = 0; i < 2; i++) assert.equal(sink.appliedWhere("order", 100 + i).length, 1);
    assert.equal(gate.services.deadLetters.list({ flowId, status: "open", limit: 10 }).items.length, 0);
  });

  test("the list pages through every letter, newest first: nextCursor until the last page, none after it", async (t) => {
    const { gate, flowId } = await setup(t, "dlq/paging");
    const other = gate.flow(sinkFlow("dlq paging other", { path: "dlq/paging-other", sinkUrl: "http://127.0.0.1:9/" }));
    // 230 letters of one flow, in pairs that share a millisecond (the id orders them), a few of them
    // discarded, and letters of another flow in between: the filters must hold on every page.
    const base = Date.now() - 3_600_000;
    const rows = Array.from({ length: 240 }, (_, i) => ({
      id: `letter-${String(i).padStart(3, "0")}`,
      eventId: `event-${i}`,
      flowId: i % 24 === 23 ? other : flowId,
      flowVersion: 1,
      triggerNodeId: "in",
      payload: JSON.stringify({ order: i }),
      request: "null",
      error: JSON.stringify({ code: "HTTP_503", message: "the sink is down" }),
      status: i % 10 === 7 ? ("discarded" as const) : ("open" as const),
      createdAt: base + Math.floor(i / 2),
      updatedAt: base + Math.floor(i / 2),
    }));
    gate.services.gdb.db.insert(deadLetters).values(rows).run();
    const expected = rows
      .filter((r) => r.flowId === flowId && r.status === "open")
      .sort((a, b) => b.createdAt - a.createdAt || b.id.localeCompare(a.id))
      .map((r) => r.id);

    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = gate.services.deadLetters.list({ flowId, status: "open", limit: 100, before: cursor });
      pages.push(page.items.map((l) => l.id));
      cursor = page.nextCursor;
    } while (cursor !== undefined && pages.length < 10);
    assert.deepEqual(pages.map((p) => p.length), [100, 100, expected.length - 200]);
    assert.deepEqual(pages.flat(), expected, "every open letter of the flow once, newest first, across pages");

    // A page that ends exactly at the last letter says there is nothing older.
    const exact = gate.services.deadLetters.list({ flowId, status: "open", limit: expected.length });
    assert.equal(exact.items.length, expected.length);
    assert.equal(exact.nextCursor, undefined);

    const editor = appRouter.createCaller({
      services: gate.services,
      user: { id: "editor", email: "editor@example.com", name: "editor", role: "editor" },
      ip: "127.0.0.1",
      request: { contentType: "application/json", secure: false },
    });
    const second = await editor.deadLetters.list({ flowId, status: "open", limit: 100, cursor: (await editor.deadLetters.list({ flowId, status: "open", limit: 100 })).nextCursor });
    assert.deepEqual(second.items.map((l) => l.id), pages[1]);
    await assert.rejects(
      editor.deadLetters.list({ cursor: "page-2" }),
      (e: Error & { code?: string }) => e.code === "BAD_REQUEST" && e.message === '"page-2" is not a cursor returned by the dead-letter list',
    );
  });
});
