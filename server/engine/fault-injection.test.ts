// Retries against a fault-injecting HTTP server on 127.0.0.1: connection resets, a body that never
// ends (timeout), 500s, 429 with Retry-After, and a 400. The retry policy is followed exactly: the
// server counts every attempt, exhausted items reach the error port with their attempt count, and
// the record shows the retries.
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, test } from "node:test";
import { guardedNet, offlineHost } from "../../nodes/sdk";
import { compileFlow } from "./flow/compile";
import { runFlow } from "./interpreter";
import { loadDefaultRegistry } from "./registry";

type Fault = "reset" | "slow" | "500" | "429" | "400" | "flaky";
const servers: http.Server[] = [];
const network = guardedNet({ allow: ["127.0.0.1"] });
after(async () => {
  await network.close();
  for (const s of servers) s.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

/** One server per fault: each has its own host:port, so one fault's circuit breaker never touches another. */
async function faulty(fault: Fault): Promise<{ url: string; hits: number[] }> {
  const hits: number[] = [];
  const server = http.createServer((req, res) => {
    hits.push(Date.now());
    switch (fault) {
      case "reset":
        return void req.socket.destroy();
      case "slow":
        res.writeHead(200, { "content-type": "application/json" });
        return void res.write('{"partial":'); // and never more
      case "500":
        return void res.writeHead(500).end("internal error");
      case "429":
        return void res.writeHead(429, { "retry-after": "1" }).end("slow down");
      case "400":
        return void res.writeHead(400, { "content-type": "application/json" }).end('{"error":"bad field"}');
      case "flaky":
        return hits.length < 3 ? void res.writeHead(503).end("busy") : void res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    }
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/call`, hits };
}

async function callWithPolicy(url: string, retry: Record<string, unknown>) {
  const flow = compileFlow(
    {
      schemaVersion: 1,
      name: "fault injection",
      nodes: [
        { id: "in", type: "trigger.manual", config: {} },
        { id: "call", type: "http.request", config: { method: "GET", url, timeoutMs: 300 }, retry },
        { id: "failed", type: "map.jsonata", config: { expr: "{ 'code': error.code, 'attempt': error.attempt }" } },
      ],
      edges: [
        { from: "in", to: "call" },
        { from: "call", fromPort: "error", to: "failed" },
      ],
    },
    await loadDefaultRegistry(),
  );
  return runFlow(flow, { input: [{}], mode: "live", host: { ...offlineHost(), http: network.http, net: network.net } });
}

const policy = { maxAttempts: 3, backoff: "fixed", baseMs: 20 };

test("resets, timeouts and 500s are retried exactly maxAttempts times, then reach the error port", async () => {
  for (const [fault, code] of [
    ["reset", "CONNECTION"],
    ["slow", "TIMEOUT"],
    ["500", "HTTP_500"],
  ] as const) {
    const server = await faulty(fault);
    const record = await callWithPolicy(server.url, policy);
    assert.equal(server.hits.length, 3, `${fault}: three attempts`);
    assert.equal(record.status, "success", `${fault}: the error port took the failure`);
    assert.deepEqual(JSON.parse(JSON.stringify(record.nodes.failed!.output.main)), [{ code, attempt: 3 }], fault);
    assert.equal(record.nodes.call!.retries, 2, `${fault}: the record shows the retries`);
  }
});

test("429 honours Retry-After between attempts; a 400 is not retried unless listed in retryOn", async () => {
  const limited = await faulty("429");
  await callWithPolicy(limited.url, { maxAttempts: 2, backoff: "fixed", baseMs: 1 });
  assert.equal(limited.hits.length, 2);
  assert.ok(limited.hits[1]! - limited.hits[0]! >= 950, `waited ${limited.hits[1]! - limited.hits[0]!} ms for Retry-After: 1`);

  const invalid = await faulty("400");
  const record = await callWithPolicy(invalid.url, policy);
  assert.equal(invalid.hits.length, 1, "a 400 is the caller's mistake: no retry");
  assert.equal(record.nodes.call!.retries, undefined);
  const listed = await faulty("400");
  await callWithPolicy(listed.url, { ...policy, retryOn: ["HTTP_400"] });
  assert.equal(listed.hits.length, 3, "retried when the flow lists HTTP_400");
});

test("a transient failure that clears succeeds on a later attempt; maxTotalMs stops retries early", async () => {
  const flaky = await faulty("flaky");
  const record = await callWithPolicy(flaky.url, { maxAttempts: 5, backoff: "fixed", baseMs: 10 });
  assert.equal(flaky.hits.length, 3);
  assert.deepEqual(JSON.parse(JSON.stringify(record.nodes.call!.output.main)), [{ response: { ok: true } }]);
  assert.equal(record.nodes.call!.retries, 2);

  const bounded = await faulty("500");
  await callWithPolicy(bounded.url, { maxAttempts: 10, backoff: "fixed", baseMs: 200, maxTotalMs: 300 });
  assert.equal(bounded.hits.length, 2, "the third attempt would start past maxTotalMs");
});
