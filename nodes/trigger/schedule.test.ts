import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ConfigError, parseConfig, runNode } from "../sdk";
import schedule from "./schedule";

function issues(config: unknown): { path: string; message: string }[] {
  try {
    parseConfig(schedule.config, config);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.issues;
  }
  return [];
}

describe("trigger.schedule", () => {
  test("a tick from the scheduler starts the run with its times and the payload", async () => {
    const tick = { firedAt: "2030-01-01T09:00:00.012Z", scheduledFor: "2030-01-01T09:00:00.000Z" };
    const result = await runNode(schedule, { config: { cron: "0 0 9 * * *", payload: { report: "daily", firedAt: "payload loses" } }, items: [tick] });
    assert.deepEqual(result.outputs.main, [{ ...tick, report: "daily" }]);
  });

  test("a test run without a sample gets one tick for now", async () => {
    const before = Date.now();
    const result = await runNode(schedule, { config: { cron: "*/1 * * * * *", payload: { a: 1 } } });
    const [item] = result.outputs.main ?? [];
    assert.equal(result.outputs.main?.length, 1);
    assert.equal(item?.a, 1);
    assert.ok(Date.parse(String(item?.firedAt)) >= before - 1000);
    assert.equal(item?.scheduledFor, item?.firedAt);
  });

  test("defaults: UTC and an empty payload; five-field patterns and nicknames are accepted", () => {
    assert.deepEqual(parseConfig(schedule.config, { cron: "*/5 * * * *" }), { cron: "*/5 * * * *", timezone: "UTC", payload: {} });
    assert.deepEqual(issues({ cron: "@hourly", timezone: "Europe/Berlin" }), []);
  });

  test("an invalid cron pattern is refused with a message naming the field", () => {
    const [problem, ...rest] = issues({ cron: "61 * * * *" });
    assert.equal(rest.length, 0);
    assert.equal(problem?.path, "cron");
    assert.match(problem?.message ?? "", /"61 \* \* \* \*" is not a valid cron pattern.*minute/);
    assert.match(issues({ cron: "every day" })[0]?.message ?? "", /not a valid cron pattern/);
    assert.match(issues({ cron: "0 0 0 1 1 * 2001" })[0]?.message ?? "", /never fires again/);
  });

  test("an unknown time zone is refused with a clear message", () => {
    const [problem] = issues({ cron: "0 * * * * *", timezone: "Mars/Olympus_Mons" });
    assert.equal(problem?.path, "timezone");
    assert.match(problem?.message ?? "", /unknown time zone "Mars\/Olympus_Mons".*IANA/);
  });

  test("payload must be a JSON object; unknown keys are refused", () => {
    assert.equal(issues({ cron: "0 * * * * *", payload: [1, 2] })[0]?.path, "payload");
    assert.equal(issues({ cron: "0 * * * * *", every: "day" })[0]?.path, "");
  });

  test("is a trigger that may appear several times in a flow", () => {
    assert.equal(schedule.category, "trigger");
    assert.equal(schedule.multiple, true);
  });
});
