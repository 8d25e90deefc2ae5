import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ConfigError, outputPorts, runNode, type Item } from "../sdk";
import ifNode from "./if";

async function run(condition: string, items: Item[]) {
  return (await runNode(ifNode, { config: { condition }, items })).outputs;
}

describe("logic.if", () => {
  test("sends each item to true or false, keeping order within each port", async () => {
    const items = [{ n: 1 }, { n: 5 }, { n: 2 }, { n: 9 }];
    assert.deepEqual(await run("n > 3", items), {
      true: [{ n: 5 }, { n: 9 }],
      false: [{ n: 1 }, { n: 2 }],
    });
  });

  test("every item goes to exactly one port", async () => {
    const items = Array.from({ length: 50 }, (_, i) => ({ i }));
    const out = await run("i % 3 = 0", items);
    assert.equal((out.true?.length ?? 0) + (out.false?.length ?? 0), 50);
    assert.equal(out.true?.length, 17);
    assert.equal(out.main, undefined);
  });

  test("a missing field is false; JSONata truthiness applies", async () => {
    const out = await run("flag", [{ flag: "yes" }, { flag: "" }, {}, { flag: [false] }, { flag: 1 }]);
    assert.deepEqual(out.true, [{ flag: "yes" }, { flag: 1 }]);
    assert.equal(out.false?.length, 3);
  });

  test("an evaluation error routes the item to error", async () => {
    const out = await run("$number(v) > 0", [{ v: "1" }, { v: "nan" }]);
    assert.deepEqual(out.true, [{ v: "1" }]);
    assert.deepEqual(out.error?.[0]?.item, { v: "nan" });
  });

  test("has ports true, false and error, and needs a condition", async () => {
    assert.deepEqual(outputPorts(ifNode), ["true", "false", "error"]);
    await assert.rejects(runNode(ifNode, { config: { condition: "" } }), ConfigError);
  });
});
