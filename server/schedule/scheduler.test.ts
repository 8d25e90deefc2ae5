// The scheduler against a real SQLite file, real croner timers (second-level patterns) and, where
// runs are counted, the real ExecutionRunner writing executions.
import { describe, test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Item } from "../../nodes/sdk";
import { openDatabase, type GateDb } from "../db/client";
import { listExecutions } from "../db/executions";
import { readState, writeState } from "../db/flow-state";
import { setFlowActive } from "../db/flows";
import { FlowService } from "../engine/flow-service";
import { loadDefaultRegistry } from "../engine/registry";
import { ExecutionRunner } from "../engine/runner";
import { openServices } from "../services";
import { Scheduler, type Dispatch, type SchedulerLog } from "./scheduler";
import { readMissed, readSkipped } from "./state";
import { dismissMissed, scheduleStatus } from "./status";

const EVERY_SECOND = "*/1 * * * * *";

function scheduleFlow(name: string, trigger: Record<string, unknown>) {
  return {
    schemaVersion: 1,
    name,
    nodes: [
      { id: "tick", ...trigger },
      { id: "out", type: "map.fields", config: { fields: [] } },
    ],
    edges: [{ from: "tick", to: "out" }],
  };
}

/** Wait (generously) until `check` holds; the assertion is on the state reached, not on how fast. */
async function until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Collects what the scheduler logs, so tests can see warnings without a logger. */
function captureLog(): SchedulerLog & { lines: { level: string; msg: string; data: Record<string, unknown> }[] } {
  const lines: { level: string; msg: string; data: Record<string, unknown> }[] = [];
  const at = (level: string) => (data: Record<string, unknown>, msg: string) => void lines.push({ level, msg, data });
  return { lines, info: at("info"), warn: at("warn"), error: at("error") };
}

async function setup(t: TestContext, dispatch?: (runner: ExecutionRunner) => Dispatch, resyncMs = 0) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gate-schedule-"));
  const gdb = Object.assign(openDatabase(dir), { dir });
  const registry = await loadDefaultRegistry();
  const flows = new FlowService(gdb, registry);
  const runner = new ExecutionRunner(gdb, registry);
  const log = captureLog();
  const scheduler = new Scheduler({
    gdb,
    registry,
    log,
    resyncMs,
    dispatch: dispatch?.(runner) ?? ((flowId, _node, input) => runner.runLive({ flowId, input })),
  });
  // One hook, in order: no timer may touch the database after it closes.
  t.after(async () => {
    scheduler.stop();
    assert.deepEqual(log.lines.filter((l) => l.level === "error"), [], "the scheduler logged no errors");
    await runner.shutdown(0);
    gdb.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return { gdb, registry, flows, runner, scheduler, log };
}

function importFlow(flows: FlowService, doc: unknown, activate: boolean) {
  const result = flows.importFlow(doc, { activate });
  assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
  return result.flow;
}

const liveCount = (gdb: GateDb, flowId: string) => listExecutions(gdb, { flowId, limit: 500 }).items.length;

describe("scheduler", () => {
  test("an activated flow runs every second; deactivating it stops the runs", async (t) => {
    const { gdb, flows, runner, scheduler } = await setup(t);
    const flow = importFlow(flows, scheduleFlow("every second", { type: "trigger.schedule", config: { cron: EVERY_SECOND, payload: { source: "cron" } } }), false);
    scheduler.start();
    assert.equal(scheduler.armed().length, 0);

    flows.setActive(flow.id, true);
    // No resync timer in this test: the change hook alone arms the trigger.
    await until(() => scheduler.armed().length === 1, "the trigger to be armed");
    await until(() => liveCount(gdb, flow.id) >= 2, "two scheduled runs");

    const [latest] = listExecutions(gdb, { flowId: flow.id, limit: 1 }).items;
    const detail = runner.get(latest!.id)!;
    const payload = detail.triggerPayload as Item;
    assert.equal(typeof payload.firedAt, "string");
    assert.match(String(payload.scheduledFor), /\.000Z$/);
    const out = detail.nodes.tick?.output.main?.[0];
    assert.equal(out?.source, "cron");
    assert.equal(typeof readState(gdb, flow.id, "tick:lastFiredAt"), "string");

    flows.setActive(flow.id, false);
    await until(() => scheduler.armed().length === 0 && runner.activeCount === 0, "the trigger to be disarmed");
    const settled = liveCount(gdb, flow.id);
    await sleep(2_500);
    assert.equal(liveCount(gdb, flow.id), settled, "no run after deactivation");
  });

  test("a change made by another process is picked up by the periodic resync", async (t) => {
    const { gdb, flows, scheduler } = await setup(t, undefined, 200);
    const flow = importFlow(flows, scheduleFlow("from the cli", { type: "trigger.schedule", config: { cron: "0 0 3 * * *" } }), false);
    scheduler.start();
    // A second connection, as the `gate` CLI would open: the in-process hook never hears of it.
    const other = openDatabase(gdb.dir);
    t.after(() => other.sqlite.open && other.close());
    setFlowActive(other, flow.id, true);
    await until(() => scheduler.armed().length === 1, "the resync to arm the trigger");
    assert.equal(scheduler.armed()[0]?.nextRun?.getUTCHours(), 3);
    setFlowActive(other, flow.id, false);
    await until(() => scheduler.armed().length === 0, "the resync to disarm the trigger");
    other.close();
  });

  test("saving a new pattern re-arms the trigger; a save that keeps it does not", async (t) => {
    const { flows, scheduler, log } = await setup(t);
    const armings = () => log.lines.filter((l) => l.msg === "schedule: trigger armed").length;
    const doc = scheduleFlow("re-arm", { type: "trigger.schedule", config: { cron: "0 0 3 * * *" } });
    const flow = importFlow(flows, doc, true);
    scheduler.start();
    const first = scheduler.armed()[0]!.nextRun!;
    flows.save(flow.id, { ...doc, settings: { timeoutMs: 60_000 } });
    await sleep(50);
    assert.equal(scheduler.armed()[0]?.version, 2);
    assert.equal(armings(), 1, "same pattern: the job keeps running");
    flows.save(flow.id, scheduleFlow("re-arm", { type: "trigger.schedule", config: { cron: "0 30 4 * * *", timezone: "Asia/Tokyo" } }));
    await until(() => scheduler.armed()[0]?.nextRun?.getTime() !== first.getTime(), "the new pattern");
    // 04:30 in Tokyo is 19:30 UTC.
    assert.equal(scheduler.armed()[0]?.nextRun?.getUTCHours(), 19);
    assert.equal(scheduler.armed()[0]?.nextRun?.getUTCMinutes(), 30);
    assert.equal(armings(), 2);
  });

  test("runs missed while Gate was down are reported with count, first and last, and not replayed", async (t) => {
    const dispatched: string[] = [];
    const { gdb, flows, registry, scheduler, log } = await setup(t, () => (flowId) => Promise.resolve(void dispatched.push(flowId)));
    // Every New Year, UTC: the last firing three New Years ago means exactly three were missed.
    const flow = importFlow(flows, scheduleFlow("new year", { type: "trigger.schedule", config: { cron: "0 0 0 1 1 *" } }), true);
    const year = new Date().getUTCFullYear();
    const lastFiredAt = new Date(Date.UTC(year - 3, 0, 1)).toISOString();
    writeState(gdb, flow.id, [["tick:lastFiredAt", lastFiredAt]]);

    scheduler.start();
    const missed = readMissed(gdb, flow.id, "tick");
    assert.equal(missed?.count, 3);
    assert.equal(missed?.first, new Date(Date.UTC(year - 2, 0, 1)).toISOString());
    assert.equal(missed?.last, new Date(Date.UTC(year, 0, 1)).toISOString());
    assert.equal(missed?.capped, false);
    const warning = log.lines.find((l) => l.level === "warn" && /missed while Gate was down/.test(l.msg));
    assert.equal(warning?.data.count, 3);

    await sleep(1_500);
    assert.deepEqual(dispatched, [], "missed runs are not replayed");
    assert.equal(readState(gdb, flow.id, "tick:lastFiredAt"), lastFiredAt);

    const [status] = scheduleStatus(gdb, registry);
    assert.equal(status?.nodeId, "tick");
    assert.equal(status?.missed?.count, 3);
    assert.equal(status?.lastFiredAt, lastFiredAt);
    assert.equal(status?.nextRun, new Date(Date.UTC(year + 1, 0, 1)).toISOString());
    dismissMissed(gdb, flow.id, "tick");
    assert.equal(scheduleStatus(gdb, registry)[0]?.missed, null);
  });

  test("a tick while the previous run still goes is skipped and recorded", async (t) => {
    let calls = 0;
    let release: () => void = () => {};
    const { gdb, flows, scheduler, log } = await setup(t, () => () => {
      calls++;
      return new Promise<void>((resolve) => (release = resolve));
    });
    const flow = importFlow(flows, scheduleFlow("slow", { type: "trigger.schedule", config: { cron: EVERY_SECOND } }), true);
    scheduler.start();
    await until(() => (readSkipped(gdb, flow.id, "tick")?.count ?? 0) >= 2, "two skipped ticks");
    assert.equal(calls, 1, "no second run while the first one goes");
    assert.ok(log.lines.some((l) => l.level === "warn" && /tick skipped/.test(l.msg)));
    release();
    await until(() => calls >= 2, "the next tick after the run ended");
  });

  test("a poll trigger is armed on its interval in seconds and dispatched at its own node", async (t) => {
    const seen: { node: string; items: Item[] }[] = [];
    const { flows, scheduler } = await setup(t, () => (_flow, node, items) => Promise.resolve(void seen.push({ node, items })));
    const doc = {
      schemaVersion: 1,
      name: "poller",
      nodes: [
        { id: "poll", type: "trigger.poll", config: { url: "http://127.0.0.1:9/items", dedupeKey: "id", interval: 1 } },
        { id: "out", type: "map.fields", config: { fields: [] } },
      ],
      edges: [{ from: "poll", to: "out" }],
    };
    importFlow(flows, doc, true);
    scheduler.start();
    assert.equal(scheduler.armed()[0]?.timing.kind, "interval");
    await until(() => seen.length >= 2, "two poll ticks");
    assert.equal(seen[0]?.node, "poll");
    assert.equal(typeof seen[0]?.items[0]?.firedAt, "string");
  });

  test("the server's services run the scheduler through the durable queue, one event per tick; shutdown stops it", async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gate-schedule-"));
    const services = await openServices(dir, { maintenance: true });
    let open = true;
    t.after(async () => {
      if (open) await services.shutdown();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    const result = services.flows.importFlow(scheduleFlow("served", { type: "trigger.schedule", config: { cron: EVERY_SECOND } }), { activate: true });
    assert.ok(result.ok);
    await until(() => services.runner.list({ flowId: result.flow.id, limit: 10 }).items.some((e) => e.status === "success"), "a scheduled execution");
    // Each tick was stored as a queue event first, keyed by its trigger and scheduled time.
    const ticks = services.gdb.sqlite
      .prepare("select idempotency_key as key, status from events where flow_id = ?")
      .all(result.flow.id) as { key: string; status: string }[];
    assert.ok(ticks.length >= 1);
    assert.ok(ticks.every((e) => e.key.startsWith(`run:tick:${result.flow.id}:tick:`)), JSON.stringify(ticks));
    assert.ok(ticks.some((e) => e.status === "done"));
    open = false;
    await services.shutdown();
    assert.deepEqual(services.scheduler?.armed(), []);
  });

  test("an invalid cron or time zone is refused at validation, naming the node and field", async (t) => {
    const { flows } = await setup(t);
    const bad = flows.validate(scheduleFlow("bad", { type: "trigger.schedule", config: { cron: "61 * * * * *", timezone: "Mars/Olympus_Mons" } }));
    assert.equal(bad.ok, false);
    const byPath = new Map(bad.problems.map((p) => [p.path, p]));
    assert.match(byPath.get("nodes[tick].config.cron")?.message ?? "", /not a valid cron pattern/);
    assert.equal(byPath.get("nodes[tick].config.cron")?.node, "tick");
    assert.match(byPath.get("nodes[tick].config.timezone")?.message ?? "", /unknown time zone/);
    const poll = flows.validate(scheduleFlow("bad poll", { type: "trigger.poll", config: { url: "http://x.test/", dedupeKey: "id", interval: "every minute" } }));
    assert.ok(poll.problems.some((p) => p.path === "nodes[tick].config.interval" && /not a valid cron pattern/.test(p.message)));
    const imported = flows.importFlow(scheduleFlow("bad", { type: "trigger.schedule", config: { cron: "nope" } }), { activate: true });
    assert.equal(imported.ok, false);
  });
});
