import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Webhook } from "standardwebhooks";
import {
  NO_RETRY,
  NodeFailure,
  createNodeContext,
  executeNode,
  guardedNet,
  memoryState,
  offlineHost,
  prepareNode,
  runNode,
  type Credential,
  type GuardedNet,
  type Item,
  type MemoryState,
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

  describe("410 Gone disables the endpoint", () => {
    /**
     * One live run of the node as the runner does it: no error port, so a failed item fails the
     * run; then the staged state is committed on success and discarded on failure.
     */
    async function liveRun(state: MemoryState, config: Record<string, unknown>, items: Item[] = [{ a: 1 }]) {
      try {
        const { outputs } = await runNode(webhookSend, { config: { credential: "partner-hook", ...config }, items, credential, host: { ...host, state }, mode: "live", dryRun: false, errorPort: false });
        state.commit();
        return { outputs };
      } catch (error) {
        state.discard();
        assert.ok(error instanceof NodeFailure, String(error));
        return { error: error.error };
      }
    }

    test("after a 410 the next run fails with ENDPOINT_DISABLED without a request; another URL is sent to", async () => {
      const state = memoryState();
      const url = `${receiver.url}/retired?token=tok-must-not-show`;
      // Were the endpoint asked again it would accept: only the mark can stop the second run.
      script.set("/retired", [410]);
      const first = await liveRun(state, { url });
      assert.equal(first.error?.code, "ENDPOINT_GONE");
      assert.equal(requestsTo("/retired").length, 1);
      const marks = [...state.committed.entries()];
      assert.equal(marks.length, 1, "the mark survived the failed run's discard");
      assert.match(marks[0]![0], /^node:gone:[A-Za-z0-9_-]{22}$/);
      assert.doesNotMatch(JSON.stringify(marks), /tok-must-not-show/);

      const second = await liveRun(state, { url }, [{ a: 2 }, { a: 3 }]);
      assert.equal(requestsTo("/retired").length, 1, "no request after the 410");
      const disabled = second.error!;
      assert.equal(disabled.code, "ENDPOINT_DISABLED");
      assert.equal(disabled.retryable, false);
      const { goneAt } = marks[0]![1] as { goneAt: string };
      assert.equal(disabled.message, `the webhook endpoint ${receiver.url}/retired?token=%5Bredacted%5D is disabled: its receiver answered 410 Gone at ${goneAt}, so Gate sends it nothing more`);
      assert.ok(Math.abs(Date.parse(goneAt) - Date.now()) < 60_000);
      assert.match(disabled.hint!, /^change the endpoint URL to re-enable, or /);
      assert.doesNotMatch(JSON.stringify([disabled.message, disabled.hint, disabled.details]), /tok-must-not-show/);

      const moved = await liveRun(state, { url: `${receiver.url}/retired-v2` });
      assert.equal(requestsTo("/retired-v2").length, 1);
      assert.equal((moved.outputs?.main?.[0] as { webhook: { status: number } }).webhook.status, 204);
      assert.equal(requestsTo("/retired?").length, 1, "the old URL is still not called");
    });

    test("items delivered before the 410 in the same run do not keep the endpoint enabled", async () => {
      const state = memoryState();
      script.set("/retired-staged", [204, 410]);
      // Two items in one run: the first is delivered, the second hits the 410, the run fails.
      const run = await liveRun(state, { url: `${receiver.url}/retired-staged` }, [{ n: 1 }, { n: 2 }]);
      assert.equal(run.error?.code, "ENDPOINT_GONE");
      const again = await liveRun(state, { url: `${receiver.url}/retired-staged` });
      assert.equal(again.error?.code, "ENDPOINT_DISABLED");
      assert.equal(requestsTo("/retired-staged").length, 2);
    });

    test("a dry run shows that the endpoint is disabled, with what it would send", async () => {
      const state = memoryState();
      script.set("/retired-dry", [410]);
      await liveRun(state, { url: `${receiver.url}/retired-dry` });
      const { outputs } = await runNode(webhookSend, { config: { url: `${receiver.url}/retired-dry`, credential: "partner-hook" }, items: [{ a: 1 }], credential, host: { ...host, state } });
      assert.equal(requestsTo("/retired-dry").length, 1);
      const out = outputs.main![0] as { wouldSend: { url: string; body: unknown }; endpointDisabled: { goneAt: string; error: string; hint: string } };
      assert.deepEqual(out.wouldSend.body, { a: 1 });
      assert.equal(out.endpointDisabled.goneAt, (state.committed.values().next().value as { goneAt: string }).goneAt);
      assert.match(out.endpointDisabled.error, /is disabled: its receiver answered 410 Gone at /);
      assert.match(out.endpointDisabled.hint, /^change the endpoint URL to re-enable/);
      // And a URL without a mark dry-runs as before.
      const fresh = await runNode(webhookSend, { config: { url: `${receiver.url}/fresh-dry`, credential: "partner-hook" }, items: [{ a: 1 }], credential, host: { ...host, state } });
      assert.equal("endpointDisabled" in (fresh.outputs.main![0] as object), false);
    });

    test('onGone "failRun": a 410 fails that run only, and an accepted delivery clears an earlier mark', async () => {
      const state = memoryState();
      const url = `${receiver.url}/revived`;
      script.set("/revived", [410, 410]);
      assert.equal((await liveRun(state, { url })).error?.code, "ENDPOINT_GONE");
      assert.equal((await liveRun(state, { url })).error?.code, "ENDPOINT_DISABLED");
      assert.equal(requestsTo("/revived").length, 1);

      // The receiver re-enabled the URL; the person sets "After 410 Gone" to failRun to send again.
      const retried = await liveRun(state, { url, onGone: "failRun" });
      assert.equal(retried.error?.code, "ENDPOINT_GONE", "410 once more: only this run fails");
      assert.match(retried.error.message, /answered 410 Gone: it has disabled this endpoint$/);
      const accepted = await liveRun(state, { url, onGone: "failRun" });
      assert.equal((accepted.outputs?.main?.[0] as { webhook: { status: number } }).webhook.status, 204);
      assert.equal(requestsTo("/revived").length, 3);
      // Back on the default: the mark was cleared by the accepted delivery, so it sends.
      const back = await liveRun(state, { url });
      assert.equal((back.outputs?.main?.[0] as { webhook: { status: number } }).webhook.status, 204);
      assert.equal(requestsTo("/revived").length, 4);
    });
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
