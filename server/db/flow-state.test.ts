import assert from "node:assert/strict";
import { test } from "node:test";
import { runState, listState, readState } from "./flow-state";
import { createFlow } from "./flows";
import { flowDoc, tempDb } from "./testing";

test("flow state: set waits for the run's outcome; setNow is kept when the run fails", async (t) => {
  const gdb = tempDb(t);
  const flow = createFlow(gdb, flowDoc("Stateful"));

  // A run that fails: its cursor stays where it was, what it learnt by failing is kept.
  const failed = runState(gdb, flow.id);
  failed.set("read:cursor", 42);
  await failed.setNow("send:gone:abc", { goneAt: "2026-03-01T09:12:44.120Z" });
  assert.deepEqual(readState(gdb, flow.id, "send:gone:abc"), { goneAt: "2026-03-01T09:12:44.120Z" }, "written before the run ends");
  assert.deepEqual(await failed.get("read:cursor"), 42, "the run sees its own staged write");
  failed.discard();
  assert.deepEqual(listState(gdb, flow.id), { "send:gone:abc": { goneAt: "2026-03-01T09:12:44.120Z" } });

  // The next run sees the kept value; a setNow replaces an earlier staged write of the same key.
  const next = runState(gdb, flow.id);
  assert.deepEqual(await next.get("send:gone:abc"), { goneAt: "2026-03-01T09:12:44.120Z" });
  next.set("send:gone:abc", "staged");
  await next.setNow("send:gone:abc", null);
  assert.equal(await next.get("send:gone:abc"), null);
  next.set("read:cursor", 43);
  next.commit();
  assert.deepEqual(listState(gdb, flow.id), { "read:cursor": 43, "send:gone:abc": null }, "the commit did not bring the staged value back");
});

test("flow state: a value setNow cannot store is a rejection, and nothing is written", async (t) => {
  const gdb = tempDb(t);
  const flow = createFlow(gdb, flowDoc("Stateful"));
  const state = runState(gdb, flow.id);
  await assert.rejects(state.setNow("n:big", 10n), /BigInt/);
  assert.deepEqual(listState(gdb, flow.id), {});
});
