// The sandbox worker process. client.ts spawns it with an empty environment and Node's permission
// model (no file writes, no child processes, reads only of this folder and isolated-vm), so even
// an escape from the isolate lands in a process that holds no secrets and can do little.
// It answers one request at a time over IPC: run this code on these items, in a fresh context.
import { Buffer } from "node:buffer";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { clearTimeout, setTimeout } from "node:timers";
import { URL } from "node:url";

const ivmDir = process.argv[2];
if (!ivmDir) throw new Error("usage: worker.mjs <isolated-vm directory>");
// isolated-vm is a CommonJS native addon.
const ivm = createRequire(import.meta.url)(ivmDir);
const DRIVER_SOURCE = readFileSync(new URL("./in-isolate.js", import.meta.url), "utf8");

// The user's code is the body of this function; on its own line, so `lineOffset: -1` makes
// positions in errors count from the user's first line.
const WRAPPERS = {
  all: ["(async function code(items) {\n", "\n})"],
  each: ["(async function code(item, index) {\n", "\n})"],
};

// A promise the code awaits and nobody settles leaves isolated-vm waiting forever; past the time
// limit plus this much, the isolate is thrown away.
const SETTLE_SLACK_MS = 50;

/** One isolate, reused while the memory limit stays the same: a context is 0.5 ms, an isolate 2. */
let current;

function isolateFor(memoryLimitMb) {
  if (current && !current.isolate.isDisposed && current.memoryLimitMb === memoryLimitMb) return current;
  discardIsolate();
  const isolate = new ivm.Isolate({ memoryLimit: memoryLimitMb });
  const driver = isolate.compileScriptSync(DRIVER_SOURCE, { filename: "gate-driver.js" });
  current = { isolate, driver, memoryLimitMb };
  return current;
}

function discardIsolate() {
  if (current && !current.isolate.isDisposed) current.isolate.dispose();
  current = undefined;
}

class Deadline extends Error {}

function withDeadline(promise, ms) {
  let timer;
  const expired = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Deadline()), ms + SETTLE_SLACK_MS);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

/** `message [code.js:3:9]` as isolated-vm reports a syntax error → message and position. */
function syntaxFailure(error) {
  const text = String(error && error.message).slice(0, 1000);
  const match = /\s*\[code\.js:(\d+):(\d+)\]$/.exec(text);
  return {
    ok: false,
    kind: "syntax",
    message: `${error && error.name ? error.name : "SyntaxError"}: ${match ? text.slice(0, match.index) : text}`,
    line: match ? Number(match[1]) : undefined,
    column: match ? Number(match[2]) : undefined,
  };
}

/** An error isolated-vm raised around the user's code (not one the driver caught inside). */
function classify(error, isolate, phase, timeoutMs) {
  if (error instanceof Deadline) {
    discardIsolate();
    return { ok: false, kind: "timeout", message: `the code did not finish within ${timeoutMs} ms; it may be waiting for a promise that never settles` };
  }
  const message = String(error && error.message).slice(0, 1000);
  if (isolate.isDisposed || /memory limit/i.test(message)) {
    discardIsolate();
    return phase === "serialize"
      ? { ok: false, kind: "too-large", message: "the memory limit ran out while turning the result into JSON" }
      : { ok: false, kind: "memory", message: "the code used more memory than its limit allows" };
  }
  if (/execution timed out/i.test(message)) {
    discardIsolate();
    return { ok: false, kind: "timeout", message: `the code ran longer than its ${timeoutMs} ms time limit` };
  }
  // Code outside the function (after an early `})`) threw while the script was set up.
  const where = /code\.js:(\d+):(\d+)\)?$/m.exec(String(error && error.stack));
  return {
    ok: false,
    kind: "error",
    message: `${error && error.name ? error.name : "Error"}: ${message}`,
    line: where ? Number(where[1]) : undefined,
    column: where ? Number(where[2]) : undefined,
  };
}

async function execute(request) {
  const started = Date.now();
  const remaining = () => Math.max(1, request.timeoutMs - (Date.now() - started));
  const { isolate, driver } = isolateFor(request.memoryLimitMb);
  const [head, tail] = WRAPPERS[request.mode];
  let context;
  let phase = "setup";
  let reply;
  // Synchronous calls wherever no promise of the user's has to settle: each asynchronous call is a
  // round trip through the thread pool, which for small batches costs more than the work itself.
  try {
    context = isolate.createContextSync();
    const api = driver.runSync(context, { reference: true, timeout: remaining() });
    let script;
    try {
      script = isolate.compileScriptSync(head + request.code + tail, { filename: "code.js", lineOffset: -1 });
    } catch (error) {
      if (error && error.name === "SyntaxError") return { ...syntaxFailure(error), logs: [] };
      throw error;
    }
    const fn = script.runSync(context, { reference: true, timeout: remaining() });
    phase = "run";
    const run = api.getSync("run", { reference: true });
    const status = await withDeadline(
      run.apply(undefined, [fn.derefInto(), request.input, request.mode], { timeout: remaining(), result: { promise: true, copy: true } }),
      remaining(),
    );
    if (status.ok) {
      phase = "serialize";
      const serialize = api.getSync("serialize", { reference: true });
      reply = serialize.applySync(undefined, [request.maxOutputBytes], { timeout: remaining(), result: { copy: true } });
      // The isolate counted characters; the limit is on bytes.
      if (reply.ok && Buffer.byteLength(reply.output, "utf8") > request.maxOutputBytes)
        reply = { ok: false, kind: "too-large", message: `the result is more than ${request.maxOutputBytes} bytes of JSON` };
    } else reply = status;
    const takeLogs = api.getSync("takeLogs", { reference: true });
    const { logs, dropped } = takeLogs.applySync(undefined, [], { timeout: 100, result: { copy: true } });
    return { ...reply, logs, droppedLogs: dropped };
  } catch (error) {
    return { ...classify(error, isolate, phase, request.timeoutMs), logs: [] };
  } finally {
    if (context && !isolate.isDisposed) context.release();
  }
}

// Requests arrive one at a time (the client queues), but a chain keeps them serial regardless.
let chain = Promise.resolve();
process.on("message", (request) => {
  // The receipt tells the parent that a crash from here on happened while running this request.
  process.send({ received: request.id });
  chain = chain.then(async () => {
    let reply;
    try {
      reply = await execute(request);
    } catch (error) {
      discardIsolate();
      reply = { ok: false, kind: "internal", message: String(error && error.message).slice(0, 1000), logs: [] };
    }
    if (process.connected) process.send({ id: request.id, ...reply });
  });
});

// The parent went away (exited, crashed or was killed): nothing is left to serve.
process.on("disconnect", () => process.exit(0));
