// The worker process around the isolate: its environment and permissions, restarts, hangs,
// cancels, queueing, and its lifetime relative to the Gate process.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { NodeError } from "../sdk";
import { CodeSandbox, WORKER_ENV, WORKER_FLAGS, type SandboxRun } from "./sandbox/client";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CLIENT_URL = new URL("./sandbox/client.ts", import.meta.url).href;
const hasProc = existsSync("/proc/self/environ");

const sandboxes: CodeSandbox[] = [];
function sandbox(options?: ConstructorParameters<typeof CodeSandbox>[0]) {
  const s = new CodeSandbox(options);
  sandboxes.push(s);
  return s;
}
after(() => sandboxes.forEach((s) => s.close()));

const request = (code: string, extra: Partial<SandboxRun> = {}): SandboxRun => ({
  code,
  mode: "all",
  items: [{ n: 1 }],
  timeoutMs: 1000,
  memoryLimitMb: 32,
  ...extra,
});

async function rejection(promise: Promise<unknown>): Promise<NodeError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof NodeError, `expected a NodeError, got ${String(error)}`);
    return error;
  }
  assert.fail("expected the run to fail");
}

/** Alive and not a zombie (containers do not always reap orphans). */
function alive(pid: number): boolean {
  if (hasProc) {
    try {
      return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, "utf8"));
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function gone(pid: number, withinMs = 5000): Promise<boolean> {
  const end = Date.now() + withinMs;
  while (Date.now() < end) {
    if (!alive(pid)) return true;
    await sleep(50);
  }
  return false;
}

describe("code sandbox worker: what it is given", () => {
  test("runs with an empty environment, whatever the parent holds", { skip: !hasProc && "needs /proc" }, async () => {
    process.env.GATE_ENCRYPTION_KEY = "parent-secret-must-not-leak";
    try {
      const s = sandbox();
      await s.run(request("return items"));
      const environ = readFileSync(`/proc/${s.workerPid}/environ`, "utf8").split("\0").filter(Boolean);
      // Node itself adds the IPC channel's descriptor and format; besides those only NODE_ENV.
      assert.deepEqual(environ.filter((v) => !v.startsWith("NODE_CHANNEL_")), ["NODE_ENV=production"]);
    } finally {
      delete process.env.GATE_ENCRYPTION_KEY;
    }
  });

  test("runs under Node's permission model, without write, process or thread rights", { skip: !hasProc && "needs /proc" }, async () => {
    const s = sandbox();
    await s.run(request("return items"));
    const args = readFileSync(`/proc/${s.workerPid}/cmdline`, "utf8").split("\0");
    assert.ok(args.includes("--experimental-permission"));
    for (const arg of args) assert.doesNotMatch(arg, /^--allow-(fs-write|child-process|worker|wasi)/);
  });

  test("those flags deny reading Gate's files, writing files and starting processes", () => {
    const probe = `
      const fs = require("node:fs"), cp = require("node:child_process");
      const tryIt = (f) => { try { f(); return "allowed"; } catch (e) { return e.code; } };
      console.log(JSON.stringify({
        read: tryIt(() => fs.readFileSync(${JSON.stringify(path.join(ROOT, "package.json"))})),
        write: tryIt(() => fs.writeFileSync("/tmp/gate-sandbox-probe", "x")),
        spawn: tryIt(() => cp.spawnSync("true")),
      }));`;
    const result = spawnSync(process.execPath, [...WORKER_FLAGS, "-e", probe], { env: WORKER_ENV, encoding: "utf8" });
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), { read: "ERR_ACCESS_DENIED", write: "ERR_ACCESS_DENIED", spawn: "ERR_ACCESS_DENIED" });
  });
});

describe("code sandbox worker: failures and restarts", () => {
  test("one worker serves many runs", async () => {
    const s = sandbox();
    for (let i = 0; i < 5; i++) await s.run(request("return items"));
    assert.equal(s.workerStarts, 1);
  });

  test("a worker killed while idle is replaced on the next run", async () => {
    const s = sandbox();
    await s.run(request("return items"));
    const first = s.workerPid!;
    process.kill(first, "SIGKILL");
    assert.ok(await gone(first));
    const out = await s.run(request("return [{ again: true }]"));
    assert.deepEqual(out.items, [{ again: true }]);
    assert.notEqual(s.workerPid, first);
  });

  test("a request that crosses the idle worker's death goes to a new worker instead of failing", async () => {
    const s = sandbox();
    await s.run(request("return items"));
    const first = s.workerPid!;
    process.kill(first, "SIGKILL");
    const out = await s.run(request("return [{ crossed: true }]"));
    assert.deepEqual(out.items, [{ crossed: true }]);
    assert.equal(s.workerStarts, 2);
  });

  test("a worker killed mid-run (as the OOM killer does) fails that run as memory, then recovers", async () => {
    const s = sandbox();
    await s.run(request("return items"));
    const pid = s.workerPid!;
    const running = s.run(request("for (;;) {}", { timeoutMs: 10_000 }));
    await sleep(200);
    process.kill(pid, "SIGKILL");
    const error = await rejection(running);
    assert.equal(error.code, "CODE_MEMORY");
    assert.deepEqual((await s.run(request("return items"))).items, [{ n: 1 }]);
  });

  test("a worker that stops answering is killed after the time limit plus grace", async () => {
    const s = sandbox({ graceMs: 300 });
    await s.run(request("return items"));
    const pid = s.workerPid!;
    process.kill(pid, "SIGSTOP");
    const started = Date.now();
    const error = await rejection(s.run(request("return items", { timeoutMs: 200 })));
    assert.equal(error.code, "CODE_TIMEOUT");
    assert.ok(Date.now() - started < 3000);
    assert.ok(await gone(pid), "the hung worker was not killed");
    assert.deepEqual((await s.run(request("return items"))).items, [{ n: 1 }]);
  });

  test("runs queue behind each other and each gets its own answer", async () => {
    const s = sandbox();
    const runs = Array.from({ length: 6 }, (_, i) =>
      s.run(request(i === 2 ? "throw new Error('only me')" : `return [{ i: ${i} }]`)).then(
        (r) => r.items,
        (e: NodeError) => e.code,
      ),
    );
    assert.deepEqual(await Promise.all(runs), [[{ i: 0 }], [{ i: 1 }], "CODE_ERROR", [{ i: 3 }], [{ i: 4 }], [{ i: 5 }]]);
  });

  test("cancelling a running code stops it at once; queued ones are dropped", async () => {
    const s = sandbox();
    const controller = new AbortController();
    const running = s.run(request("for (;;) {}", { timeoutMs: 20_000, signal: controller.signal }));
    const queued = s.run(request("return items", { signal: controller.signal }));
    await sleep(100);
    const started = Date.now();
    controller.abort();
    assert.equal((await rejection(running)).code, "CANCELLED");
    assert.equal((await rejection(queued)).code, "CANCELLED");
    assert.ok(Date.now() - started < 1000);
    assert.deepEqual((await s.run(request("return items"))).items, [{ n: 1 }]);
  });

  test("items that are not JSON are refused before reaching the worker", async () => {
    const s = sandbox();
    const error = await rejection(s.run(request("return items", { items: [{ big: 1n }] })));
    assert.equal(error.code, "CODE_INPUT_INVALID");
  });
});

describe("code sandbox worker: lifetime", () => {
  // A separate Gate-like process that uses the sandbox and then has nothing left to do.
  function gateLike(script: string) {
    return spawn(process.execPath, ["--no-node-snapshot", "--import", "tsx", "--input-type=module", "-e", script], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    });
  }

  test("an idle worker does not keep Gate alive, and exits with it", async () => {
    const child = gateLike(`
      const { sharedSandbox } = await import(${JSON.stringify(CLIENT_URL)});
      const s = sharedSandbox();
      await s.run({ code: "return items", mode: "all", items: [], timeoutMs: 1000, memoryLimitMb: 16 });
      console.log(s.workerPid);`);
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
      child.on("exit", (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    assert.equal(code, 0, "the process did not exit by itself");
    const pid = Number(out.trim());
    assert.ok(pid > 0);
    assert.ok(await gone(pid), "the worker outlived its parent");
  });

  test("the worker dies when Gate is killed outright", async () => {
    const child = gateLike(`
      const { sharedSandbox } = await import(${JSON.stringify(CLIENT_URL)});
      const s = sharedSandbox();
      await s.run({ code: "return items", mode: "all", items: [], timeoutMs: 1000, memoryLimitMb: 16 });
      console.log(s.workerPid);
      setInterval(() => {}, 1000);`);
    const pid = await new Promise<number>((resolve) => child.stdout.once("data", (chunk: Buffer) => resolve(Number(chunk.toString().trim()))));
    assert.ok(alive(pid));
    child.kill("SIGKILL");
    assert.ok(await gone(pid), "the worker outlived a killed parent");
  });
});
