import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHmac, randomBytes } from "node:crypto";
import { sign as githubSign } from "@octokit/webhooks-methods";
import { Webhook } from "standardwebhooks";
import Stripe from "stripe";
import { ConfigError, parseConfig, runNode, type Credential, type IngressVerdict } from "../sdk";
import verifySignature from "./verify-signature";

const stripe = new Stripe("sk_test_placeholder");
const NOW = Date.now();
const HOUR = 3600_000;
const body = JSON.stringify({ id: "evt_1", type: "invoice.paid", amount: 4200 });

function secretCredential(secret: string, previous?: { secret: string; until: number }): Credential {
  return {
    id: "c1",
    name: "hook-secret",
    kind: "webhookSecret",
    data: { secret },
    ...(previous && { previous: { data: { secret: previous.secret }, until: new Date(previous.until).toISOString() } }),
  };
}

function verify(config: Record<string, unknown>, credential: Credential, headers: Record<string, string>, raw = body): IngressVerdict {
  const parsed = parseConfig(verifySignature.config, { credential: "hook-secret", ...config });
  return verifySignature.ingress!.verify({
    config: parsed,
    credential,
    request: { method: "POST", headers, rawBody: Buffer.from(raw), now: NOW },
  });
}

function refused(verdict: IngressVerdict, reason: RegExp) {
  assert.equal(verdict.ok, false, "the delivery should be refused");
  if (!verdict.ok) assert.match(verdict.reason, reason);
}

/** Per scheme: sign a body with a secret at a time, as the real sender (or its official library) does. */
interface SchemeCase {
  scheme: string;
  config?: Record<string, unknown>;
  secret: () => string;
  sign: (secret: string, payload: string, atMs: number) => Promise<Record<string, string>> | Record<string, string>;
  /** Whether the scheme signs a timestamp (and so refuses stale deliveries). */
  timestamped: boolean;
}

const whsec = () => `whsec_${randomBytes(24).toString("base64")}`;
const plain = () => randomBytes(20).toString("hex");

const cases: SchemeCase[] = [
  {
    scheme: "standard-webhooks",
    secret: whsec,
    timestamped: true,
    sign: (secret, payload, at) => {
      const id = "msg_2Lh9KTLc";
      const date = new Date(at);
      return {
        "webhook-id": id,
        "webhook-timestamp": String(Math.floor(at / 1000)),
        "webhook-signature": new Webhook(secret).sign(id, date, payload),
      };
    },
  },
  {
    scheme: "stripe",
    secret: whsec,
    timestamped: true,
    sign: (secret, payload, at) => ({
      "stripe-signature": stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: Math.floor(at / 1000) }),
    }),
  },
  {
    scheme: "github",
    secret: plain,
    timestamped: false,
    sign: async (secret, payload) => ({ "x-hub-signature-256": await githubSign(secret, payload), "x-github-delivery": "d-1" }),
  },
  {
    // Slack publishes the algorithm, not a package; this follows its documentation literally.
    scheme: "slack",
    secret: plain,
    timestamped: true,
    sign: (secret, payload, at) => {
      const ts = String(Math.floor(at / 1000));
      const mac = createHmac("sha256", secret).update(`v0:${ts}:${payload}`).digest("hex");
      return { "x-slack-signature": `v0=${mac}`, "x-slack-request-timestamp": ts };
    },
  },
  {
    scheme: "hmac-sha256",
    config: { header: "X-Shop-Hmac", prefix: "sha256=", encoding: "base64" },
    secret: plain,
    timestamped: false,
    sign: (secret, payload) => ({ "x-shop-hmac": `sha256=${createHmac("sha256", secret).update(payload).digest("base64")}` }),
  },
];

describe("auth.verifySignature", () => {
  for (const c of cases) {
    describe(c.scheme, () => {
      const config = { scheme: c.scheme, ...c.config };

      test("a valid signature passes with the current secret", async () => {
        const secret = c.secret();
        assert.deepEqual(verify(config, secretCredential(secret), await c.sign(secret, body, NOW)), { ok: true, secret: "current" });
      });

      test("a signature made with another secret is refused", async () => {
        refused(verify(config, secretCredential(c.secret()), await c.sign(c.secret(), body, NOW)), /does not match/);
      });

      test("a tampered body is refused", async () => {
        const secret = c.secret();
        const headers = await c.sign(secret, body, NOW);
        refused(verify(config, secretCredential(secret), headers, body.replace("4200", "1")), /does not match/);
      });

      test("missing signature headers are refused, naming the header", () => {
        refused(verify(config, secretCredential(c.secret()), {}), /missing \S+/);
      });

      test("the previous secret is accepted during the rotation grace period, not after it", async () => {
        const old = c.secret();
        const headers = await c.sign(old, body, NOW);
        assert.deepEqual(verify(config, secretCredential(c.secret(), { secret: old, until: NOW + HOUR }), headers), { ok: true, secret: "previous" });
        refused(verify(config, secretCredential(c.secret(), { secret: old, until: NOW - 1 }), headers), /does not match/);
      });

      if (c.timestamped) {
        test("a delivery older than the tolerance is refused as a replay; within it, accepted", async () => {
          const secret = c.secret();
          refused(verify(config, secretCredential(secret), await c.sign(secret, body, NOW - 302_000)), /old, more than the 300 s tolerance/);
          refused(verify(config, secretCredential(secret), await c.sign(secret, body, NOW + 302_000)), /in the future/);
          assert.equal(verify(config, secretCredential(secret), await c.sign(secret, body, NOW - 250_000)).ok, true);
          const lenient = { ...config, toleranceSeconds: 900 };
          assert.equal(verify(lenient, secretCredential(secret), await c.sign(secret, body, NOW - 600_000)).ok, true);
        });
      }
    });
  }

  test("Stripe: any of several v1 signatures may match (a secret being rolled)", () => {
    const secret = whsec();
    const ts = Math.floor(NOW / 1000);
    const good = stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp: ts });
    const other = stripe.webhooks.generateTestHeaderString({ payload: body, secret: whsec(), timestamp: ts });
    const header = `t=${ts},${other.split(",")[1]!},${good.split(",")[1]!}`;
    assert.equal(verify({ scheme: "stripe" }, secretCredential(secret), { "stripe-signature": header }).ok, true);
  });

  test("garbage in signature headers is refused without throwing", () => {
    const secret = whsec();
    for (const [scheme, headers] of [
      ["stripe", { "stripe-signature": "t=abc,v1=zz" }],
      ["stripe", { "stripe-signature": "," }],
      ["github", { "x-hub-signature-256": "sha256=not-hex" }],
      ["github", { "x-hub-signature-256": "md5=00" }],
      ["slack", { "x-slack-signature": "v0=00", "x-slack-request-timestamp": "1e9" }],
      ["standard-webhooks", { "webhook-id": "x", "webhook-timestamp": String(Math.floor(NOW / 1000)), "webhook-signature": "v2,abc" }],
      ["hmac-sha256", { "x-signature": "!!" }],
    ] as const)
      assert.equal(verify({ scheme }, secretCredential(secret), headers).ok, false, `${scheme} ${JSON.stringify(headers)}`);
  });

  test("a credential without a secret refuses every delivery", () => {
    const credential: Credential = { id: "c", name: "empty", kind: "webhookSecret", data: {} };
    refused(verify({ scheme: "github" }, credential, { "x-hub-signature-256": "sha256=00" }), /no webhook secret/);
  });

  test("names the signature headers to redact", () => {
    const hook = verifySignature.ingress!;
    const cfg = (c: Record<string, unknown>) => parseConfig(verifySignature.config, { credential: "s", ...c });
    assert.deepEqual(hook.secretHeaders!(cfg({ scheme: "hmac-sha256", header: "X-Shop-Hmac" })), ["x-shop-hmac"]);
    assert.deepEqual(hook.secretHeaders!(cfg({ scheme: "stripe" })), ["stripe-signature"]);
  });

  test("config: scheme and credential are required, header names checked", () => {
    assert.throws(() => parseConfig(verifySignature.config, {}), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.deepEqual(e.issues.map((i) => i.path).sort(), ["credential", "scheme"]);
      return true;
    });
    assert.throws(() => parseConfig(verifySignature.config, { scheme: "hmac-sha256", credential: "s", header: "bad header" }), ConfigError);
  });

  test("inside a run, verified items pass through unchanged", async () => {
    const items = [{ a: 1 }, { b: 2 }];
    const { outputs } = await runNode(verifySignature, {
      config: { scheme: "github", credential: "s" },
      items,
      credential: secretCredential("x"),
    });
    assert.deepEqual(outputs.main, items);
  });
});
