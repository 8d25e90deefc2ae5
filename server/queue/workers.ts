/**
 * In-process workers: lease queued events, run each through the ExecutionRunner, record the
 * outcome. A worker that dies with a lease (crash, kill -9) leaves the event `leased`; once its
 * lease expires, the next lease — after a restart too — picks it up again.
 */
import { NodeError, type NodeLogger } from "../../nodes/sdk";
import type { ExecutionRunner } from "../engine/runner";
import { payloadItems, type RequestMeta } from "./payload";
import type { EventStore, LeasedEvent } from "./store";

export interface WorkerOptions {
  /** Events run at the same time (default 4). */
  concurrency?: number;
  /** How long a lease lasts before another worker may take the event (default 60 s); renewed while running. */
  leaseMs?: number;
  /** How often to look for work nobody announced: expired leases, events from before a restart (default 1 s). */
  pollMs?: number;
  /** A lease taken this many times without finishing (each try ended by a crash) fails the event (default 5). */
  maxAttempts?: number;
  log: NodeLogger;
}

export class QueueWorkers {
  private readonly running = new Map<string, AbortController>();
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  private pollTimer: NodeJS.Timeout | undefined;
  private renewTimer: NodeJS.Timeout | undefined;
  private scheduled = false;
  private stopping = false;

  constructor(
    private readonly store: EventStore,
    private readonly runner: ExecutionRunner,
    private readonly options: WorkerOptions,
  ) {
    this.concurrency = options.concurrency ?? 4;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.maxAttempts = options.maxAttempts ?? 5;
  }

  start(): void {
    this.pollTimer = setInterval(() => this.notify(), this.options.pollMs ?? 1000);
    this.renewTimer = setInterval(() => this.renew(), Math.max(this.leaseMs / 3, 50));
    this.pollTimer.unref();
    this.renewTimer.unref();
    this.notify();
  }

  /** New work may be waiting (an event was just accepted). */
  notify(): void {
    if (this.scheduled || this.stopping) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  get active(): number {
    return this.running.size;
  }

  private pump(): void {
    if (this.stopping) return;
    let leased: LeasedEvent[];
    try {
      leased = this.store.lease(this.concurrency - this.running.size, this.leaseMs);
    } catch (error) {
      this.options.log.error("leasing queued events failed", { error: String(error) });
      return;
    }
    for (const event of leased) void this.run(event);
  }

  private async run(event: LeasedEvent): Promise<void> {
    const controller = new AbortController();
    this.running.set(event.id, controller);
    try {
      if (event.attempts > this.maxAttempts) {
        this.store.finish(event.id, {
          status: "failed",
          error: { code: "GAVE_UP", message: `the event was started ${event.attempts - 1} times and Gate stopped during each run` },
        });
        return;
      }
      // Events that did not come over HTTP (manual live runs) store a null request.
      const request = JSON.parse(event.request) as RequestMeta | null;
      await this.runner.runLive({
        flowId: event.flowId,
        version: event.flowVersion,
        trigger: event.triggerNodeId,
        input: payloadItems(JSON.parse(event.payload) as unknown),
        request: request ? { method: request.method, path: request.path, query: request.query, headers: request.headers } : undefined,
        signal: controller.signal,
        // A redelivery after a crash is a new execution of the same event: keys derive from this id.
        event: { id: event.id },
        // In the commit that records the execution: a crash can never leave a finished run's event
        // leased (it would run again) nor a finished event without its execution's outcome.
        onRecorded: (executionId, record) => {
          if (record.status === "cancelled" && this.stopping) {
            // Stopped by our own shutdown, not by a user: the event runs again after the restart.
            this.store.release([event.id]);
            return;
          }
          const ok = record.status === "success";
          this.store.finish(event.id, {
            status: ok ? "done" : "failed",
            executionId,
            ...(!ok && { error: { code: record.error?.code ?? "FAILED", message: record.error?.message ?? "the run failed" } }),
          });
        },
      });
    } catch (error) {
      const failure = error instanceof NodeError ? { code: error.code, message: error.message } : { code: "INTERNAL", message: String(error) };
      this.options.log.error("a queued event could not be run", { event: event.id, ...failure });
      try {
        this.store.finish(event.id, { status: "failed", error: failure });
      } catch {
        // The database is gone (shutdown): the lease expires and the event runs after the restart.
      }
    } finally {
      this.running.delete(event.id);
      this.notify();
    }
  }

  private renew(): void {
    if (this.running.size === 0) return;
    try {
      this.store.renew([...this.running.keys()], Date.now() + this.leaseMs);
    } catch (error) {
      this.options.log.warn("renewing leases failed", { error: String(error) });
    }
  }

  /** Stop leasing, let running events finish for up to `graceMs`, then cancel them and hand their leases back. */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    clearInterval(this.pollTimer);
    const deadline = Date.now() + graceMs;
    while (this.running.size && Date.now() < deadline) await sleep(20);
    for (const controller of this.running.values()) controller.abort(new NodeError("Gate is shutting down", { code: "CANCELLED" }));
    while (this.running.size) await sleep(10);
    clearInterval(this.renewTimer);
  }
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

