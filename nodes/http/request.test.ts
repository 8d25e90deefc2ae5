import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { TLSSocket } from "node:tls";
import {
  NO_RETRY,
  NodeFailure,
  createNodeContext,
  executeNode,
  guardedNet,
  offlineHost,
  prepareNode,
  runNode,
  silentLogger,
  type Credential,
  type GuardedNet,
  type Item,
  type NodeError,
  type NodeHost,
} from "../sdk";
import { json, startServer, testCerts, type TestServer } from "../sdk/net/test-support";
import request from "./request";

const cred = (kind: string, data: Record<string, unknown>, name = `my-${kind}`): Credential => ({ id: `id-${name}`, name, kind, data });

let api: TestServer;
let net: GuardedNet;
let host: NodeHost;
let tokenCounter = 0;
let validToken = "";

before(async () => {
  api = await startServer((req, res) => {
    const url = new URL(req.url, "http://x");
    const p = url.pathname;
    if (p === "/echo")
      return json(res, 200, { method: req.method, query: Object.fromEntries(url.searchParams), headers: req.headers, body: req.body });
    if (p === "/users") return json(res, 200, [{ id: 1 }, { id: 2 }]);
    if (p === "/binary") {
      res.writeHead(200, { "content-type": "image/png" });
      return res.end(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]));
    }
    if (p === "/text") {
      res.writeHead(200, { "content-type": "application/xml" });
      return res.end("<a>1</a>");
    }
    if (p === "/status") {
      const code = Number(url.searchParams.get("code"));
      const headers: Record<string, string> = {};
      if (url.searchParams.get("after")) headers["retry-after"] = url.searchParams.get("after")!;
      // Echo what was sent, as some APIs do in their error bodies.
      return json(res, code, { error: "nope", youSent: { authorization: req.headers.authorization, key: req.headers["x-api-key"], query: req.url } }, headers);
    }
    if (p === "/link") {
      const page = Number(url.searchParams.get("p") ?? "1");
      const headers: Record<string, string> = page < 3 ? { link: `<${api.url}/link?p=${page + 1}>; rel="next", <${api.url}/link?p=3>; rel="last"` } : {};
      return json(res, 200, { data: [{ page, n: 1 }, { page, n: 2 }] }, headers);
    }
    if (p === "/cursor") {
      const cursor = url.searchParams.get("after") ?? "start";
      const next: Record<string, string | null> = { start: "c2", c2: "c3", c3: null };
      return json(res, 200, { items: [{ cursor }], meta: { next: next[cursor] ?? null } });
    }
    if (p === "/pages") {
      const page = Number(url.searchParams.get("page"));
      return json(res, 200, page <= 2 ? [{ page }] : []);
    }
    if (p === "/token") {
      const basic = Buffer.from("client-1:s3cret-client").toString("base64");
      if (req.headers.authorization !== `Basic ${basic}` || !req.body.includes("grant_type=client_credentials"))
        return json(res, 401, { error: "invalid_client" });
      validToken = `tok-${++tokenCounter}`;
      return json(res, 200, { access_token: validToken, token_type: "Bearer", expires_in: 3600 });
    }
    if (p === "/protected") {
      if (req.headers.authorization !== `Bearer ${validToken}`) return json(res, 401, { error: "invalid_token" });
      return json(res, 200, { ok: true, token: validToken });
    }
    json(res, 404, { error: "not found" });
  });
  net = guardedNet({ allow: [`127.0.0.1:${api.port}`] });
  host = { ...offlineHost(), http: net.http, net: net.net };
});

after(async () => {
  await net.close();
  await api.close();
});

/** Run the node live (not a dry run), failures thrown. */
async function live(config: Record<string, unknown>, items: Item[] = [{}], credential?: Credential) {
  return runNode(request, { config, items, host, dryRun: false, errorPort: false, ...(credential ? { credential } : {}) });
}

async function failure(config: Record<string, unknown>, credential?: Credential): Promise<NodeError> {
  try {
    await live(config, [{}], credential);
  } catch (error) {
    assert.ok(error instanceof NodeFailure, String(error));
    return error.error;
  }
  assert.fail("expected the request to fail");
}

describe("http.request: requests and responses", () => {
  test("GET with query and headers: the JSON response is merged into the item under `response`", async () => {
    const { outputs } = await live(
      { url: `${api.url}/echo`, query: { q: { kind: "expr", expr: "name" }, tags: ["a", "b"], n: 3 }, headers: { "X-Trace": { kind: "expr", expr: "'t-' & id" } } },
      [{ id: 7, name: "ada" }],
    );
    const out = outputs.main![0]! as { id: number; response: { method: string; query: Record<string, string>; headers: Record<string, string> } };
    assert.equal(out.id, 7);
    assert.equal(out.response.method, "GET");
    assert.deepEqual(out.response.query, { q: "ada", tags: "b", n: "3" });
    assert.equal(out.response.headers["x-trace"], "t-7");
    assert.match(out.response.headers["user-agent"]!, /^Gate\//);
  });

  test("replace mode turns a list response into one item per entry; fullResponse adds status and headers", async () => {
    const { outputs } = await live({ url: `${api.url}/users`, output: "replace" });
    assert.deepEqual(outputs.main, [{ id: 1 }, { id: 2 }]);
    const full = await live({ url: `${api.url}/users`, fullResponse: true, outputKey: "res" }, [{ a: 1 }]);
    const res = (full.outputs.main![0] as { res: { status: number; headers: Record<string, string>; body: unknown } }).res;
    assert.equal(res.status, 200);
    assert.equal(res.headers["content-type"], "application/json");
    assert.deepEqual(res.body, [{ id: 1 }, { id: 2 }]);
  });

  test("binary responses become base64 with size; XML stays text", async () => {
    const bin = await live({ url: `${api.url}/binary` });
    assert.deepEqual((bin.outputs.main![0] as Item).response, { contentType: "image/png", size: 7, base64: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]).toString("base64") });
    const xml = await live({ url: `${api.url}/text` });
    assert.equal((xml.outputs.main![0] as Item).response, "<a>1</a>");
  });

  test("POST sends the item as JSON by default; form, multipart and raw bodies", async () => {
    const echo = async (config: Record<string, unknown>, item: Item) =>
      ((await live({ url: `${api.url}/echo`, method: "POST", ...config }, [item])).outputs.main![0] as { response: { headers: Record<string, string>; body: string } }).response;
    const asJson = await echo({}, { name: "Ada", n: 1 });
    assert.equal(asJson.headers["content-type"], "application/json");
    assert.deepEqual(JSON.parse(asJson.body), { name: "Ada", n: 1 });
    const form = await echo({ bodyMode: "form" }, { name: "Ada Lovelace", tags: ["x", "y"] });
    assert.equal(form.headers["content-type"], "application/x-www-form-urlencoded");
    assert.equal(form.body, "name=Ada+Lovelace&tags=x&tags=y");
    const multi = await echo({ bodyMode: "multipart", body: { note: "hi", file: { base64: Buffer.from("hello").toString("base64"), filename: "a.txt", contentType: "text/plain" } } }, {});
    assert.match(multi.headers["content-type"]!, /^multipart\/form-data; boundary=/);
    assert.match(multi.body, /name="file"; filename="a.txt"\r\nContent-Type: text\/plain\r\n\r\nhello/);
    const raw = await echo({ bodyMode: "raw", body: { kind: "expr", expr: "'<x>' & name & '</x>'" }, contentType: "application/xml" }, { name: "Ada" });
    assert.equal(raw.headers["content-type"], "application/xml");
    assert.equal(raw.body, "<x>Ada</x>");
  });

  test("a body that does not fit its mode is a clear error on the item", async () => {
    const { outputs } = await runNode(request, { config: { url: `${api.url}/echo`, method: "POST", bodyMode: "raw" }, items: [{ a: 1 }], host, dryRun: false });
    const error = (outputs.error![0] as { error: { code: string; message: string } }).error;
    assert.equal(error.code, "BODY_INVALID");
    assert.match(error.message, /raw body must be text, but the value is a object/);
  });

  test("a URL expression that returns nothing, or an internal address, fails the item with a clear error", async () => {
    const { outputs } = await runNode(request, { config: { url: { kind: "expr", expr: "missing" } }, items: [{}], host });
    assert.equal((outputs.error![0] as { error: { code: string } }).error.code, "URL_INVALID");
    const blocked = await runNode(request, { config: { url: `http://127.0.0.1:${api.port + 1}/` }, items: [{}], host });
    const error = (blocked.outputs.error![0] as { error: { code: string; hint: string } }).error;
    assert.equal(error.code, "OUTBOUND_BLOCKED");
    assert.match(error.hint, /GATE_ALLOW_HOSTS/);
  });
});

describe("http.request: test runs", () => {
  test("a POST in a test run sends nothing and returns method, URL, redacted headers and body", async () => {
    const before = api.requests.length;
    const { outputs } = await runNode(request, {
      config: { url: `${api.url}/echo`, method: "POST", headers: { "X-Custom": "v" }, credential: "my-bearer" },
      items: [{ name: "Ada" }],
      credential: cred("bearer", { token: "very-secret-token" }),
      host,
    });
    assert.equal(api.requests.length, before, "the server received nothing");
    const sent = (outputs.main![0] as { wouldSend: { method: string; url: string; headers: Record<string, string>; body: unknown } }).wouldSend;
    assert.equal(sent.method, "POST");
    assert.equal(sent.url, `${api.url}/echo`);
    assert.equal(sent.headers.authorization, "[redacted]");
    assert.equal(sent.headers["x-custom"], "v");
    assert.equal(sent.headers["content-type"], "application/json");
    assert.deepEqual(sent.body, { name: "Ada" });
    assert.doesNotMatch(JSON.stringify(outputs), /very-secret-token/);
  });

  test("an API key in the query is shown redacted in a dry run", async () => {
    const { outputs } = await runNode(request, {
      config: { url: `${api.url}/echo?x=1`, method: "DELETE", credential: "k" },
      items: [{}],
      credential: cred("apiKey", { key: "k-123456", in: "query", name: "api_key" }),
      host,
    });
    assert.equal((outputs.main![0] as { wouldSend: { url: string } }).wouldSend.url, `${api.url}/echo?x=1&api_key=%5Bredacted%5D`);
  });

  test("a GET runs in a test run (reads have no side effects) unless testRuns is dryRunAll", async () => {
    const before = api.requests.length;
    const read = await runNode(request, { config: { url: `${api.url}/users` }, items: [{}], host });
    assert.deepEqual((read.outputs.main![0] as Item).response, [{ id: 1 }, { id: 2 }]);
    assert.equal(api.requests.length, before + 1);
    const dry = await runNode(request, { config: { url: `${api.url}/users`, testRuns: "dryRunAll" }, items: [{}], host });
    assert.equal(api.requests.length, before + 1);
    assert.equal((dry.outputs.main![0] as { wouldSend: { method: string } }).wouldSend.method, "GET");
  });
});

describe("http.request: authentication", () => {
  test("apiKey in a header and in the query; basic; bearer; authorization-code access token", async () => {
    const headersOf = async (credential: Credential) =>
      ((await live({ url: `${api.url}/echo`, credential: credential.name }, [{}], credential)).outputs.main![0] as {
        response: { headers: Record<string, string>; query: Record<string, string> };
      }).response;
    assert.equal((await headersOf(cred("apiKey", { key: "k-1" }))).headers["x-api-key"], "k-1");
    assert.deepEqual((await headersOf(cred("apiKey", { key: "k-2", in: "query", name: "token" }))).query, { token: "k-2" });
    assert.equal((await headersOf(cred("basic", { username: "ada", password: "pw" }))).headers.authorization, `Basic ${Buffer.from("ada:pw").toString("base64")}`);
    assert.equal((await headersOf(cred("bearer", { token: "b-1" }))).headers.authorization, "Bearer b-1");
    const code = cred("oauth2AuthorizationCode", { authorizeUrl: "https://idp.example/authorize", tokenUrl: "https://idp.example/token", clientId: "c", accessToken: "at-1" });
    assert.equal((await headersOf(code)).headers.authorization, "Bearer at-1");
  });

  test("an authorization-code credential that was never connected is a clear error", async () => {
    const error = await failure(
      { url: `${api.url}/echo`, credential: "x" },
      cred("oauth2AuthorizationCode", { authorizeUrl: "https://idp.example/a", tokenUrl: "https://idp.example/t", clientId: "c" }, "crm"),
    );
    assert.equal(error.code, "CREDENTIAL_NOT_CONNECTED");
    assert.match(error.message, /"crm"/);
  });

  test("oauth2 client credentials: token fetched through the guarded client, cached, renewed once after a 401", async () => {
    const credential = cred("oauth2ClientCredentials", { tokenUrl: `${api.url}/token`, clientId: "client-1", clientSecret: "s3cret-client", scope: "read" });
    const start = tokenCounter;
    const first = await live({ url: `${api.url}/protected`, credential: "c" }, [{}, {}], credential);
    assert.deepEqual(first.outputs.main!.map((i) => (i.response as { token: string }).token), [`tok-${start + 1}`, `tok-${start + 1}`]);
    assert.equal(tokenCounter, start + 1, "one token for both items");
    validToken = "rotated-by-the-server";
    const second = await live({ url: `${api.url}/protected`, credential: "c" }, [{}], credential);
    assert.equal((second.outputs.main![0]!.response as { token: string }).token, `tok-${start + 2}`);
    assert.equal(tokenCounter, start + 2);
  });

  test("oauth2 client credentials with a wrong secret: OAUTH_TOKEN naming the credential, secret not shown", async () => {
    const credential = cred("oauth2ClientCredentials", { tokenUrl: `${api.url}/token`, clientId: "client-1", clientSecret: "wrong-secret-value" }, "billing");
    const error = await failure({ url: `${api.url}/protected`, credential: "billing" }, credential);
    assert.equal(error.code, "OAUTH_TOKEN");
    assert.match(error.message, /"billing".*401.*invalid_client/);
    assert.match(error.hint!, /client id and secret/);
    assert.doesNotMatch(error.message, /wrong-secret-value/);
  });

  test("clientCertificate: mTLS against an HTTPS server that requires a client certificate", async () => {
    const certs = testCerts();
    const tlsApi = await startServer(
      (_req, res, raw) => json(res, 200, { cn: (raw.socket as TLSSocket).getPeerCertificate().subject?.CN ?? null }),
      { tls: { cert: certs.serverCert, key: certs.serverKey, ca: certs.ca, requestCert: true, rejectUnauthorized: true } },
    );
    const tlsNet = guardedNet({ allow: [`127.0.0.1:${tlsApi.port}`] });
    try {
      const { outputs } = await runNode(request, {
        config: { url: tlsApi.url, credential: "mtls" },
        items: [{}],
        credential: cred("clientCertificate", { cert: certs.clientCert, key: certs.clientKey, ca: certs.ca }, "mtls"),
        host: { ...host, http: tlsNet.http, net: tlsNet.net },
        errorPort: false,
      });
      assert.deepEqual((outputs.main![0] as Item).response, { cn: "client" });
    } finally {
      await tlsNet.close();
      await tlsApi.close();
    }
  });
});

describe("http.request: errors", () => {
  test("401 / 403 point at the credential, 404 at the URL; 4xx are not retried", async () => {
    const e401 = await failure({ url: `${api.url}/status?code=401`, credential: "crm" }, cred("bearer", { token: "tkn-abcdef" }, "crm"));
    assert.equal(e401.code, "HTTP_401");
    assert.equal(e401.retryable, false);
    assert.match(e401.hint!, /credential "crm".*IP address/);
    const e403 = await failure({ url: `${api.url}/status?code=403` });
    assert.match(e403.hint!, /permissions/);
    const e404 = await failure({ url: `${api.url}/nowhere` });
    assert.equal(e404.code, "HTTP_404");
    assert.match(e404.message, /^GET http:\/\/127\.0\.0\.1:\d+\/nowhere answered 404 Not Found: \{"error":"not found"\}$/);
    assert.match(e404.hint!, /check the URL/);
    assert.deepEqual((e404.details![0] as { status: number }).status, 404);
  });

  test("429 and 503 are retryable and carry Retry-After (seconds or an HTTP date); 500 is retryable", async () => {
    const e429 = await failure({ url: `${api.url}/status?code=429&after=3` });
    assert.equal(e429.code, "HTTP_429");
    assert.equal(e429.retryable, true);
    assert.equal(e429.retryAfterMs, 3000);
    assert.match(e429.hint!, /rate limiting/);
    const date = new Date(Date.now() + 60_000).toUTCString();
    const e503 = await failure({ url: `${api.url}/status?code=503&after=${encodeURIComponent(date)}` });
    assert.ok(e503.retryAfterMs! > 55_000 && e503.retryAfterMs! <= 60_000, String(e503.retryAfterMs));
    const e500 = await failure({ url: `${api.url}/status?code=500` });
    assert.equal(e500.retryable, true);
    assert.equal(e500.retryAfterMs, undefined);
  });

  test("secrets echoed back in an error body are redacted, and the excerpt is at most 300 characters", async () => {
    const apiKey = cred("apiKey", { key: "KEY-0123456789", in: "header", name: "X-Api-Key" });
    const e1 = await failure({ url: `${api.url}/status?code=400`, credential: "k" }, apiKey);
    assert.doesNotMatch(e1.message, /KEY-0123456789/);
    assert.match(e1.message, /\[redacted\]/);
    const bearer = cred("bearer", { token: "tok-SECRET-42" });
    const e2 = await failure({ url: `${api.url}/status?code=400`, credential: "b" }, bearer);
    assert.doesNotMatch(e2.message + JSON.stringify(e2.details), /tok-SECRET-42/);
    const inQuery = cred("apiKey", { key: "QKEY-987654", in: "query", name: "api_key" });
    const e3 = await failure({ url: `${api.url}/status?code=400&pad=${"x".repeat(400)}`, credential: "q" }, inQuery);
    assert.doesNotMatch(e3.message + JSON.stringify(e3.details), /QKEY-987654/);
    assert.ok(((e3.details![0] as { body: string }).body).length <= 300);
  });

  test("failOnError off: a non-2xx response is output with its status", async () => {
    const { outputs } = await live({ url: `${api.url}/nowhere`, failOnError: false, fullResponse: true });
    assert.equal(((outputs.main![0] as Item).response as { status: number }).status, 404);
  });
});

describe("http.request: pagination", () => {
  test("Link header rel=next: every page's records become items", async () => {
    const { outputs } = await live({ url: `${api.url}/link`, pagination: { mode: "linkHeader" }, itemsPath: "data", output: "replace" });
    assert.deepEqual(outputs.main!.map((i) => `${String(i.page)}.${String(i.n)}`), ["1.1", "1.2", "2.1", "2.2", "3.1", "3.2"]);
  });

  test("cursor in the body, sent back as a query parameter", async () => {
    const { outputs } = await live({ url: `${api.url}/cursor`, pagination: { mode: "cursor", cursorPath: "meta.next", param: "after" }, itemsPath: "items", output: "replace" });
    assert.deepEqual(outputs.main!.map((i) => i.cursor), ["start", "c2", "c3"]);
  });

  test("page numbers until an empty page; merge mode keeps the input item on each record", async () => {
    const before = api.requests.length;
    const { outputs } = await live({ url: `${api.url}/pages`, pagination: { mode: "page", param: "page", start: 1 }, itemsPath: "$", outputKey: "row" }, [{ src: "x" }]);
    assert.deepEqual(outputs.main, [{ src: "x", row: { page: 1 } }, { src: "x", row: { page: 2 } }]);
    assert.equal(api.requests.length - before, 3, "pages 1, 2 and the empty page 3");
  });

  test("the page limit stops early", async () => {
    const before = api.requests.length;
    const { outputs } = await live({ url: `${api.url}/link`, pagination: { mode: "linkHeader", maxPages: 2 }, itemsPath: "data", output: "replace" });
    assert.equal(outputs.main!.length, 4);
    assert.equal(api.requests.length - before, 2);
  });
});

describe("http.request: idempotency and rate limits", () => {
  test("Idempotency-Key 'auto' is the same on every retry of an item and differs between items", async () => {
    let calls = 0;
    const flaky = await startServer((req, res) => {
      calls++;
      if (calls % 2 === 1) return json(res, 503, { busy: true });
      json(res, 201, { key: req.headers["idempotency-key"] });
    });
    const flakyNet = guardedNet({ allow: [`127.0.0.1:${flaky.port}`] });
    try {
      const node = prepareNode("create", request, { url: flaky.url, method: "POST", idempotencyKey: "auto" });
      const ctx = createNodeContext({
        nodeId: "create",
        mode: "live",
        dryRun: false,
        signal: new AbortController().signal,
        log: silentLogger,
        bindings: { execution: { id: "exec-1", mode: "live" }, flow: { name: "f" } },
        host: { ...host, http: flakyNet.http, net: flakyNet.net },
      });
      const outcome = await executeNode(node, { main: [{ n: 1 }, { n: 2 }] }, {
        ctx,
        credential: undefined,
        errorPortConnected: false,
        retry: { ...NO_RETRY, maxAttempts: 3, baseMs: 1, maxDelayMs: 1 },
      });
      assert.equal(outcome.kind, "batch");
      const keys = flaky.requests.map((r) => r.headers["idempotency-key"]);
      assert.equal(keys.length, 4);
      assert.equal(keys[0], keys[1], "retry of item 1 reuses its key");
      assert.equal(keys[2], keys[3], "retry of item 2 reuses its key");
      assert.notEqual(keys[0], keys[2]);
    } finally {
      await flakyNet.close();
      await flaky.close();
    }
  });

  test("maxConcurrent bounds requests in flight per host across parallel runs", async () => {
    let inFlight = 0;
    let peak = 0;
    const slow = await startServer(async (_req, res) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 40));
      inFlight--;
      json(res, 200, {});
    });
    const slowNet = guardedNet({ allow: [`127.0.0.1:${slow.port}`] });
    try {
      const runs = Array.from({ length: 6 }, () =>
        runNode(request, { config: { url: slow.url, rateLimit: { maxConcurrent: 2 } }, items: [{}], host: { ...host, http: slowNet.http, net: slowNet.net }, errorPort: false }),
      );
      await Promise.all(runs);
      assert.equal(slow.requests.length, 6);
      assert.equal(peak, 2);
    } finally {
      await slowNet.close();
      await slow.close();
    }
  });

  test("perSecond spaces the starts of requests to one host", async () => {
    const arrivals: number[] = [];
    const clocked = await startServer((_req, res) => {
      arrivals.push(performance.now());
      json(res, 200, {});
    });
    const clockedNet = guardedNet({ allow: [`127.0.0.1:${clocked.port}`] });
    try {
      await runNode(request, {
        config: { url: clocked.url, rateLimit: { perSecond: 20 } },
        items: [{}, {}, {}, {}, {}],
        host: { ...host, http: clockedNet.http, net: clockedNet.net },
        errorPort: false,
      });
      assert.equal(arrivals.length, 5);
      // 20 per second: 5 starts span at least 4 × 50 ms. Single gaps jitter with connection set-up,
      // so the span is asserted, with slack for timer granularity (exact spacing: limiter.test.ts).
      const span = arrivals[4]! - arrivals[0]!;
      assert.ok(span >= 170, `5 requests arrived within ${span.toFixed(0)} ms`);
    } finally {
      await clockedNet.close();
      await clocked.close();
    }
  });
});
