// The circuit breaker on a fake clock: opens after N connection faults, fails fast with CIRCUIT_OPEN,
// lets exactly one probe through after the cool-down, closes on its success and re-opens on its failure.
import { afterEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { CircuitBreaker, breakerFor, breakerSnapshots, clearBreakers, isConnectionFault } from "./breaker";
import { NodeError } from "./errors";

const fault = (code = "HTTP_503") => new NodeError(`the API answered ${code}`, { code, retryable: true });
const clientError = () => new NodeError("the API answered 404", { code: "HTTP_404" });

function clock(start = Date.parse("2026-01-01T00:00:00Z")) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

function failTimes(breaker: CircuitBreaker, n: number, error: unknown = fault()) {
  for (let i = 0; i < n; i++) breaker.acquire().failure(error);
}

function circuitOpen(error: unknown): boolean {
  return error instanceof NodeError && error.code === "CIRCUIT_OPEN";
}

describe("isConnectionFault", () => {
  test("network errors, timeouts, 5xx, 408 and 429 count; 4xx, TLS, blocked and plain errors do not", () => {
    for (const code of ["CONNECTION", "TIMEOUT", "DNS", "HTTP_500", "HTTP_502", "HTTP_503", "HTTP_429", "HTTP_408"])
      assert.equal(isConnectionFault(fault(code)), true, code);
    for (const code of ["HTTP_400", "HTTP_401", "HTTP_403", "HTTP_404", "TLS", "OUTBOUND_BLOCKED", "CANCELLED"])
      assert.equal(isConnectionFault(fault(code)), false, code);
    assert.equal(isConnectionFault(new Error("boom")), false);
  });
});

describe("CircuitBreaker", () => {
  test("stays closed below the threshold and a success resets the count", () => {
    const c = clock();
    const breaker = new CircuitBreaker("api.example.com", { failureThreshold: 3, now: c.now });
    failTimes(breaker, 2);
    breaker.acquire().success();
    failTimes(breaker, 2);
    assert.equal(breaker.state, "closed");
    assert.equal(breaker.snapshot().consecutiveFailures, 2);
  });

  test("4xx answers do not open the circuit: the service is up", () => {
    const breaker = new CircuitBreaker("api.example.com", { failureThreshold: 2, now: clock().now });
    failTimes(breaker, 1);
    failTimes(breaker, 5, clientError());
    failTimes(breaker, 1);
    assert.equal(breaker.state, "closed");
  });

  test("opens after N consecutive faults and fails fast with a message naming the connection and the probe time", () => {
    const c = clock();
    const breaker = new CircuitBreaker("api.example.com", { failureThreshold: 3, coolDownMs: 60_000, now: c.now });
    failTimes(breaker, 3);
    assert.equal(breaker.state, "open");
    let calls = 0;
    return assert
      .rejects(
        breaker.run(() => {
          calls++;
          return Promise.resolve("never");
        }),
        (error: unknown) => {
          assert.ok(circuitOpen(error));
          const e = error as NodeError;
          assert.match(e.message, /circuit open/);
          assert.match(e.message, /"api\.example\.com"/);
          assert.match(e.message, /2026-01-01T00:01:00\.000Z/);
          assert.match(e.message, /HTTP_503/);
          assert.equal(e.retryable, false);
          assert.ok(e.hint);
          return true;
        },
      )
      .then(() => assert.equal(calls, 0, "an open circuit never calls the service"));
  });

  test("after the cool-down exactly one probe goes through; others keep failing fast while it runs", () => {
    const c = clock();
    const breaker = new CircuitBreaker("db:5432", { failureThreshold: 1, coolDownMs: 10_000, now: c.now });
    failTimes(breaker, 1);
    c.advance(9_999);
    assert.throws(() => breaker.acquire(), circuitOpen);
    c.advance(1);
    assert.equal(breaker.state, "half-open");
    const probe = breaker.acquire();
    assert.throws(() => breaker.acquire(), (e: unknown) => circuitOpen(e) && /checking it right now/.test((e as Error).message));
    probe.success();
    assert.equal(breaker.state, "closed");
    breaker.acquire().success();
  });

  test("a failed probe re-opens the circuit for another cool-down", () => {
    const c = clock();
    const breaker = new CircuitBreaker("db:5432", { failureThreshold: 2, coolDownMs: 10_000, now: c.now });
    failTimes(breaker, 2);
    c.advance(10_000);
    breaker.acquire().failure(fault("TIMEOUT"));
    assert.equal(breaker.state, "open");
    c.advance(5_000);
    assert.throws(() => breaker.acquire(), circuitOpen);
    c.advance(5_000);
    breaker.acquire().success();
    assert.equal(breaker.state, "closed");
  });

  test("a probe that answers 4xx closes the circuit: the service answered", () => {
    const c = clock();
    const breaker = new CircuitBreaker("api", { failureThreshold: 1, coolDownMs: 1_000, now: c.now });
    failTimes(breaker, 1);
    c.advance(1_000);
    breaker.acquire().failure(clientError());
    assert.equal(breaker.state, "closed");
  });

  test("a cancelled probe gives no verdict: the next caller may probe", async () => {
    const c = clock();
    const breaker = new CircuitBreaker("api", { failureThreshold: 1, coolDownMs: 1_000, now: c.now });
    failTimes(breaker, 1);
    c.advance(1_000);
    await assert.rejects(breaker.run(() => Promise.reject(new NodeError("cancelled", { code: "CANCELLED" }))), /cancelled/);
    assert.equal(breaker.state, "half-open");
    assert.equal(await breaker.run(() => Promise.resolve(42)), 42);
    assert.equal(breaker.state, "closed");
  });

  test("a permit reports once: a second report is ignored", () => {
    const breaker = new CircuitBreaker("api", { failureThreshold: 1, now: clock().now });
    const permit = breaker.acquire();
    permit.success();
    permit.failure(fault());
    assert.equal(breaker.state, "closed");
  });

  test("run passes results through and records faults", async () => {
    const breaker = new CircuitBreaker("api", { failureThreshold: 2, now: clock().now });
    assert.equal(await breaker.run(() => Promise.resolve("ok")), "ok");
    await assert.rejects(breaker.run(() => Promise.reject(fault())), /HTTP_503/);
    await assert.rejects(breaker.run(() => Promise.reject(fault())), /HTTP_503/);
    await assert.rejects(breaker.run(() => Promise.resolve("x")), circuitOpen);
  });
});

describe("breaker registry", () => {
  afterEach(() => clearBreakers());

  test("one breaker per key, shared by every caller, cleared for tests", () => {
    const a = breakerFor("crm.example.com", { failureThreshold: 1 });
    assert.equal(breakerFor("crm.example.com"), a);
    assert.notEqual(breakerFor("erp.example.com"), a);
    a.acquire().failure(fault());
    assert.deepEqual(
      breakerSnapshots().map((s) => [s.key, s.state]),
      [
        ["crm.example.com", "open"],
        ["erp.example.com", "closed"],
      ],
    );
    clearBreakers();
    assert.equal(breakerSnapshots().length, 0);
    assert.equal(breakerFor("crm.example.com").state, "closed");
  });
});
