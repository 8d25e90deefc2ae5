// What the host lends a live run, wired as the server wires it (openServices on a real data folder):
// a write made with `setNow` outlives the failed run that made it, while test runs keep theirs private.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";

// Before anything parses the environment: a key for the vault, loopback allowed for the receiver.
process.env.GATE_ENCRYPTION_KEY = randomBytes(32).toString("base64");
process.env.GATE_ALLOW_HOSTS = "127.0.0.1";
process.env.GATE_LOG_LEVEL ??= "silent";

const { openServices } = await import("../services");
const { listState } = await import("../db/flow-state");
type Services = Awaited<ReturnType<typeof openServices>>;

async function services(t: TestContext): Promise<Services> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gate-host-"));
  const s = await openServices(dir, { maintenance: false, webhooks: { workers: false }, scheduler: false });
  t.after(async () => {
    await s.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return s;
}

/** A receiver that answers 410 Gone to every request, counting them. */
async function retiredReceiver(t: TestContext): Promise<{ url: string; requests: () => number }> {
  let count = 0;
  const server = http.createServer((req, res) => {
    count++;
    req.resume();
    req.on("end", () => res.writeHead(410, { "content-type": "application/json" }).end('{"error":"endpoint retired"}'));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/gate`, requests: () => count };
}

test("a setNow write outlives the failed live run that made it; a test run's stays private", async (t) => {
  const s = await services(t);
  const receiver = await retiredReceiver(t);
  s.vault.set("partner-signing", "webhookSecret", { secret: `whsec_${randomBytes(24).toString("base64")}` });
  const result = s.flows.importFlow(
    {
      schemaVersion: 1,
      name: "Notify partner",
      nodes: [
        { id: "in", type: "trigger.manual", config: {} },
        { id: "notify", type: "webhook.send", config: { url: receiver.url, credential: "partner-signing" } },
      ],
      edges: [{ from: "in", to: "notify" }],
    },
    { activate: true },
  );
  assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
  const flow = result.flow;

  // A test run that really sends (live: true) gets the 410 too, but its state is its own.
  const tried = await s.runner.testRun({ doc: flow.doc, input: [{ order: 0 }], live: true });
  assert.equal(tried.error?.code, "ENDPOINT_GONE");
  assert.equal(receiver.requests(), 1);
  assert.deepEqual(listState(s.gdb, flow.id), {}, "a test run never writes the flow's state");

  const first = await s.runner.runLive({ flowId: flow.id, input: [{ order: 1 }] });
  assert.equal(first.record.status, "failed");
  assert.equal(first.record.error?.code, "ENDPOINT_GONE");
  assert.equal(receiver.requests(), 2);
  const stored = Object.entries(listState(s.gdb, flow.id));
  assert.equal(stored.length, 1, "the runner discarded the failed run's staged state, not the setNow write");
  const [key, mark] = stored[0]!;
  assert.match(key, /^notify:gone:/);
  const { goneAt } = mark as { goneAt: string };

  const second = await s.runner.runLive({ flowId: flow.id, input: [{ order: 2 }] });
  assert.equal(second.record.status, "failed");
  assert.equal(second.record.error?.code, "ENDPOINT_DISABLED");
  assert.match(second.record.error.message, new RegExp(`answered 410 Gone at ${goneAt.replace(/\./g, "\\.")}`));
  assert.equal(receiver.requests(), 2, "the disabled endpoint got no request");
});
