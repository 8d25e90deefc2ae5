// Editing alert channels and rules through the API, as the settings page does: a webhook URL (which
// may carry the receiver's token) never comes back to the caller, and an edit that leaves it out
// keeps the stored one.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, test, type TestContext } from "node:test";
import assert from "node:assert/strict";

// Before anything parses the environment: a key for the vault.
process.env.GATE_ENCRYPTION_KEY = randomBytes(32).toString("base64");
process.env.GATE_LOG_LEVEL ??= "silent";

const { openServices } = await import("../services");
const { appRouter } = await import("../api/root");
const { getChannels, listRules } = await import("./config-store");

const TOKEN = "T0KEN-in-the-path-xyz";
const SECRET_URL = `https://hooks.example.com/services/${TOKEN}?key=query-secret-abc`;

async function admin(t: TestContext) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gate-alert-config-"));
  const services = await openServices(dir, { maintenance: false, webhooks: { workers: false }, scheduler: false });
  t.after(async () => {
    await services.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const caller = appRouter.createCaller({
    services,
    user: { id: "admin", email: "admin@example.com", name: "admin", role: "admin" },
    ip: "127.0.0.1",
    request: { contentType: "application/json", secure: false },
  });
  return { services, caller };
}

const storedUrl = (services: Awaited<ReturnType<typeof admin>>["services"], id: string) => {
  const [channel] = getChannels(services.gdb, [id]);
  assert.equal(channel?.kind, "webhook");
  return channel.kind === "webhook" ? channel.config.url : undefined;
};

describe("alert channels: edit", () => {
  test("a webhook URL is shown as its origin only, and an edit without it keeps the stored URL", async (t) => {
    const { services, caller } = await admin(t);
    const created = await caller.alerts.channels.create({ name: "Ops hook", kind: "webhook", config: { url: SECRET_URL, secretCredential: "ops-signing", timeoutMs: 5_000 } });
    const listed = await caller.alerts.channels.list();
    for (const answer of [created, listed]) {
      const text = JSON.stringify(answer);
      assert.ok(!text.includes(TOKEN) && !text.includes("query-secret-abc") && !text.includes("/services"), `the URL leaked: ${text}`);
    }
    assert.deepEqual(listed, [
      { id: created.id, name: "Ops hook", enabled: true, kind: "webhook", config: { shownUrl: "https://hooks.example.com/…", secretCredential: "ops-signing", timeoutMs: 5_000 } },
    ]);

    // Renamed, switched off, another signing credential; the URL field left empty.
    const edited = await caller.alerts.channels.update({
      id: created.id,
      channel: { name: "Ops hook (EU)", enabled: false, kind: "webhook", config: { secretCredential: "ops-signing-2", timeoutMs: 5_000 } },
    });
    assert.deepEqual(edited.config, { shownUrl: "https://hooks.example.com/…", secretCredential: "ops-signing-2", timeoutMs: 5_000 });
    assert.equal(edited.name, "Ops hook (EU)");
    assert.equal(edited.enabled, false);
    assert.equal(storedUrl(services, created.id), SECRET_URL, "the stored URL is unchanged");

    // A new URL replaces it.
    const moved = await caller.alerts.channels.update({
      id: created.id,
      channel: { name: "Ops hook (EU)", kind: "webhook", config: { url: "http://receiver.example.net:8080/", secretCredential: "ops-signing-2" } },
    });
    assert.equal(moved.kind === "webhook" && moved.config.shownUrl, "http://receiver.example.net:8080/");
    assert.equal(storedUrl(services, created.id), "http://receiver.example.net:8080/");
  });

  test("email settings come back whole (the password is in the vault) and are replaced by an edit", async (t) => {
    const { caller } = await admin(t);
    const created = await caller.alerts.channels.create({
      name: "Ops mail",
      kind: "email",
      config: { host: "smtp.example.com", port: 587, credential: "smtp-login", from: "gate@example.com", to: ["ops@example.com"] },
    });
    assert.equal(created.kind, "email");
    const edited = await caller.alerts.channels.update({
      id: created.id,
      channel: { name: "Ops mail", kind: "email", config: { host: "mail.example.org", port: 465, security: "tls", from: "gate@example.org", to: ["a@example.org", "b@example.org"] } },
    });
    assert.deepEqual(edited.config, { host: "mail.example.org", port: 465, security: "tls", from: "gate@example.org", to: ["a@example.org", "b@example.org"] });
  });

  test("a channel that becomes a webhook needs a URL; unknown ids and taken names are refused", async (t) => {
    const { caller } = await admin(t);
    const inbox = await caller.alerts.channels.create({ name: "Inbox", kind: "inapp", config: {} });
    await caller.alerts.channels.create({ name: "Other", kind: "inapp", config: {} });
    await assert.rejects(
      caller.alerts.channels.update({ id: inbox.id, channel: { name: "Inbox", kind: "webhook", config: { secretCredential: "s" } } }),
      (e: Error & { code?: string }) => e.code === "BAD_REQUEST" && e.message === 'alert channel "Inbox" is an in-app channel: give the URL the webhook should be sent to',
    );
    await assert.rejects(
      caller.alerts.channels.update({ id: "no-such-channel", channel: { name: "Ghost", kind: "webhook", config: { secretCredential: "s" } } }),
      (e: Error & { code?: string }) => e.code === "NOT_FOUND" && /alert channel no-such-channel not found/.test(e.message),
    );
    await assert.rejects(
      caller.alerts.channels.update({ id: inbox.id, channel: { name: "Other", kind: "inapp", config: {} } }),
      (e: Error & { code?: string }) => e.code === "CONFLICT" && /named "Other" already exists/.test(e.message),
    );
    const becameHook = await caller.alerts.channels.update({ id: inbox.id, channel: { name: "Inbox", kind: "webhook", config: { url: "https://hooks.example.com/x", secretCredential: "s" } } });
    assert.equal(becameHook.kind, "webhook");
  });
});

describe("alert rules: edit", () => {
  test("an edit replaces kind, parameters, channels, cooldown and on/off", async (t) => {
    const { services, caller } = await admin(t);
    const mail = await caller.alerts.channels.create({ name: "Inbox", kind: "inapp", config: {} });
    const rule = await caller.alerts.rules.create({ name: "Keeps failing", kind: "consecutiveFailures", params: { failures: 3 }, channelIds: [mail.id] });
    await caller.alerts.rules.update({
      id: rule.id,
      rule: { name: "Failing often", kind: "failureRate", params: { percent: 20, windowMinutes: 30, minRuns: 4 }, channelIds: [], cooldownMinutes: 5, enabled: false },
    });
    const [stored] = listRules(services.gdb);
    assert.deepEqual(stored, {
      id: rule.id,
      name: "Failing often",
      kind: "failureRate",
      params: { percent: 20, windowMinutes: 30, minRuns: 4 },
      flowId: null,
      cooldownMs: 5 * 60_000,
      enabled: false,
      channelIds: [],
    });
  });
});
