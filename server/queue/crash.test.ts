// The crash test: 2,000 webhook events sent to the real Gate server process while it is killed
// with SIGKILL twice and restarted on the same data folder. The outside system is a real HTTP sink
// that honours Idempotency-Key. Every event that got a 2xx must be applied at the sink exactly
// once; redeliveries after a crash must carry the same key (counted and reported).
import "./testing/env";
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openServices } from "../services";
import { sinkFlow } from "./testing/flows";
import { freePort, GateProcess } from "./testing/process";
import { Sink } from "./testing/sink";

const EVENTS = 2_000;
const CONCURRENCY = 16;
const KILL_AFTER = [600, 1_300];
const LEASE_MS = 3_000;

interface Figures {
  sent: number;
  acknowledged: number;
  /** Sends that got no answer (connection refused or reset by a kill) and were sent again. */
  unanswered: number;
  duplicateAnswers: number;
  applied: number;
  redeliveries: number;
  duplicatesApplied: number;
  eventsRunMoreThanOnce: number;
  interruptedExecutions: number;
  /** Runs the kills cut off that no maintenance pass has failed yet (their heartbeat is not 30 s stale). */
  executionsAwaitingRecovery: number;
  kills: number;
  seconds: number;
}

test("crash test: 2,000 events, two SIGKILLs, each acknowledged event applied exactly once", { timeout: 300_000 }, async (t) => {
  const started = Date.now();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gate-crash-"));
  const sink = await Sink.start();
  const gate = new GateProcess(dataDir, await freePort(), LEASE_MS);
  t.after(async () => {
    await gate.kill();
    await sink.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  // The flow is stored the way `gate flows import --activate` does, before the server starts.
  const setup = await openServices(dataDir, { createKey: true });
  const flow = sinkFlow("crash test", { path: "crash", sinkUrl: sink.url });
  (flow.nodes[0]!.config as Record<string, unknown>).idempotencyHeader = "x-delivery-id";
  const imported = setup.flows.importFlow(flow, { activate: true });
  assert.ok(imported.ok);
  setup.close();
  await gate.start();

  const figures: Figures = {
    sent: EVENTS,
    acknowledged: 0,
    unanswered: 0,
    duplicateAnswers: 0,
    applied: 0,
    redeliveries: 0,
    duplicatesApplied: 0,
    eventsRunMoreThanOnce: 0,
    interruptedExecutions: 0,
    executionsAwaitingRecovery: 0,
    kills: 0,
    seconds: 0,
  };
  const acknowledged = new Set<number>();
  let crashing: Promise<void> | undefined;
  const killAt = [...KILL_AFTER];

  // Like a real sender: a delivery id per event, and a send without an answer is sent again.
  const deliver = async (n: number) => {
    for (let attempt = 0; ; attempt++) {
      if (crashing) await crashing;
      try {
        const res = await fetch(`${gate.url}/hooks/crash`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-delivery-id": `d-${n}` },
          body: JSON.stringify({ n }),
        });
        const body = (await res.json()) as { duplicate?: boolean };
        if (res.status >= 200 && res.status < 300) {
          if (body.duplicate) figures.duplicateAnswers++;
          acknowledged.add(n);
          break;
        }
        assert.fail(`event ${n} was refused: ${res.status} ${JSON.stringify(body)}`);
      } catch (error) {
        if (error instanceof assert.AssertionError) throw error;
        figures.unanswered++;
        await new Promise((r) => setTimeout(r, Math.min(50 * 2 ** attempt, 500)));
      }
    }
    if (killAt.length && acknowledged.size >= killAt[0]! && !crashing) {
      killAt.shift();
      crashing = (async () => {
        await gate.kill();
        figures.kills++;
        await gate.start();
      })().finally(() => (crashing = undefined));
    }
  };

  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < EVENTS) await deliver(next++);
    }),
  );
  if (crashing) await crashing;
  figures.acknowledged = acknowledged.size;

  // Drained: nothing queued or leased, and the sink has every event.
  for (;;) {
    const pending = gate.query<{ n: number }>("SELECT count(*) AS n FROM events WHERE status IN ('queued', 'leased')")[0]!.n;
    if (pending === 0 && sink.applied.size >= acknowledged.size) break;
    assert.ok(Date.now() - started < 280_000, `the queue did not drain: ${pending} pending, ${sink.applied.size} applied`);
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(await gate.stop(), 0, "a graceful stop exits 0");

  const byEvent = new Map<number, number>();
  for (const applied of sink.applied.values()) {
    const n = (applied.body as { n: number }).n;
    byEvent.set(n, (byEvent.get(n) ?? 0) + 1);
  }
  figures.applied = byEvent.size;
  figures.redeliveries = sink.repeats;
  figures.duplicatesApplied = [...byEvent.values()].filter((count) => count > 1).length;
  figures.eventsRunMoreThanOnce = gate.query<{ n: number }>("SELECT count(*) AS n FROM events WHERE attempts > 1")[0]!.n;
  figures.interruptedExecutions = gate.query<{ n: number }>("SELECT count(*) AS n FROM executions WHERE error LIKE '%INTERRUPTED%'")[0]!.n;
  figures.executionsAwaitingRecovery = gate.query<{ n: number }>("SELECT count(*) AS n FROM executions WHERE status = 'running'")[0]!.n;
  figures.seconds = Math.round((Date.now() - started) / 100) / 10;
  t.diagnostic(`crash figures: ${JSON.stringify(figures)}`);

  assert.equal(figures.kills, 2);
  assert.equal(acknowledged.size, EVENTS, "every event was acknowledged in the end");
  for (const n of acknowledged) assert.equal(byEvent.get(n), 1, `event ${n} applied ${byEvent.get(n) ?? 0} times`);
  assert.equal(sink.unkeyed.length, 0);
  // Every execution the kills cut off is accounted for: failed INTERRUPTED, or still waiting for its heartbeat to go stale.
  const live = gate.query<{ n: number }>("SELECT count(*) AS n FROM executions")[0]!.n;
  assert.equal(live, EVENTS + figures.interruptedExecutions + figures.executionsAwaitingRecovery);
  const statuses = gate.query<{ status: string; n: number }>("SELECT status, count(*) AS n FROM events GROUP BY status");
  assert.deepEqual(statuses, [{ status: "done", n: EVENTS }], "one stored event per delivery id, all done");
  const ran = gate.query<{ n: number }>("SELECT count(DISTINCT event_id) AS n FROM dead_letters")[0]!.n;
  assert.equal(ran, 0, "no event was dead-lettered");
});
