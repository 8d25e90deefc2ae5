import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  ConfigError,
  NodeFailure,
  createNodeContext,
  executeNode,
  prepareNode,
  runNode,
  z,
  type Item,
  type NodeError,
  type NodeLogger,
} from "../sdk";
import codeNode from "./code";

interface Options {
  mode?: "all" | "each";
  items?: Item[];
  timeoutMs?: number;
  memoryLimitMb?: number;
}

async function run(code: string, options: Options = {}) {
  const config = { code, mode: options.mode ?? "all", timeoutMs: options.timeoutMs, memoryLimitMb: options.memoryLimitMb };
  return (await runNode(codeNode, { config, items: options.items ?? [{ a: 1 }, { a: 2 }] })).outputs;
}

/** The NodeError a run fails with when no error port catches it. */
async function failure(code: string, options: Options = {}): Promise<NodeError> {
  const config = { code, mode: options.mode ?? "all", timeoutMs: options.timeoutMs };
  try {
    await runNode(codeNode, { config, items: options.items ?? [{ a: 1 }, { a: 2 }], errorPort: false });
  } catch (error) {
    assert.ok(error instanceof NodeFailure, `expected a node failure, got ${String(error)}`);
    return error.error;
  }
  assert.fail(`the code ran without error: ${code}`);
}

describe("transform.code: all items", () => {
  test("receives the batch as `items` and returns new items", async () => {
    const out = await run("return items.map(i => ({ ...i, double: i.a * 2 }))");
    assert.deepEqual(out, { main: [{ a: 1, double: 2 }, { a: 2, double: 4 }] });
  });

  test("may return one object as a single item, or an empty array for none", async () => {
    assert.deepEqual(await run("return { total: items.reduce((s, i) => s + i.a, 0) }"), { main: [{ total: 3 }] });
    assert.deepEqual(await run("return []"), {});
  });

  test("await works, as does everything of plain JavaScript", async () => {
    const out = await run(`
      const sorted = await Promise.resolve([...items].sort((x, y) => y.a - x.a));
      const seen = new Map(sorted.map((i) => [i.a, new Date(Date.UTC(2024, 0, i.a)).toISOString().slice(0, 10)]));
      return [...seen].map(([a, day]) => ({ a, day, upper: "x".toUpperCase() }));
    `);
    assert.deepEqual(out.main, [
      { a: 2, day: "2024-01-02", upper: "X" },
      { a: 1, day: "2024-01-01", upper: "X" },
    ]);
  });

  test("changing the received items inside the code never changes the host's items", async () => {
    const items = [{ a: 1, nested: { b: 2 } }];
    const out = await run("items[0].a = 99; items[0].nested.b = 99; return items", { items });
    assert.deepEqual(out.main, [{ a: 99, nested: { b: 99 } }]);
    assert.deepEqual(items, [{ a: 1, nested: { b: 2 } }]);
  });

  test("values come back as JSON: dates become strings, undefined fields disappear", async () => {
    const out = await run("return [{ when: new Date(0), gone: undefined, n: NaN, list: [1, undefined] }]");
    assert.deepEqual(out.main, [{ when: "1970-01-01T00:00:00.000Z", n: null, list: [1, null] }]);
  });

  test("console output goes to the node's log with its level", async () => {
    const lines: [string, string][] = [];
    const log = (level: string) => (msg: string) => void lines.push([level, msg]);
    const logger: NodeLogger = { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") };
    const node = prepareNode("code", codeNode, { code: 'console.log("count", items.length, { a: 1 }); console.warn("careful"); return items' });
    const ctx = createNodeContext({
      nodeId: "code",
      mode: "test",
      dryRun: false,
      signal: new AbortController().signal,
      log: logger,
      bindings: { execution: { id: "t", mode: "test" }, flow: { name: "t" } },
      onRespond: () => {},
    });
    await executeNode(node, { main: [{ a: 1 }] }, { ctx, credential: undefined, errorPortConnected: false });
    assert.deepEqual(lines, [
      ["info", 'count 1 {"a":1}'],
      ["warn", "careful"],
    ]);
  });
});

describe("transform.code: each item", () => {
  test("runs once per item with `item` and `index`; null drops, an array gives several", async () => {
    const out = await run("if (item.a === 2) return null; return [item, { copyOf: index }]", {
      mode: "each",
      items: [{ a: 1 }, { a: 2 }, { a: 3 }],
    });
    assert.deepEqual(out.main, [{ a: 1 }, { copyOf: 0 }, { a: 3 }, { copyOf: 2 }]);
  });

  test("an exception names the item it happened on and the line in the user's code", async () => {
    const error = await failure("const v = item.a;\nif (v === 2) throw new Error('two is not allowed');\nreturn item", {
      mode: "each",
      items: [{ a: 1 }, { a: 2 }],
    });
    assert.equal(error.code, "CODE_ERROR");
    assert.match(error.message, /Error: two is not allowed/);
    assert.match(error.message, /line 2, column 20/);
    assert.match(error.message, /item 1/);
    assert.deepEqual(error.details, [{ line: 2, column: 20, item: 1 }]);
  });

  test("returning nothing for an item is an error that says so", async () => {
    const error = await failure("item.b = 1", { mode: "each" });
    assert.equal(error.code, "CODE_BAD_RESULT");
    assert.match(error.message, /returned nothing \(undefined\) for item 0/);
  });
});

describe("transform.code: errors name what is wrong and where", () => {
  test("a syntax error gives the line and column in the user's code", async () => {
    const error = await failure("const ok = 1;\nconst x = ;\nreturn items");
    assert.equal(error.code, "CODE_SYNTAX");
    assert.match(error.message, /Unexpected token ';'/);
    assert.match(error.message, /line 2, column 11/);
  });

  test("a runtime error gives the line and column in the user's code, not the wrapper's", async () => {
    const error = await failure("const a = 1;\n\n   null.x;\nreturn items");
    assert.equal(error.code, "CODE_ERROR");
    assert.match(error.message, /TypeError: Cannot read properties of null \(reading 'x'\)/);
    assert.match(error.message, /line 3, column 9/);
  });

  test("an error thrown in a helper the code defines points at the helper", async () => {
    const error = await failure("function check(i) {\n  if (!i.id) throw new RangeError('id missing');\n}\nitems.forEach(check);\nreturn items");
    assert.match(error.message, /RangeError: id missing \(at line 2, column 20\)/);
  });

  test("throwing a non-Error value is reported with the value", async () => {
    const error = await failure("throw 'plain text'");
    assert.equal(error.code, "CODE_ERROR");
    assert.match(error.message, /the value plain text/);
  });

  const badResults: [string, RegExp][] = [
    ["items.length", /returned nothing \(undefined\); end it with `return items`/],
    ["return 42", /returned a number \(42\)/],
    ["return 'done'", /returned a string \("done"\)/],
    ["return [{ ok: 1 }, 'x']", /element 1 of the array it returned is a string \("x"\)/],
    ["return [new Map()]", /element 0 of the array it returned is a Map object/],
    ["return [[{ a: 1 }]]", /element 0 of the array it returned is an array/],
    ["return () => items", /returned a function/],
    ["return [{ big: 10n }]", /cannot be turned into JSON: Do not know how to serialize a BigInt/],
    ["const o = {}; o.self = o; return [o]", /cannot be turned into JSON: Converting circular structure/],
  ];
  for (const [code, message] of badResults) {
    test(`a bad result says what was returned: ${code}`, async () => {
      const error = await failure(code);
      assert.equal(error.code, "CODE_BAD_RESULT");
      assert.match(error.message, message);
      assert.ok(error.hint);
    });
  }

  test("a failed batch goes to the error port with the error when it is connected", async () => {
    const out = await run("throw new Error('nope')");
    assert.equal(out.main, undefined);
    assert.equal(out.error?.length, 2);
    const first = out.error[0]!;
    assert.deepEqual(first.item, { a: 1 });
    assert.equal((first.error as { code: string }).code, "CODE_ERROR");
  });
});

describe("transform.code: config", () => {
  test("defaults: all items, 1 s, 64 MB; the code field is marked for the code editor", () => {
    const node = prepareNode("c", codeNode, { code: "return items" });
    assert.deepEqual(node.config, { code: "return items", mode: "all", timeoutMs: 1000, memoryLimitMb: 64 });
    const schema = z.toJSONSchema(codeNode.config, { io: "input" }) as { properties: Record<string, Record<string, unknown>> };
    assert.equal(schema.properties.code?.["x-gate"], "code");
  });

  const invalid: [Record<string, unknown>, string][] = [
    [{ code: "" }, "code"],
    [{ code: "return items", timeoutMs: 30_001 }, "timeoutMs"],
    [{ code: "return items", memoryLimitMb: 512 }, "memoryLimitMb"],
    [{ code: "return items", mode: "sometimes" }, "mode"],
  ];
  for (const [config, path] of invalid) {
    test(`rejects ${JSON.stringify(config)} naming ${path}`, async () => {
      await assert.rejects(runNode(codeNode, { config }), (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.issues[0]!.path, path);
        return true;
      });
    });
  }

  test("a longer time limit lets slow code finish", async () => {
    const out = await run("const end = Date.now() + 1200; while (Date.now() < end) {} return items", { timeoutMs: 3000 });
    assert.equal(out.main?.length, 2);
  });
});
