// Credentials from the shell: `gate credentials` and `gate keys rotate` in child processes, with a
// real data folder and a key file in a temporary config folder.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, readdir, stat, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { before, test } from "node:test";
import { gate } from "./testing";

const PLANTED = `tok_${randomBytes(12).toString("hex")}`;
let dir: string;
let env: Record<string, string>;

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "gate-cred-cli-"));
  env = { GATE_KEY_FILE: path.join(dir, "config", "master.key"), GATE_LOG_LEVEL: "silent" };
  await writeFile(path.join(dir, "token.json"), JSON.stringify({ token: PLANTED }));
});

const data = () => ["--data", path.join(dir, "data")];

test("set, rotate, list and delete; no value is ever printed; the key file is 0600 outside the data folder", async () => {
  const created = await gate(["credentials", "set", "crm", "--kind", "bearer", "--from-file", path.join(dir, "token.json"), ...data()], { env });
  assert.equal(created.code, 0, created.stderr);
  assert.match(created.stdout, /^created crm \(bearer, fingerprint [0-9a-f]{12}\)\n$/);
  assert.equal((await stat(env.GATE_KEY_FILE!)).mode & 0o777, 0o600);
  assert.ok(!(await readdir(path.join(dir, "data"))).some((f) => f.endsWith(".key")));

  await writeFile(path.join(dir, "token2.json"), JSON.stringify({ token: `${PLANTED}-2` }));
  const rotated = await gate(["credentials", "set", "crm", "--kind", "bearer", "--from-file", path.join(dir, "token2.json"), "--rotation-days", "90", ...data()], { env });
  assert.match(rotated.stdout, /^rotated crm/);

  const list = await gate(["credentials", "list", ...data()], { env });
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, new RegExp(`^crm {2}bearer {2}[0-9a-f]{12} {2}…${PLANTED.slice(-2)}-2 {2}rotated \\d{4}-\\d\\d-\\d\\d {2}used -`));
  assert.match(list.stdout, /previous secret valid until/);
  const json = await gate(["credentials", "list", "--json", ...data()], { env });
  const [summary] = JSON.parse(json.stdout) as { name: string; rotationDays: number }[];
  assert.equal(summary?.rotationDays, 90);
  for (const r of [created, rotated, list, json]) assert.ok(!(r.stdout + r.stderr).includes(PLANTED), "a secret value was printed");

  const wrongKind = await gate(["credentials", "set", "crm", "--kind", "apiKey", "--from-file", path.join(dir, "token.json"), ...data()], { env });
  assert.equal(wrongKind.code, 1);
  assert.match(wrongKind.stderr, /exists with kind bearer/);

  const bad = await gate(["credentials", "set", "k", "--kind", "apiKey", "--from-file", path.join(dir, "token.json"), ...data()], { env });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /credential "k" \(apiKey\) is invalid: key:/);
  assert.ok(!bad.stderr.includes(PLANTED));

  const removed = await gate(["credentials", "delete", "crm", ...data()], { env });
  assert.equal(removed.code, 0);
  assert.equal((await gate(["credentials", "list", ...data()], { env })).stdout, "no credentials\n");
});

test("a generated webhook secret is shown once in whsec_ form", async () => {
  const r = await gate(["credentials", "set", "hook", "--kind", "webhookSecret", "--generate", ...data()], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /signing secret \(shown once, give it to the sender\): whsec_[A-Za-z0-9+/]{32}\n/);
  const refused = await gate(["credentials", "set", "x", "--kind", "bearer", "--generate", ...data()], { env });
  assert.equal(refused.code, 2);
});

test("keys rotate re-encrypts under a new key; a wrong key stops the server's services with a clear message", async () => {
  const own = path.join(dir, "rot");
  const ownEnv = { ...env, GATE_KEY_FILE: path.join(own, "master.key") };
  const args = ["--data", path.join(own, "data")];
  await gate(["credentials", "set", "a", "--kind", "bearer", "--from-file", path.join(dir, "token.json"), ...args], { env: ownEnv });
  const before = JSON.parse(await readFile(ownEnv.GATE_KEY_FILE, "utf8")) as { current: number };
  const r = await gate(["keys", "rotate", ...args], { env: ownEnv });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /re-encrypted 1 credentials under key version 2/);
  const after = JSON.parse(await readFile(ownEnv.GATE_KEY_FILE, "utf8")) as { current: number; keys: Record<string, string> };
  assert.equal(after.current, before.current + 1);
  assert.deepEqual(Object.keys(after.keys), ["2"], "the old key is dropped once every secret moved");
  const list = await gate(["credentials", "list", "--json", ...args], { env: ownEnv });
  assert.equal((JSON.parse(list.stdout) as { keyVersion: number }[])[0]?.keyVersion, 2);

  const wrong = await gate(["credentials", "list", ...args], { env: { ...ownEnv, GATE_ENCRYPTION_KEY: randomBytes(32).toString("base64") } });
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /not loaded|does not open/);
  assert.doesNotMatch(wrong.stderr, /\n\s+at /);
});

test("gate run --data resolves credentials from the data folder; without it the flow names the missing credential", async () => {
  const http = await import("node:http");
  const seen: string[] = [];
  const api = http.createServer((req, res) => {
    seen.push(req.headers.authorization ?? "");
    res.writeHead(req.headers.authorization === `Bearer ${PLANTED}` ? 200 : 401, { "content-type": "application/json" }).end('{"id":42}');
  });
  await new Promise<void>((resolve) => api.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(api.address() as AddressInfo).port}/contacts`;
  try {
    const own = path.join(dir, "run");
    const ownEnv = { ...env, GATE_KEY_FILE: path.join(own, "master.key"), GATE_ALLOW_HOSTS: "127.0.0.1" };
    const args = ["--data", path.join(own, "data")];
    const set = await gate(["credentials", "set", "crm-api", "--kind", "bearer", "--from-file", path.join(dir, "token.json"), ...args], { env: ownEnv });
    assert.equal(set.code, 0, set.stderr);
    const flow = path.join(own, "flow.json");
    await writeFile(
      flow,
      JSON.stringify({
        schemaVersion: 1,
        name: "call crm",
        nodes: [
          { id: "in", type: "trigger.manual", config: {} },
          { id: "get", type: "http.request", config: { method: "GET", url, credential: "crm-api" } },
        ],
        edges: [{ from: "in", to: "get" }],
      }),
    );
    const ok = await gate(["run", flow, "--json", ...args], { env: ownEnv });
    assert.equal(ok.code, 0, ok.stderr + ok.stdout);
    assert.deepEqual((JSON.parse(ok.stdout) as { nodes: { get: { output: { main: unknown[] } } } }).nodes.get.output.main, [{ response: { id: 42 } }]);
    assert.deepEqual(seen, [`Bearer ${PLANTED}`]);
    assert.ok(!ok.stdout.includes(PLANTED));

    const missing = await gate(["run", flow, "--json"], { env: ownEnv });
    assert.equal(missing.code, 1);
    const run = JSON.parse(missing.stdout) as { error: { code: string; node: string; message: string } };
    assert.equal(run.error.code, "CREDENTIAL_MISSING");
    assert.equal(run.error.node, "get");
    assert.match(run.error.message, /crm-api/);
  } finally {
    await new Promise<void>((resolve) => api.close(() => resolve()));
  }
});
