import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ConnectionLimiter, type Clock } from "./limiter";

/** A clock that only moves when someone sleeps on it: spacing is asserted exactly, not by timing. */
function fakeClock() {
  let now = 1_000;
  const sleeps: number[] = [];
  const clock: Clock = {
    now: () => now,
    sleep: (ms) => {
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
  return { clock, sleeps, now: () => now };
}

const signal = new AbortController().signal;

describe("ConnectionLimiter", () => {
  test("perSecond spaces starts evenly: 5 per second → 200 ms apart, the first at once", async () => {
    const { clock, sleeps } = fakeClock();
    const limiter = new ConnectionLimiter(clock);
    for (let i = 0; i < 4; i++) (await limiter.acquire("host:a", { perSecond: 5 }, signal))();
    assert.deepEqual(sleeps, [200, 200, 200]);
  });

  test("keys are independent", async () => {
    const { clock, sleeps } = fakeClock();
    const limiter = new ConnectionLimiter(clock);
    (await limiter.acquire("host:a", { perSecond: 1 }, signal))();
    (await limiter.acquire("host:b", { perSecond: 1 }, signal))();
    assert.deepEqual(sleeps, []);
  });

  test("maxConcurrent: the third caller waits until one of two releases", async () => {
    const limiter = new ConnectionLimiter(fakeClock().clock);
    const r1 = await limiter.acquire("k", { maxConcurrent: 2 }, signal);
    const r2 = await limiter.acquire("k", { maxConcurrent: 2 }, signal);
    let third = false;
    const pending = limiter.acquire("k", { maxConcurrent: 2 }, signal).then((r) => {
      third = true;
      return r;
    });
    await new Promise((r) => setImmediate(r));
    assert.equal(third, false);
    r1();
    r1(); // releasing twice frees one slot only
    const r3 = await pending;
    assert.equal(third, true);
    let fourth = false;
    void limiter.acquire("k", { maxConcurrent: 2 }, signal).then(() => (fourth = true));
    await new Promise((r) => setImmediate(r));
    assert.equal(fourth, false, "r2 and r3 still hold both slots");
    r2();
    r3();
  });

  test("an aborted waiter gives up with the abort reason", async () => {
    const limiter = new ConnectionLimiter(fakeClock().clock);
    const held = await limiter.acquire("k", { maxConcurrent: 1 }, signal);
    const controller = new AbortController();
    const waiting = limiter.acquire("k", { maxConcurrent: 1 }, controller.signal);
    controller.abort(new Error("cancelled"));
    await assert.rejects(waiting, /cancelled/);
    // The one who gave up must not swallow the next release.
    const next = limiter.acquire("k", { maxConcurrent: 1 }, signal);
    held();
    (await next)();
  });
});
