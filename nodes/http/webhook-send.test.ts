import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Webhook } from "standardwebhooks";
import {
  NO_RETRY,
  NodeFailure,
  createNodeContext,
  executeNode,
  guardedNet,
  offlineHost,
  prepareNode,
  runNode,
  type Credential,
  type GuardedNet,
  type Item,
  type NodeError,
  type NodeHost,
  type NodeLogger,
} from "../sdk";
import { json, startServer, type RecordedRequest, type TestServer } from "../sdk/net/test-support";
import webhookSend from "./webhook-send";

const SECRET = `whsec_${Buffer.from("a-32-byte-long-signing-secret!!!").toString("base64")}`;
const OLD_SECRET = `whsec_${Buffer.from("the-previous-signing-secret-0000").toString("base64")}`;
const credential: Credential = { id: "c1", name: "partner-hook", kind: "webhookSecret", data: { secret: SECRET } };

let receiver: TestServer;
let net: GuardedNet;
let host: NodeHost;
/** Per path: the statuses to answer in turn (then 204). */
const script = new Map<string, number[]>();

before(async () => {
  receiver = await startServer((req, res) => {
    const path = req.url.split("?")[0]!;
    const status = script.get(path)?.shift() ?? 204;
    if (status === 301) {
      res.writeHead(301, { location: `${receiver.url}/moved` });
      return res.end();
    }
    const headers: Record<string, string> = path === "/busy" || path === "/broken" ? { "retry-after": "7" } : {};
    if (status === 204) {
      res.writeHead(204);
      return res.end();
    }
    json(res, status, { status }, headers);
  });
  net = guardedNet({ allow: [`127.0.0.1:${receiver.port}`] });
  host = { ...offlineHost(), http: net.http, net: net.net };
});

after(async () => {
  await net.close();
  await receiver.close();
});

const headersOf = (r: RecordedRequest) => Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, String(v)]));

function requestsTo(path: string) {
  return receiver.requests.filter((r) => r.url.startsWith(path));
}

/** Run through the executor, as a live flow does: retries per policy, a capturing logger. */
async function deliver(config: Record<string, unknown>, items: Item[], options: { cred?: Credential; attempts?: number } = {}) {
  const logs: { level: string; msg: string; data?: Record<string, unknown> }[] = [];
  const capture = (level: string) => (msg: string, data?: Record<string, unknown>) => logs.push({ level, msg, ...(data ? { data } : {}) });
  const log: NodeLogger = { debug: capture("debug"), info: capture("info"), warn: capture("warn"), error: capture("error") };
  const node = prepareNode("notify", webhookSend, config);
  const ctx = createNodeContext({
    nodeId: "notify",
    mode: "live",
    dryRun: false,
    signal: new AbortController().signal,
    log,
    bindings: { execution: { id: "exec-42", mode: "live" }, flow: { name: "f" } },
    host,
  });
  const outcome = await executeNode(node, { main: items }, {
    ctx,
    credential: options.cred ?? credential,
    errorPortConnected: true,
    retry: { ...NO_RETRY, maxAttempts: options.attempts ?? 1, baseMs: 1, maxDelayMs: 1 },
  });
  assert.equal(outcome.kind, "batch");
  return { outputs: outcome.kind === "batch" ? outcome.outputs : {}, logs };
}

describe("webhook.send", () => {
  test("live: a JSON event with Standard Webhooks headers that the standardwebhooks package verifies", async () => {
    const { outputs } = await deliver({ url: `${receiver.url}/ok`, credential: "partner-hook" }, [{ orderId: 7, total: 12.5 }]);
    const [req] = requestsTo("/ok");
    assert.ok(req);
    assert.equal(req.method, "POST");
    assert.equal(req.headers["content-type"], "application/json");
    const verified = new Webhook(SECRET).verify(req.body, headersOf(req));
    assert.deepEqual(verified, { orderId: 7, total: 12.5 });
    const out = outputs.main![0] as { orderId: number; webhook: { id: string; status: number; attempt: number } };
    assert.equal(out.webhook.status, 204);
    assert.equal(out.webhook.id, req.headers["webhook-id"]);
    assert.match(out.webhook.id, /^msg_[A-Za-z0-9_-]{26}$/);
  });

  test("a tampered body or another secret fails verification", () => {
    const [req] = requestsTo("/ok");
    assert.throws(() => new Webhook(SECRET).verify(req!.body.replace("7", "8"), headersOf(req!)));
    assert.throws(() => new Webhook(OLD_SECRET).verify(req!.body, headersOf(req!)));
  });

  test("payload expression and event envelope; a raw (non-whsec) secret signs with its bytes", async () => {
    const raw: Credential = { id: "c2", name: "raw", kind: "webhookSecret", data: { secret: "plain shared secret" } };
    await deliver(
      { url: `${receiver.url}/envelope`, credential: "raw", eventType: "order.paid", payload: { kind: "expr", expr: "{ 'id': orderId }" } },
      [{ orderId: 9 }],
      { cred: raw },
    );
    const [req] = requestsTo("/envelope");
    const event = new Webhook(Buffer.from("plain shared secret"), { format: "raw" }).verify(req!.body, headersOf(req!)) as {
      type: string;
      timestamp: string;
      data: unknown;
    };
    assert.equal(event.type, "order.paid");
    assert.deepEqual(event.data, { id: 9 });
    assert.ok(Math.abs(Date.parse(event.timestamp) / 1000 - Number(req!.headers["webhook-timestamp"])) < 1);
  });

  test("during a secret rotation both signatures are sent; receivers on either secret verify", async () => {
    const rotating: Credential = { ...credential, previous: { data: { secret: OLD_SECRET }, until: new Date(Date.now() + 3_600_000).toISOString() } };
    await deliver({ url: `${receiver.url}/rotate`, credential: "partner-hook" }, [{ a: 1 }], { cred: rotating });
    const [req] = requestsTo("/rotate");
    assert.equal(String(req!.headers["webhook-signature"]).split(" ").length, 2);
    assert.deepEqual(new Webhook(SECRET).verify(req!.body, headersOf(req!)), { a: 1 });
    assert.deepEqual(new Webhook(OLD_SECRET).verify(req!.body, headersOf(req!)), { a: 1 });
  });

  test("webhook-id is the same on every retry of an item and differs between items, even identical ones", async () => {
    script.set("/flaky", [503, 204, 500, 500, 204, 204]);
    const { outputs, logs } = await deliver({ url: `${receiver.url}/flaky`, credential: "partner-hook" }, [{ n: 1 }, { n: 2 }, { n: 2 }], { attempts: 3 });
    const ids = requestsTo("/flaky").map((r) => String(r.headers["webhook-id"]));
    assert.equal(ids.length, 6);
    assert.equal(ids[0], ids[1], "item 1: attempt 1 and 2");
    assert.equal(ids[2], ids[3]);
    assert.equal(ids[3], ids[4], "item 2: attempts 1 to 3");
    assert.equal(new Set([ids[0], ids[2], ids[5]]).size, 3, "three items, three ids");
    for (const r of requestsTo("/flaky")) new Webhook(SECRET).verify(r.body, headersOf(r));
    assert.equal(outputs.main!.length, 3);
    assert.deepEqual(
      logs.filter((l) => l.msg === "webhook delivery").map((l) => [l.data!.status, l.data!.attempt]),
      [[503, 1], [204, 2], [500, 1], [500, 2], [204, 3], [204, 1]],
    );
    for (const l of logs) assert.equal(typeof l.data!.durationMs, "number");
    assert.doesNotMatch(JSON.stringify(logs), /whsec_|signing-secret/);
  });

  test("410 Gone is ENDPOINT_GONE, not retried", async () => {
    script.set("/gone", [410, 410]);
    const { outputs } = await deliver({ url: `${receiver.url}/gone`, credential: "partner-hook" }, [{ a: 1 }], { attempts: 3 });
    const error = (outputs.error![0] as { error: { code: string; hint: string; attempt: number } }).error;
    assert.equal(error.code, "ENDPOINT_GONE");
    assert.match(error.hint, /edit the flow/);
    assert.equal(error.attempt, 1);
    assert.equal(requestsTo("/gone").length, 1);
  });

  test("a redirect is a failure and is never followed", async () => {
    script.set("/redirect", [301]);
    const { outputs } = await deliver({ url: `${receiver.url}/redirect`, credential: "partner-hook" }, [{ a: 1 }]);
    assert.equal((outputs.error![0] as { error: { code: string } }).error.code, "WEBHOOK_REDIRECTED");
    assert.equal(requestsTo("/moved").length, 0);
  });

  test("429 and 5xx are retryable and carry Retry-After; other 4xx are not retried", async () => {
    const run = async (path: string) => {
      try {
        await runNode(webhookSend, { config: { url: `${receiver.url}${path}`, credential: "partner-hook" }, items: [{}], credential, host, dryRun: false, errorPort: false });
      } catch (error) {
        assert.ok(error instanceof NodeFailure);
        return error.error;
      }
      assert.fail("expected a failure");
    };
    script.set("/busy", [429]);
    const busy: NodeError = await run("/busy");
    assert.equal(busy.code, "HTTP_429");
    assert.equal(busy.retryable, true);
    assert.equal(busy.retryAfterMs, 7000);
    script.set("/broken", [500]);
    const broken = await run("/broken");
    assert.equal(broken.retryable, true);
    assert.equal(broken.retryAfterMs, 7000);
    script.set("/bad", [400]);
    const bad = await run("/bad");
    assert.equal(bad.code, "HTTP_400");
    assert.equal(bad.retryable, false);
  });

  test("in a test run nothing is sent; the exact request is returned", async () => {
    const before = receiver.requests.length;
    const { outputs } = await runNode(webhookSend, { config: { url: `${receiver.url}/dry`, credential: "partner-hook" }, items: [{ a: 1 }], credential, host });
    assert.equal(receiver.requests.length, before);
    const sent = (outputs.main![0] as { wouldSend: { method: string; url: string; headers: Record<string, string>; body: unknown } }).wouldSend;
    assert.equal(sent.method, "POST");
    assert.equal(sent.url, `${receiver.url}/dry`);
    assert.deepEqual(sent.body, { a: 1 });
    assert.deepEqual(new Webhook(SECRET).verify(JSON.stringify(sent.body), sent.headers), { a: 1 });
    assert.doesNotMatch(JSON.stringify(outputs), /whsec_/);
  });

  test("an internal receiver address is refused by the SSRF guard", async () => {
    const { outputs } = await runNode(webhookSend, { config: { url: "http://169.254.169.254/hook", credential: "partner-hook" }, items: [{}], credential, host, dryRun: false });
    assert.equal((outputs.error![0] as { error: { code: string } }).error.code, "OUTBOUND_BLOCKED");
  });
});
