import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { describe, it } from "node:test";
import fc from "fast-check";
import jsonata from "jsonata";
import { compileFast } from "./fast";
import { generateFast } from "./fast-codegen";
import { compileExpression } from "./index";

type Bindings = Record<string, unknown> | undefined;
type Outcome = { ok: true; value: unknown } | { ok: false; error: { code?: string; message?: string } };

/** jsonata marks arrays as sequences and builds null-prototype objects; compare plain JSON-like shapes. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return Array.from(value, plain);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) out[key] = plain((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

async function viaJsonata(src: string, input: unknown, bindings: Bindings): Promise<Outcome> {
  try {
    return { ok: true, value: plain(await jsonata(src).evaluate(input, bindings)) };
  } catch (error) {
    return { ok: false, error: error as Outcome extends { error: infer E } ? E : never };
  }
}

type Backend = "closures" | "generated";
const BACKENDS: readonly Backend[] = ["closures", "generated"];

function viaFast(src: string, input: unknown, bindings: Bindings, backend: Backend = "generated"): Outcome {
  const ast = jsonata(src).ast();
  const fast = backend === "closures" ? compileFast(ast) : generateFast(ast);
  assert.ok(fast, `expected the fast path (${backend}) to compile ${src}`);
  try {
    return { ok: true, value: plain(fast(input, bindings)) };
  } catch (error) {
    return { ok: false, error: error as { code?: string } };
  }
}

/**
 * The fast path must give jsonata's value, or throw where jsonata throws. Error codes must match
 * too, except in constructors: jsonata evaluates their members concurrently, so when several
 * members fail, which error wins depends on its scheduling.
 */
async function assertSame(src: string, input: unknown, bindings?: Bindings): Promise<void> {
  const expected = await viaJsonata(src, input, bindings);
  for (const backend of BACKENDS) {
    const context = `[${backend}] ${src} on ${JSON.stringify(input)} with ${JSON.stringify(bindings)}`;
    assertOutcome(expected, viaFast(src, input, bindings, backend), context, src);
  }
}

function assertOutcome(expected: Outcome, actual: Outcome, context: string, src: string): void {
  if (!expected.ok) {
    assert.ok(!actual.ok, `${context}: jsonata threw ${expected.error.code}, fast path returned ${JSON.stringify(actual.ok && actual.value)}`);
    if (!/[[{]/.test(src)) assert.equal(actual.error.code, expected.error.code, `${context}: error code`);
    return;
  }
  assert.ok(actual.ok, `${context}: fast path threw ${!actual.ok && (actual.error.code ?? actual.error.message)}`);
  assert.deepStrictEqual(actual.value, expected.value, context);
}

// ---------------------------------------------------------------- generators

const FIELDS = ["a", "b", "c", "price", "name", "x y"] as const;
const fieldName = fc.constantFrom(...FIELDS);

const numberValue = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, 0.1, 0.2, 2.5, -2.5, 3.14159, 1e21, 1e-7, 123456789.12345679, 2 ** 53 + 2, -1e300),
);
const stringValue = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 6 }),
  fc.constantFrom("", " a \t b\n", "10", "-3.5", "1e3", "0x1F", "true", "Straße", "😀x", "a,b"),
);
const scalar = fc.oneof(numberValue, stringValue, fc.boolean(), fc.constant(null));

const json = fc.letrec<{ value: unknown; object: Record<string, unknown>; array: unknown[] }>((tie) => ({
  value: fc.oneof({ depthSize: "small", maxDepth: 3 }, scalar, tie("object"), tie("array")),
  object: fc.dictionary(fieldName, tie("value"), { maxKeys: 4 }),
  array: fc.array(tie("value"), { maxLength: 3 }),
}));

/** Objects keyed by the field names, with arrays of such objects nested inside (auto-mapping). */
const record = fc.letrec<{ obj: Record<string, unknown>; member: unknown }>((tie) => ({
  obj: fc.dictionary(fieldName, tie("member"), { maxKeys: 5 }),
  member: fc.oneof(
    { depthSize: "small", maxDepth: 3 },
    scalar,
    tie("obj"),
    fc.array(tie("obj"), { maxLength: 3 }),
    fc.array(scalar, { maxLength: 3 }),
    fc.array(fc.oneof(tie("obj"), fc.array(tie("obj"), { maxLength: 2 })), { maxLength: 2 }),
  ),
}));

const input = fc.oneof(
  { weight: 6, arbitrary: record.obj },
  { weight: 2, arbitrary: fc.array(record.obj, { maxLength: 3 }) },
  { weight: 1, arbitrary: json.value },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

const bindings: fc.Arbitrary<Bindings> = fc.oneof(
  fc.constant(undefined),
  fc.record({ v: json.value, flow: fc.record({ name: stringValue }) }),
);

const nameStep = fieldName.map((name) => (name === "x y" ? "`x y`" : name));
const path = fc.oneof(
  fc.array(nameStep, { minLength: 1, maxLength: 3 }).map((steps) => steps.join(".")),
  fc
    .tuple(fc.constantFrom("$", "$$", "$v", "$flow", "$missing"), fc.array(nameStep, { maxLength: 2 }))
    .map(([head, steps]) => [head, ...steps].join(".")),
);

const literal = fc.oneof(
  numberValue.map((n) => (n < 0 || Object.is(n, -0) ? `(${n})` : String(n))),
  stringValue.map((s) => JSON.stringify(s)),
  fc.constantFrom("true", "false", "null"),
);

const FUNCTIONS: Record<string, [number, number]> = {
  string: [1, 2], number: [1, 1], boolean: [1, 1], not: [1, 1], exists: [1, 1],
  uppercase: [1, 1], lowercase: [1, 1], trim: [1, 1], length: [1, 1], substring: [2, 3],
  substringBefore: [2, 2], substringAfter: [2, 2], contains: [2, 2], join: [1, 2],
  round: [1, 2], floor: [1, 1], ceil: [1, 1], abs: [1, 1],
  sum: [1, 1], count: [1, 1], max: [1, 1], min: [1, 1], average: [1, 1],
};
const OPERATORS = ["+", "-", "*", "/", "%", "=", "!=", "<", "<=", ">", ">=", "&", "and", "or", "in"];

/** Source text of random expressions from the supported grammar. */
function expressions(withConstructors: boolean): fc.Arbitrary<string> {
  return fc.letrec<{ expr: string; leaf: string; node: string }>((tie) => ({
    expr: fc.oneof({ depthSize: "small", maxDepth: 4 }, tie("leaf"), tie("node")),
    leaf: fc.oneof({ weight: 3, arbitrary: path }, { weight: 2, arbitrary: literal }),
    node: fc.oneof(
      { weight: 4, arbitrary: fc.tuple(tie("expr"), fc.constantFrom(...OPERATORS), tie("expr")).map(([l, op, r]) => `(${l} ${op} ${r})`) },
      { weight: 1, arbitrary: tie("expr").map((e) => `-(${e})`) },
      {
        weight: 1,
        arbitrary: fc
          .tuple(tie("expr"), tie("expr"), fc.option(tie("expr"), { nil: undefined }))
          .map(([c, t, e]) => (e === undefined ? `(${c} ? ${t})` : `(${c} ? ${t} : ${e})`)),
      },
      {
        weight: 4,
        arbitrary: fc
          .tuple(fc.constantFrom(...Object.keys(FUNCTIONS)), fc.array(tie("expr"), { maxLength: 3 }), fc.nat(9))
          .map(([fn, args, roll]) => {
            const [min, max] = FUNCTIONS[fn]!;
            // mostly a sensible arity, sometimes any (to exercise signature errors and context use)
            const count = roll < 8 ? Math.min(Math.max(args.length, min), max) : args.length;
            const used = Array.from({ length: count }, (_, i) => args[i] ?? "$");
            return `$${fn}(${used.join(", ")})`;
          }),
      },
      { weight: 1, arbitrary: fc.array(tie("expr"), { minLength: 1, maxLength: 2 }).map((parts) => `(${parts.join("; ")})`) },
      ...(withConstructors
        ? [
            { weight: 1, arbitrary: fc.array(tie("expr"), { maxLength: 3 }).map((items) => `[${items.join(", ")}]`) },
            {
              weight: 1,
              arbitrary: fc
                .uniqueArray(fc.tuple(fc.constantFrom("a", "k", "x y", ""), tie("expr")), { selector: (pair) => pair[0], maxLength: 3 })
                .map((pairs) => `{${pairs.map(([k, v]) => `${JSON.stringify(k)}: ${v}`).join(", ")}}`),
            },
          ]
        : []),
    ),
  })).expr;
}

// ---------------------------------------------------------------- property tests

describe("compileFast agrees with jsonata (property-based)", () => {
  it("on random expressions without constructors (error codes compared too)", async () => {
    await fc.assert(
      fc.asyncProperty(expressions(false), input, bindings, (src, data, b) => assertSame(src, data, b)),
      { numRuns: 3000 },
    );
  });

  it("on random expressions with object and array constructors", async () => {
    await fc.assert(
      fc.asyncProperty(expressions(true), input, bindings, (src, data, b) => assertSame(src, data, b)),
      { numRuns: 2000 },
    );
  });

  it("on paths over nested arrays (auto-mapping, flattening, singleton unwrapping)", async () => {
    const data = fc.oneof(record.obj, fc.array(fc.oneof(record.obj, fc.array(record.obj, { maxLength: 2 })), { maxLength: 3 }));
    await fc.assert(
      fc.asyncProperty(path, data, bindings, (src, d, b) => assertSame(src, d, b)),
      { numRuns: 1500 },
    );
  });

  it("on object constructors over array inputs (grouping of the context)", async () => {
    const objectExpr = fc
      .tuple(path, path, fc.boolean())
      .map(([p, q, nested]) => (nested ? `{"o": {"x": ${p}, "y": [${q}]}, "n": $count(${q})}` : `{"x": ${p}, "y": ${q}}`));
    const data = fc.oneof(fc.array(fc.oneof(record.obj, json.value), { maxLength: 4 }), record.obj);
    await fc.assert(
      fc.asyncProperty(objectExpr, data, bindings, (src, d, b) => assertSame(src, d, b)),
      { numRuns: 800 },
    );
  });

  it("on calls with any arity and argument types (signature checks, context arguments)", async () => {
    const arg = fc.oneof(literal, path, fc.constantFrom("[1, 2]", '["a", "b"]', "[]", '{"k": 1}', "$"));
    const call = fc
      .tuple(fc.constantFrom(...Object.keys(FUNCTIONS)), fc.array(arg, { maxLength: 3 }))
      .map(([fn, args]) => `$${fn}(${args.join(", ")})`);
    const context = fc.oneof(scalar, record.obj, fc.array(scalar, { maxLength: 3 }), fc.constant(undefined));
    await fc.assert(
      fc.asyncProperty(call, context, bindings, (src, d, b) => assertSame(src, d, b)),
      { numRuns: 1500 },
    );
  });
});

// ---------------------------------------------------------------- specific cases

async function expectValue(src: string, input: unknown, expected: unknown, b?: Bindings): Promise<void> {
  await assertSame(src, input, b);
  assert.deepStrictEqual(viaFast(src, input, b), { ok: true, value: expected }, src);
}

async function expectError(src: string, input: unknown, code: string): Promise<void> {
  await assertSame(src, input);
  const actual = viaFast(src, input, undefined);
  assert.ok(!actual.ok && actual.error.code === code, `${src}: expected ${code}`);
  assert.match(actual.error.message ?? "", /\w/);
}

describe("compileFast on tricky cases", () => {
  const orders = { orders: [{ price: 5, qty: 2 }, { price: 7.5 }, { qty: 1 }] };

  it("formats numbers in & and $string as jsonata does", async () => {
    await expectValue('0.1 + 0.2 & ""', {}, "0.3");
    await expectValue('1.5 & "x"', {}, "1.5x");
    await expectValue('100 & ""', {}, "100");
    await expectValue('(0 * -1) & ""', {}, "0");
    await expectValue("$string(1e21)", {}, "1e+21");
    await expectValue("$string(123456789.123456789)", {}, "123456789.123457");
    await expectValue('$string({"a": 0.1 + 0.2, "b": [1, "x", true, null]})', {}, '{"a":0.3,"b":[1,"x",true,null]}');
    await expectValue("a & b", { a: { k: 1 }, b: [1, 2] }, '{"k":1}[1,2]');
    await expectValue("$string(a, true)", { a: { k: 1 } }, '{\n  "k": 1\n}');
    await expectError('1/0 & ""', {}, "D3001");
  });

  it("keeps full float precision in arithmetic", async () => {
    await expectValue("0.1 + 0.2", {}, 0.30000000000000004);
    await expectValue("7 % -3", {}, 1);
    await expectValue("1 / 0", {}, Infinity);
    await expectError("1 / 0 + 1", {}, "D1001");
  });

  it("maps paths over arrays, flattening and unwrapping singletons", async () => {
    await expectValue("orders.price", orders, [5, 7.5]);
    await expectValue("orders.qty", { orders: [{ qty: 3 }] }, 3);
    await expectValue("orders.missing", orders, undefined);
    await expectValue("a", { a: [] }, []);
    await expectValue("a", { a: [1] }, [1]);
    await expectValue("a.b", { a: [{ b: [1] }] }, [1]);
    await expectValue("a.b", { a: [{ b: [1] }, { c: 1 }] }, [1]);
    await expectValue("a.b", { a: [{ b: [1] }, { b: [2] }] }, [1, 2]);
    await expectValue("a", [{ a: [1] }], 1);
    await expectValue("$.a", [{ a: [1] }], [1]);
    await expectValue("$$.a", [{ a: 1 }, { a: 2 }], [1, 2]);
    await expectValue("`x y`.c", { "x y": { c: "v" } }, "v");
    await expectValue("$flow.name & ':' & $execution.id", {}, "f:1", { flow: { name: "f" }, execution: { id: "1" } });
    await expectValue("$sum(orders.price) * 2", orders, 25);
    await expectValue("$count(orders.qty)", orders, 2);
  });

  it("reads own properties only, as jsonata does", async () => {
    const inherited = Object.create({ a: 1, b: { c: 2 } }) as Record<string, unknown>;
    inherited.own = 3;
    await expectValue("a", inherited, undefined);
    await expectValue("b.c", inherited, undefined);
    await expectValue("own", inherited, 3);
    await expectValue("constructor", {}, undefined);
    await expectValue("toString", { toString: "mine" }, "mine");
    await expectValue("x.hasOwnProperty", { x: { hasOwnProperty: 1 } }, 1);
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { a: { b: 1 } });
    await expectValue("a.b", bare, 1);
    await expectValue("a", { a: 1, _jsonata_function: true }, undefined);
  });

  it("treats undefined like jsonata in & and arithmetic", async () => {
    await expectValue('missing & "x"', {}, "x");
    await expectValue("missing + 1", {}, undefined);
    await expectValue("-missing", {}, undefined);
    await expectValue("missing = missing", {}, false);
    await expectValue("missing != 1", {}, false);
    await expectValue("missing < 1", {}, undefined);
    await expectValue("missing ? 1 : 2", {}, 2);
    await expectValue("missing ? 1", {}, undefined);
    await expectValue("$uppercase(missing)", {}, undefined);
  });

  it("throws on arithmetic and comparison of mismatched types", async () => {
    await expectError('"a" + 1', {}, "T2001");
    await expectError('1 + "a"', {}, "T2002");
    await expectError('1 < "a"', {}, "T2009");
    await expectError("a < b", { a: true, b: 1 }, "T2010");
    await expectError("a < 1", { a: { x: 1 } }, "T2010");
    await expectError('-"x"', {}, "D1002");
    await expectError('$uppercase(1)', {}, "T0410");
    await expectError('$sum(["a"])', {}, "T0412");
    await expectError("$substring(5, 2)", { a: 1 }, "T0411");
    await expectError('$number("abc")', {}, "D3030");
  });

  it("compares with deep equality and casts to boolean like jsonata", async () => {
    await expectValue("a = b", { a: { x: [1, { y: 2 }] }, b: { x: [1, { y: 2 }] } }, true);
    await expectValue("a = b", { a: [1, 2], b: [2, 1] }, false);
    await expectValue('1 = "1"', {}, false);
    await expectValue("a and b", { a: [0, ""], b: 1 }, false);
    await expectValue("a or b", { a: {}, b: [0, 1] }, true);
    await expectValue('"x" in a', { a: ["y", "x"] }, true);
  });

  it("uses the context for a missing first argument", async () => {
    await expectValue("$substring(2)", "hello", "llo");
    await expectValue("$string()", [1, 2], "[1,2]");
    await expectValue("$uppercase()", "abc", "ABC");
  });

  it("builds objects and arrays like jsonata", async () => {
    await expectValue('{"n": name, "m": missing, "t": orders.price}', { name: "x", ...orders }, { n: "x", t: [5, 7.5] });
    await expectValue("[a, [b], missing, c]", { a: [1, 2], b: [3], c: 4 }, [1, 2, [3], 4]);
    await expectValue('{"o": {"v": a}}', [{ a: 1 }, { a: 2 }], { o: { v: [1, 2] } });
    await expectValue('{"v": a}', [{ a: [1] }], { v: [1] });
  });

  it("falls back to the closures where code generation is disallowed, with the same results", () => {
    const sources = ["$uppercase(customer.name) & '!'", "price * qty > 10 ? 'big' : 'small'", '{"n": a.b, "l": [a.b, 2]}'];
    const input = { customer: { name: "ada" }, price: 3, qty: 4, a: [{ b: 1 }, { b: 2 }] };
    const script = `
      const { compileExpression } = await import(${JSON.stringify(new URL("./index.ts", import.meta.url).href)});
      const { generateFast } = await import(${JSON.stringify(new URL("./fast-codegen.ts", import.meta.url).href)});
      const { default: jsonata } = await import("jsonata");
      const sources = ${JSON.stringify(sources)};
      const results = sources.map((s) => {
        const e = compileExpression(s);
        return { generated: generateFast(jsonata(s).ast()) !== undefined, fast: e.fast, value: e.evaluate(${JSON.stringify(input)}, {}) };
      });
      process.stdout.write(JSON.stringify(results));`;
    const out = execFileSync(
      process.execPath,
      ["--disallow-code-generation-from-strings", "--no-node-snapshot", "--import", "tsx", "--input-type=module", "-e", script],
      { encoding: "utf8" },
    );
    const expected = sources.map((s) => ({ generated: false, fast: true, value: compileExpression(s).evaluate(input, {}) }));
    assert.deepStrictEqual(JSON.parse(out), expected);
  });

  it("runs on the fast path through compileExpression", () => {
    const compiled = compileExpression("$uppercase(customer.name) & '!'");
    assert.equal(compiled.fast, true);
    assert.equal(compiled.evaluate({ customer: { name: "ada" } }, {}), "ADA!");
  });
});

describe("compileFast leaves other constructs to jsonata", () => {
  const unsupported = [
    "$map(orders, function($o) { $o.price })",
    "orders[price > 5]",
    "orders[0]",
    "$x := 1",
    "($x := 1; $x)",
    "$contains(name, /ab+c/)",
    "name ~> $uppercase",
    "orders.price[]",
    "orders.(price * 2)",
    "orders.$string(price)",
    "*.price",
    "**.price",
    "orders{name: price}",
    "orders^(price)",
    "orders@$o",
    "orders#$i",
    "1..3",
    "$now()",
    "$sqrt(4)",
    "$string",
    "$uppercase(?)",
    "function($x) { $x }",
    "a.%",
    '{name: price}',
    '{"a": 1, "a": 2}',
    "|$|{'a': 1}|",
  ];
  for (const src of unsupported) {
    it(`returns undefined for ${src}`, () => {
      let ast: jsonata.ExprNode;
      try {
        ast = jsonata(src).ast();
      } catch {
        return; // jsonata itself rejects it (e.g. a parent step with no parent)
      }
      assert.equal(compileFast(ast), undefined);
      assert.equal(generateFast(ast), undefined);
    });
  }
});
