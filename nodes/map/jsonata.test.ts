import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ConfigError, ExpressionSyntaxError, runNode, type Item, type ItemError } from "../sdk";
import jsonataNode from "./jsonata";

async function run(expr: string, items: Item[]) {
  return (await runNode(jsonataNode, { config: { expr }, items })).outputs;
}

/**
 * The jsonata library builds objects without a prototype; compare by JSON value.
 * (Reported: nodes/sdk/expr does not normalize them to plain objects.)
 */
function json(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

describe("map.jsonata", () => {
  test("an object result replaces the item", async () => {
    const out = await run("{ 'name': first & ' ' & last, 'n': n * 2 }", [
      { first: "Ada", last: "Lovelace", n: 1 },
      { first: "Alan", last: "Turing", n: 2 },
    ]);
    assert.deepEqual(out, {
      main: [
        { name: "Ada Lovelace", n: 2 },
        { name: "Alan Turing", n: 4 },
      ],
    });
  });

  test("an array of objects gives one item per element", async () => {
    const out = await run("lines.{ 'order': $$.id, 'sku': sku }", [
      { id: "o1", lines: [{ sku: "A" }, { sku: "B" }, { sku: "C" }] },
      { id: "o2", lines: [{ sku: "D" }, { sku: "E" }] },
    ]);
    assert.deepEqual(json(out.main), [
      { order: "o1", sku: "A" },
      { order: "o1", sku: "B" },
      { order: "o1", sku: "C" },
      { order: "o2", sku: "D" },
      { order: "o2", sku: "E" },
    ]);
  });

  test("an undefined or null result drops the item", async () => {
    const out = await run("keep ? { 'id': id } : undefined", [
      { id: 1, keep: true },
      { id: 2, keep: false },
      { id: 3, keep: true },
    ]);
    assert.deepEqual(out, { main: [{ id: 1 }, { id: 3 }] });
    assert.deepEqual(await run("nothing.here", [{ a: 1 }]), {});
    assert.deepEqual(await run("null", [{ a: 1 }]), {});
    assert.equal((await run("[]", [{ a: 1 }])).main?.length ?? 0, 0);
  });

  test("a primitive result sends the item to error with a hint", async () => {
    const out = await run("n * 2", [{ n: 21 }]);
    assert.equal(out.main, undefined);
    assert.equal(out.error?.length, 1);
    const { error, item } = out.error[0]! as { error: ItemError; item: Item };
    assert.deepEqual(item, { n: 21 });
    assert.equal(error.code, "NOT_AN_OBJECT");
    assert.match(error.message, /the result is 42, but an item must be an object/);
    assert.ok(error.hint);
    const text = await run("'hello'", [{}]);
    assert.match((text.error![0]!.error as ItemError).message, /"hello"/);
  });

  test("an array holding a non-object fails the whole item, naming the element", async () => {
    const out = await run("[{ 'a': 1 }, 2]", [{}]);
    assert.equal(out.main, undefined);
    const error = out.error![0]!.error as ItemError;
    assert.equal(error.code, "NOT_AN_OBJECT");
    assert.match(error.message, /element 1 of the result is 2/);
  });

  test("a runtime evaluation error goes to error; other items still map", async () => {
    const out = await run("{ 'v': $number(v) }", [{ v: "12" }, { v: "twelve" }]);
    assert.deepEqual(out.main, [{ v: 12 }]);
    assert.equal(out.error?.length, 1);
    assert.deepEqual(out.error[0]!.item, { v: "twelve" });
  });

  test("a syntax error or empty expression is refused when the config is prepared", async () => {
    await assert.rejects(run("{ 'a': ", [{}]), ExpressionSyntaxError);
    await assert.rejects(runNode(jsonataNode, { config: { expr: "" } }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.issues[0]!.path, "expr");
      return true;
    });
  });
});
