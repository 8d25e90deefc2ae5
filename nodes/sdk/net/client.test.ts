import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { TLSSocket } from "node:tls";
import { NodeError } from "../errors";
import { guardedNet, requestAuth, type GuardedNet } from "./index";
import { json, startServer, testCerts, type TestServer } from "./test-support";

function assertNodeError(code: string, check?: (e: NodeError) => void) {
  return (error: unknown) => {
    assert.ok(error instanceof NodeError, `expected NodeError, got ${String(error)}`);
    assert.equal(error.code, code, `${error.code}: ${error.message}`);
    assert.ok(error.hint, "every error has a hint");
    check?.(error);
    return true;
  };
}

describe("guarded client: redirects", () => {
  let a: TestServer;
  let b: TestServer;
  let net: GuardedNet;
  before(async () => {
    b = await startServer((req, res) => json(res, 200, { method: req.method, auth: req.headers.authorization ?? null, body: req.body }));
    a = await startServer((req, res) => {
      const to = (location: string, status = 302) => {
        res.writeHead(status, { location });
        res.end();
      };
      if (req.url === "/to-loopback") return to(`http://127.0.0.1:${a.port + 7}/admin`);
      if (req.url === "/to-metadata") return to("http://169.254.169.254/latest/meta-data/");
      if (req.url === "/to-localhost") return to(`http://localhost:${a.port + 7}/`);
      if (req.url === "/see-other") return to(`${b.url}/result`, 303);
      if (req.url === "/keep") return to(`${b.url}/kept`, 307);
      if (req.url === "/same-origin") return to("/final", 301);
      if (req.url === "/final") return json(res, 200, { auth: req.headers.authorization ?? null });
      if (req.url === "/loop") return to("/loop");
      if (req.url === "/to-file") return to("file:///etc/passwd");
      res.end("a");
    });
    net = guardedNet({ allow: [`127.0.0.1:${a.port}`, `127.0.0.1:${b.port}`] });
  });
  after(async () => {
    await net.close();
    await Promise.all([a.close(), b.close()]);
  });

  test("a redirect to a blocked address is refused (re-checked on every hop)", async () => {
    await assert.rejects(net.http.request({ url: `${a.url}/to-loopback` }), assertNodeError("OUTBOUND_BLOCKED", (e) => assert.match(e.message, /loopback/)));
    await assert.rejects(net.http.request({ url: `${a.url}/to-metadata` }), assertNodeError("OUTBOUND_BLOCKED", (e) => assert.match(e.message, /metadata/)));
    await assert.rejects(net.http.request({ url: `${a.url}/to-localhost` }), assertNodeError("OUTBOUND_BLOCKED"));
    await assert.rejects(net.http.request({ url: `${a.url}/to-file` }), assertNodeError("OUTBOUND_BLOCKED", (e) => assert.match(e.message, /file:.*redirect from/)));
    assert.equal(b.requests.length, 0);
  });

  test("303 turns a POST into a GET without body; credentials are not carried to another origin", async () => {
    const res = await net.http.request({
      url: `${a.url}/see-other`,
      method: "POST",
      headers: { authorization: "Bearer s3cr3t", "content-type": "application/json" },
      body: '{"x":1}',
    });
    assert.equal(res.status, 200);
    assert.equal(res.url, `${b.url}/result`);
    assert.deepEqual(JSON.parse(Buffer.from(res.body).toString()), { method: "GET", auth: null, body: "" });
  });

  test("307 keeps method and body; same-origin redirects keep the Authorization header", async () => {
    const kept = await net.http.request({ url: `${a.url}/keep`, method: "PUT", body: "payload", headers: { "content-type": "text/plain" } });
    assert.deepEqual(JSON.parse(Buffer.from(kept.body).toString()), { method: "PUT", auth: null, body: "payload" });
    const same = await net.http.request({ url: `${a.url}/same-origin`, headers: { Authorization: "Bearer t" } });
    assert.deepEqual(JSON.parse(Buffer.from(same.body).toString()), { auth: "Bearer t" });
  });

  test("maxRedirects 0 returns the 3xx as is; a loop stops at the limit", async () => {
    const res = await net.http.request({ url: `${a.url}/see-other`, maxRedirects: 0 });
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, `${b.url}/result`);
    await assert.rejects(net.http.request({ url: `${a.url}/loop`, maxRedirects: 3 }), assertNodeError("TOO_MANY_REDIRECTS"));
  });
});

describe("guarded client: limits and failures", () => {
  let server: TestServer;
  let net: GuardedNet;
  before(async () => {
    server = await startServer(async (req, res) => {
      if (req.url === "/slow") {
        await new Promise((r) => setTimeout(r, 2000));
        return void res.end("late");
      }
      if (req.url === "/big") return void res.end(Buffer.alloc(64 * 1024, 97));
      if (req.url === "/form") return json(res, 200, { type: req.headers["content-type"], body: req.body });
      res.end("ok");
    });
    net = guardedNet({ allow: [`127.0.0.1:${server.port}`, "127.0.0.1:1"] });
  });
  after(async () => {
    await net.close();
    await server.close();
  });

  test("a slow server is a retryable TIMEOUT naming the limit", async () => {
    await assert.rejects(
      net.http.request({ url: `${server.url}/slow`, timeoutMs: 200 }),
      assertNodeError("TIMEOUT", (e) => {
        assert.equal(e.retryable, true);
        assert.match(e.message, /200 ms/);
      }),
    );
  });

  test("the caller's abort signal cancels the request", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(net.http.request({ url: `${server.url}/slow`, signal: controller.signal }), (e: unknown) => e instanceof NodeError && e.code === "CANCELLED");
  });

  test("a body over maxBodyBytes is refused", async () => {
    await assert.rejects(net.http.request({ url: `${server.url}/big`, maxBodyBytes: 1000 }), assertNodeError("RESPONSE_TOO_LARGE"));
    const ok = await net.http.request({ url: `${server.url}/big`, maxBodyBytes: 64 * 1024 });
    assert.equal(ok.body.length, 64 * 1024);
  });

  test("connection refused is a retryable CONNECTION error; an unknown host is DNS", async () => {
    await assert.rejects(
      net.http.request({ url: "http://127.0.0.1:1/" }),
      assertNodeError("CONNECTION", (e) => {
        assert.equal(e.retryable, true);
        assert.match(e.message, /connection refused/);
      }),
    );
    await assert.rejects(net.http.request({ url: "http://no-such-host.invalid/" }), assertNodeError("DNS", (e) => assert.match(e.message, /no-such-host\.invalid/)));
  });

  test("a FormData body is sent as multipart with its boundary", async () => {
    const form = new FormData();
    form.set("name", "Ada");
    form.set("file", new Blob(["hello"], { type: "text/plain" }), "hello.txt");
    const res = await net.http.request({ url: `${server.url}/form`, method: "POST", body: form });
    const echoed = JSON.parse(Buffer.from(res.body).toString()) as { type: string; body: string };
    assert.match(echoed.type, /^multipart\/form-data; boundary=/);
    assert.match(echoed.body, /name="file"; filename="hello.txt"[\s\S]*hello/);
  });

  test("an invalid URL is a clear error", async () => {
    await assert.rejects(net.http.request({ url: "not a url" }), assertNodeError("URL_INVALID", (e) => assert.match(e.message, /"not a url"/)));
  });
});

describe("guarded client: TLS and client certificates (mTLS)", () => {
  let server: TestServer;
  let net: GuardedNet;
  const certs = testCerts();
  before(async () => {
    server = await startServer(
      (_req, res, raw) => {
        const socket = raw.socket as TLSSocket;
        json(res, 200, { client: socket.getPeerCertificate().subject?.CN ?? null });
      },
      { tls: { cert: certs.serverCert, key: certs.serverKey, ca: certs.ca, requestCert: true, rejectUnauthorized: true } },
    );
    net = guardedNet({ allow: [`127.0.0.1:${server.port}`] });
  });
  after(async () => {
    await net.close();
    await server.close();
  });

  test("a server certificate from an unknown CA is a TLS error", async () => {
    await assert.rejects(
      net.http.request({ url: `${server.url}/` }),
      assertNodeError("TLS", (e) => assert.equal(e.retryable, false)),
    );
  });

  test("with the CA and a client certificate the request goes through", async () => {
    const res = await net.http.request({ url: `${server.url}/`, tls: { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey } });
    assert.deepEqual(JSON.parse(Buffer.from(res.body).toString()), { client: "client" });
  });

  test("an encrypted key works with its passphrase; a wrong passphrase is a TLS error about the credential", async () => {
    const res = await net.http.request({
      url: `${server.url}/`,
      tls: { ca: certs.ca, cert: certs.clientCert, key: certs.clientKeyEncrypted, passphrase: certs.passphrase },
    });
    assert.equal(res.status, 200);
    await assert.rejects(
      net.http.request({ url: `${server.url}/`, tls: { ca: certs.ca, cert: certs.clientCert, key: certs.clientKeyEncrypted, passphrase: "wrong" } }),
      assertNodeError("TLS", (e) => {
        assert.match(e.hint ?? "", /client-certificate credential/);
        assert.doesNotMatch(e.message + (e.hint ?? ""), /wrong/);
      }),
    );
  });

  test("without a client certificate, or with one from a CA the server does not trust, the request fails", async () => {
    const failed = (e: unknown) => e instanceof NodeError && (e.code === "TLS" || e.code === "CONNECTION");
    await assert.rejects(net.http.request({ url: `${server.url}/`, tls: { ca: certs.ca } }), failed);
    await assert.rejects(net.http.request({ url: `${server.url}/`, tls: { ca: certs.ca, cert: certs.strangerCert, key: certs.strangerKey } }), failed);
  });
});

describe("guarded client: circuit breaker per host", () => {
  let server: TestServer;
  let net: GuardedNet;
  before(async () => {
    server = await startServer((_req, res) => void res.writeHead(503).end("down"));
    net = guardedNet({ allow: [`127.0.0.1:${server.port}`] });
  });
  after(async () => {
    await net.close();
    await server.close();
  });

  test("after five faults in a row the host fails fast with CIRCUIT_OPEN and is not called", async () => {
    for (let i = 0; i < 5; i++) assert.equal((await net.http.request({ url: `${server.url}/x` })).status, 503);
    await assert.rejects(net.http.request({ url: `${server.url}/x` }), (error: NodeError) => {
      assert.equal(error.code, "CIRCUIT_OPEN");
      assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${server.port}`));
      return true;
    });
    assert.equal(server.requests.length, 5, "the open circuit kept the sixth call away from the host");
  });
});

describe("guarded client: a credential that requires TLS", () => {
  let server: TestServer;
  let net: GuardedNet;
  before(async () => {
    server = await startServer((_req, res) => void res.end("ok"));
    net = guardedNet({ allow: [`127.0.0.1:${server.port}`] });
  });
  after(async () => {
    await net.close();
    await server.close();
  });

  test("plain http is refused before anything is sent, even to an allowlisted host", async () => {
    await assert.rejects(net.http.request({ url: `${server.url}/secret`, requireTls: true }), (error: NodeError) => {
      assert.equal(error.code, "TLS_REQUIRED");
      return true;
    });
    assert.equal(server.requests.length, 0);
    assert.equal((await net.http.request({ url: `${server.url}/open` })).status, 200, "without the requirement the same call goes through");
  });

  test("requestAuth carries the credential's Require TLS setting", async () => {
    const credential = { id: "c", name: "c", kind: "bearer", data: { token: "t0ken-value", requireTls: true } };
    const auth = await requestAuth(credential, { http: net.http, signal: new AbortController().signal });
    assert.equal(auth.requireTls, true);
    const plain = await requestAuth({ ...credential, data: { token: "t0ken-value" } }, { http: net.http, signal: new AbortController().signal });
    assert.equal(plain.requireTls, undefined);
  });
});
