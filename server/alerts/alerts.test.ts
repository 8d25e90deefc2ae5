// Alerting end to end, wired as the server wires it (openServices with maintenance on a real data
// folder): live runs of real flows, a real SMTP server and a real webhook receiver on 127.0.0.1
// that verifies signatures with the `standardwebhooks` package.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { describe, test, type TestContext } from "node:test";
import assert from "node:assert/strict";

// Before anything parses the environment: a key for the vault, loopback allowed for the receivers.
process.env.GATE_ENCRYPTION_KEY = randomBytes(32).toString("base64");
process.env.GATE_ALLOW_HOSTS = "127.0.0.1";
process.env.GATE_LOG_LEVEL ??= "silent";

const { openServices } = await import("../services");
const { saveChannel, saveRule } = await import("./config-store");
const { acknowledgeIncident, listIncidents } = await import("./incidents");
const { AlertService } = await import("./service");
const { incidents, webhookLog } = await import("../db/schema");
const { hookReceiver, smtpSink } = await import("./testing");
type Services = Awaited<ReturnType<typeof openServices>>;

const SMTP_PASSWORD = "smtp-Pa55word-that-must-never-leak";
const WEBHOOK_SECRET = `whsec_${randomBytes(24).toString("base64")}`;
const SECRETS = [SMTP_PASSWORD, WEBHOOK_SECRET, WEBHOOK_SECRET.slice("whsec_".length)];

async function services(t: TestContext, options: { maintenance?: boolean } = {}): Promise<Services> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gate-alerts-"));
  const s = await openServices(dir, { maintenance: options.maintenance ?? true, webhooks: { workers: false }, scheduler: false });
  t.after(async () => {
    await s.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return s;
}

/** A flow that fails when the item has no `email` (a required mapping) and succeeds otherwise. */
function mappingFlow(s: Services, name: string): string {
  const result = s.flows.importFlow(
    {
      schemaVersion: 1,
      name,
      nodes: [
        { id: "in", type: "trigger.manual", config: {} },
        { id: "map", type: "map.fields", config: { fields: [{ target: "email", expr: "email", required: true }] } },
      ],
      edges: [{ from: "in", to: "map" }],
    },
    { activate: true },
  );
  assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
  return result.flow.id;
}

const fail = (s: Services, flowId: string) => s.runner.runLive({ flowId, input: [{ name: "no email" }] });
const succeed = (s: Services, flowId: string) => s.runner.runLive({ flowId, input: [{ email: "ada@example.com" }] });

async function runs(s: Services, flowId: string, outcomes: string) {
  for (const outcome of outcomes) {
    const { record } = await (outcome === "F" ? fail(s, flowId) : succeed(s, flowId));
    assert.equal(record.status, outcome === "F" ? "failed" : "success");
  }
  await s.alerts!.idle();
}

function emailChannel(s: Services, port: number, name = "ops mail") {
  s.vault.set("smtp-login", "basic", { username: "gate-alerts", password: SMTP_PASSWORD });
  return saveChannel(s.gdb, {
    name,
    kind: "email",
    config: { host: "127.0.0.1", port, security: "none", credential: "smtp-login", from: "gate@example.com", to: ["ops@example.com"] },
  });
}

function webhookChannel(s: Services, url: string, name = "ops hook") {
  s.vault.set("alert-hook", "webhookSecret", { secret: WEBHOOK_SECRET });
  return saveChannel(s.gdb, { name, kind: "webhook", config: { url, secretCredential: "alert-hook" } });
}

function incidentRows(s: Services) {
  return s.gdb.db.select().from(incidents).all();
}

function assertNoSecrets(where: string, text: string) {
  for (const secret of SECRETS) assert.ok(!text.includes(secret), `${where} contains a secret`);
}

describe("alerts", () => {
  test("a failing flow sends exactly one email and one webhook per incident, and one recovery of each when it heals", async (t) => {
    const smtp = await smtpSink(t);
    const hooks = await hookReceiver(t, WEBHOOK_SECRET);
    const s = await services(t);
    const flowId = mappingFlow(s, "Contact import");
    const mail = emailChannel(s, smtp.port);
    const hook = webhookChannel(s, hooks.url);
    saveRule(s.gdb, { name: "Three failures", kind: "consecutiveFailures", params: { failures: 3 }, channelIds: [mail.id, hook.id] });

    await runs(s, flowId, "FF");
    assert.deepEqual([smtp.messages.length, hooks.received.length], [0, 0], "two failures are below the threshold");

    await runs(s, flowId, "F");
    assert.equal(smtp.messages.length, 1);
    assert.equal(hooks.received.length, 1);
    const [email] = smtp.messages;
    assert.equal(email!.subject, "[Gate] ALERT: Three failures - Contact import");
    assert.deepEqual(email!.to, ["ops@example.com"]);
    assert.equal(email!.user, "gate-alerts", "the SMTP login came from the credential");
    assert.deepEqual(smtp.logins, [{ user: "gate-alerts", password: SMTP_PASSWORD }]);
    assert.match(email!.text, /flow "Contact import" failed 3 times in a row; last error: /);
    const opened = hooks.received[0]!;
    assert.ok(opened.event, "the signature verifies with the standardwebhooks package");
    assert.equal(opened.event.type, "incident.opened");
    assert.equal((opened.event.data.flow as { name: string }).name, "Contact import");
    assert.match(opened.headers["webhook-signature"] as string, /^v1,/);

    await runs(s, flowId, "FF");
    assert.equal(smtp.messages.length, 1, "further failures are grouped into the open incident");
    assert.equal(hooks.received.length, 1);
    const [open] = incidentRows(s);
    assert.equal(incidentRows(s).length, 1);
    assert.equal(open!.count, 3, "opened at the third failure, seen again at the fourth and fifth");
    assert.match(open!.summary, /failed 5 times in a row/);

    await runs(s, flowId, "S");
    assert.equal(smtp.messages.length, 2);
    assert.equal(hooks.received.length, 2);
    assert.equal(smtp.messages[1]!.subject, "[Gate] RESOLVED: Three failures - Contact import");
    assert.match(smtp.messages[1]!.text, /The problem has cleared: flow "Contact import" ran successfully again\./);
    assert.match(smtp.messages[1]!.text, /It was: flow "Contact import" failed 5 times in a row/);
    const resolved = hooks.received[1]!;
    assert.equal(resolved.event?.type, "incident.resolved");
    assert.equal(resolved.event?.data.incidentId, opened.event.data.incidentId);
    assert.notEqual(resolved.id, opened.id, "each notification has its own webhook-id");

    await runs(s, flowId, "SS");
    assert.deepEqual([smtp.messages.length, hooks.received.length], [2, 2], "nothing more once it is healthy");
    const [cleared] = incidentRows(s);
    assert.ok(cleared!.clearedAt && cleared!.notifiedAt && cleared!.recoveryNotifiedAt);
    assert.equal(cleared!.deliveryError, null);

    assertNoSecrets("the incidents table", JSON.stringify(incidentRows(s)));
    for (const m of smtp.messages) assertNoSecrets("an email", m.raw);
    for (const h of hooks.received) assertNoSecrets("a webhook", h.body + JSON.stringify(h.headers));
  });

  test("failure rate above the limit opens one incident; back under it sends the recovery", async (t) => {
    const hooks = await hookReceiver(t, WEBHOOK_SECRET);
    const s = await services(t);
    const flowId = mappingFlow(s, "Orders");
    const hook = webhookChannel(s, hooks.url);
    saveRule(s.gdb, { name: "Error rate", kind: "failureRate", params: { percent: 30, windowMinutes: 15, minRuns: 5 }, channelIds: [hook.id] });

    await runs(s, flowId, "FFSS");
    assert.equal(hooks.received.length, 0, "fewer than 5 runs say nothing about a rate");
    await runs(s, flowId, "S");
    assert.deepEqual(
      hooks.received.map((h) => h.event?.type),
      ["incident.opened"],
    );
    assert.match(String(hooks.received[0]!.event?.data.summary), /2 of 5 runs \(40%\).*above the 30% limit/);
    await runs(s, flowId, "S");
    assert.equal(hooks.received.length, 1, "2 of 6 (33%) is still above the limit");
    await runs(s, flowId, "S");
    assert.deepEqual(
      hooks.received.map((h) => h.event?.type),
      ["incident.opened", "incident.resolved"],
    );
    assert.match(String(hooks.received[1]!.event?.data.resolution), /back to normal: 2 of 7 runs/);
  });

  test("a credential about to expire raises one alert per sweep cycle and recovers when renewed", async (t) => {
    const smtp = await smtpSink(t);
    const s = await services(t);
    const mail = emailChannel(s, smtp.port);
    saveRule(s.gdb, { name: "Expiring credentials", kind: "credentialExpiry", params: { withinDays: 14 }, channelIds: [mail.id] });
    const oauth = (days: number) => ({
      authorizeUrl: "https://login.example.com/authorize",
      tokenUrl: "https://login.example.com/token",
      clientId: "gate",
      clientSecret: "client-secret-value-1234",
      accessToken: "access-token-value-5678",
      expiresAt: new Date(Date.now() + days * 24 * 3600_000).toISOString(),
    });
    s.vault.set("erp-oauth", "oauth2AuthorizationCode", oauth(3));
    assert.equal(s.vault.get("erp-oauth")?.expiringSoon, true);

    await s.alerts!.sweep();
    await s.alerts!.sweep();
    assert.equal(smtp.messages.length, 1, "the second sweep finds the incident already announced");
    assert.equal(smtp.messages[0]!.subject, "[Gate] ALERT: Expiring credentials");
    assert.match(smtp.messages[0]!.text, /credential "erp-oauth" \(token\) expires at .* in 3 day\(s\): renew it/);

    s.vault.replaceData("erp-oauth", oauth(60));
    await s.alerts!.sweep();
    assert.equal(smtp.messages.length, 2);
    assert.equal(smtp.messages[1]!.subject, "[Gate] RESOLVED: Expiring credentials");
    for (const m of smtp.messages) assertNoSecrets("an email", m.raw);
    for (const m of smtp.messages) assert.ok(!m.raw.includes("client-secret-value-1234") && !m.raw.includes("access-token-value-5678"));
  });

  test("authentication failures (a 401 from the API) open an in-app incident that can be acknowledged", async (t) => {
    const api = http.createServer((_req, res) => res.writeHead(401, { "content-type": "application/json" }).end('{"error":"bad token"}'));
    await new Promise<void>((resolve) => api.listen(0, "127.0.0.1", resolve));
    t.after(() => new Promise<void>((resolve) => api.close(() => resolve())));
    const s = await services(t);
    s.vault.set("crm-token", "bearer", { token: "crm-bearer-token-abcdef" });
    const imported = s.flows.importFlow(
      {
        schemaVersion: 1,
        name: "CRM push",
        nodes: [
          { id: "in", type: "trigger.manual", config: {} },
          { id: "out", type: "http.request", config: { method: "POST", url: `http://127.0.0.1:${(api.address() as AddressInfo).port}/contacts`, credential: "crm-token" } },
        ],
        edges: [{ from: "in", to: "out" }],
      },
      { activate: true },
    );
    assert.ok(imported.ok, JSON.stringify(!imported.ok && imported.problems));
    const inapp = saveChannel(s.gdb, { name: "in-app", kind: "inapp" });
    saveRule(s.gdb, { name: "Auth problems", kind: "authFailures", params: { failures: 1, windowMinutes: 60 }, channelIds: [inapp.id] });

    const { record } = await s.runner.runLive({ flowId: imported.flow.id, input: [{ id: 1 }] });
    assert.equal(record.error?.code, "HTTP_401");
    await s.alerts!.idle();

    const page = listIncidents(s.gdb, { status: "open", limit: 10 });
    assert.equal(page.items.length, 1);
    const [item] = page.items;
    assert.equal(item!.ruleName, "Auth problems");
    assert.equal(item!.flowName, "CRM push");
    assert.match(item!.summary, /failed to authenticate 1 time .*\(HTTP_401\): check its credential/);
    assert.ok(item!.notifiedAt, "in-app counts as told");
    assert.ok(!item!.summary.includes("crm-bearer-token-abcdef"));
    assert.equal(acknowledgeIncident(s.gdb, item!.id, "ops@example.com"), true);
    assert.equal(acknowledgeIncident(s.gdb, item!.id, "ops@example.com"), false, "acknowledged once");
    assert.equal(listIncidents(s.gdb, { status: "open", limit: 10 }).items[0]!.acknowledgedBy, "ops@example.com");
  });

  test("a spike of rejected webhooks for a flow opens an incident", async (t) => {
    const s = await services(t);
    const flowId = mappingFlow(s, "Inbound");
    saveRule(s.gdb, { name: "Rejected hooks", kind: "rejectedWebhooks", params: { rejections: 3, windowMinutes: 5 }, flowId });
    const row = { method: "POST", path: "inbound", flowId, sourceIp: "203.0.113.9", bytes: 10, latencyMs: 1, status: 401, outcome: "rejected" as const, reason: "signature mismatch", headers: "{}" };
    for (let i = 0; i < 3; i++) s.gdb.db.insert(webhookLog).values({ ...row, at: Date.now() }).run();
    await s.alerts!.sweep();
    const [incident] = listIncidents(s.gdb, { status: "open", limit: 10 }).items;
    assert.match(incident!.summary, /3 webhook requests to flow "Inbound" were rejected in the last 5 minutes/);
  });

  test("failed deliveries are reported without secrets and retried by the sweep", async (t) => {
    // This server only accepts another password, and its refusal repeats the one it was sent.
    const smtp = await smtpSink(t, { password: "the-right-one" });
    const hooks = await hookReceiver(t, WEBHOOK_SECRET);
    hooks.status = 500;
    const s = await services(t);
    const flowId = mappingFlow(s, "Billing");
    const mail = emailChannel(s, smtp.port);
    const hook = webhookChannel(s, hooks.url);
    saveRule(s.gdb, { name: "Any failure", kind: "consecutiveFailures", params: { failures: 1 }, channelIds: [mail.id, hook.id] });

    await runs(s, flowId, "F");
    const [failed] = incidentRows(s);
    assert.equal(failed!.notifiedAt, null, "no channel took it: still owed");
    assert.match(failed!.deliveryError ?? "", /ops mail: .*login refused for password \*\*\*/);
    assert.match(failed!.deliveryError ?? "", /ops hook: the receiver answered HTTP 500/);
    assertNoSecrets("the delivery error", failed!.deliveryError ?? "");

    hooks.status = 200;
    await s.alerts!.sweep();
    const [told] = incidentRows(s);
    assert.ok(told!.notifiedAt, "the sweep delivered it through the webhook");
    assert.equal(hooks.received.filter((h) => h.event?.type === "incident.opened").length, 2, "the first try and the retry");
    assert.equal(new Set(hooks.received.map((h) => h.id)).size, 1, "a retry keeps its webhook-id, so receivers can drop duplicates");
    assert.match(told!.deliveryError ?? "", /ops mail/, "the mail channel still fails and says so");
  });

  test("a flapping flow re-opens the same incident and is announced again only after the cooldown", async (t) => {
    const hooks = await hookReceiver(t, WEBHOOK_SECRET);
    // Our own AlertService on a fake clock, attached to the runner as the server attaches its own.
    const s = await services(t, { maintenance: false });
    let now = Date.now();
    const alerts = new AlertService({ gdb: s.gdb, vault: s.vault, http: s.network.http, net: s.network.net, log: { info() {}, warn() {}, error() {} }, now: () => now });
    s.runner.onFinished.push(alerts.onExecutionFinished);
    t.after(() => alerts.stop());
    const flowId = mappingFlow(s, "Flappy");
    const hook = webhookChannel(s, hooks.url);
    saveRule(s.gdb, { name: "Any failure", kind: "consecutiveFailures", params: { failures: 1 }, cooldownMinutes: 30, channelIds: [hook.id] });
    const step = async (outcome: "F" | "S", advanceMs: number) => {
      now += advanceMs;
      await (outcome === "F" ? fail(s, flowId) : succeed(s, flowId));
      await alerts.idle();
    };
    // By the body's type: the fake clock puts webhook-timestamp outside standardwebhooks' 5-minute tolerance.
    const types = () => hooks.received.map((h) => h.type);

    await step("F", 0);
    await step("S", 60_000);
    assert.deepEqual(types(), ["incident.opened", "incident.resolved"]);
    await step("F", 60_000);
    await step("S", 60_000);
    await step("F", 60_000);
    assert.deepEqual(types(), ["incident.opened", "incident.resolved"], "flapping inside the cooldown stays quiet");
    assert.equal(incidentRows(s).length, 1, "the same incident, re-opened");
    assert.equal(incidentRows(s)[0]!.reopenCount, 2);

    now += 30 * 60_000;
    await alerts.sweep();
    assert.deepEqual(types(), ["incident.opened", "incident.resolved", "incident.reopened"], "still failing after the cooldown: announced");
    await step("S", 60_000);
    assert.deepEqual(types(), ["incident.opened", "incident.resolved", "incident.reopened", "incident.resolved"]);

    await step("F", 11 * 60_000);
    assert.equal(incidentRows(s).length, 2, "after the flap window a new failure is a new incident");
    assert.equal(types().at(-1), "incident.opened");
  });
});
