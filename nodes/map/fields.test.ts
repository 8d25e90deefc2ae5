import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  ConfigError,
  NodeFailure,
  compileExpression,
  createNodeContext,
  parseConfig,
  runNode,
  silentLogger,
  type CompiledExpression,
  type Item,
  type ItemError,
} from "../sdk";
import { FIELD_TYPES } from "./coerce";
import fields from "./fields";

type FieldSpec = { target: string; expr: string; type?: string; required?: boolean; default?: unknown };

async function map(specs: FieldSpec[], items: Item[], extra: Record<string, unknown> = {}) {
  return (await runNode(fields, { config: { fields: specs, ...extra }, items })).outputs;
}

/** Map one value of `v` with the given type and return what came out. */
async function coerceOne(type: string, v: unknown) {
  const out = await map([{ target: "x", expr: "v", type }], [{ v }]);
  return out;
}

async function coerced(type: string, v: unknown): Promise<unknown> {
  const out = await coerceOne(type, v);
  assert.equal(out.error, undefined, `${type} ${JSON.stringify(v)} should coerce: ${JSON.stringify(out.error)}`);
  assert.equal(out.main?.length, 1);
  return out.main[0]!.x;
}

async function coercionError(type: string, v: unknown): Promise<ItemError> {
  const out = await coerceOne(type, v);
  assert.equal(out.main, undefined, `${type} ${JSON.stringify(v)} should fail, got ${JSON.stringify(out.main)}`);
  assert.equal(out.error?.length, 1);
  const error = out.error[0]!.error as ItemError;
  assert.equal(error.code, "MAPPING_FAILED");
  // The field is named in the message and in the details.
  assert.match(error.message, /\bx: cannot turn /);
  assert.ok(Array.isArray(error.details) && String(error.details[0]).startsWith("x: "));
  return error;
}

function issuePaths(config: unknown): Promise<string[]> {
  return runNode(fields, { config, items: [] }).then(
    () => [],
    (error: unknown) => {
      assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
      return error.issues.map((i) => i.path);
    },
  );
}

describe("map.fields", () => {
  test("builds each item from expressions, one output item per input", async () => {
    const out = await map(
      [
        { target: "fullName", expr: "first & ' ' & last" },
        { target: "total", expr: "price * qty" },
      ],
      [
        { first: "Ada", last: "Lovelace", price: 2, qty: 3 },
        { first: "Alan", last: "Turing", price: 1.5, qty: 2 },
      ],
    );
    assert.deepEqual(out, {
      main: [
        { fullName: "Ada Lovelace", total: 6 },
        { fullName: "Alan Turing", total: 3 },
      ],
    });
  });

  test("an empty mapping gives empty items; a missing value leaves the field out", async () => {
    assert.deepEqual(await map([], [{ a: 1 }]), { main: [{}] });
    assert.deepEqual(await map([{ target: "b", expr: "missing" }, { target: "a", expr: "a" }], [{ a: 1 }]), { main: [{ a: 1 }] });
  });

  describe("coercion", () => {
    test("string", async () => {
      assert.equal(await coerced("string", "text"), "text");
      assert.equal(await coerced("string", 42), "42");
      assert.equal(await coerced("string", true), "true");
      assert.equal(await coerced("string", { a: 1 }), '{"a":1}');
      assert.equal(await coerced("string", [1, "b"]), '[1,"b"]');
    });

    test("number", async () => {
      assert.equal(await coerced("number", 3.5), 3.5);
      assert.equal(await coerced("number", " 12.5 "), 12.5);
      assert.equal(await coerced("number", "-7"), -7);
      assert.equal(await coerced("number", "1e3"), 1000);
      for (const bad of ["12abc", "abc", " ", true, { n: 1 }]) {
        const error = await coercionError("number", bad);
        assert.match(error.message, /into a number/);
      }
      const error = await coercionError("number", "12abc");
      assert.match(error.message, /"12abc"/);
    });

    test("integer", async () => {
      assert.equal(await coerced("integer", 42), 42);
      assert.equal(await coerced("integer", "42"), 42);
      assert.equal(await coerced("integer", "4.0"), 4);
      const error = await coercionError("integer", 3.5);
      assert.match(error.message, /3\.5.*into an integer/);
      assert.match((await coercionError("integer", "x1")).message, /into a number/);
    });

    test("boolean", async () => {
      for (const yes of [true, 1, "true", "YES", " y ", "1", "on"]) assert.equal(await coerced("boolean", yes), true, String(yes));
      for (const no of [false, 0, "false", "No", "n", "0", "off"]) assert.equal(await coerced("boolean", no), false, String(no));
      for (const bad of ["maybe", 2, { b: true }]) {
        const error = await coercionError("boolean", bad);
        assert.match(error.message, /into a boolean/);
      }
    });

    test("date", async () => {
      assert.equal(await coerced("date", "2024-03-01"), "2024-03-01T00:00:00.000Z");
      assert.equal(await coerced("date", "2024-03-01T12:30:00+02:00"), "2024-03-01T10:30:00.000Z");
      assert.equal(await coerced("date", 0), "1970-01-01T00:00:00.000Z");
      assert.equal(await coerced("date", 1_700_000_000_000), "2023-11-14T22:13:20.000Z");
      for (const bad of ["not a date", true, 1e20, "+275761-01-01"]) {
        const error = await coercionError("date", bad);
        assert.match(error.message, /into a date/);
      }
    });

    test("any keeps the value as it is", async () => {
      assert.deepEqual(await coerced("any", { deep: [1, 2] }), { deep: [1, 2] });
      assert.equal(await coerced("any", "12abc"), "12abc");
    });

    test("every failing field of an item is reported, each by name", async () => {
      const out = await map(
        [
          { target: "age", expr: "age", type: "integer" },
          { target: "active", expr: "active", type: "boolean" },
          { target: "name", expr: "name", type: "string" },
        ],
        [{ age: "forty", active: "perhaps", name: "Ada" }],
      );
      assert.equal(out.main, undefined);
      const error = out.error![0]!.error as ItemError;
      assert.match(error.message, /^mapping failed for 2 field\(s\)/);
      assert.equal(error.details?.length, 2);
      assert.match(String(error.details[0]), /^age: /);
      assert.match(String(error.details[1]), /^active: /);
    });
  });

  describe("required and default", () => {
    const specs: FieldSpec[] = [
      { target: "email", expr: "email", required: true },
      { target: "country", expr: "country", default: "NL" },
    ];

    test("a present required value passes; a missing value takes its default", async () => {
      const out = await map(specs, [{ email: "a@b.c" }, { email: "d@e.f", country: "BE" }]);
      assert.deepEqual(out, {
        main: [
          { email: "a@b.c", country: "NL" },
          { email: "d@e.f", country: "BE" },
        ],
      });
    });

    test("null and empty string count as missing", async () => {
      const out = await map(specs, [{ email: "a@b.c", country: null }, { email: "x@y.z", country: "" }]);
      assert.deepEqual(
        out.main?.map((i) => i.country),
        ["NL", "NL"],
      );
      const missing = await map(specs, [{ email: "" }, { email: null }]);
      assert.equal(missing.main, undefined);
      assert.equal(missing.error?.length, 2);
    });

    test("a missing required value fails the item, naming the field and the expression", async () => {
      const out = await map(specs, [{ country: "DE" }, { email: "ok@ok.ok" }]);
      assert.deepEqual(out.main, [{ email: "ok@ok.ok", country: "NL" }]);
      assert.equal(out.error?.length, 1);
      const error = out.error[0]!.error as ItemError;
      assert.equal(error.code, "MAPPING_FAILED");
      assert.match(error.message, /email: required, but `email` gave no value/);
    });

    test("a required field with a default never fails, and the default is coerced", async () => {
      const out = await map([{ target: "n", expr: "n", type: "number", required: true, default: "5" }], [{}, { n: "7" }]);
      assert.deepEqual(out, { main: [{ n: 5 }, { n: 7 }] });
    });
  });

  describe("target paths", () => {
    test("dots build nested objects and share parents", async () => {
      const out = await map(
        [
          { target: "a.b.c", expr: "x" },
          { target: "a.b.d", expr: "y" },
          { target: "a.e", expr: "'top'" },
          { target: "flat", expr: "1" },
        ],
        [{ x: 1, y: 2 }],
      );
      assert.deepEqual(out, { main: [{ a: { b: { c: 1, d: 2 }, e: "top" }, flat: 1 }] });
    });

    test("__proto__, constructor and prototype are refused when the config is parsed", async () => {
      assert.deepEqual(await issuePaths({ fields: [{ target: "__proto__", expr: "x" }] }), ["fields[0].target"]);
      assert.deepEqual(await issuePaths({ fields: [{ target: "ok", expr: "1" }, { target: "a.__proto__.polluted", expr: "x" }] }), [
        "fields[1].target",
      ]);
      assert.deepEqual(await issuePaths({ fields: [{ target: "constructor.prototype", expr: "x" }] }), ["fields[0].target"]);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    });

    test("empty segments are refused", async () => {
      assert.deepEqual(await issuePaths({ fields: [{ target: "a..b", expr: "x" }] }), ["fields[0].target"]);
      assert.deepEqual(await issuePaths({ fields: [{ target: ".a", expr: "x" }] }), ["fields[0].target"]);
    });
  });

  test("other config mistakes name the field", async () => {
    assert.deepEqual(await issuePaths({ fields: [{ target: "a", expr: "x", type: "float" }] }), ["fields[0].type"]);
    assert.deepEqual(await issuePaths({ fields: [{ target: "a", expr: "" }] }), ["fields[0].expr"]);
    assert.deepEqual(await issuePaths({ fields: [{ target: "a", expr: "x", bogus: 1 }] }), ["fields[0]"]);
  });

  test("keepInput starts from a copy of the input and leaves the input untouched", async () => {
    const input = { id: 7, name: "Ada", address: { city: "London" } };
    const out = await map(
      [
        { target: "name", expr: "$uppercase(name)" },
        { target: "address.zip", expr: "'N1'" },
      ],
      [input],
      { keepInput: true },
    );
    assert.deepEqual(out, { main: [{ id: 7, name: "ADA", address: { city: "London", zip: "N1" } }] });
    assert.deepEqual(input, { id: 7, name: "Ada", address: { city: "London" } });
    const without = await map([{ target: "name", expr: "name" }], [input]);
    assert.deepEqual(without, { main: [{ name: "Ada" }] });
  });

  test("error items carry {error: {message, code, node, attempt}, item} on the error port", async () => {
    const bad = { id: 2, age: "old" };
    const out = await map([{ target: "age", expr: "age", type: "number" }], [{ id: 1, age: "41" }, bad]);
    assert.deepEqual(out.main, [{ age: 41 }]);
    assert.equal(out.error?.length, 1);
    const entry = out.error[0]!;
    assert.deepEqual(Object.keys(entry).sort(), ["error", "item"]);
    assert.deepEqual(entry.item, bad);
    const error = entry.error as ItemError;
    assert.equal(error.code, "MAPPING_FAILED");
    assert.equal(error.node, "node");
    assert.equal(error.attempt, 1);
    assert.equal(typeof error.message, "string");
    assert.match(error.message, /age: cannot turn "old" into a number/);
  });

  test("without an error port the first failure throws, naming the code", async () => {
    await assert.rejects(
      runNode(fields, {
        config: { fields: [{ target: "n", expr: "n", type: "integer" }] },
        items: [{ n: 1.5 }],
        errorPort: false,
      }),
      (error: unknown) => {
        assert.ok(error instanceof NodeFailure);
        assert.equal(error.error.code, "MAPPING_FAILED");
        assert.equal(error.nodeId, "node");
        return true;
      },
    );
  });

  test("expressions calling JSONata functions map the same way", async () => {
    const out = await map(
      [
        { target: "count", expr: "$count(tags)", type: "integer" },
        { target: "joined", expr: "$join(tags, ',')" },
        { target: "n", expr: "$number(s)", type: "number" },
      ],
      [{ tags: ["a", "b"], s: "3" }],
    );
    assert.deepEqual(out, { main: [{ count: 2, joined: "a,b", n: 3 }] });
  });

  describe("the one-call kernel", () => {
    const ctx = createNodeContext({
      nodeId: "map",
      mode: "test",
      dryRun: false,
      signal: new AbortController().signal,
      log: silentLogger,
      bindings: { execution: { id: "x", mode: "test" }, flow: { name: "f" } },
    });
    // The same expressions, flagged as not synchronous: the node then takes its general path.
    const generalOnly = (source: string): CompiledExpression => {
      const compiled = compileExpression(source);
      return { source, fast: false, evaluate: (input, bindings) => compiled.evaluate(input, bindings) };
    };
    type Outcome = { ok: true; value: unknown } | { ok: false; message: string };
    const mapWith = (compile: (source: string) => CompiledExpression, rawConfig: unknown, item: Item): Outcome => {
      const config = parseConfig(fields.config, rawConfig);
      const prepared = fields.prepare!({ config, compile });
      try {
        return { ok: true, value: fields.runItem!({ item, config, prepared, credential: undefined, ctx }) };
      } catch (error) {
        return { ok: false, message: (error as Error).message };
      }
    };

    test("is used for flat targets with synchronous expressions, not for nested targets or keepInput", () => {
      const kernelOf = (rawConfig: unknown) => {
        const config = parseConfig(fields.config, rawConfig);
        return fields.prepare!({ config, compile: compileExpression }).kernel;
      };
      assert.equal(typeof kernelOf({ fields: [{ target: "a", expr: "x" }] }), "function");
      assert.equal(kernelOf({ fields: [{ target: "a.b", expr: "x" }] }), undefined);
      assert.equal(kernelOf({ fields: [{ target: "a", expr: "x" }], keepInput: true }), undefined);
      assert.equal(kernelOf({ fields: [{ target: "a", expr: "$map(x, function($v) { $v })" }] }), undefined);
    });

    test("maps exactly as the general path: values, defaults, required checks, coercion errors", () => {
      const value = fc.oneof(
        fc.constantFrom(undefined, null, "", "0", "12", "12abc", "yes", "2024-01-02", 0, 1, 3.5, -7, true, false, [1], { k: 1 }),
        fc.string({ maxLength: 4 }),
        fc.double({ noNaN: true }),
      );
      const field = fc.record(
        {
          target: fc.constantFrom("a", "b", "c d", "__proto__x"),
          expr: fc.constantFrom("v", "w", "missing", "v & w", "v * 2", "$lowercase(w)", "v > 1"),
          type: fc.constantFrom(...FIELD_TYPES),
          required: fc.boolean(),
          default: fc.constantFrom(undefined, "dflt", 0, null, "", "5"),
        },
        { requiredKeys: ["target", "expr", "type", "required"] },
      );
      const mapping = fc.uniqueArray(field, { selector: (f) => f.target, maxLength: 4 });
      fc.assert(
        fc.property(mapping, value, value, (specs, v, w) => {
          const config = { fields: specs };
          const item: Item = {};
          if (v !== undefined) item.v = v;
          if (w !== undefined) item.w = w;
          const viaKernel = mapWith(compileExpression, config, item);
          const viaGeneral = mapWith(generalOnly, config, item);
          assert.deepStrictEqual(viaKernel, viaGeneral, `${JSON.stringify(specs)} on ${JSON.stringify(item)}`);
        }),
        { numRuns: 3000 },
      );
    });
  });
});
