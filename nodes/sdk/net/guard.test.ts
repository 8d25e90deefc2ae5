import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { NodeError } from "../errors";
import { AllowListError, guardedNet, parseAllowList } from "./index";
import { startServer, type TestServer } from "./test-support";

/** Asserts a NodeError OUTBOUND_BLOCKED whose message names `kind` and whose hint points to GATE_ALLOW_HOSTS. */
async function assertBlocked(promise: Promise<unknown>, kind: RegExp) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof NodeError, `expected NodeError, got ${String(error)}`);
    assert.equal(error.code, "OUTBOUND_BLOCKED", error.message);
    assert.match(error.message, kind);
    assert.match(error.hint ?? "", /GATE_ALLOW_HOSTS/);
    assert.equal(error.retryable, false);
    return true;
  });
}

describe("SSRF guard: the default configuration", () => {
  let server: TestServer;
  const { http, net, close } = guardedNet();
  before(async () => {
    server = await startServer((_req, res) => res.end("reached"));
  });
  after(async () => {
    await close();
    await server.close();
  });

  const loopbackSpellings = [
    "127.0.0.1",
    "127.1",
    "0x7f.1",
    "0177.0.0.1",
    "2130706433",
    "0x7f000001",
    "[::ffff:127.0.0.1]",
    "[::ffff:7f00:1]",
  ];
  for (const host of loopbackSpellings)
    test(`http://${host}:port is refused as loopback and never reaches the server`, async () => {
      await assertBlocked(http.request({ url: `http://${host}:${server.port}/` }), /loopback/);
      assert.equal(server.requests.length, 0);
    });

  test("[::1] is refused as loopback", async () => {
    await assertBlocked(http.request({ url: `http://[::1]:${server.port}/` }), /loopback/);
  });

  test("0.0.0.0 and [::] are refused as unspecified (they reach the local machine)", async () => {
    await assertBlocked(http.request({ url: `http://0.0.0.0:${server.port}/` }), /unspecified/);
    await assertBlocked(http.request({ url: `http://[::]:${server.port}/` }), /unspecified/);
    assert.equal(server.requests.length, 0);
  });

  const others: [string, RegExp][] = [
    ["10.1.2.3", /private network/],
    ["172.16.0.1", /private network/],
    ["192.168.1.1", /private network/],
    ["169.254.169.254", /cloud metadata/],
    ["169.254.1.1", /link-local/],
    ["[fe80::1]", /link-local/],
    ["[fd00:ec2::254]", /cloud metadata/],
    ["[fc00::1]", /unique-local/],
    ["224.0.0.1", /multicast/],
    ["[ff02::1]", /multicast/],
    ["100.100.100.200", /cloud metadata/],
    ["100.64.0.1", /carrier-grade NAT/],
    ["[64:ff9b::a00:1]", /private network/], // NAT64 of 10.0.0.1
    ["[::ffff:169.254.169.254]", /cloud metadata/],
  ];
  for (const [host, kind] of others)
    test(`http://${host}/ is refused (${kind.source})`, async () => {
      await assertBlocked(http.request({ url: `http://${host}/latest/meta-data/`, timeoutMs: 2000 }), kind);
    });

  test("metadata host names are refused before any DNS lookup", async () => {
    await assertBlocked(http.request({ url: "http://metadata.google.internal/computeMetadata/v1/" }), /cloud metadata/);
  });

  test("a host name that resolves to loopback (localhost) is refused after resolution", async () => {
    await assertBlocked(http.request({ url: `http://localhost:${server.port}/` }), /localhost \((127\.0\.0\.1|::1)\).*loopback/);
    assert.equal(server.requests.length, 0);
  });

  test("every resolved record is checked: one private record among public ones blocks the host", async () => {
    const pinned = guardedNet({
      lookup: () =>
        Promise.resolve([
          { address: "93.184.216.34", family: 4 },
          { address: "10.0.0.7", family: 4 },
        ]),
    });
    try {
      await assertBlocked(pinned.http.request({ url: "http://mixed.example/" }), /mixed\.example \(10\.0\.0\.7\).*private network/);
      await assertBlocked(pinned.net.resolve("mixed.example", 5432), /private network/);
    } finally {
      await pinned.close();
    }
  });

  test("the connection goes to the address that was checked, not to a second lookup", async () => {
    let lookups = 0;
    // First answer public-looking but allowlisted by CIDR for the test; a second lookup would say 10.x.
    const pinned = guardedNet({
      allow: [`127.0.0.1:${server.port}`],
      lookup: () => Promise.resolve(lookups++ === 0 ? [{ address: "127.0.0.1", family: 4 }] : [{ address: "10.9.9.9", family: 4 }]),
    });
    try {
      const res = await pinned.http.request({ url: `http://rebind.example:${server.port}/` });
      assert.equal(res.status, 200);
      assert.equal(Buffer.from(res.body).toString(), "reached");
      assert.equal(lookups, 1);
      assert.equal(server.requests.at(-1)?.headers.host, `rebind.example:${server.port}`);
    } finally {
      await pinned.close();
      server.requests.length = 0;
    }
  });

  test("only http and https schemes", async () => {
    for (const url of ["file:///etc/passwd", "ftp://example.com/", "gopher://127.0.0.1:70/", "data:text/plain,hi"])
      await assert.rejects(http.request({ url }), (e: unknown) => {
        assert.ok(e instanceof NodeError);
        assert.equal(e.code, "OUTBOUND_BLOCKED");
        assert.match(e.message, /scheme/);
        assert.match(e.hint ?? "", /http:\/\/ and https:\/\//);
        return true;
      });
  });

  test("OutboundGuard.resolve checks every spelling too (for database and mail nodes)", async () => {
    for (const host of ["127.0.0.1", "127.1", "0x7f.1", "0177.0.0.1", "2130706433", "::1", "[::1]", "::ffff:127.0.0.1", "localhost"])
      await assertBlocked(net.resolve(host, 5432), /loopback/);
    await assertBlocked(net.resolve("0.0.0.0", 5432), /unspecified/);
  });
});

describe("SSRF guard: the allowlist", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer((_req, res) => res.end("ok"));
  });
  after(() => server.close());

  test("an allowlisted 127.0.0.1:port works, other ports on 127.0.0.1 stay blocked", async () => {
    const { http, close } = guardedNet({ allow: [`127.0.0.1:${server.port}`] });
    try {
      const res = await http.request({ url: `${server.url}/hello` });
      assert.equal(res.status, 200);
      assert.equal(Buffer.from(res.body).toString(), "ok");
      await assertBlocked(http.request({ url: `http://127.0.0.1:${server.port + 1}/` }), /loopback/);
    } finally {
      await close();
    }
  });

  test("a CIDR entry allows its range; a host name entry allows the name whatever it resolves to", async () => {
    const cidr = guardedNet({ allow: ["127.0.0.0/8"] });
    const named = guardedNet({ allow: ["localhost"] });
    try {
      assert.equal((await cidr.http.request({ url: `http://127.0.0.1:${server.port}/` })).status, 200);
      assert.equal((await cidr.http.request({ url: `http://127.1:${server.port}/` })).status, 200);
      assert.equal((await named.http.request({ url: `http://localhost:${server.port}/` })).status, 200);
      await assertBlocked(named.http.request({ url: `http://127.0.0.1:${server.port}/` }), /loopback/);
    } finally {
      await Promise.all([cidr.close(), named.close()]);
    }
  });

  test("a bad entry is refused with the entry named", () => {
    assert.throws(() => parseAllowList(["10.0.0.0/99"]), (e: unknown) => e instanceof AllowListError && /"10\.0\.0\.0\/99"/.test(e.message));
    assert.throws(() => parseAllowList(["127.0.0.1:99999"]), /port "99999"/);
    assert.throws(() => parseAllowList(["exa mple"]), /"exa mple"/);
    assert.doesNotThrow(() => parseAllowList(["*.lan", "[::1]:8080", "fd00::/8", "crm.lan:8443", " "]));
  });

  test("requireTls refuses plain http to other hosts but not to allowlisted ones", async () => {
    const { http, close } = guardedNet({ allow: [`127.0.0.1:${server.port}`], requireTls: true });
    try {
      assert.equal((await http.request({ url: `${server.url}/` })).status, 200);
      await assert.rejects(http.request({ url: "http://example.com/" }), (e: unknown) => e instanceof NodeError && e.code === "OUTBOUND_BLOCKED" && /https/.test(e.message));
    } finally {
      await close();
    }
  });
});
