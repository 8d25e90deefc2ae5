import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { occurrencesBetween, scheduledFor, timingOf, type TriggerTiming } from "./timing";

const utc = (iso: string) => new Date(iso);

describe("trigger timing", () => {
  test("reads the timing of the schedule and poll triggers, and of nothing else", () => {
    assert.deepEqual(timingOf("trigger.schedule", { cron: "0 0 9 * * *", timezone: "Europe/Berlin" }), { kind: "cron", pattern: "0 0 9 * * *", timezone: "Europe/Berlin" });
    assert.deepEqual(timingOf("trigger.poll", { interval: 30 }), { kind: "interval", seconds: 30 });
    assert.deepEqual(timingOf("trigger.poll", { interval: "0 */5 * * * *", timezone: "UTC" }), { kind: "cron", pattern: "0 */5 * * * *", timezone: "UTC" });
    assert.equal(timingOf("trigger.webhook", { path: "x" }), undefined);
  });

  test("counts cron occurrences strictly after the last firing, up to and including now", () => {
    const daily: TriggerTiming = { kind: "cron", pattern: "0 0 9 * * *", timezone: "Europe/Berlin" };
    const missed = occurrencesBetween(daily, utc("2024-03-01T08:00:00Z"), utc("2024-03-04T08:00:00Z"));
    // 09:00 in Berlin (winter) is 08:00 UTC; the firing at the start is not counted again.
    assert.deepEqual(missed, { count: 3, first: utc("2024-03-02T08:00:00Z"), last: utc("2024-03-04T08:00:00Z"), capped: false });
    assert.equal(occurrencesBetween(daily, utc("2024-03-04T08:00:00Z"), utc("2024-03-04T08:00:00Z")).count, 0);
  });

  test("stops counting at the limit but still names the last occurrence", () => {
    const everySecond: TriggerTiming = { kind: "cron", pattern: "* * * * * *", timezone: "UTC" };
    const missed = occurrencesBetween(everySecond, utc("2024-01-01T00:00:00Z"), utc("2024-01-02T00:00:00Z"), 100);
    assert.equal(missed.count, 100);
    assert.equal(missed.capped, true);
    assert.deepEqual(missed.first, utc("2024-01-01T00:00:01Z"));
    assert.deepEqual(missed.last, utc("2024-01-02T00:00:00Z"));
  });

  test("counts interval occurrences arithmetically", () => {
    const missed = occurrencesBetween({ kind: "interval", seconds: 60 }, utc("2024-01-01T00:00:30Z"), utc("2024-01-01T00:05:00Z"));
    assert.deepEqual(missed, { count: 4, first: utc("2024-01-01T00:01:30Z"), last: utc("2024-01-01T00:04:30Z"), capped: false });
  });

  test("a firing a few milliseconds late stands for the scheduled second", () => {
    const hourly: TriggerTiming = { kind: "cron", pattern: "0 0 * * * *", timezone: "UTC" };
    assert.deepEqual(scheduledFor(hourly, utc("2024-01-01T10:00:00.042Z")), utc("2024-01-01T10:00:00Z"));
    assert.deepEqual(scheduledFor({ kind: "interval", seconds: 5 }, utc("2024-01-01T10:00:07.900Z")), utc("2024-01-01T10:00:07Z"));
  });
});
