import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { ConfigError, NodeError, confinedFiles, memoryState, parseConfig, runNode, type Credential, type HttpClient, type MemoryState, type NodeHost } from "../sdk";
import poll, { remember } from "./poll";

/**
 * The test's stand-in for Gate's SSRF-guarded client: a plain fetch to the 127.0.0.1 server below,
 * with the same request/response shape (the guard itself is tested with the client).
 */
const fetchClient: HttpClient = {
  async request(request) {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body as string | undefined,
      signal: request.signal,
      redirect: "manual",
    });
    return {
      status: response.status,
      headers: Object.fromEntries(response.headers),
      url: response.url,
      body: new Uint8Array(await response.arrayBuffer()),
    };
  },
};

function host(state: MemoryState): NodeHost {
  return { http: fetchClient, net: { resolve: () => Promise.reject(new Error("unused")) }, state, files: confinedFiles(process.cwd()) };
}

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

let records: { id: number; name: string }[] = [];
let status = 200;
let requests: Seen[] = [];
let server: http.Server;
let base = "";

before(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      if (req.url?.startsWith("/text")) return void res.writeHead(200, { "content-type": "text/html" }).end("<html>");
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ data: { results: records } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

function reset(initial: { id: number; name: string }[]) {
  records = initial;
  status = 200;
  requests = [];
}

const config = () => ({ url: `${base}/contacts`, itemsPath: "data.results", dedupeKey: "id" });

/** One live tick as the runner does it: run, then commit the staged state on success or discard it. */
async function tick(state: MemoryState, options: { config?: Record<string, unknown>; credential?: Credential; fail?: boolean } = {}) {
  const result = await runNode(poll, { config: options.config ?? config(), mode: "live", host: host(state), credential: options.credential, errorPort: false });
  if (options.fail) state.discard();
  else state.commit();
  return result.outputs.main ?? [];
}

describe("trigger.poll", () => {
  test("the first poll emits every item, the next only the new ones", async () => {
    reset([{ id: 1, name: "Ada" }, { id: 2, name: "Grace" }]);
    const state = memoryState();
    assert.deepEqual(await tick(state), [{ id: 1, name: "Ada" }, { id: 2, name: "Grace" }]);
    assert.deepEqual(await tick(state), []);
    records = [{ id: 3, name: "Edsger" }, ...records];
    assert.deepEqual(await tick(state), [{ id: 3, name: "Edsger" }]);
    // The keys of the latest page, in page order, are the most recently seen.
    assert.deepEqual(state.committed.get("node:seen"), ["3", "1", "2"]);
    assert.equal(requests.length, 3);
    assert.equal(requests[0]?.method, "GET");
    assert.equal(requests[0]?.url, "/contacts");
  });

  test("a failed run forgets its keys: the items come again on the next poll", async () => {
    reset([{ id: 10, name: "Barbara" }]);
    const state = memoryState();
    assert.equal((await tick(state, { fail: true })).length, 1);
    assert.deepEqual(await tick(state), [{ id: 10, name: "Barbara" }]);
    assert.deepEqual(await tick(state), []);
  });

  test("an error answer fails the run, names the URL and status, and keeps nothing", async () => {
    reset([{ id: 1, name: "Ada" }]);
    status = 503;
    const state = memoryState();
    await assert.rejects(tick(state), (error: unknown) => {
      const cause = (error as { error?: unknown }).error;
      assert.ok(cause instanceof NodeError);
      assert.equal(cause.code, "POLL_HTTP_STATUS");
      assert.equal(cause.retryable, true);
      assert.match(cause.message, /\/contacts answered HTTP 503/);
      return true;
    });
    assert.equal(state.committed.size, 0);
    status = 200;
    assert.equal((await tick(state)).length, 1);
  });

  test("a response that is not JSON is a clear error", async () => {
    reset([]);
    await assert.rejects(tick(memoryState(), { config: { ...config(), url: `${base}/text` } }), /did not return JSON/);
  });

  test("an item without a dedupe key fails the poll with the item's position", async () => {
    reset([{ id: 1, name: "Ada" }, { name: "nobody" } as { id: number; name: string }]);
    await assert.rejects(tick(memoryState()), /item 1 has no dedupe key/);
  });

  test("without itemsPath the response itself is the list; non-object elements are wrapped; duplicates within a page emit once", async () => {
    reset([]);
    const state = memoryState();
    records = [{ id: 1, name: "a" }, { id: 1, name: "a again" }];
    const out = await tick(state, { config: { url: `${base}/x`, itemsPath: "data.results[0]", dedupeKey: "id" } });
    assert.deepEqual(out, [{ id: 1, name: "a" }]);
    const scalars = await tick(memoryState(), { config: { url: `${base}/x`, itemsPath: "data.results.name", dedupeKey: "value" } });
    assert.deepEqual(scalars, [{ value: "a" }, { value: "a again" }]);
  });

  test("credentials: bearer and basic go in Authorization, an API key in its header or query parameter", async () => {
    reset([{ id: 1, name: "Ada" }]);
    const cred = (kind: string, data: Record<string, unknown>): Credential => ({ id: kind, name: `${kind}-cred`, kind, data });
    await tick(memoryState(), { credential: cred("bearer", { token: "t0k" }) });
    await tick(memoryState(), { credential: cred("basic", { username: "ada", password: "pw" }) });
    await tick(memoryState(), { credential: cred("apiKey", { key: "k1", name: "X-Api-Key" }) });
    await tick(memoryState(), { credential: cred("apiKey", { key: "k2", in: "query", name: "api_key" }) });
    assert.equal(requests[0]?.headers.authorization, "Bearer t0k");
    assert.equal(requests[1]?.headers.authorization, `Basic ${Buffer.from("ada:pw").toString("base64")}`);
    assert.equal(requests[2]?.headers["x-api-key"], "k1");
    assert.equal(requests[3]?.url, "/contacts?api_key=k2");
    await assert.rejects(tick(memoryState(), { credential: cred("webhookSecret", { secret: "s" }) }), /polling uses bearer, basic or apiKey/);
  });

  test("POST sends the JSON body and custom headers", async () => {
    reset([]);
    await tick(memoryState(), { config: { ...config(), method: "POST", body: { since: "yesterday" }, headers: { "X-Tenant": "acme" } } });
    assert.equal(requests[0]?.method, "POST");
    assert.equal(requests[0]?.body, '{"since":"yesterday"}');
    assert.equal(requests[0]?.headers["content-type"], "application/json");
    assert.equal(requests[0]?.headers["x-tenant"], "acme");
  });

  test("remembered keys are bounded, and keys still listed by the API are the last to go", async () => {
    assert.deepEqual(remember(["a", "b", "c"], ["a", "d"], 3), ["c", "a", "d"]);
    reset([{ id: 1, name: "1" }, { id: 2, name: "2" }]);
    const state = memoryState();
    const small = { ...config(), maxSeen: 2 };
    assert.equal((await tick(state, { config: small })).length, 2);
    records = [{ id: 3, name: "3" }];
    assert.equal((await tick(state, { config: small })).length, 1);
    assert.deepEqual(state.committed.get("node:seen"), ["2", "3"]);
    records = [{ id: 1, name: "1" }];
    // Key 1 was dropped to stay within the bound, so it counts as new again: the documented trade-off.
    assert.equal((await tick(state, { config: small })).length, 1);
  });

  test("config: interval takes seconds or a cron pattern; bad values name the field", () => {
    const issues = (raw: unknown) => {
      try {
        parseConfig(poll.config, raw);
        return [];
      } catch (error) {
        assert.ok(error instanceof ConfigError);
        return error.issues;
      }
    };
    const parsed = parseConfig(poll.config, config());
    assert.equal(parsed.interval, 60);
    assert.equal(parsed.maxSeen, 10_000);
    assert.deepEqual(issues({ ...config(), interval: "*/10 * * * * *" }), []);
    assert.ok(issues({ ...config(), interval: "every minute" }).some((i) => i.path === "interval" && /not a valid cron pattern/.test(i.message)));
    assert.ok(issues({ ...config(), interval: 0 }).some((i) => i.path === "interval"));
    assert.equal(issues({ ...config(), url: "ftp://example.com/x" })[0]?.path, "url");
    assert.equal(issues({ ...config(), timezone: "Nowhere/Land" })[0]?.path, "timezone");
    assert.equal(issues({ url: `${base}/x` })[0]?.path, "dedupeKey");
    assert.equal(poll.multiple, undefined);
  });
});
