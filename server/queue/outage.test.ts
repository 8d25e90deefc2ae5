// The outage test: the destination is down (its port closed, then answering 503) while events
// arrive; each is retried per the flow's policy and lands in the dead-letter queue. The destination
// comes back; replay-all delivers every event exactly once, paced, and the queue ends empty.
import "./testing/env";
import { test } from "node:test";
import assert from "node:assert/strict";
import { startGate, waitFor } from "../http/hooks/testing";
import { sinkFlow } from "./testing/flows";
import { Sink } from "./testing/sink";
import type { ReplayAllProgress } from "../dlq/service";

const EVENTS = 60;
const RETRY = { maxAttempts: 3, backoff: "fixed", baseMs: 30 };

test("outage: events dead-letter while the destination is down; replay-all delivers each once when it is back", { timeout: 120_000 }, async (t) => {
  const sink = await Sink.start();
  t.after(() => sink.close());
  const gate = await startGate(t);
  const flowId = gate.flow(sinkFlow("outage", { path: "outage", sinkUrl: sink.url, retry: RETRY }));

  // Half the outage the host is gone (connection refused), half it answers 503.
  await sink.close();
  const send = async (n: number) => {
    const res = await gate.hook("outage", { body: JSON.stringify({ n }), headers: { "content-type": "application/json" } });
    assert.equal(res.status, 202);
  };
  for (let n = 0; n < EVENTS / 2; n++) await send(n);
  const letters = gate.services.deadLetters;
  await waitFor(() => letters.list({ flowId, status: "open", limit: 200 }).items.length === EVENTS / 2, 60_000);
  await sink.reopen();
  sink.mode = "503";
  for (let n = EVENTS / 2; n < EVENTS; n++) await send(n);
  await waitFor(() => letters.list({ flowId, status: "open", limit: 200 }).items.length === EVENTS, 60_000);

  const open = letters.list({ flowId, status: "open", limit: 200 }).items;
  const codes = new Set(open.map((l) => l.error.code));
  t.diagnostic(`dead-letter codes: ${[...codes].join(", ")}`);
  // Each event was retried per policy, or — once the host's circuit breaker opened after repeated
  // faults — failed fast without waiting on a host known to be down.
  const off = open.filter((l) => l.failedNode !== "out" || (l.error.code !== "CIRCUIT_OPEN" && l.error.attempt !== RETRY.maxAttempts));
  assert.deepEqual(off.map((l) => l.error), [], "every event was retried per policy or failed fast");
  assert.deepEqual([...codes].filter((c) => !["CONNECTION", "HTTP_503", "CIRCUIT_OPEN"].includes(c)), []);
  assert.equal(sink.applied.size, 0);

  sink.mode = "up";
  // The breaker keeps failing fast until its cool-down lets a probe through; replay-all stops at
  // the first fail-fast answer, so an operator (here: this loop) replays again a little later.
  const perSecond = 40;
  const startedAt = Date.now();
  const jobs: ReplayAllProgress[] = [];
  while (letters.list({ flowId, status: "open", limit: 1 }).items.length > 0) {
    assert.ok(Date.now() - startedAt < 90_000, "replay-all did not finish");
    letters.replayAll(flowId, { from: "trigger", version: "recorded", perSecond });
    jobs.push(await waitFor(() => {
      const p = letters.progress(flowId);
      return p?.finishedAt ? p : undefined;
    }, 60_000));
    if (jobs.at(-1)!.stoppedEarly) await new Promise((r) => setTimeout(r, 1_000));
  }
  const done = jobs.at(-1)!;
  const seconds = (Date.now() - startedAt) / 1000;
  const succeeded = jobs.reduce((sum, j) => sum + j.succeeded, 0);
  t.diagnostic(
    `outage figures: ${JSON.stringify({ events: EVENTS, deadLettered: open.length, codes: [...codes], replayAllRuns: jobs.length, replayed: succeeded, failedFast: jobs.reduce((s, j) => s + j.failed, 0), applied: sink.applied.size, refusedWith503: sink.refused, repeats: sink.repeats, seconds })}`,
  );
  assert.equal(succeeded, EVENTS);
  assert.equal(done.failed + done.skipped, 0);
  assert.ok((done.finishedAt! - done.startedAt) / 1000 >= (done.succeeded - 1) / perSecond, `paced at ${perSecond}/s`);
  for (let n = 0; n < EVENTS; n++) assert.equal(sink.appliedWhere("n", n).length, 1, `event ${n}`);
  assert.equal(sink.repeats, 0);
  assert.equal(letters.list({ flowId, status: "open", limit: 200 }).items.length, 0);
  const statuses = new Set(gate.eventsOf(flowId).map((e) => e.status));
  assert.deepEqual([...statuses], ["done"]);

  // A second replay-all finds nothing left to do.
  assert.equal(letters.replayAll(flowId, { from: "trigger", version: "recorded" }).total, 0);
});
