import "./ephemeral-env";
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHmac, randomBytes } from "node:crypto";
import { sign as githubSign } from "@octokit/webhooks-methods";
import { Webhook } from "standardwebhooks";
import Stripe from "stripe";
import { hookFlow, startGate, type TestGate } from "./testing";

const stripe = new Stripe("sk_test_placeholder");
type Signer = (secret: string, body: string, atMs: number) => Promise<Record<string, string>> | Record<string, string>;

const schemes: { scheme: string; secret: () => string; sign: Signer; timestamped: boolean; config?: Record<string, unknown> }[] = [
  {
    scheme: "standard-webhooks",
    secret: () => `whsec_${randomBytes(24).toString("base64")}`,
    timestamped: true,
    sign: (secret, body, at) => {
      const id = `msg_${randomBytes(6).toString("hex")}`;
      return { "webhook-id": id, "webhook-timestamp": String(Math.floor(at / 1000)), "webhook-signature": new Webhook(secret).sign(id, new Date(at), body) };
    },
  },
  {
    scheme: "stripe",
    secret: () => `whsec_${randomBytes(24).toString("hex")}`,
    timestamped: true,
    sign: (secret, body, at) => ({ "stripe-signature": stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp: Math.floor(at / 1000) }) }),
  },
  {
    scheme: "github",
    secret: () => randomBytes(16).toString("hex"),
    timestamped: false,
    sign: async (secret, body) => ({ "x-hub-signature-256": await githubSign(secret, body), "x-github-delivery": randomBytes(8).toString("hex") }),
  },
  {
    scheme: "slack",
    secret: () => randomBytes(16).toString("hex"),
    timestamped: true,
    sign: (secret, body, at) => {
      const ts = String(Math.floor(at / 1000));
      return { "x-slack-signature": `v0=${createHmac("sha256", secret).update(`v0:${ts}:${body}`).digest("hex")}`, "x-slack-request-timestamp": ts };
    },
  },
  {
    scheme: "hmac-sha256",
    config: { header: "X-Shopify-Hmac-Sha256", encoding: "base64" },
    secret: () => randomBytes(16).toString("hex"),
    timestamped: false,
    sign: (secret, body) => ({ "x-shopify-hmac-sha256": createHmac("sha256", secret).update(body).digest("base64") }),
  },
];

describe("signature verification at ingress (real server, real signing libraries)", () => {
  for (const s of schemes) {
    test(`${s.scheme}: valid → 202 and a run; wrong secret, tampered, stale, unsigned → 401 and nothing stored; rotation grace`, async (t) => {
      const gate: TestGate = await startGate(t);
      const old = s.secret();
      const current = s.secret();
      gate.services.vault.set("hook-secret", "webhookSecret", { secret: old });
      gate.services.vault.set("hook-secret", "webhookSecret", { secret: current }, { graceMs: 60_000 });
      const sig = { id: "sig", type: "auth.verifySignature", config: { scheme: s.scheme, credential: "hook-secret", ...s.config } };
      const flowId = gate.flow(hookFlow(`signed-${s.scheme}`, { path: "signed" }, [sig]));
      const body = JSON.stringify({ id: `evt_${randomBytes(4).toString("hex")}`, amount: 4200 });
      const send = async (headers: Record<string, string>, payload = body) =>
        gate.hook("signed", { body: payload, headers: { "content-type": "application/json", ...headers } });
      const now = Date.now();

      const ok = await send(await s.sign(current, body, now));
      assert.equal(ok.status, 202, await ok.clone().text());
      assert.equal(gate.eventsOf(flowId).length, 1);

      const refusals: [string, Record<string, string>, string?][] = [
        ["wrong secret", await s.sign(s.secret(), body, now)],
        ["tampered body", await s.sign(current, body, now), body.replace("4200", "1")],
        ["unsigned", {}],
      ];
      if (s.timestamped) refusals.push(["stale", await s.sign(current, body, now - 10 * 60_000)]);
      for (const [what, headers, payload] of refusals) {
        const res = await send(headers, payload);
        assert.equal(res.status, 401, what);
        assert.match(((await res.json()) as { error: string }).error, /Verify webhook signature \(node "sig"\): /, what);
      }
      assert.equal(gate.eventsOf(flowId).length, 1, "refused deliveries store nothing");

      // The previous secret still verifies during its grace period (different body: no redelivery).
      const body2 = JSON.stringify({ id: `evt_${randomBytes(4).toString("hex")}`, amount: 1 });
      assert.equal((await send(await s.sign(old, body2, now), body2)).status, 202);
      // After the grace period it no longer does.
      gate.services.vault.set("hook-secret", "webhookSecret", { secret: s.secret() }, { graceMs: 1, now: Date.now() - 1000 });
      const body3 = JSON.stringify({ id: `evt_${randomBytes(4).toString("hex")}`, amount: 2 });
      assert.equal((await send(await s.sign(current, body3, now), body3)).status, 401);
      assert.equal(gate.eventsOf(flowId).length, 2);

      const log = JSON.stringify(gate.services.webhooks.log.query({ limit: 50 }));
      for (const secret of [old, current]) assert.ok(!log.includes(secret));
      for (const header of Object.keys(await s.sign(current, body, now)).filter((h) => /signature|hmac/.test(h)))
        assert.ok(!log.includes(String((await s.sign(current, body, now))[header]).slice(-20)), `${header} value redacted`);
    });
  }

  test("Stripe's event id makes a redelivery idempotent", async (t) => {
    const gate = await startGate(t);
    const secret = `whsec_${randomBytes(24).toString("hex")}`;
    gate.services.vault.set("stripe-secret", "webhookSecret", { secret });
    const sig = { id: "sig", type: "auth.verifySignature", config: { scheme: "stripe", credential: "stripe-secret" } };
    const flowId = gate.flow(hookFlow("stripe-once", { path: "stripe" }, [sig]));
    const body = JSON.stringify({ id: "evt_1Abc", type: "invoice.paid" });
    const deliver = async () => {
      const header = stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp: Math.floor(Date.now() / 1000) });
      return (await (await gate.hook("stripe", { body, headers: { "content-type": "application/json", "stripe-signature": header } })).json()) as { eventId: string };
    };
    const first = await deliver();
    const second = await deliver();
    assert.equal(second.eventId, first.eventId);
    assert.equal(gate.eventsOf(flowId).length, 1);
  });

  test("a signature node not directly after the trigger fails closed (503), never runs open", async (t) => {
    const gate = await startGate(t);
    gate.services.vault.set("s", "webhookSecret", { secret: "abc" });
    const flowId = gate.flow(hookFlow("misplaced", { path: "misplaced" }, [], [{ id: "sig", type: "auth.verifySignature", config: { scheme: "github", credential: "s" } }]));
    const res = await gate.hook("misplaced", { body: "{}", headers: { "content-type": "application/json" } });
    assert.equal(res.status, 503);
    assert.equal(gate.eventsOf(flowId).length, 0);
    const [row] = gate.services.webhooks.log.query({ flowId, limit: 1 }).items;
    assert.match(row!.reason!, /must come directly after the webhook trigger/);
  });
});
