// Users, roles and the access table, proved through the real server: real sign-in over HTTP,
// real cookies, direct tRPC calls without the UI.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gate-access-"));
process.env.GATE_KEY_FILE = path.join(tmp, "master.key");
process.env.GATE_LOG_LEVEL = "silent";

const { startServer } = await import("../http/server");
const { appRouter } = await import("./root");
const { POLICY } = await import("./policy");

type Server = Awaited<ReturnType<typeof startServer>>;
let server: Server;
const PASSWORD = "correct horse battery";

before(async () => {
  server = await startServer({ host: "127.0.0.1", port: 0, dataDir: path.join(tmp, "data"), dev: false, ui: false });
});
after(() => server.close());

interface Call {
  status: number;
  body: { result?: { data: unknown }; error?: { message: string; data?: { code: string } } };
}

async function trpc(pathName: string, options: { input?: unknown; cookie?: string; mutation?: boolean; headers?: Record<string, string> } = {}): Promise<Call> {
  const headers: Record<string, string> = { ...(options.cookie ? { cookie: options.cookie } : {}), ...options.headers };
  let response: Response;
  if (options.mutation) {
    response = await fetch(`${server.url}/api/trpc/${pathName}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(options.input ?? null),
    });
  } else {
    const query = options.input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(options.input))}`;
    response = await fetch(`${server.url}/api/trpc/${pathName}${query}`, { headers });
  }
  return { status: response.status, body: (await response.json()) as Call["body"] };
}

async function signIn(email: string, password = PASSWORD): Promise<{ status: number; cookie: string; setCookie: string }> {
  const response = await fetch(`${server.url}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: server.url },
    body: JSON.stringify({ email, password }),
  });
  const setCookie = response.headers.get("set-cookie") ?? "";
  await response.text();
  return { status: response.status, cookie: setCookie.split(";")[0] ?? "", setCookie };
}

const cookies: Record<string, string> = {};

test("every procedure declares its role in the access table, and the table names no stale ones", () => {
  const procedures = Object.keys(appRouter._def.procedures).sort();
  assert.deepEqual(procedures.filter((p) => !(p in POLICY)), [], "procedures without a declared role");
  assert.deepEqual(Object.keys(POLICY).filter((p) => !procedures.includes(p)), [], "policy entries for procedures that do not exist");
});

describe("first start, sign-in and roles", () => {
  test("with no users, setup creates the first admin once; afterwards it is refused", async () => {
    const status = await trpc("auth.status");
    assert.deepEqual(status.body.result?.data, { setupNeeded: true, user: null });
    const weak = await trpc("auth.setup", { mutation: true, input: { email: "admin@example.com", password: "short" } });
    assert.equal(weak.status, 400);
    assert.match(weak.body.error!.message, /at least 10 characters/);
    const setup = await trpc("auth.setup", { mutation: true, input: { email: "Admin@Example.com", password: PASSWORD } });
    assert.equal(setup.status, 200, JSON.stringify(setup.body));
    const again = await trpc("auth.setup", { mutation: true, input: { email: "evil@example.com", password: PASSWORD } });
    assert.equal(again.status, 403);
    assert.match(again.body.error!.message, /already set up/);
  });

  test("sign-in sets an http-only same-site cookie; signed-out calls are UNAUTHORIZED", async () => {
    const anonymous = await trpc("flows.list");
    assert.equal(anonymous.status, 401);
    const bad = await signIn("admin@example.com", "wrong password!!");
    assert.equal(bad.status, 401);
    const ok = await signIn("admin@example.com");
    assert.equal(ok.status, 200);
    assert.match(ok.setCookie, /HttpOnly/i);
    assert.match(ok.setCookie, /SameSite=Lax/i);
    cookies.admin = ok.cookie;
    const me = await trpc("auth.me", { cookie: ok.cookie });
    assert.equal((me.body.result?.data as { role: string }).role, "admin");
  });

  test("an admin creates users of each role; each role is refused what it may not do", async () => {
    for (const role of ["editor", "analyst", "viewer"] as const) {
      const created = await trpc("users.create", { mutation: true, cookie: cookies.admin, input: { email: `${role}@example.com`, password: PASSWORD, role } });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      cookies[role] = (await signIn(`${role}@example.com`)).cookie;
    }
    const flow = await trpc("flows.create", { mutation: true, cookie: cookies.editor, input: { name: "access test" } });
    assert.equal(flow.status, 200, JSON.stringify(flow.body));
    const flowId = (flow.body.result!.data as { id: string }).id;

    const cases: [role: string, call: string, input: unknown, mutation: boolean, allowed: boolean][] = [
      ["viewer", "flows.list", undefined, false, true],
      ["viewer", "flows.create", { name: "v" }, true, false],
      ["viewer", "runs.test", { doc: {}, input: [] }, true, false],
      ["viewer", "credentials.list", undefined, false, false],
      ["analyst", "credentials.list", undefined, false, false],
      ["analyst", "flows.delete", { id: flowId }, true, false],
      ["editor", "credentials.list", undefined, false, true],
      ["editor", "credentials.set", { name: "k", kind: "bearer", data: { token: "t" } }, true, false],
      ["editor", "flows.setActive", { id: flowId, active: true }, true, false],
      ["editor", "users.list", undefined, false, false],
      ["editor", "audit.list", {}, false, false],
      ["admin", "users.list", undefined, false, true],
      ["admin", "credentials.set", { name: "k", kind: "bearer", data: { token: "t" } }, true, true],
    ];
    for (const [role, call, input, mutation, allowed] of cases) {
      const r = await trpc(call, { cookie: cookies[role], input, mutation });
      if (allowed) assert.notEqual(r.status, 403, `${role} should be allowed ${call}: ${JSON.stringify(r.body)}`);
      else {
        assert.equal(r.status, 403, `${role} must be refused ${call}`);
        assert.match(r.body.error!.message, /needs the \w+ role/);
      }
    }
  });

  test("an analyst may save mapping changes only", async () => {
    const created = await trpc("flows.import", {
      mutation: true,
      cookie: cookies.editor,
      input: {
        doc: {
          schemaVersion: 1,
          name: "analyst flow",
          nodes: [
            { id: "in", type: "trigger.manual", config: {} },
            { id: "map", type: "map.jsonata", config: { expr: "{ 'a': a }" } },
            { id: "keep", type: "transform.filter", config: { condition: "true" } },
          ],
          edges: [
            { from: "in", to: "map" },
            { from: "map", to: "keep" },
          ],
        },
      },
    });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const { id } = created.body.result!.data as { id: string };
    const current = (await trpc("flows.get", { cookie: cookies.analyst, input: { id } })).body.result!.data as { doc: { nodes: { id: string; config: Record<string, unknown> }[] } };
    const mapping = structuredClone(current.doc);
    mapping.nodes[1]!.config = { expr: "{ 'b': a }" };
    const ok = await trpc("flows.save", { mutation: true, cookie: cookies.analyst, input: { id, doc: mapping } });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    const structural = structuredClone(mapping);
    structural.nodes[2]!.config = { condition: "false" };
    const refused = await trpc("flows.save", { mutation: true, cookie: cookies.analyst, input: { id, doc: structural } });
    assert.equal(refused.status, 403);
    assert.match(refused.body.error!.message, /mapping nodes only/);
  });

  test("mutations from another site are refused (CSRF)", async () => {
    const crossSite = await trpc("flows.create", { mutation: true, cookie: cookies.admin, input: { name: "csrf" }, headers: { "sec-fetch-site": "cross-site" } });
    assert.equal(crossSite.status, 403);
    const otherOrigin = await trpc("flows.create", { mutation: true, cookie: cookies.admin, input: { name: "csrf" }, headers: { origin: "http://evil.example" } });
    assert.equal(otherOrigin.status, 403);
    assert.match(otherOrigin.body.error!.message, /another origin/);
  });

  test("sign-in failures and denials are audited; repeated failures raise one suspicious entry", async () => {
    for (let i = 0; i < 6; i++) await signIn("viewer@example.com", `guess number ${i}!!`);
    const audit = await trpc("audit.list", { cookie: cookies.admin, input: { limit: 200 } });
    const items = (audit.body.result!.data as { items: { action: string; outcome: string; actor: string }[] }).items;
    assert.ok(items.some((e) => e.action === "auth.signIn" && e.outcome === "ok" && e.actor === "admin@example.com"));
    assert.ok(items.filter((e) => e.action === "auth.signIn" && e.outcome === "failed").length >= 6);
    assert.equal(items.filter((e) => e.action === "suspicious:auth.signIn").length, 1);
    assert.ok(items.some((e) => e.outcome === "denied" && e.action === "credentials.list"));
    assert.ok(items.some((e) => e.action === "credential.create"));
    assert.ok(!JSON.stringify(items).includes(PASSWORD));
  });
});

test("HTTPS: gate serves TLS and the session cookie is Secure", async () => {
  const { execFileSync } = await import("node:child_process");
  const { Agent, fetch: undiciFetch } = await import("undici");
  const dir = fs.mkdtempSync(path.join(tmp, "tls-"));
  const [key, cert] = [path.join(dir, "key.pem"), path.join(dir, "cert.pem")];
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"], { stdio: "ignore" });
  const pem = { cert: fs.readFileSync(cert, "utf8"), key: fs.readFileSync(key, "utf8") };
  const secure = await startServer({ host: "127.0.0.1", port: 0, dataDir: path.join(tmp, "tls-data"), dev: false, ui: false, tls: pem });
  const dispatcher = new Agent({ connect: { ca: pem.cert } });
  try {
    assert.match(secure.url, /^https:\/\//);
    const setup = await undiciFetch(`${secure.url}/api/trpc/auth.setup`, {
      method: "POST",
      dispatcher,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "tls@example.com", password: PASSWORD }),
    });
    assert.equal(setup.status, 200, await setup.text());
    const signIn = await undiciFetch(`${secure.url}/api/auth/sign-in/email`, {
      method: "POST",
      dispatcher,
      headers: { "content-type": "application/json", origin: secure.url },
      body: JSON.stringify({ email: "tls@example.com", password: PASSWORD }),
    });
    assert.equal(signIn.status, 200);
    const cookie = signIn.headers.get("set-cookie") ?? "";
    assert.match(cookie, /; Secure/i);
    assert.match(cookie, /HttpOnly/i);
  } finally {
    await dispatcher.close();
    await secure.close();
  }
});
