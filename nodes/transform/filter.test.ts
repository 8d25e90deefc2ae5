import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ConfigError, runNode, type Item } from "../sdk";
import filter from "./filter";

async function run(condition: string, items: Item[]) {
  return (await runNode(filter, { config: { condition }, items })).outputs;
}

describe("transform.filter", () => {
  test("keeps items whose condition holds, unchanged and in order", async () => {
    const items = [
      { name: "a", age: 17 },
      { name: "b", age: 18 },
      { name: "c", age: 40 },
      { name: "d" },
    ];
    assert.deepEqual(await run("age >= 18", items), { main: [items[1], items[2]] });
  });

  test("uses JSONata truthiness for non-boolean results", async () => {
    const items = [
      { id: 1, v: "text" },
      { id: 2, v: "" },
      { id: 3, v: 0 },
      { id: 4, v: 5 },
      { id: 5, v: [] },
      { id: 6, v: [0, 1] },
      { id: 7, v: {} },
      { id: 8, v: { a: 1 } },
      { id: 9, v: null },
      { id: 10 },
    ];
    const out = await run("v", items);
    assert.deepEqual(
      out.main?.map((i) => i.id),
      [1, 4, 6, 8],
    );
  });

  test("nothing passing gives no main output", async () => {
    assert.deepEqual(await run("false", [{ a: 1 }, { a: 2 }]), {});
  });

  test("conditions calling JSONata functions work the same", async () => {
    const out = await run("$contains(email, '@')", [{ email: "a@b.c" }, { email: "nope" }]);
    assert.deepEqual(out, { main: [{ email: "a@b.c" }] });
  });

  test("an item whose condition fails to evaluate goes to error", async () => {
    const out = await run("$number(v) > 1", [{ v: "2" }, { v: "x" }]);
    assert.deepEqual(out.main, [{ v: "2" }]);
    assert.equal(out.error?.length, 1);
    assert.deepEqual(out.error[0]!.item, { v: "x" });
  });

  test("a condition is required", async () => {
    await assert.rejects(runNode(filter, { config: {} }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.issues[0]!.path, "condition");
      return true;
    });
  });
});
