// The execution runner wired as the server wires it (openServices on a real data folder): test runs
// store nothing, live runs are recorded, time limits and cancellation end runs, crashes are recovered.
import { describe, test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import type { WebhookResponse } from "../../nodes/sdk";
import { openDatabase } from "../db/client";
import { INTERRUPTED_ERROR, startExecution } from "../db/executions";
import { createFlow } from "../db/flows";
import { executions } from "../db/schema";
import { openServices, type Services } from "../services";
import { FlowInvalidError } from "./flow/compile";
import type { FlowDocInput } from "./flow/schema";

const ROOT = new URL("../../", import.meta.url);
const readExample = (name: string) => JSON.parse(fs.readFileSync(new URL(`examples/${name}`, ROOT), "utf8")) as Record<string, unknown>;
const crmFlow = readExample("crm-contact.json") as unknown as FlowDocInput;
const crmSample = readExample("crm-contact.sample.json");

const contact = readExample("crm-contact.expected.json");

/** A manual trigger, then one map.jsonata step that keeps the CPU busy for a few hundred ms. */
function slowFlow(name: string, settings: Record<string, unknown> = {}): FlowDocInput {
  return {
    schemaVersion: 1,
    name,
    settings,
    nodes: [
      { id: "in", type: "trigger.manual", config: {} },
      { id: "slow", type: "map.jsonata", config: { expr: "{ 'sum': $sum([1..5000000]) }" } },
    ],
    edges: [{ from: "in", to: "slow" }],
  };
}

// What each test opened, closed before its data folder is removed (after hooks run in the order added).
const openedBy = new WeakMap<TestContext, Services[]>();

function tempDir(t: TestContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gate-runner-"));
  const opened: Services[] = [];
  openedBy.set(t, opened);
  t.after(() => {
    for (const s of opened) s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

async function services(t: TestContext, options: { maintenance?: boolean; dir?: string } = {}): Promise<Services> {
  const dir = options.dir ?? tempDir(t);
  const s = await openServices(dir, { maintenance: options.maintenance });
  openedBy.get(t)!.push(s);
  return s;
}

function importFlow(s: Services, doc: unknown, activate = false) {
  const result = s.flows.importFlow(doc, { activate });
  assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
  return result.flow;
}

/** Poll (briefly) until `check` holds: for work that a timer started, such as a maintenance pass. */
async function eventually<T>(read: () => T, check: (value: T) => boolean, ms = 5_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = read();
    if (check(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("ExecutionRunner", () => {
  test("testRun returns the run record and stores nothing", async (t) => {
    const s = await services(t);
    const record = await s.runner.testRun({ doc: crmFlow, input: [crmSample] });
    assert.equal(record.status, "success");
    assert.equal(record.error, undefined);
    assert.deepEqual(Object.keys(record.nodes), ["in", "map", "reply"]);
    assert.deepEqual(record.nodes.map?.output.main, [contact]);
    assert.equal(record.response?.status, 200);
    assert.deepEqual(record.response.body, contact);
    assert.deepEqual(s.runner.list({ limit: 10 }).items, []);
    assert.deepEqual(s.flows.list(), []);
    assert.equal(s.gdb.sqlite.prepare("SELECT count(*) FROM executions").pluck().get(), 0);
  });

  test("testRun of an invalid document: FlowInvalidError naming the problems, nothing stored", async (t) => {
    const s = await services(t);
    const doc = { ...crmFlow, nodes: [...crmFlow.nodes, { id: "x", type: "map.field", config: {} }] };
    await assert.rejects(
      async () => s.runner.testRun({ doc, input: [{}] }),
      (error: unknown) => error instanceof FlowInvalidError && error.problems.some((p) => p.path === "nodes[x].type"),
    );
    assert.deepEqual(s.runner.list({ limit: 10 }).items, []);
  });

  test("runLive records the execution: status, per-node records, the trigger payload", async (t) => {
    const s = await services(t);
    const flow = importFlow(s, crmFlow, true);
    const responses: WebhookResponse[] = [];
    const { executionId, record } = await s.runner.runLive({ flowId: flow.id, input: [crmSample], onRespond: (r) => responses.push(r) });
    assert.equal(record.status, "success");
    assert.equal(responses.length, 1);
    assert.equal(responses[0]?.status, 200);
    assert.deepEqual(responses[0]?.body, contact);

    const stored = s.runner.get(executionId)!;
    assert.notEqual(stored, undefined);
    assert.equal(stored.status, "success");
    assert.equal(stored.mode, "live");
    assert.equal(stored.flowId, flow.id);
    assert.equal(stored.flowName, "CRM contact sync");
    assert.equal(stored.flowVersion, 1);
    assert.equal(stored.error, undefined);
    assert.equal(typeof stored.finishedAt, "number");
    assert.equal(typeof stored.durationMs, "number");
    assert.equal(stored.cancelRequested, false);
    // One item is stored as the object itself.
    assert.deepEqual(stored.triggerPayload, crmSample);
    assert.deepEqual(Object.keys(stored.nodes), ["in", "map", "reply"]);
    for (const id of ["in", "map", "reply"]) {
      const node = stored.nodes[id]!;
      assert.equal(node.status, "success", id);
      assert.equal(node.itemsIn, 1, id);
      assert.equal(node.itemsOut, 1, id);
      assert.equal(node.batches, 1, id);
      assert.equal(node.durationMs, record.nodes[id]!.durationMs, id);
    }
    assert.deepEqual(stored.nodes.in?.input, [crmSample]);
    assert.deepEqual(stored.nodes.map?.output, { main: [contact] });
    assert.deepEqual(stored.nodes.map?.outputCounts, { main: 1 });

    const page = s.runner.list({ limit: 10 });
    assert.deepEqual(
      page.items.map((e) => [e.id, e.status, e.flowName]),
      [[executionId, "success", "CRM contact sync"]],
    );
    assert.equal(s.runner.activeCount, 0);
  });

  test("runLive of a failing run stores the failure with the node and its error code; several items are stored as an array", async (t) => {
    const s = await services(t);
    const flow = importFlow(s, crmFlow);
    const input = [crmSample, { first: "No", last: "Email" }];
    const { executionId, record } = await s.runner.runLive({ flowId: flow.id, input });
    assert.equal(record.status, "failed");
    const stored = s.runner.get(executionId)!;
    assert.equal(stored.status, "failed");
    assert.equal(stored.error?.code, "MAPPING_FAILED");
    assert.equal(stored.error.node, "map");
    assert.equal(stored.nodes.map?.status, "failed");
    assert.equal(stored.nodes.map?.error?.code, "MAPPING_FAILED");
    assert.equal(stored.nodes.reply?.status, "skipped");
    assert.deepEqual(stored.triggerPayload, input);
  });

  test("runLive of a flow that does not exist: FLOW_NOT_FOUND, nothing stored", async (t) => {
    const s = await services(t);
    await assert.rejects(s.runner.runLive({ flowId: "no-such-flow", input: [{}] }), { code: "FLOW_NOT_FOUND" });
    assert.deepEqual(s.runner.list({ limit: 10 }).items, []);
  });

  test(
    "a live run past settings.timeoutMs ends failed with TIMEOUT and is stored so",
    // The slow step is CPU-bound (jsonata never yields), so the timer cannot fire: the
    // interpreter's deadline check between nodes must catch it.
    async (t) => {
      const s = await services(t);
      const flow = importFlow(s, slowFlow("Slow with a limit", { timeoutMs: 100 }));
      const started = performance.now();
      const { executionId, record } = await s.runner.runLive({ flowId: flow.id, input: [{}] });
      assert.ok(performance.now() - started > 100, "the step really takes longer than the limit");
      assert.equal(record.status, "failed");
      assert.equal(record.error?.code, "TIMEOUT");
      const stored = s.runner.get(executionId)!;
      assert.equal(stored.status, "failed");
      assert.equal(stored.error?.code, "TIMEOUT");
    },
  );

  test("cancel(id) of a live run in progress: it ends cancelled and is stored so", async (t) => {
    const s = await services(t);
    const flow = importFlow(s, slowFlow("Slow to cancel"));
    const pending = s.runner.runLive({ flowId: flow.id, input: [{ n: 1 }] });

    const running = s.runner.list({ limit: 10 }).items;
    assert.equal(running.length, 1);
    const id = running[0]!.id;
    assert.equal(running[0]!.status, "running");
    assert.equal(s.runner.get(id)?.status, "running");
    assert.equal(s.runner.activeCount, 1);

    assert.equal(s.runner.cancel(id), true);
    const { executionId, record } = await pending;
    assert.equal(executionId, id);
    assert.equal(record.status, "cancelled");
    assert.equal(record.error?.code, "CANCELLED");
    assert.match(record.error.message, /cancelled/);
    // Stopped before the slow step started.
    assert.equal(record.nodes.slow?.status, "skipped");

    const stored = s.runner.get(id)!;
    assert.equal(stored.status, "cancelled");
    assert.equal(stored.error?.code, "CANCELLED");
    assert.equal(typeof stored.finishedAt, "number");
    assert.deepEqual(stored.triggerPayload, { n: 1 });
    assert.equal(s.runner.activeCount, 0);
    // Nothing left to cancel.
    assert.equal(s.runner.cancel(id), false);
  });

  test("an execution left running by a crash is failed with INTERRUPTED when services open with maintenance", async (t) => {
    const dir = tempDir(t);
    const hourAgo = Date.now() - 3_600_000;
    // A previous process: it started two runs, then died. One has been silent for an hour; the
    // other beat a moment ago (its process may still be alive), so it must be left alone.
    const gdb = openDatabase(dir);
    let stale: string;
    let fresh: string;
    let flowId: string;
    try {
      flowId = createFlow(gdb, crmFlow).id;
      stale = startExecution(gdb, { flowId, flowVersion: 1, mode: "live", triggerPayload: crmSample });
      fresh = startExecution(gdb, { flowId, flowVersion: 1, mode: "live", triggerPayload: { fresh: true } });
      gdb.db.update(executions).set({ startedAt: hourAgo, heartbeatAt: hourAgo }).where(eq(executions.id, stale)).run();
    } finally {
      gdb.close();
    }

    const s = await services(t, { dir, maintenance: true });
    const recovered = await eventually(
      () => s.runner.get(stale),
      (e) => e?.status !== "running",
    );
    assert.ok(recovered);
    assert.equal(recovered.status, "failed");
    assert.deepEqual(recovered.error, INTERRUPTED_ERROR);
    assert.equal(recovered.error?.code, "INTERRUPTED");
    assert.equal(typeof recovered.finishedAt, "number");
    assert.ok(recovered.durationMs !== null && recovered.durationMs >= 3_600_000, String(recovered.durationMs));
    assert.deepEqual(recovered.triggerPayload, crmSample);
    assert.equal(s.runner.get(fresh)?.status, "running");
    assert.deepEqual(
      s.runner.list({ flowId, limit: 10 }).items.map((e) => [e.id, e.status]).sort(),
      [
        [fresh, "running"],
        [stale, "failed"],
      ].sort(),
    );
  });
});
