import type { Statement } from "better-sqlite3";
import { NodeError, type Item, type NodeLogger, type WebhookResponse } from "../../nodes/sdk";
import { savepoint, writeSoon, type GateDb } from "../db/client";
import {
  getExecution,
  heartbeat,
  isCancelRequested,
  listExecutions,
  requestCancel,
  startExecution,
  writeFinish,
} from "../db/executions";
import { getFlow, getFlowVersion } from "../db/flows";
import { logger, nodeLogger } from "../log";
import { compileFlow, compileFlowCached, type CompiledFlow } from "./flow/compile";
import type { HostFactory } from "./host";
import { runFlow, type CredentialResolver } from "./interpreter";
import type { NodeRegistry } from "./registry";
import type { RunRecord } from "./run-record";

/** How often a live run proves it is alive (and learns whether someone asked to cancel it). */
export const HEARTBEAT_MS = 5_000;

export interface TestRunRequest {
  doc: unknown;
  input: Item[];
  startAt?: string;
  live?: boolean;
}

export interface LiveRunRequest {
  flowId: string;
  input: Item[];
  request?: { method: string; path: string; query: Record<string, string>; headers: Record<string, string> };
  onRespond?: (response: WebhookResponse) => void;
  /** Run this version instead of the current one (a queued event runs the version that accepted it). */
  version?: number;
  /** The trigger that receives the input (default: the flow's first). */
  trigger?: string;
  /** Cancels the run when it fires (queue workers at shutdown). */
  signal?: AbortSignal;
  /** The queued event this run works on: `$event`, and the base of stable idempotency keys. */
  event?: { id: string };
  /** Start at this node with `input` as its input (a dead letter replayed from its failed node). */
  startAt?: string;
  /**
   * The execution row was already written as started, with this id: respond-mode ingress writes it
   * in the commit that stores the event, so a request pays for one commit, not two.
   */
  started?: { executionId: string };
  /**
   * More writes committed in the same transaction as the execution's outcome (the event's status),
   * in a savepoint of their own: when one throws, the outcome is still stored and runLive rejects.
   */
  onRecorded?: (executionId: string, record: RunRecord) => void;
}

/** What a listener hears after a live execution is recorded. */
export interface FinishedExecution {
  executionId: string;
  flowId: string;
  flowVersion: number;
  record: RunRecord;
  /** The queued event the run worked on, when it came from the queue or a replay. */
  event?: { id: string };
  /** Where the run started when not at a trigger (a replay from a failed node). */
  startAt?: string;
}

/**
 * How long past its time limit a run may take to stop before the runner gives up on it. A node that
 * ignores its abort signal (a library call that never returns) must not leave the execution
 * `running` forever with a live heartbeat: it is recorded failed/TIMEOUT and its work is abandoned.
 */
export const STUCK_GRACE_MS = 5_000;

/** Runs flows: test runs on unsaved documents, and live executions that are recorded. */
export class ExecutionRunner {
  /** Told after each live execution is stored (alerts); a listener that throws never fails the run. */
  readonly onFinished: ((finished: FinishedExecution) => void)[] = [];
  private readonly running = new Map<string, AbortController>();
  private readonly timer: NodeJS.Timeout;

  private readonly credentials: CredentialResolver | undefined;
  private readonly hosts: HostFactory | undefined;
  private readonly stuckGraceMs: number;
  /** Compiled live flows by `id@version` (see liveFlow). */
  private readonly compiled = new Map<string, CompiledFlow>();
  private headQuery: Statement | undefined;

  constructor(
    private readonly gdb: GateDb,
    private readonly registry: NodeRegistry,
    deps: { credentials?: CredentialResolver; hosts?: HostFactory; stuckGraceMs?: number } = {},
  ) {
    this.credentials = deps.credentials;
    this.hosts = deps.hosts;
    this.stuckGraceMs = deps.stuckGraceMs ?? STUCK_GRACE_MS;
    this.timer = setInterval(() => this.beat(), HEARTBEAT_MS);
    this.timer.unref();
  }

  /** A test run: nothing is stored, destinations dry-run unless `live`. Invalid flows throw FlowInvalidError. */
  testRun(request: TestRunRequest): Promise<RunRecord> {
    const flow = compileFlow(request.doc, this.registry);
    return runFlow(flow, {
      input: request.input,
      mode: "test",
      live: request.live,
      startAt: request.startAt,
      pinned: flow.flow.tests?.pinned,
      credentials: this.credentials,
      host: this.hosts?.test(),
      log: nodeLogger({ flow: flow.flow.name, mode: "test" }),
    });
  }

  /** A live execution of a stored flow's current version, recorded from start to finish. */
  async runLive(request: LiveRunRequest): Promise<{ executionId: string; record: RunRecord }> {
    let live: ReturnType<ExecutionRunner["liveFlow"]>;
    try {
      live = this.liveFlow(request.flowId, request.version, request.started !== undefined);
    } catch (error) {
      if (request.started) await this.abandon(request.started.executionId, error);
      throw error;
    }
    const { stored, flow } = live;
    const executionId =
      request.started?.executionId ??
      startExecution(this.gdb, { flowId: stored.id, flowVersion: stored.version, mode: "live", triggerPayload: triggerPayload(request.input) });
    const controller = new AbortController();
    this.running.set(executionId, controller);
    const lent = this.hosts?.live(stored.id);
    try {
      const run = runFlow(flow, {
        input: request.input,
        mode: "live",
        executionId,
        signal: request.signal ? AbortSignal.any([controller.signal, request.signal]) : controller.signal,
        trigger: request.trigger,
        startAt: request.startAt,
        request: request.request,
        event: request.event,
        credentials: this.credentials,
        host: lent?.host,
        log: lazyLogger({ flow: stored.name, execution: executionId }),
        onRespond: request.onRespond,
      });
      const record = await watchdog(run, flow.flow.settings.timeoutMs + this.stuckGraceMs, controller);
      // Committed with the outcomes of the other runs that end in this event-loop turn: the caller of
      // a respond-mode webhook has its answer already, and one commit per run was the bottleneck.
      const recordedFailure = await writeSoon(this.gdb, () => {
        // Cursors move only past work that was done, in the same transaction as the execution's
        // outcome and its event's status: a crash can never keep one without the other.
        if (record.status === "success") lent?.state.commit();
        else lent?.state.discard();
        writeFinish(this.gdb, executionId, record, Date.now(), { first: true });
        try {
          if (request.onRecorded) savepoint(this.gdb, () => request.onRecorded!(executionId, record));
          return undefined;
        } catch (error) {
          return { error };
        }
      });
      for (const listener of this.onFinished) {
        try {
          listener({ executionId, flowId: stored.id, flowVersion: stored.version, record, event: request.event, startAt: request.startAt });
        } catch (error) {
          logger.error({ err: error, execution: executionId }, "an execution listener failed");
        }
      }
      if (recordedFailure) throw recordedFailure.error;
      return { executionId, record };
    } finally {
      this.running.delete(executionId);
    }
  }

  /**
   * The flow's head row (it must still exist) and the compiled version to run. A version's
   * document never changes, so once compiled it is not read (nor its JSON parsed) again: a live
   * run costs one indexed lookup of the flows row.
   */
  private liveFlow(flowId: string, version: number | undefined, started: boolean): { stored: { id: string; name: string; version: number }; flow: CompiledFlow } {
    if (started && version !== undefined) {
      // Its execution row was just inserted, which the foreign key allows only for an existing flow.
      const flow = this.compiled.get(`${flowId}@${version}`);
      if (flow) return { stored: { id: flowId, name: flow.flow.name, version }, flow };
    }
    this.headQuery ??= this.gdb.sqlite.prepare("SELECT id, name, current_version AS version FROM flows WHERE id = ?");
    let head = this.headQuery.get(flowId) as { id: string; name: string; version: number } | undefined;
    let doc: unknown;
    if (!head) {
      // Not an id: a name (the CLI and schedules may pass either).
      const byName = getFlow(this.gdb, flowId);
      if (!byName) throw new NodeError(`flow ${flowId} does not exist`, { code: "FLOW_NOT_FOUND" });
      head = { id: byName.id, name: byName.name, version: byName.version };
      doc = byName.doc;
    }
    const stored = { ...head, version: version ?? head.version };
    const key = `${stored.id}@${stored.version}`;
    let flow = this.compiled.get(key);
    if (!flow) {
      if (doc === undefined || stored.version !== head.version) {
        const row = getFlowVersion(this.gdb, stored.id, stored.version);
        if (!row) throw new NodeError(`flow ${flowId} has no version ${stored.version}`, { code: "FLOW_NOT_FOUND" });
        doc = row.doc;
      }
      flow = compileFlowCached(key, doc, this.registry);
      if (this.compiled.size >= 500) this.compiled.delete(this.compiled.keys().next().value!);
      this.compiled.set(key, flow);
    }
    return { stored, flow };
  }

  /** An execution written as started whose run cannot even begin: record why, so it is not left `running`. */
  private async abandon(executionId: string, error: unknown): Promise<void> {
    const e = error instanceof NodeError ? error : new NodeError(String(error), { code: "INTERNAL" });
    const record: RunRecord = { status: "failed", startedAt: new Date().toISOString(), durationMs: 0, nodes: {}, error: { code: e.code, message: e.message } };
    await writeSoon(this.gdb, () => writeFinish(this.gdb, executionId, record, Date.now())).catch((failure: unknown) =>
      logger.error({ err: failure, execution: executionId }, "could not record an execution that failed to start"),
    );
  }

  /** Cancel a running execution: at once when it runs in this process, else at its next heartbeat. */
  cancel(executionId: string): boolean {
    const local = this.running.get(executionId);
    if (local) {
      local.abort(new NodeError("cancelled by a user", { code: "CANCELLED" }));
      return true;
    }
    return requestCancel(this.gdb, executionId);
  }

  list(options: { flowId?: string; limit: number; before?: string }) {
    return listExecutions(this.gdb, options);
  }

  get(id: string) {
    return getExecution(this.gdb, id);
  }

  get activeCount(): number {
    return this.running.size;
  }

  /** Stop taking work: cancel what still runs after `graceMs`, then stop the heartbeat. */
  async shutdown(graceMs = 10_000): Promise<void> {
    const deadline = Date.now() + graceMs;
    while (this.running.size && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    for (const controller of this.running.values()) controller.abort(new NodeError("Gate is shutting down", { code: "CANCELLED" }));
    while (this.running.size) await new Promise((r) => setTimeout(r, 10));
    clearInterval(this.timer);
  }

  private beat() {
    const ids = [...this.running.keys()];
    if (!ids.length) return;
    heartbeat(this.gdb, ids);
    for (const id of ids) if (isCancelRequested(this.gdb, id)) this.running.get(id)?.abort(new NodeError("cancelled by a user", { code: "CANCELLED" }));
  }
}


/**
 * The run's own result, or — when it has not stopped `afterMs` after it started (its time limit
 * plus a grace) — a failed/TIMEOUT record, after aborting it once more. The abandoned promise may
 * still settle later; nothing waits for it.
 */
async function watchdog(run: Promise<RunRecord>, afterMs: number, controller: AbortController): Promise<RunRecord> {
  const startedAt = new Date();
  let timer: NodeJS.Timeout | undefined;
  const stuck = new Promise<RunRecord>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new NodeError("time limit", { code: "TIMEOUT" }));
      resolve({
        status: "failed",
        startedAt: startedAt.toISOString(),
        durationMs: Date.now() - startedAt.getTime(),
        error: { code: "TIMEOUT", message: "the run did not stop after its time limit (a node ignored cancellation) and was abandoned" },
        nodes: {},
      });
    }, afterMs);
    timer.unref();
  });
  try {
    return await Promise.race([run, stuck]);
  } finally {
    clearTimeout(timer);
  }
}

/** What an execution row keeps of its input: the item, or the list when there are several. */
export function triggerPayload(input: Item[]): unknown {
  return input.length === 1 ? input[0] : input;
}

/** A run's logger, made when a node first logs: most runs never do, and a pino child costs more than a small run. */
function lazyLogger(bindings: Record<string, unknown>): NodeLogger {
  let log: NodeLogger | undefined;
  const get = () => (log ??= nodeLogger(bindings));
  return {
    debug: (msg, data) => get().debug(msg, data),
    info: (msg, data) => get().info(msg, data),
    warn: (msg, data) => get().warn(msg, data),
    error: (msg, data) => get().error(msg, data),
  };
}
