// The pure parts of alerting: rule evaluation over facts, and the notification policy (grouping,
// flapping, cooldown, recovery) over incident rows.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { alertDue, phaseNotified, recoveryDue, withinFlapWindow, type Incident } from "./policy";
import { authFailures, consecutiveFailures, credentialExpiry, dlqGrowth, failureRate, isAuthFailure, rejectedWebhooks, type RunFact } from "./rules";

const flow = { id: "f1", name: "CRM sync" };
let seq = 0;
function run(status: "success" | "failed", code?: string, startedAt = ++seq): RunFact {
  return code
    ? { executionId: `e${startedAt}`, status, startedAt, errorCodes: [code], error: { code, message: `boom ${code}`, node: "out" } }
    : { executionId: `e${startedAt}`, status, startedAt, errorCodes: [] };
}

describe("rules", () => {
  test("consecutiveFailures holds from the Nth failure in a row and clears on the next success", () => {
    const p = { failures: 3 };
    assert.equal(consecutiveFailures(p, flow, [run("failed", "HTTP_500"), run("failed")]).active, false);
    const three = consecutiveFailures(p, flow, [run("failed", "HTTP_500"), run("failed"), run("failed"), run("success")]);
    assert.equal(three.active, true);
    assert.equal(three.key, "flow:f1");
    assert.match(three.summary, /failed 3 times in a row; last error: HTTP_500 at node "out": boom HTTP_500/);
    assert.equal(consecutiveFailures(p, flow, [run("success"), run("failed"), run("failed"), run("failed")]).active, false);
  });

  test("failureRate needs enough runs and a rate above the limit", () => {
    const p = { percent: 30, windowMinutes: 15, minRuns: 5 };
    assert.equal(failureRate(p, flow, { total: 4, failed: 4 }).active, false, "too few runs say nothing");
    assert.equal(failureRate(p, flow, { total: 10, failed: 3 }).active, false, "exactly at the limit is not above it");
    const high = failureRate(p, flow, { total: 10, failed: 4, lastFailure: run("failed", "TIMEOUT") });
    assert.equal(high.active, true);
    assert.match(high.summary, /4 of 10 runs \(40%\)/);
    assert.match(high.summary, /TIMEOUT/);
    assert.match(failureRate(p, flow, { total: 10, failed: 1 }).summary, /back to normal/);
  });

  test("authFailures counts 401/403 and credential errors, and a later success clears it", () => {
    for (const code of ["HTTP_401", "HTTP_403", "CREDENTIAL_MISSING", "CREDENTIAL_UNAVAILABLE", "OAUTH_TOKEN"]) assert.ok(isAuthFailure(code), code);
    for (const code of ["HTTP_404", "HTTP_500", "TIMEOUT", "MAPPING_FAILED"]) assert.ok(!isAuthFailure(code), code);
    const p = { failures: 2, windowMinutes: 60 };
    assert.equal(authFailures(p, flow, [run("failed", "HTTP_401")]).active, false);
    const newestFirst = (...runs: RunFact[]) => runs.sort((a, b) => b.startedAt - a.startedAt);
    const a = run("failed", "HTTP_401");
    const b = run("failed", "HTTP_500");
    const c = run("failed", "CREDENTIAL_MISSING");
    assert.equal(authFailures(p, flow, newestFirst(a, b, c)).active, true);
    assert.equal(authFailures(p, flow, newestFirst(a, b, c, run("success"))).active, false);
    // A caught auth error (node error, run still failed elsewhere) counts too.
    const caught: RunFact = { ...run("failed", "HTTP_500"), errorCodes: ["HTTP_500", "HTTP_403"] };
    assert.equal(authFailures({ failures: 1, windowMinutes: 60 }, flow, [caught]).active, true);
  });

  test("credentialExpiry: within the days, expired, far away, no expiry", () => {
    const now = Date.parse("2026-03-01T00:00:00Z");
    const day = 24 * 3600_000;
    const findings = credentialExpiry(
      { withinDays: 14 },
      [
        { name: "crm-cert", kind: "clientCertificate", expiresAt: now + 5 * day },
        { name: "erp-oauth", kind: "oauth2AuthorizationCode", expiresAt: now - day },
        { name: "later", kind: "clientCertificate", expiresAt: now + 40 * day },
        { name: "api-key", kind: "apiKey", expiresAt: null },
      ],
      now,
    );
    assert.deepEqual(
      findings.map((f) => [f.key, f.active]),
      [
        ["credential:crm-cert", true],
        ["credential:erp-oauth", true],
        ["credential:later", false],
        ["credential:api-key", false],
      ],
    );
    assert.match(findings[0]!.summary, /certificate\) expires at 2026-03-06.*in 5 day/);
    assert.match(findings[1]!.summary, /token\) expired at/);
  });

  test("rejectedWebhooks and dlqGrowth compare counts per flow with the limit", () => {
    const w = rejectedWebhooks({ rejections: 10, windowMinutes: 5 }, [
      { flow, count: 12 },
      { flow: null, count: 3 },
    ]);
    assert.deepEqual(
      w.map((f) => [f.key, f.flowId, f.active]),
      [
        ["flow:f1", "f1", true],
        ["webhooks:unrouted", null, false],
      ],
    );
    assert.match(w[0]!.summary, /12 webhook requests to flow "CRM sync" were rejected/);
    assert.equal(dlqGrowth({ added: 5, windowMinutes: 60 }, [{ flow, count: 5 }])[0]!.active, true);
  });
});

function incident(fields: Partial<Incident> = {}): Incident {
  return {
    id: "i1",
    ruleId: "r1",
    flowId: "f1",
    key: "flow:f1",
    openedAt: 1_000,
    lastSeenAt: 1_000,
    clearedAt: null,
    reopenedAt: null,
    reopenCount: 0,
    notifiedAt: null,
    recoveryNotifiedAt: null,
    acknowledgedAt: null,
    acknowledgedBy: null,
    count: 1,
    summary: "s",
    resolution: null,
    deliveryError: null,
    ...fields,
  };
}

describe("policy", () => {
  const cooldown = 30 * 60_000;

  test("a new incident alerts once; after that, never again while it stays open", () => {
    assert.equal(alertDue(incident(), cooldown, 1_000), true);
    const told = incident({ notifiedAt: 1_000, count: 5 });
    assert.equal(alertDue(told, cooldown, 1_000 + 2 * cooldown), false, "the open phase was announced");
  });

  test("recovery only for a phase people heard about, once", () => {
    assert.equal(recoveryDue(incident({ clearedAt: 2_000 })), false, "nobody was told: clear quietly");
    assert.equal(recoveryDue(incident({ notifiedAt: 1_000, clearedAt: 2_000 })), true);
    assert.equal(recoveryDue(incident({ notifiedAt: 1_000, clearedAt: 2_000, recoveryNotifiedAt: 2_000 })), false);
  });

  test("a re-opened phase waits for the cooldown since the last notification", () => {
    const reopened = incident({ notifiedAt: 1_000, recoveryNotifiedAt: 2_000, clearedAt: null, reopenedAt: 3_000, reopenCount: 1 });
    assert.equal(phaseNotified(reopened), false);
    assert.equal(alertDue(reopened, cooldown, 3_000), false, "inside the cooldown");
    assert.equal(alertDue(reopened, cooldown, 2_000 + cooldown), true, "announced when the cooldown ends");
    assert.equal(recoveryDue({ ...reopened, clearedAt: 4_000 }), false, "a quiet phase clears quietly");
  });

  test("acknowledged incidents get no more problem notifications, but still their recovery", () => {
    const acked = incident({ notifiedAt: 1_000, reopenedAt: 5_000, acknowledgedAt: 1_500 });
    assert.equal(alertDue(acked, 0, 10_000), false);
    assert.equal(recoveryDue(incident({ notifiedAt: 1_000, acknowledgedAt: 1_500, clearedAt: 2_000 })), true);
  });

  test("the flap window decides whether a returning condition is the same incident", () => {
    const cleared = incident({ clearedAt: 10_000 });
    assert.equal(withinFlapWindow(cleared, 10_000 + 600_000, 600_000), true);
    assert.equal(withinFlapWindow(cleared, 10_000 + 600_001, 600_000), false);
    assert.equal(withinFlapWindow(incident(), 10_000, 600_000), false, "an open incident is not re-opened");
  });
});
