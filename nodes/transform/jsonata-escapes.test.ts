// Hostile JSONata through the one entry every node uses (compileExpression). JSONata runs inside
// the Gate process, so each case must end as an error or an empty result, in bounded time, and
// leave the process (its prototypes, its ability to evaluate) as it was.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { NodeError, compileExpression } from "../sdk";

const INPUT = { a: { b: 1 }, list: [1, 2, 3] };
/** Well above the 1 s evaluation limit plus the slowest machine's overhead, far below a hang. */
const BOUND_MS = 5000;

async function evaluate(source: string): Promise<{ value?: unknown; error?: NodeError; ms: number }> {
  const started = Date.now();
  try {
    const value = await compileExpression(source).evaluate(INPUT);
    return { value, ms: Date.now() - started };
  } catch (error) {
    assert.ok(error instanceof NodeError, `expected a NodeError, got ${String(error)}`);
    return { error, ms: Date.now() - started };
  }
}

async function stillWorks() {
  assert.equal(await compileExpression("$sum(list) & '/' & a.b").evaluate(INPUT), "6/1");
}

after(() => {
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(Object.getOwnPropertyNames(Object.prototype).includes("polluted"), false);
});

describe("JSONata: no way to the host's objects", () => {
  const unreachable = [
    "$.constructor",
    "constructor",
    "__proto__",
    "$$.__proto__",
    "a.constructor.constructor",
    "$.`__proto__`.`constructor`",
    "$lookup($, 'constructor')",
    "$lookup($string, 'constructor')",
    "$string.constructor",
    "($f := function(){1}; $f.constructor)",
    "$type($.constructor)",
    "$eval('$$.constructor.constructor')",
    "$sift($, function($v, $k){true}).__proto__",
  ];
  for (const source of unreachable) {
    test(`${source} yields nothing`, async () => {
      const { value, error, ms } = await evaluate(source);
      assert.equal(error, undefined);
      assert.equal(value, undefined);
      assert.ok(ms < BOUND_MS);
      await stillWorks();
    });
  }

  const notCallable = ["$string.constructor('return process')", "($f := $string.constructor; $f('return process')())"];
  for (const source of notCallable) {
    test(`${source} cannot call the Function constructor`, async () => {
      const { error } = await evaluate(source);
      assert.equal(error?.code, "EXPRESSION_FAILED");
      assert.match(error.message, /non-function/);
      await stillWorks();
    });
  }

  const pollution = [
    '{"__proto__": {"polluted": 1}}',
    '$merge([{}, {"__proto__": {"polluted": 1}}])',
    '$ ~> |$|{"__proto__": {"polluted": 1}}|',
    '$spread({"__proto__": {"polluted": 1}})',
  ];
  // jsonata builds objects without a prototype, where "__proto__" is an ordinary key; it must
  // stay one in the items Gate hands on, never become their prototype.
  for (const source of pollution) {
    test(`${source} pollutes nothing`, async () => {
      const { value } = await evaluate(source);
      const results = Array.isArray(value) ? (value as unknown[]) : [value];
      for (const result of results) {
        if (result !== null && typeof result === "object") assert.equal(Object.getPrototypeOf(result), Object.prototype);
        assert.equal((result as { polluted?: unknown } | undefined)?.polluted, undefined);
      }
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      await stillWorks();
    });
  }
});

describe("JSONata: runaway evaluation ends in an error, in bounded time", () => {
  const runaway: [string, string, RegExp][] = [
    ["tail recursion (never grows the stack)", "($f := function($x){$f($x)}; $f(1))", /timeout after 1000 milliseconds/],
    ["non-tail recursion", "($f := function($x){1 + $f($x)}; $f(1))", /Stack overflow/],
    ["mutual recursion", "($a := function($x){$b($x)}; $b := function($x){$a($x) + 1}; $a(1))", /Stack overflow|timeout/],
    ["recursion inside $eval", "$eval('($f := function($x){$f($x)}; $f(1))')", /timeout after 1000 milliseconds/],
    ["a range of 1e9", "[1..1e9]", /must not exceed 1e7/],
    ["a range of 1e9 inside $eval", "$eval('[1..1e9]')", /must not exceed 1e7/],
    ["ranges multiplied by a path", "$count([1..1e7].[1..1e7])", /timeout after 1000 milliseconds/],
    ["strings doubled forty times", "($s := function($x, $n){ $n = 0 ? $x : $s($x & $x, $n - 1)}; $s('x', 40))", /Invalid string length/],
    ["one padded string of 1e9", "$pad('x', 1e9)", /Invalid string length/],
    ["ten million strings joined", "$join([1..1e7].$string())", /timeout after 1000 milliseconds|Invalid string length/],
    ["an endless $reduce", "$reduce([1..1e7], function($acc, $v){ $acc & $string($v) })", /timeout after 1000 milliseconds|Invalid string length/],
  ];
  for (const [name, source, message] of runaway) {
    test(name, async () => {
      const { error, ms } = await evaluate(source);
      assert.equal(error?.code, "EXPRESSION_FAILED", `expected an error from ${source}`);
      assert.match(error.message, message);
      assert.ok(ms < BOUND_MS, `${source} took ${ms} ms`);
      await stillWorks();
    });
  }

  test("concurrent evaluations of one compiled expression each keep their own clock", async () => {
    const slow = compileExpression("($f := function($n){ $n <= 0 ? 'done' : $f($n - 1) }; $f(n))");
    const results = await Promise.allSettled([slow.evaluate({ n: 1e9 }), slow.evaluate({ n: 10 }), slow.evaluate({ n: 100 })]);
    assert.equal(results[0].status, "rejected");
    assert.deepEqual(
      results.slice(1).map((r): unknown => (r.status === "fulfilled" ? r.value : String(r.reason))),
      ["done", "done"],
    );
  });

  test("legitimate recursion hundreds of calls deep still works", async () => {
    const { value, error } = await evaluate("($f := function($n){ $n <= 0 ? 0 : 1 + $f($n - 1) }; $f(1000))");
    assert.equal(error, undefined);
    assert.equal(value, 1000);
  });
});
