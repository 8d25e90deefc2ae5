import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ConfigError, inputPorts, runNode, type Item, type ItemError } from "../sdk";
import merge from "./merge";

async function run(config: Record<string, unknown>, a: Item[] | undefined, b: Item[] | undefined) {
  const inputs: Record<string, Item[]> = {};
  if (a) inputs.a = a;
  if (b) inputs.b = b;
  return (await runNode(merge, { config, inputs })).outputs;
}

describe("logic.merge", () => {
  test("has inputs a and b", () => {
    assert.deepEqual(inputPorts(merge), ["a", "b"]);
  });

  test("append (default): a's items then b's", async () => {
    assert.deepEqual(await run({}, [{ x: 1 }, { x: 2 }], [{ y: 1 }]), { main: [{ x: 1 }, { x: 2 }, { y: 1 }] });
    assert.deepEqual(await run({ mode: "append" }, undefined, [{ y: 1 }]), { main: [{ y: 1 }] });
    assert.deepEqual(await run({ mode: "append" }, [{ x: 1 }], undefined), { main: [{ x: 1 }] });
  });

  test("byPosition: item i of a with item i of b (b wins on clashes), the longer side kept", async () => {
    const out = await run({ mode: "byPosition" }, [{ id: 1, name: "a" }, { id: 2 }, { id: 3 }], [{ name: "b", score: 9 }, { score: 8 }]);
    assert.deepEqual(out, {
      main: [
        { id: 1, name: "b", score: 9 },
        { id: 2, score: 8 },
        { id: 3 },
      ],
    });
    assert.deepEqual(await run({ mode: "byPosition" }, [], [{ z: 1 }]), { main: [{ z: 1 }] });
  });

  test("byKey: items of a joined with the b item of equal key; unmatched a items kept as they are", async () => {
    const a = [
      { id: 1, name: "Ada" },
      { id: 2, name: "Alan" },
      { id: "3", name: "Grace" },
      { name: "no id" },
    ];
    const b = [
      { id: "1", email: "ada@example.com" },
      { id: 3, email: "grace@example.com" },
      { id: 99, email: "nobody@example.com" },
    ];
    const out = await run({ mode: "byKey", key: "id" }, a, b);
    assert.deepEqual(out, {
      main: [
        { id: "1", name: "Ada", email: "ada@example.com" },
        { id: 2, name: "Alan" },
        { id: 3, name: "Grace", email: "grace@example.com" },
        { name: "no id" },
      ],
    });
  });

  test("byKey needs a key field", async () => {
    await assert.rejects(runNode(merge, { config: { mode: "byKey" } }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.deepEqual(
        error.issues.map((i) => i.path),
        ["key"],
      );
      return true;
    });
  });

  test("byKey with an object key fails the batch onto the error port", async () => {
    const out = await run({ mode: "byKey", key: "id" }, [{ id: { nested: 1 } }], [{ id: 1 }]);
    assert.equal(out.main, undefined);
    assert.equal(out.error?.length, 2);
    const error = out.error[0]!.error as ItemError;
    assert.equal(error.code, "BAD_KEY");
    assert.match(error.message, /key field "id"/);
  });
});
