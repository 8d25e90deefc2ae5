// "Test connection" against real systems on 127.0.0.1: an HTTP API that answers 200/401/403/429,
// a closed port, an unresolvable name, the SSRF guard, and the real PostgreSQL of this machine.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import fs from "node:fs";
import { after, before, test } from "node:test";
import { guardedNet } from "../../nodes/sdk";
import { openMemoryDatabase } from "../db/client";
import { freePort } from "../testing/ports";
import { createHostFactory } from "../engine/host";
import { loadDefaultRegistry } from "../engine/registry";
import { Vault, vaultResolver } from "./index";
import { testConnection, type ConnectionCheck } from "./test-connection";

const TOKEN = `tok_${randomBytes(12).toString("hex")}`;
let api: http.Server;
let base: string;
let closedPort: number;

before(async () => {
  api = http.createServer((req, res) => {
    const authorized = req.headers.authorization === `Bearer ${TOKEN}`;
    if (!authorized) return void res.writeHead(401, { "content-type": "application/json" }).end(`{"error":"bad token ${req.headers.authorization ?? ""}"}`);
    if (req.url === "/ip") return void res.writeHead(403).end("Your IP address 127.0.0.1 is not allowed");
    if (req.url === "/scope") return void res.writeHead(403).end("insufficient scope");
    if (req.url === "/limited") return void res.writeHead(429, { "retry-after": "30" }).end("slow down");
    res.writeHead(200, { "content-type": "application/json" }).end('{"me":"gate"}');
  });
  await new Promise<void>((resolve) => api.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  closedPort = await freePort();
});
after(() => new Promise<void>((resolve) => api.close(() => resolve())));

async function check(kind: string, data: Record<string, unknown>, allow: string[] = ["127.0.0.1"]): Promise<ConnectionCheck> {
  const gdb = openMemoryDatabase();
  const vault = new Vault(gdb, { current: 1, keys: new Map([[1, randomBytes(32)]]), source: "env" });
  vault.set("c", kind, data);
  const network = guardedNet({ allow });
  try {
    const files = fs.mkdtempSync(path.join(os.tmpdir(), "gate-tc-"));
    const host = createHostFactory({ gdb, filesDir: files, network }).test();
    const result = await testConnection({ credentials: vaultResolver(vault), registry: await loadDefaultRegistry(), host, timeoutMs: 5000 }, "c");
    assert.ok(!JSON.stringify(result).includes(TOKEN), "a secret leaked into the result");
    return result;
  } finally {
    await network.close();
  }
}

test("HTTP credentials: ok, invalid, forbidden, IP not allowed and rate limited are told apart", async () => {
  assert.equal((await check("bearer", { token: TOKEN, testUrl: `${base}/me` })).outcome, "ok");
  const invalid = await check("bearer", { token: `${TOKEN}x`, testUrl: `${base}/me` });
  assert.equal(invalid.outcome, "invalid");
  assert.equal(invalid.status, 401);
  assert.match(invalid.hint!, /wrong or expired/);
  assert.equal((await check("bearer", { token: TOKEN, testUrl: `${base}/ip` })).outcome, "ipNotAllowed");
  assert.equal((await check("bearer", { token: TOKEN, testUrl: `${base}/scope` })).outcome, "forbidden");
  assert.equal((await check("bearer", { token: TOKEN, testUrl: `${base}/limited` })).outcome, "rateLimited");
});

test("network failures: connection refused, DNS, and the SSRF guard with its hint", async () => {
  assert.equal((await check("bearer", { token: TOKEN, testUrl: `http://127.0.0.1:${closedPort}/` })).outcome, "connection");
  assert.equal((await check("bearer", { token: TOKEN, testUrl: "http://gate-test-nonexistent.invalid/" }, [])).outcome, "dns");
  const blocked = await check("bearer", { token: TOKEN, testUrl: `${base}/me` }, []);
  assert.equal(blocked.outcome, "blocked");
  assert.match(blocked.hint!, /GATE_ALLOW_HOSTS/);
});

test("kinds without an address say what is missing; signing secrets are not testable", async () => {
  assert.match((await check("bearer", { token: TOKEN })).message, /add a Test URL/);
  assert.equal((await check("webhookSecret", { secret: "whsec_abcdefghijklmnop" })).outcome, "notTestable");
});

test("database credentials are checked by the database node: the real PostgreSQL answers, a closed port does not", async (t) => {
  const reachable = await new Promise<boolean>((resolve) => {
    const socket = net.connect(5432, "127.0.0.1", () => {
      socket.end();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });
  if (!reachable) {
    if (process.env.CI === "true") assert.fail("PostgreSQL on 127.0.0.1:5432 is required in CI");
    console.warn("⚠ SKIPPED: PostgreSQL on 127.0.0.1:5432 is not running");
    return t.skip("PostgreSQL not running");
  }
  const ok = await check("postgres", { host: "127.0.0.1", port: 5432, database: "test", user: "postgres" });
  assert.equal(ok.outcome, "ok", ok.message);
  assert.equal((await check("postgres", { host: "127.0.0.1", port: closedPort, database: "test", user: "postgres", password: "pw-not-shown-1234" })).outcome, "connection");
});
