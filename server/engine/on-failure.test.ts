// The flow-level fallback through the real services: a failing live run starts its failure flow with
// the payload and the error; a failing failure flow starts nothing more.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { openServices } from "../services";

const flow = (name: string, expr: string, onFailure?: string) => ({
  schemaVersion: 1,
  name,
  nodes: [
    { id: "in", type: "trigger.manual", config: {} },
    { id: "work", type: "map.jsonata", config: { expr } },
  ],
  edges: [{ from: "in", to: "work" }],
  settings: onFailure ? { onFailure: { flow: onFailure } } : {},
});

async function until<T>(read: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = read();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test("a failed live run starts its failure flow with the payload and the error, once; handlers never cascade", async () => {
  const services = await openServices(fs.mkdtempSync(path.join(os.tmpdir(), "gate-onfail-")));
  try {
    const imported = (doc: unknown) => {
      const result = services.flows.importFlow(doc, { activate: true });
      assert.ok(result.ok, JSON.stringify(result));
      return result.flow.id;
    };
    const handler = imported(flow("failure handler", `$error("handler down")`, "orders"));
    const orders = imported(flow("orders", `$error("order service refused")`, "failure handler"));

    const failed = await services.runner.runLive({ flowId: orders, input: [{ orderId: 7 }] });
    assert.equal(failed.record.status, "failed");
    const handled = await until(() => services.runner.list({ flowId: handler, limit: 10 }).items[0], "the failure flow's run");
    const detail = await until(() => {
      const e = services.runner.get(handled.id);
      return e && e.status !== "running" ? e : undefined;
    }, "the failure flow to finish");
    const input = detail.nodes.in?.input[0] as { failedFlow: { name: string }; executionId: string; error: { message: string; node: string }; payload: unknown[] };
    assert.equal(input.failedFlow.name, "orders");
    assert.equal(input.executionId, failed.executionId);
    assert.equal(input.error.node, "work");
    assert.match(input.error.message, /order service refused/);
    assert.deepEqual(input.payload, [{ orderId: 7 }]);

    // The handler failed too, and names "orders" as its own failure flow: that must not start orders again.
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(services.runner.list({ flowId: orders, limit: 10 }).items.length, 1);
    assert.equal(services.runner.list({ flowId: handler, limit: 10 }).items.length, 1);
  } finally {
    await services.shutdown();
  }
});
