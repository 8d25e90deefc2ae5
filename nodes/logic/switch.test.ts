import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ConfigError, outputPorts, parseConfig, runNode, type Item } from "../sdk";
import switchNode from "./switch";

const cases = [
  { port: "big", condition: "amount >= 100" },
  { port: "even", condition: "amount % 2 = 0" },
];
const items: Item[] = [{ amount: 200 }, { amount: 101 }, { amount: 4 }, { amount: 3 }];

function issues(config: unknown): string[] {
  try {
    parseConfig(switchNode.config, config);
    return [];
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.issues.map((i) => `${i.path}: ${i.message}`);
  }
}

describe("logic.switch", () => {
  test("first (default mode): an item goes to the first matching case only", async () => {
    const { outputs } = await runNode(switchNode, { config: { cases }, items });
    assert.deepEqual(outputs, {
      big: [{ amount: 200 }, { amount: 101 }],
      even: [{ amount: 4 }],
      default: [{ amount: 3 }],
    });
  });

  test("all: an item goes to every matching case", async () => {
    const { outputs } = await runNode(switchNode, { config: { cases, mode: "all" }, items });
    assert.deepEqual(outputs, {
      big: [{ amount: 200 }, { amount: 101 }],
      even: [{ amount: 200 }, { amount: 4 }],
      default: [{ amount: 3 }],
    });
  });

  test("an item matching no case goes to default", async () => {
    const { outputs } = await runNode(switchNode, { config: { cases }, items: [{ amount: 1 }, {}] });
    assert.deepEqual(outputs, { default: [{ amount: 1 }, {}] });
  });

  test("ports come from the cases, then default and error", () => {
    assert.deepEqual(outputPorts(switchNode, { cases }), ["big", "even", "default", "error"]);
    // An invalid config has no derived ports (only error).
    assert.deepEqual(outputPorts(switchNode, { cases: [] }), ["error"]);
  });

  test("duplicate port names are refused", () => {
    const found = issues({
      cases: [
        { port: "a", condition: "x" },
        { port: "a", condition: "y" },
      ],
    });
    assert.deepEqual(found, ["cases: each case needs its own port name"]);
  });

  test("reserved and malformed port names, and an empty case list, are refused", () => {
    assert.match(issues({ cases: [{ port: "error", condition: "x" }] }).join(), /^cases\[0\]\.port: .*reserved/);
    assert.match(issues({ cases: [{ port: "default", condition: "x" }] }).join(), /^cases\[0\]\.port: .*reserved/);
    assert.match(issues({ cases: [{ port: "1st", condition: "x" }] }).join(), /^cases\[0\]\.port: /);
    assert.match(issues({ cases: [] }).join(), /^cases: add at least one case/);
    assert.match(issues({ cases, mode: "some" }).join(), /^mode: /);
  });

  test("an evaluation error sends the item to error", async () => {
    const { outputs } = await runNode(switchNode, {
      config: { cases: [{ port: "num", condition: "$number(v) > 0" }] },
      items: [{ v: "2" }, { v: "two" }],
    });
    assert.deepEqual(outputs.num, [{ v: "2" }]);
    assert.deepEqual(outputs.error?.[0]?.item, { v: "two" });
  });
});
