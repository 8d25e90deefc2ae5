import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import type { Socket } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { NodeError, type Item } from "../../sdk";
import { failureError, memoryError, sandboxFailed, timeoutError, type RunLimits } from "./failures";
import { parseOutput } from "./output";
import { WorkerReply, type CodeMode, type ConsoleLine, type WorkerRequest } from "./protocol";

const WORKER_SCRIPT = fileURLToPath(new URL("./worker.mjs", import.meta.url));
const SANDBOX_DIR = path.dirname(WORKER_SCRIPT);
const IVM_DIR = path.dirname(createRequire(import.meta.url).resolve("isolated-vm/package.json"));

/**
 * Node flags of the worker process. isolated-vm needs `--no-node-snapshot`; the permission model
 * limits what an escape from the isolate could do: read only isolated-vm and this folder, write
 * nothing, start no processes or threads (native addons must be allowed for isolated-vm itself).
 */
export const WORKER_FLAGS: readonly string[] = [
  "--no-node-snapshot",
  "--no-warnings",
  "--experimental-permission",
  "--allow-addons",
  `--allow-fs-read=${IVM_DIR}${path.sep}`,
  `--allow-fs-read=${SANDBOX_DIR}${path.sep}`,
];

/** Nothing of Gate's environment: no GATE_* settings, keys or NODE_OPTIONS reach the worker. */
export const WORKER_ENV: NodeJS.ProcessEnv = { NODE_ENV: "production" };

/** 16 MiB of JSON: far above any sensible batch, far below what hurts the process. */
export const DEFAULT_MAX_OUTPUT_BYTES = 16 * 1024 * 1024;
/** How long past its time limit a worker may stay silent before it is killed as hung. */
const DEFAULT_GRACE_MS = 2000;
/** How long a new worker may take to start (Node and isolated-vm load) before its first receipt. */
const STARTUP_MS = 10_000;
const STDERR_TAIL_CHARS = 2000;

export interface SandboxRun {
  code: string;
  mode: CodeMode;
  items: Item[];
  timeoutMs: number;
  memoryLimitMb: number;
  signal?: AbortSignal;
}

export interface SandboxResult {
  items: Item[];
  logs: ConsoleLine[];
  /** Console lines past the cap, counted but not kept. */
  droppedLogs: number;
}

interface Job {
  request: WorkerRequest;
  limits: RunLimits;
  resolve(result: SandboxResult): void;
  reject(error: NodeError): void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
  /** Sent again once already because its worker died before receiving it. */
  resent?: boolean;
}

interface Worker {
  process: ChildProcess;
  stderr: string;
  /** It has answered at least once, so it is past starting up. */
  started: boolean;
}

/**
 * Runs user code in one worker process (worker.mjs), one request at a time, restarting the worker
 * whenever it dies or hangs. The worker gets an empty environment and Node's permission model, and
 * isolated-vm inside it gives each run a fresh context with time and memory limits.
 *
 * One worker serves the whole Gate process: runs queue behind each other. While idle, the worker
 * does not keep Gate alive, and it exits by itself when Gate does (its IPC channel closes).
 */
export class CodeSandbox {
  readonly #maxOutputBytes: number;
  readonly #graceMs: number;
  #worker: Worker | undefined;
  #queue: Job[] = [];
  #active: { job: Job; worker: Worker; timer: NodeJS.Timeout; received: boolean } | undefined;
  #nextId = 1;
  #starts = 0;

  constructor(options: { maxOutputBytes?: number; graceMs?: number } = {}) {
    this.#maxOutputBytes = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
    this.#graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  }

  /** The worker's process id, once one runs (for tests and diagnostics). */
  get workerPid(): number | undefined {
    return this.#worker?.process.pid;
  }

  /** How many worker processes were started so far. */
  get workerStarts(): number {
    return this.#starts;
  }

  run(run: SandboxRun): Promise<SandboxResult> {
    const limits: RunLimits = { timeoutMs: run.timeoutMs, memoryLimitMb: run.memoryLimitMb, maxOutputBytes: this.#maxOutputBytes };
    let input: string;
    try {
      input = JSON.stringify(run.items);
    } catch (error) {
      // Items are JSON by contract; a batch too big for one string is the case this really meets.
      const tooLarge = error instanceof RangeError;
      return Promise.reject(
        new NodeError(`the items cannot be handed to the code: ${(error as Error).message}`, {
          code: tooLarge ? "CODE_INPUT_TOO_LARGE" : "CODE_INPUT_INVALID",
          hint: tooLarge ? "send smaller batches of items to the code node" : "items must be plain JSON values",
        }),
      );
    }
    if (run.signal?.aborted) return Promise.reject(cancelled());
    return new Promise<SandboxResult>((resolve, reject) => {
      const job: Job = {
        request: { id: this.#nextId++, code: run.code, mode: run.mode, input, ...limits },
        limits,
        resolve,
        reject,
        signal: run.signal,
        onAbort: () => this.#abort(job),
      };
      run.signal?.addEventListener("abort", job.onAbort, { once: true });
      this.#queue.push(job);
      this.#pump();
    });
  }

  /** Stop the worker now; queued and running requests fail. The next run starts a new worker. */
  close(): void {
    const queued = this.#queue.splice(0);
    this.#kill();
    for (const job of queued) this.#settle(job, sandboxFailed("the sandbox was closed"));
    this.#finishActive(sandboxFailed("the sandbox was closed"));
  }

  #pump(): void {
    if (this.#active) return;
    const job = this.#queue.shift();
    if (!job) {
      // Idle: let Gate exit even though the worker lives on.
      this.#worker?.process.channel?.unref();
      return;
    }
    const worker = this.#worker ?? this.#spawn();
    worker.process.channel?.ref();
    // Until the receipt, a new worker may still be starting; a loaded machine must not make that a timeout.
    const timer = setTimeout(() => this.#hung(), job.limits.timeoutMs + this.#graceMs + (worker.started ? 0 : STARTUP_MS));
    this.#active = { job, worker, timer, received: false };
    worker.process.send(job.request);
  }

  #spawn(): Worker {
    const child = spawn(process.execPath, [...WORKER_FLAGS, WORKER_SCRIPT, IVM_DIR], {
      env: WORKER_ENV,
      cwd: SANDBOX_DIR,
      stdio: ["ignore", "ignore", "pipe", "ipc"],
      serialization: "advanced",
    });
    this.#starts++;
    const worker: Worker = { process: child, stderr: "", started: false };
    child.unref();
    const stderr = child.stderr as Socket | null;
    stderr?.unref();
    stderr?.setEncoding("utf8");
    stderr?.on("data", (chunk: string) => {
      worker.stderr = (worker.stderr + chunk).slice(-STDERR_TAIL_CHARS);
    });
    child.on("message", (message: unknown) => this.#reply(worker, message));
    child.on("exit", (code, signal) => this.#exited(worker, code, signal));
    child.on("error", (error) => this.#exited(worker, null, null, error));
    this.#worker = worker;
    return worker;
  }

  #reply(worker: Worker, message: unknown): void {
    const active = this.#active;
    if (!active || active.worker !== worker) return;
    if (isReceipt(message, active.job.request.id)) {
      active.received = true;
      if (!worker.started) {
        worker.started = true;
        clearTimeout(active.timer);
        active.timer = setTimeout(() => this.#hung(), active.job.limits.timeoutMs + this.#graceMs);
      }
      return;
    }
    const parsed = WorkerReply.safeParse(message);
    if (!parsed.success || parsed.data.id !== active.job.request.id) {
      // A worker that answers out of turn or out of shape cannot be trusted with the next run.
      this.#kill();
      this.#finishActive(sandboxFailed("the sandbox process sent an answer that does not fit"));
      return;
    }
    const reply = parsed.data;
    const { limits } = active.job;
    if (!reply.ok) {
      this.#finishActive(failureError(reply, limits));
      return;
    }
    const items = parseOutput(reply.output);
    if (items instanceof NodeError) this.#finishActive(items);
    else this.#finishActive({ items, logs: reply.logs, droppedLogs: reply.droppedLogs ?? 0 });
  }

  #hung(): void {
    const active = this.#active;
    if (!active) return;
    this.#kill();
    this.#finishActive(timeoutError(active.job.limits));
  }

  #abort(job: Job): void {
    const queued = this.#queue.indexOf(job);
    if (queued >= 0) {
      this.#queue.splice(queued, 1);
      this.#settle(job, cancelled());
    } else if (this.#active?.job === job) {
      // isolated-vm cannot stop one run from outside the worker; a new worker is cheap.
      this.#kill();
      this.#finishActive(cancelled());
    }
  }

  #exited(worker: Worker, code: number | null, signal: NodeJS.Signals | null, error?: Error): void {
    if (this.#worker === worker) this.#worker = undefined;
    const active = this.#active;
    if (active?.worker !== worker) return;
    const { job } = active;
    if (!active.received && !job.resent) {
      // The worker died before it saw this request (it was killed while idle and the request
      // crossed its exit): nothing ran, so a new worker gets it.
      clearTimeout(active.timer);
      this.#active = undefined;
      job.resent = true;
      this.#queue.unshift(job);
      this.#pump();
      return;
    }
    const { limits } = job;
    // V8 aborts the process when a heap outside the isolate's own limit runs out; the kernel's
    // OOM killer sends SIGKILL. Both mean memory to the user.
    const outOfMemory = signal === "SIGABRT" || signal === "SIGKILL" || code === 134;
    const reason = error ? error.message : `the sandbox process stopped (${signal ?? `exit code ${code}`})`;
    this.#finishActive(outOfMemory ? memoryError(limits) : sandboxFailed(reason + tail(worker.stderr)));
  }

  #finishActive(outcome: SandboxResult | NodeError): void {
    const active = this.#active;
    if (!active) return;
    clearTimeout(active.timer);
    this.#active = undefined;
    this.#settle(active.job, outcome);
    this.#pump();
  }

  #settle(job: Job, outcome: SandboxResult | NodeError): void {
    job.signal?.removeEventListener("abort", job.onAbort);
    if (outcome instanceof NodeError) job.reject(outcome);
    else job.resolve(outcome);
  }

  /** Kill the worker before settling anything, so the next queued run goes to a new one. */
  #kill(): void {
    const worker = this.#worker;
    if (!worker) return;
    this.#worker = undefined;
    worker.process.kill("SIGKILL");
  }
}

/** The worker's "got it" for request `id`, sent before it starts running the code. */
function isReceipt(message: unknown, id: number): boolean {
  return typeof message === "object" && message !== null && (message as { received?: unknown }).received === id;
}

function cancelled(): NodeError {
  return new NodeError("the run was cancelled while the code was running", { code: "CANCELLED" });
}

function tail(stderr: string): string {
  const text = stderr.trim();
  return text ? `: ${text.slice(-500)}` : "";
}

let shared: CodeSandbox | undefined;

/** The one sandbox (and so the one worker process) of this Gate process. */
export function sharedSandbox(): CodeSandbox {
  return (shared ??= new CodeSandbox());
}
