import "./ephemeral-env";
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { defineNode, z } from "../../../nodes/sdk";
import { loadDefaultRegistry } from "../../engine/registry";
import { hookFlow, startGate, waitFor } from "./testing";

// A plugin registered the way packages are: it waits, so the respond timeout can be seen.
const sleep = defineNode({
  type: "test.sleep",
  version: 1,
  category: "transform",
  title: "Sleep",
  description: "waits",
  config: z.object({ ms: z.number() }),
  run: async ({ items, config, ctx }) => {
    await new Promise((resolve) => setTimeout(resolve, config.ms));
    ctx.signal.throwIfAborted();
    return { main: items };
  },
});

describe("respond mode", () => {
  test("the Respond node's answer goes back synchronously; the event is stored and done; a redelivery gets the same answer", async (t) => {
    const gate = await startGate(t);
    const reply = { id: "reply", type: "respond", config: { status: 201, body: { kind: "expr", expr: "{ 'accepted': id, 'method': $request.method }" } } };
    const flowId = gate.flow(hookFlow("sync", { path: "sync", responseMode: "respondNode" }, [], [reply]));
    const res = await gate.hook("sync", { body: JSON.stringify({ id: "o-1" }), headers: { "content-type": "application/json", "webhook-id": "msg-1" } });
    assert.equal(res.status, 201);
    assert.deepEqual(await res.json(), { accepted: "o-1", method: "POST" });
    const eventId = res.headers.get("x-gate-event-id")!;
    const event = await waitFor(() => gate.eventsOf(flowId).find((e) => e.id === eventId && e.status === "done"));
    assert.ok(event.executionId);

    const again = await gate.hook("sync", { body: JSON.stringify({ id: "o-1" }), headers: { "content-type": "application/json", "webhook-id": "msg-1" } });
    assert.equal(again.status, 201);
    assert.equal(again.headers.get("x-gate-redelivery"), "true");
    assert.deepEqual(await again.json(), { accepted: "o-1", method: "POST" });
    assert.equal(gate.eventsOf(flowId).length, 1);
  });

  test("no answer within respondTimeoutMs → 504; the run still finishes and is recorded", async (t) => {
    (await loadDefaultRegistry()).register(sleep, "test");
    const gate = await startGate(t);
    const slow = { id: "slow", type: "test.sleep", config: { ms: 600 } };
    const reply = { id: "reply", type: "respond", config: {} };
    const flowId = gate.flow(hookFlow("slow", { path: "slow", responseMode: "respondNode", respondTimeoutMs: 150 }, [slow], [reply]));
    const started = Date.now();
    const res = await gate.hook("slow", { body: "{}", headers: { "content-type": "application/json" } });
    assert.equal(res.status, 504);
    assert.ok(Date.now() - started < 550, "answered at the timeout, not when the run ended");
    const { eventId, error } = (await res.json()) as { eventId: string; error: string };
    assert.match(error, /did not answer within 150 ms/);
    const done = await waitFor(() => gate.eventsOf(flowId).find((e) => e.id === eventId && e.status === "done"));
    assert.ok(done.executionId);
    const [row] = gate.services.webhooks.log.query({ flowId, limit: 1 }).items;
    assert.deepEqual([row!.status, row!.outcome], [504, "responded"]);
  });
});
