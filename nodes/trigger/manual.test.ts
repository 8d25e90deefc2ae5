import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ConfigError, runNode } from "../sdk";
import manual from "./manual";

describe("trigger.manual", () => {
  test("passes the sample payload through unchanged, in order", async () => {
    const items = [{ id: 1, name: "Ada" }, { id: 2, nested: { ok: true } }];
    const result = await runNode(manual, { items });
    assert.deepEqual(result.outputs, { main: items });
    assert.equal(result.batches, 1);
    assert.equal(result.response, undefined);
  });

  test("an empty payload gives an empty main output", async () => {
    const result = await runNode(manual, { items: [] });
    assert.deepEqual(result.outputs.main, []);
  });

  test("takes no config: unknown keys are refused", async () => {
    await assert.rejects(runNode(manual, { config: { path: "x" } }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /path/);
      return true;
    });
  });

  test("is a trigger that may appear several times in a flow", () => {
    assert.equal(manual.category, "trigger");
    assert.equal(manual.multiple, true);
  });
});
