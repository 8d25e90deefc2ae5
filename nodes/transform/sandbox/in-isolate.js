// Runs INSIDE the isolated-vm isolate, once per fresh context, before any user code. It is read as
// text by worker.mjs and never imported. Everything the user's code can touch lives in this
// context, so this file defends only the correctness of its own reports: it captures the
// intrinsics it needs before user code runs (user code may replace JSON, RegExp, Object…), and
// every value it hands back is a plain object of strings and numbers that the worker re-checks.
(function gateDriver() {
  "use strict";
  const parse = JSON.parse;
  const stringify = JSON.stringify;
  const isArray = Array.isArray;
  const getPrototypeOf = Object.getPrototypeOf;
  const objectPrototype = Object.prototype;
  const toText = String;
  const apply = Reflect.apply;
  const regexpExec = RegExp.prototype.exec;
  const stringSlice = String.prototype.slice;
  const arrayPush = Array.prototype.push;

  const MAX_LOG_LINES = 100;
  const MAX_LOG_CHARS = 2000;
  const MAX_MESSAGE_CHARS = 1000;
  // A frame that ends in the user's script; "eval at code (code.js:…)" origins are skipped, as
  // V8 does not apply the script's line offset to them.
  const USER_FRAME = /code\.js:(\d+):(\d+)\)?$/m;

  // Atomics.wait blocks the isolate's thread where no timer can reach it but the termination
  // interrupt; nothing a data transformation needs justifies it, nor the shared memory and
  // WebAssembly (whose threads proposal also has a blocking wait) that feed it.
  delete globalThis.Atomics;
  delete globalThis.SharedArrayBuffer;
  delete globalThis.WebAssembly;

  const logs = [];
  let dropped = 0;
  let result = [];

  function cut(text, max) {
    return text.length > max ? apply(stringSlice, text, [0, max]) + "…" : text;
  }

  function safeText(value) {
    try {
      return toText(value);
    } catch {
      return "(a value that cannot be shown)";
    }
  }

  function logLine(level) {
    return function log(...args) {
      if (logs.length >= MAX_LOG_LINES) {
        dropped++;
        return;
      }
      let line = "";
      for (let i = 0; i < args.length; i++) {
        const arg = args[i];
        let text;
        if (typeof arg === "string") text = arg;
        else {
          try {
            text = typeof arg === "object" && arg !== null ? stringify(arg) : toText(arg);
          } catch {
            text = safeText(arg);
          }
        }
        line += (i ? " " : "") + text;
        if (line.length > MAX_LOG_CHARS) break;
      }
      apply(arrayPush, logs, [{ level, text: cut(line, MAX_LOG_CHARS) }]);
    };
  }

  globalThis.console = {
    log: logLine("info"),
    info: logLine("info"),
    debug: logLine("debug"),
    warn: logLine("warn"),
    error: logLine("error"),
  };

  function isPlainObject(value) {
    if (typeof value !== "object" || value === null || isArray(value)) return false;
    try {
      const proto = getPrototypeOf(value);
      return proto === objectPrototype || proto === null;
    } catch {
      return false; // a Proxy whose trap throws is not a plain object
    }
  }

  function describe(value) {
    if (value === null) return "null";
    if (value === undefined) return "nothing (undefined)";
    switch (typeof value) {
      case "string":
        return `a string (${stringify(cut(value, 40))})`;
      case "number":
      case "boolean":
        return `a ${typeof value} (${toText(value)})`;
      case "bigint":
        return `a BigInt (${toText(value)}n)`;
      case "function":
        return "a function";
      case "symbol":
        return "a symbol";
    }
    if (isArray(value)) return "an array";
    try {
      const name = getPrototypeOf(value)?.constructor?.name;
      if (typeof name === "string" && name) return `a ${cut(name, 40)} object`;
    } catch {
      // fall through: a hostile prototype chain still gets a description
    }
    return "an object that is not a plain object";
  }

  const ITEM_HINT = 'every item must be a plain object such as {"name": "value"}';

  /** Items from a returned array; a problem is a sentence naming what was returned. */
  function collect(value, out, where) {
    if (isPlainObject(value)) {
      apply(arrayPush, out, [value]);
      return undefined;
    }
    if (!isArray(value)) return undefined;
    for (let i = 0; i < value.length; i++) {
      if (!isPlainObject(value[i])) return `element ${i} of the array ${where} is ${describe(value[i])}; ${ITEM_HINT}`;
      apply(arrayPush, out, [value[i]]);
    }
    return undefined;
  }

  // Answers have no prototype: a `then` or `toJSON` the code put on Object.prototype must not turn
  // them into thenables when the driver's promise resolves with them.
  function failure(kind, message, extra) {
    return { __proto__: null, ok: false, kind, message: cut(message, MAX_MESSAGE_CHARS), ...extra };
  }

  const OK = () => ({ __proto__: null, ok: true });

  function thrown(error, item) {
    let message;
    let stack = "";
    try {
      if (error instanceof Error || (typeof error === "object" && error !== null && "message" in error)) {
        const name = typeof error.name === "string" && error.name ? error.name : "Error";
        message = `${name}: ${safeText(error.message)}`;
      } else {
        message = `the value ${cut(safeText(error), 200)}`;
      }
    } catch {
      message = "an error that cannot be shown";
    }
    try {
      // Reading `stack` runs Error.prepareStackTrace, which the code may have replaced.
      const text = error.stack;
      if (typeof text === "string") stack = text;
    } catch {
      // no position then, but the message still stands
    }
    // The first frame in the user's script is where it went wrong, even inside their helpers.
    // (Literals, not assignments: user code may have put setters on Object.prototype.)
    const match = apply(regexpExec, USER_FRAME, [stack]);
    const extra = match ? { __proto__: null, item, line: +match[1], column: +match[2] } : { __proto__: null, item };
    // V8 names an allocation the heap cannot take; to the user that is the memory limit.
    if (error instanceof RangeError && message === "RangeError: Array buffer allocation failed")
      return failure("memory", message, extra);
    return failure("error", message, extra);
  }

  async function runAll(fn, items) {
    let value;
    try {
      value = await fn(items);
    } catch (error) {
      return thrown(error);
    }
    if (value === undefined)
      return failure("bad-result", "the code returned nothing (undefined); end it with `return items` or return an array of items");
    const out = [];
    const problem = collect(value, out, "it returned");
    if (problem) return failure("bad-result", problem);
    if (!isPlainObject(value) && !isArray(value))
      return failure("bad-result", `the code returned ${describe(value)}; return an array of items, or one item; ${ITEM_HINT}`);
    result = out;
    return OK();
  }

  async function runEach(fn, items) {
    const out = [];
    for (let i = 0; i < items.length; i++) {
      let value;
      try {
        value = await fn(items[i], i);
      } catch (error) {
        return thrown(error, i);
      }
      if (value === null) continue;
      if (value === undefined)
        return failure("bad-result", `the code returned nothing (undefined) for item ${i}; return the item, or null to drop it`, { item: i });
      const problem = collect(value, out, `returned for item ${i}`);
      if (problem) return failure("bad-result", problem, { item: i });
      if (!isPlainObject(value) && !isArray(value))
        return failure("bad-result", `the code returned ${describe(value)} for item ${i}; return an item, an array of items, or null to drop it; ${ITEM_HINT}`, { item: i });
    }
    result = out;
    return OK();
  }

  return {
    /** Run the user's function; the result stays here until `serialize` asks for it. */
    run(fn, inputJson, mode) {
      if (typeof fn !== "function")
        return failure("error", "the code must be the body of a function; it seems to close that function early (an extra `})`?)");
      const items = parse(inputJson);
      return mode === "each" ? runEach(fn, items) : runAll(fn, items);
    },
    /** The result as JSON, or why it cannot be, in a separate step so running out of memory here is told apart. */
    serialize(maxChars) {
      let json;
      try {
        json = stringify(result);
      } catch (error) {
        return failure("bad-result", `the result cannot be turned into JSON: ${safeText(error && error.message)}`);
      }
      if (typeof json !== "string")
        return failure("bad-result", "the result cannot be turned into JSON");
      if (json.length > maxChars)
        return failure("too-large", `the result is ${json.length} characters of JSON, more than the ${maxChars} allowed`);
      return { __proto__: null, ok: true, output: json };
    },
    takeLogs() {
      return { __proto__: null, logs, dropped };
    },
  };
})();
