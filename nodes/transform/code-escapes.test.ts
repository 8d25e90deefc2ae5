// Hostile code against the code node's sandbox. Every case must end in a clear NodeError or in a
// harmless result computed inside the isolate, and after every case a normal run must still work.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { NodeFailure, runNode, type Item, type NodeError, type PortItems } from "../sdk";
import codeNode from "./code";

const ITEMS: Item[] = [{ a: 1 }, { a: 2 }];

async function outputs(code: string, config: Record<string, unknown> = {}): Promise<PortItems> {
  return (await runNode(codeNode, { config: { code, ...config }, items: ITEMS, errorPort: false })).outputs;
}

async function contained(code: string, config: Record<string, unknown> = {}): Promise<NodeError> {
  try {
    await outputs(code, config);
  } catch (error) {
    assert.ok(error instanceof NodeFailure, `expected a NodeFailure, got ${String(error)}`);
    assert.match(error.error.code, /^CODE_/);
    assert.ok(error.error.message.length > 0);
    assert.doesNotMatch(error.error.message, /node_modules|\/work\/|worker\.mjs/, "no host paths in messages");
    return error.error;
  }
  assert.fail(`the hostile code ran without error: ${code}`);
}

/** The proof that matters after each attack: the sandbox still does its ordinary job. */
async function stillWorks() {
  assert.deepEqual(await outputs("return items.map(i => ({ ...i, ok: true }))"), {
    main: [
      { a: 1, ok: true },
      { a: 2, ok: true },
    ],
  });
}

const HOST_GLOBALS = ["process", "require", "module", "Buffer", "global", "setTimeout", "setImmediate", "fetch", "XMLHttpRequest", "WebSocket", "__dirname", "Deno", "Bun"];

after(() => {
  // The host's own prototypes are untouched by everything above.
  assert.equal(({} as Record<string, unknown>).x, undefined);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(([] as unknown as Record<string, unknown>).y, undefined);
});

describe("code sandbox: reaching the host through constructors", () => {
  const reachProcess: [string, string][] = [
    ["this.constructor.constructor", "return this.constructor.constructor('return process')()"],
    ["template literal", "return this.constructor.constructor`return process`()"],
    ["concatenated name", "const c = 'con' + 'structor'; return this[c][c]('return process')()"],
    ["object literal", "return ({}).constructor.constructor('return process')()"],
    ["array method", "return [].map.constructor('return process')()"],
    ["async function constructor", "return await (async () => {}).constructor('return process')()"],
    ["eval", "return eval('process')"],
    ["indirect eval", "return (0, eval)('require')('fs')"],
    ["items' constructor", "return items.constructor.constructor('return process.env')()"],
    ["an item's constructor", "return items[0].constructor.constructor('return process.mainModule')()"],
  ];
  for (const [name, code] of reachProcess) {
    test(`${name}: process is not there`, async () => {
      const error = await contained(code);
      assert.equal(error.code, "CODE_ERROR");
      assert.match(error.message, /ReferenceError: (process|require) is not defined/);
      await stillWorks();
    });
  }

  test("the global object reached through Function is the isolate's, with no host objects on it", async () => {
    const out = await outputs(`
      const g = this.constructor.constructor('return this')();
      const names = Object.getOwnPropertyNames(g);
      return [{ same: g === globalThis, names }];
    `);
    const { same, names } = out.main![0] as { same: boolean; names: string[] };
    assert.equal(same, true);
    for (const name of HOST_GLOBALS) assert.ok(!names.includes(name), `${name} is visible in the sandbox`);
    await stillWorks();
  });

  test("arguments.callee and .caller lead nowhere", async () => {
    const error = await contained("return arguments.callee.caller.constructor('return process')()");
    assert.equal(error.code, "CODE_ERROR");
    assert.match(error.message, /TypeError/);
    await stillWorks();
  });

  test("a function's caller chain stops at the sandbox driver", async () => {
    const out = await outputs("function f() { return f.caller } return [{ caller: String(f()) === String(arguments.callee) }]");
    assert.deepEqual(out.main, [{ caller: true }]);
    await stillWorks();
  });
});

describe("code sandbox: stack trace and scope tricks", () => {
  test("Error.prepareStackTrace sees only frames of the isolate, none with host objects", async () => {
    const out = await outputs(`
      Error.prepareStackTrace = (error, frames) => frames.map((f) => {
        const self = f.getThis();
        let reach = "none";
        try { reach = typeof self.constructor.constructor("return process")(); } catch (e) { reach = e.name; }
        return { file: String(f.getFileName()), reach };
      });
      return [{ frames: new Error("probe").stack }];
    `);
    const frames = (out.main![0] as { frames: { file: string; reach: string }[] }).frames;
    assert.ok(frames.length > 0);
    for (const frame of frames) {
      assert.match(frame.file, /^(code\.js|gate-driver\.js)$/);
      assert.notEqual(frame.reach, "object");
    }
    await stillWorks();
  });

  test("a throwing Error.prepareStackTrace still gives a clear error, and the next run has positions again", async () => {
    const error = await contained("Error.prepareStackTrace = () => { throw new Error('no stack for you') }; null.x");
    assert.equal(error.code, "CODE_ERROR");
    assert.match(error.message, /TypeError: Cannot read properties of null/);
    const next = await contained("\nnull.x");
    assert.match(next.message, /line 2/);
    await stillWorks();
  });

  test("a looping Error.prepareStackTrace is stopped by the time limit", async () => {
    const error = await contained("Error.prepareStackTrace = () => { while (true) {} }; null.x", { timeoutMs: 300 });
    assert.equal(error.code, "CODE_TIMEOUT");
    await stillWorks();
  });

  test("with (globalThis) and a Proxy scope find no host names", async () => {
    const out = await outputs(`
      const seen = {};
      with (globalThis) { seen.process = typeof process; seen.require = typeof require; }
      const shadow = new Proxy({}, { has: (t, k) => k === "process", get: (t, k) => k === Symbol.unscopables ? undefined : "proxied:" + String(k) });
      with (shadow) { seen.proxied = process; }
      return [seen];
    `);
    assert.deepEqual(out.main, [{ process: "undefined", require: "undefined", proxied: "proxied:process" }]);
    await stillWorks();
  });

  test("closing the wrapper function early only runs code inside the isolate", async () => {
    const error = await contained("}); throw new Error('outside: ' + typeof process); (function () {");
    assert.equal(error.code, "CODE_ERROR");
    assert.match(error.message, /Error: outside: undefined/);
    await stillWorks();
  });

  test("stack traces carry no host file paths", async () => {
    const out = await outputs("return [{ stack: new Error('where am I').stack }]");
    const { stack } = out.main![0] as { stack: string };
    assert.match(stack, /code\.js:1:/);
    assert.doesNotMatch(stack, /node_modules|\/work\/|worker\.mjs|node:internal/);
    await stillWorks();
  });
});

describe("code sandbox: modules, environment and network", () => {
  const cases: [string, string, RegExp][] = [
    ["import('fs')", "const fs = await import('fs'); return [{ t: typeof fs }]", /Not supported/],
    ["import('node:child_process')", "await import('node:child_process')", /Not supported/],
    ["require('fs')", "return require('fs').readFileSync('/etc/passwd')", /require is not defined/],
    ["process.env", "return [{ env: process.env }]", /process is not defined/],
    ["globalThis.process.env", "return [globalThis.process.env]", /Cannot read properties of undefined/],
    ["fetch", "return [await fetch('http://169.254.169.254/')]", /fetch is not defined/],
    ["setTimeout", "await new Promise(r => setTimeout(r, 10))", /setTimeout is not defined/],
  ];
  for (const [name, code, message] of cases) {
    test(`${name} fails inside the sandbox`, async () => {
      const error = await contained(code);
      assert.equal(error.code, "CODE_ERROR");
      assert.match(error.message, message);
      await stillWorks();
    });
  }
});

describe("code sandbox: prototype pollution", () => {
  test("polluting prototypes inside changes nothing in the host, nor in the next run", async () => {
    const out = await outputs("items.__proto__.polluted = 1; Object.prototype.x = 1; Array.prototype.y = 2; return items");
    assert.deepEqual(out.main, ITEMS);
    const item = out.main[0]!;
    assert.equal(Object.getPrototypeOf(item), Object.prototype);
    assert.equal((item as Record<string, unknown>).x, undefined);
    assert.equal(({} as Record<string, unknown>).x, undefined);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(([] as unknown as Record<string, unknown>).y, undefined);
    const next = await outputs("return [{ x: typeof ({}).x, y: typeof [].y, polluted: typeof [].polluted }]");
    assert.deepEqual(next.main, [{ x: "undefined", y: "undefined", polluted: "undefined" }]);
  });

  test("an item with a __proto__ key arrives as an ordinary key, not a prototype", async () => {
    const out = await outputs(`return [JSON.parse('{"__proto__": {"admin": true}, "id": 1}')]`);
    const item = out.main![0]!;
    assert.equal(Object.getPrototypeOf(item), Object.prototype);
    assert.equal((item as { admin?: unknown }).admin, undefined);
    assert.deepEqual(Object.keys(item).sort(), ["__proto__", "id"]);
    assert.equal(({} as Record<string, unknown>).admin, undefined);
    await stillWorks();
  });

  test("a then planted on Object.prototype cannot hijack the sandbox's own answers", async () => {
    // A never-calling then leaves the code's own promise unsettled; one that resolves with another
    // thenable loops; one that removes itself changes only the code's own result.
    assert.equal((await contained("Object.prototype.then = function () {}; return items", { timeoutMs: 300 })).code, "CODE_TIMEOUT");
    await stillWorks();
    const looping = "Object.prototype.then = function (resolve) { resolve([{ hijacked: true }]) }; return items";
    assert.equal((await contained(looping, { timeoutMs: 300 })).code, "CODE_TIMEOUT");
    await stillWorks();
    const once = "Object.prototype.then = function (resolve) { delete Object.prototype.then; resolve([{ hijacked: true }]) }; return items";
    assert.deepEqual((await outputs(once)).main, [{ hijacked: true }]);
    await stillWorks();
  });

  test("a toJSON planted on Object.prototype cannot smuggle non-items out", async () => {
    const error = await contained("Object.prototype.toJSON = () => 'pwned'; return items");
    assert.equal(error.code, "CODE_BAD_RESULT");
    await stillWorks();
  });
});

describe("code sandbox: resource limits", () => {
  test("while (true) {} stops at the time limit", async () => {
    const started = Date.now();
    const error = await contained("while (true) {}", { timeoutMs: 200 });
    assert.equal(error.code, "CODE_TIMEOUT");
    assert.match(error.message, /200 ms/);
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
    await stillWorks();
  });

  test("a loop after an await stops at the time limit too", async () => {
    const error = await contained("await null; for (;;) {}", { timeoutMs: 200 });
    assert.equal(error.code, "CODE_TIMEOUT");
    await stillWorks();
  });

  test("awaiting a promise that never settles ends at the time limit", async () => {
    const error = await contained("await new Promise(() => {})", { timeoutMs: 200 });
    assert.equal(error.code, "CODE_TIMEOUT");
    assert.match(error.message, /never settles/);
    await stillWorks();
  });

  test("a memory bomb stops at the memory limit", async () => {
    const error = await contained("const keep = []; for (;;) keep.push(new Array(1e5).fill({ x: 1.5 }))", { memoryLimitMb: 32, timeoutMs: 10_000 });
    assert.equal(error.code, "CODE_MEMORY");
    assert.match(error.message, /32 MB/);
    await stillWorks();
  });

  test("a huge ArrayBuffer counts against the memory limit", async () => {
    const error = await contained("const b = new ArrayBuffer(1024 * 1024 * 1024); return [{ n: b.byteLength }]");
    assert.equal(error.code, "CODE_MEMORY");
    await stillWorks();
  });

  test("doubling a string runs into the string length limit with a clear error", async () => {
    const error = await contained("let s = 'x'; for (;;) s += s;", { memoryLimitMb: 256, timeoutMs: 10_000 });
    assert.match(error.code, /^CODE_(ERROR|MEMORY)$/);
    await stillWorks();
  });

  test("a huge output is refused with its size", async () => {
    const error = await contained("const s = 'x'.repeat(1 << 20); return Array.from({ length: 20 }, () => ({ s }))");
    assert.equal(error.code, "CODE_OUTPUT_TOO_LARGE");
    assert.match(error.message, /more than the 16777216 allowed/);
    await stillWorks();
  });

  test("deep recursion is a stack overflow error at the recursing line", async () => {
    const error = await contained("function down(n) {\n  return down(n + 1) + 1;\n}\nreturn [{ v: down(0) }]");
    assert.equal(error.code, "CODE_ERROR");
    assert.match(error.message, /RangeError: Maximum call stack size exceeded \(at line 2/);
    await stillWorks();
  });

  test("Atomics.wait and shared memory are not there to hang the isolate", async () => {
    for (const code of [
      "Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)",
      "const m = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }); return [{ t: typeof m }]",
      "const SAB = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer.constructor; return [{ t: typeof SAB }]",
    ]) {
      const error = await contained(code);
      assert.equal(error.code, "CODE_ERROR");
      assert.match(error.message, /ReferenceError: (Atomics|SharedArrayBuffer|WebAssembly) is not defined/);
    }
    await stillWorks();
  });
});

describe("code sandbox: isolation between runs", () => {
  test("a global set in one run is gone in the next", async () => {
    await outputs("globalThis.secret = 'run 1'; leaked = 42; console.log = () => 'hijacked'; return items");
    const out = await outputs("return [{ secret: typeof globalThis.secret, leaked: typeof leaked, log: String(console.log('x')) }]");
    assert.deepEqual(out.main, [{ secret: "undefined", leaked: "undefined", log: "undefined" }]);
  });

  test("replaced built-ins in one run are back to normal in the next", async () => {
    await outputs("JSON.stringify = () => '[]'; Array.isArray = () => false; Object.getPrototypeOf = () => null; return items");
    await stillWorks();
  });
});
