import "./ephemeral-env";
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { getExecution } from "../../db/executions";
import { hookFlow, startGate, waitFor } from "./testing";

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  body: JSON.stringify(body),
  headers: { "content-type": "application/json", ...headers },
});

describe("webhook ingress", () => {
  test("unknown path → 404, inactive flow → 404 with nothing stored, wrong method → 405 with Allow", async (t) => {
    const gate = await startGate(t);
    const res = await gate.hook("nope", json({ a: 1 }));
    assert.equal(res.status, 404);
    assert.match(((await res.json()) as { error: string }).error, /no active webhook at \/hooks\/nope/);

    const id = gate.flow(hookFlow("inactive", { path: "sleepy" }));
    const { setFlowActive } = await import("../../db/flows");
    setFlowActive(gate.services.gdb, id, false);
    assert.equal((await gate.hook("sleepy", json({ a: 1 }))).status, 404);
    assert.equal(gate.eventsOf(id).length, 0);

    gate.flow(hookFlow("puts", { path: "only-put", method: "PUT" }));
    const wrong = await gate.hook("only-put", json({}));
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get("allow"), "PUT");
    assert.equal((await gate.hook("only-put", { method: "PUT", ...json({}) })).status, 202);
  });

  test("202 with an event id once stored; a worker runs it with $request and the body as items", async (t) => {
    const gate = await startGate(t);
    const flowId = gate.flow(hookFlow("orders", { path: "shop/orders" }));
    const res = await gate.hook("shop/orders?source=test", json([{ id: 1 }, { id: 2 }], { authorization: "Bearer sekrit-token" }));
    assert.equal(res.status, 202);
    const { eventId } = (await res.json()) as { eventId: string };
    assert.match(eventId, /^[0-9a-f-]{36}$/);
    const done = await waitFor(() => gate.eventsOf(flowId).find((e) => e.id === eventId && e.status === "done"));
    const execution = getExecution(gate.services.gdb, done.executionId!);
    assert.equal(execution?.status, "success");
    assert.deepEqual(execution?.nodes.map!.output.main, [{ id: 1 }, { id: 2 }]);
    const request = JSON.parse(done.request) as { headers: Record<string, string>; query: Record<string, string> };
    assert.equal(request.headers.authorization, "[redacted]");
    assert.deepEqual(request.query, { source: "test" });
    assert.ok(!JSON.stringify(execution).includes("sekrit-token"));
  });

  test("API key header and HTTP basic, with the previous key during a rotation", async (t) => {
    const gate = await startGate(t);
    gate.services.vault.set("partner-key", "apiKey", { key: "k-old-1234567890" });
    gate.services.vault.set("partner-key", "apiKey", { key: "k-new-1234567890" }, { graceMs: 60_000 });
    gate.services.vault.set("partner-basic", "basic", { username: "acme", password: "pa55word" });
    const keyed = gate.flow(hookFlow("keyed", { path: "keyed", auth: { type: "apiKey", header: "X-Partner-Key", credential: "partner-key" } }));
    gate.flow(hookFlow("basic", { path: "basic", auth: { type: "basic", credential: "partner-basic" } }));

    const missing = await gate.hook("keyed", json({}));
    assert.equal(missing.status, 401);
    assert.match(((await missing.json()) as { error: string }).error, /missing x-partner-key/);
    assert.equal((await gate.hook("keyed", json({}, { "x-partner-key": "wrong" }))).status, 401);
    assert.equal((await gate.hook("keyed", json({}, { "x-partner-key": "k-new-1234567890" }))).status, 202);
    assert.equal((await gate.hook("keyed", json({}, { "x-partner-key": "k-old-1234567890" }))).status, 202);
    assert.equal(gate.eventsOf(keyed).length, 2);

    const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` });
    const noAuth = await gate.hook("basic", json({}));
    assert.equal(noAuth.status, 401);
    assert.match(noAuth.headers.get("www-authenticate") ?? "", /^Basic realm=/);
    assert.equal((await gate.hook("basic", json({}, basic("acme", "nope")))).status, 401);
    assert.equal((await gate.hook("basic", json({}, basic("acme", "pa55word")))).status, 202);

    // The API key never reaches the log, in any header.
    const log = gate.services.webhooks.log.query({ limit: 50 });
    assert.ok(!JSON.stringify(log).includes("k-new-1234567890") && !JSON.stringify(log).includes("k-old-1234567890"));
    assert.equal(log.items.find((r) => r.path === "keyed" && r.status === 202)?.headers["x-partner-key"], "[redacted]");
  });

  test("IP allowlist: 403 outside the ranges", async (t) => {
    const gate = await startGate(t);
    const inside = gate.flow(hookFlow("lan", { path: "lan", ipAllowlist: ["127.0.0.0/8"] }));
    gate.flow(hookFlow("far", { path: "far", ipAllowlist: ["203.0.113.0/24", "2001:db8::/32"] }));
    assert.equal((await gate.hook("lan", json({}))).status, 202);
    const refused = await gate.hook("far", json({}));
    assert.equal(refused.status, 403);
    assert.match(((await refused.json()) as { error: string }).error, /127\.0\.0\.1 is not in the allowlist/);
    assert.equal(gate.eventsOf(inside).length, 1);
  });

  test("body limit → 413, declared or streamed", async (t) => {
    const gate = await startGate(t);
    const flowId = gate.flow(hookFlow("small", { path: "small", maxBodyBytes: 1024 }));
    const big = JSON.stringify({ blob: "x".repeat(5000) });
    const declared = await gate.hook("small", { body: big, headers: { "content-type": "application/json" } });
    assert.equal(declared.status, 413);
    assert.match(((await declared.json()) as { error: string }).error, /limit of 1024 bytes/);
    const chunks = new ReadableStream({
      start(c) {
        for (let i = 0; i < 5; i++) c.enqueue(new TextEncoder().encode("x".repeat(500)));
        c.close();
      },
    });
    const streamed = await gate.hook("small", { body: chunks, headers: { "content-type": "text/plain" }, duplex: "half" } as RequestInit);
    assert.equal(streamed.status, 413);
    assert.equal((await gate.hook("small", json({ ok: true }))).status, 202);
    assert.equal(gate.eventsOf(flowId).length, 1);
  });

  test("malformed JSON → 400 with line, column and position; __proto__ payloads refused", async (t) => {
    const gate = await startGate(t);
    const flowId = gate.flow(hookFlow("strict", { path: "strict" }));
    const bad = await gate.hook("strict", { body: '{\n  "a": 1,\n  "b": }', headers: { "content-type": "application/json" } });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { error: string }).error, "malformed JSON at line 3, column 8 (position 19): expected a value");
    const truncated = await gate.hook("strict", { body: '{"a": [1, 2', headers: { "content-type": "application/json" } });
    assert.match(((await truncated.json()) as { error: string }).error, /position 11/);

    for (const body of ['{"__proto__": {"polluted": true}}', '{"a": {"constructor": {"prototype": {"polluted": true}}}}', '{"\\u005f_proto__": {"polluted": true}}']) {
      const res = await gate.hook("strict", { body, headers: { "content-type": "application/json" } });
      assert.equal(res.status, 400, body);
      assert.match(((await res.json()) as { error: string }).error, /forbidden key at \$/);
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    // A field merely named constructor is data, not an attack.
    assert.equal((await gate.hook("strict", json({ constructor: "Acme Builders" }))).status, 202);
    assert.equal(gate.eventsOf(flowId).length, 1);
  });

  test("form, XML (no DTD) and text bodies; unsupported types → 415", async (t) => {
    const gate = await startGate(t);
    const flowId = gate.flow(hookFlow("kinds", { path: "kinds" }));
    const payloadOf = async (res: Response) => {
      const { eventId } = (await res.json()) as { eventId: string };
      return JSON.parse(gate.eventsOf(flowId).find((e) => e.id === eventId)!.payload) as unknown;
    };
    const form = await gate.hook("kinds", { body: "a=1&tag=x&tag=y", headers: { "content-type": "application/x-www-form-urlencoded" } });
    assert.deepEqual(await payloadOf(form), { a: "1", tag: ["x", "y"] });
    const xml = await gate.hook("kinds", { body: '<order id="7"><zip>00123</zip></order>', headers: { "content-type": "application/xml" } });
    assert.deepEqual(await payloadOf(xml), { order: { "@id": "7", zip: "00123" } });
    const text = await gate.hook("kinds", { body: "hello", headers: { "content-type": "text/plain" } });
    assert.deepEqual(await payloadOf(text), { body: "hello" });

    const entity = await gate.hook("kinds", {
      body: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>',
      headers: { "content-type": "application/xml" },
    });
    assert.equal(entity.status, 400);
    const broken = await gate.hook("kinds", { body: "<a><b></a>", headers: { "content-type": "text/xml" } });
    assert.equal(broken.status, 400);
    assert.match(((await broken.json()) as { error: string }).error, /malformed XML at line 1, column \d+/);
    const binary = await gate.hook("kinds", { body: "x", headers: { "content-type": "application/octet-stream" } });
    assert.equal(binary.status, 415);
  });

  test("JSON Schema: 400 listing every violation", async (t) => {
    const gate = await startGate(t);
    const schema = {
      type: "object",
      required: ["id", "email"],
      properties: { id: { type: "integer" }, email: { type: "string", format: "email" }, qty: { type: "number", minimum: 1 } },
    };
    const flowId = gate.flow(hookFlow("typed", { path: "typed", schema }));
    const res = await gate.hook("typed", json({ id: "x", qty: 0 }));
    assert.equal(res.status, 400);
    const { error } = (await res.json()) as { error: string };
    assert.match(error, /3 violations/);
    for (const part of ["/email: must have required property 'email'", "/id: must be integer", "/qty: must be >= 1"]) assert.ok(error.includes(part), `${part} in ${error}`);
    assert.equal((await gate.hook("typed", json({ id: 1, email: "a@example.com" }))).status, 202);
    assert.equal(gate.eventsOf(flowId).length, 1);
  });

  test("rate limit → 429 with Retry-After", async (t) => {
    const gate = await startGate(t);
    const flowId = gate.flow(hookFlow("limited", { path: "limited", rateLimit: { requests: 2, perSeconds: 60 } }));
    assert.equal((await gate.hook("limited", json({}))).status, 202);
    assert.equal((await gate.hook("limited", json({}))).status, 202);
    const third = await gate.hook("limited", json({}));
    assert.equal(third.status, 429);
    const retryAfter = Number(third.headers.get("retry-after"));
    assert.ok(retryAfter >= 1 && retryAfter <= 30, `Retry-After ${retryAfter}`);
    assert.equal(gate.eventsOf(flowId).length, 2);
  });

  test("idempotent redelivery: same event id, one run (webhook-id, X-GitHub-Delivery, configured header)", async (t) => {
    const gate = await startGate(t);
    const flowId = gate.flow(hookFlow("once", { path: "once", idempotencyHeader: "X-Request-Id" }));
    for (const header of ["webhook-id", "x-github-delivery", "x-request-id"]) {
      const first = (await (await gate.hook("once", json({ n: 1 }, { [header]: `d-${header}` }))).json()) as { eventId: string };
      const again = await gate.hook("once", json({ n: 1 }, { [header]: `d-${header}` }));
      assert.equal(again.status, 202);
      assert.deepEqual(await again.json(), { eventId: first.eventId, duplicate: true });
    }
    const rows = await waitFor(() => {
      const all = gate.eventsOf(flowId);
      return all.every((e) => e.status === "done") ? all : undefined;
    });
    assert.equal(rows.length, 3);
    assert.equal(new Set(rows.map((r) => r.executionId)).size, 3);
    const duplicates = gate.services.webhooks.log.query({ flowId, outcome: "duplicate", limit: 10 });
    assert.equal(duplicates.items.length, 3);
  });

  test("the webhook log: every request with outcome, reason, size and redacted headers, queryable through tRPC", async (t) => {
    const gate = await startGate(t);
    const flowId = gate.flow(hookFlow("logged", { path: "logged", maxBodyBytes: 100 }));
    await gate.hook("logged", json({ a: 1 }, { cookie: "sid=abc123", "x-api-key": "k-123456", "stripe-signature": "t=1,v1=00", "x-trace": "visible" }));
    await gate.hook("logged", { body: "{", headers: { "content-type": "application/json" } });
    await gate.hook("missing", json({}));
    const { appRouter } = await import("../../api/root");
    // A signed-in viewer: the log is readable with the lowest role.
    const viewer = { id: "u1", email: "viewer@example.com", name: "Viewer", role: "viewer" } as const;
    const caller = appRouter.createCaller({ services: gate.services, user: viewer, ip: "127.0.0.1", request: { secure: false } });
    const page = await caller.webhooks.log({ limit: 10 });
    assert.equal(page.items.length, 3);
    const [unknown, malformed, accepted] = page.items;
    assert.deepEqual([unknown!.status, unknown!.outcome, unknown!.flowId], [404, "rejected", null]);
    assert.deepEqual([malformed!.status, malformed!.outcome], [400, "rejected"]);
    assert.match(malformed!.reason!, /malformed JSON/);
    assert.deepEqual([accepted!.status, accepted!.outcome, accepted!.flowId, accepted!.bytes], [202, "accepted", flowId, 7]);
    assert.equal(accepted!.sourceIp.endsWith("127.0.0.1"), true);
    assert.ok(accepted!.latencyMs >= 0);
    for (const secret of ["cookie", "x-api-key", "stripe-signature"]) assert.equal(accepted!.headers[secret], "[redacted]");
    assert.equal(accepted!.headers["x-trace"], "visible");
    const rejected = await caller.webhooks.log({ flowId, outcome: "rejected", limit: 1 });
    assert.equal(rejected.items.length, 1);
    assert.ok(rejected.nextCursor === undefined);
    const eventsPage = await caller.webhooks.events({ flowId, limit: 10 });
    assert.equal(eventsPage.items[0]?.id, accepted!.eventId);
  });
});
