import { NodeError, type Item, type WebhookResponse } from "../../nodes/sdk";
import type { GateDb } from "../db/client";
import {
  finishExecution,
  getExecution,
  heartbeat,
  isCancelRequested,
  listExecutions,
  requestCancel,
  startExecution,
} from "../db/executions";
import { getFlow, getFlowVersion } from "../db/flows";
import { nodeLogger } from "../log";
import { compileFlow, compileFlowCached } from "./flow/compile";
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
}

/** Runs flows: test runs on unsaved documents, and live executions that are recorded. */
export class ExecutionRunner {
  private readonly running = new Map<string, AbortController>();
  private readonly timer: NodeJS.Timeout;

  private readonly credentials: CredentialResolver | undefined;
  private readonly hosts: HostFactory | undefined;

  constructor(
    private readonly gdb: GateDb,
    private readonly registry: NodeRegistry,
    deps: { credentials?: CredentialResolver; hosts?: HostFactory } = {},
  ) {
    this.credentials = deps.credentials;
    this.hosts = deps.hosts;
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
    const stored = this.storedFlow(request.flowId, request.version);
    const flow = compileFlowCached(`${stored.id}@${stored.version}`, stored.doc, this.registry);
    const payload = request.input.length === 1 ? request.input[0] : request.input;
    const executionId = startExecution(this.gdb, { flowId: stored.id, flowVersion: stored.version, mode: "live", triggerPayload: payload });
    const controller = new AbortController();
    this.running.set(executionId, controller);
    const lent = this.hosts?.live(stored.id);
    try {
      const record = await runFlow(flow, {
        input: request.input,
        mode: "live",
        executionId,
        signal: request.signal ? AbortSignal.any([controller.signal, request.signal]) : controller.signal,
        trigger: request.trigger,
        request: request.request,
        credentials: this.credentials,
        host: lent?.host,
        log: nodeLogger({ flow: stored.name, execution: executionId }),
        onRespond: request.onRespond,
      });
      // Cursors move only past work that was done: state commits with a successful run, never otherwise.
      if (record.status === "success") lent?.state.commit();
      else lent?.state.discard();
      finishExecution(this.gdb, executionId, record);
      return { executionId, record };
    } finally {
      this.running.delete(executionId);
    }
  }

  private storedFlow(flowId: string, version: number | undefined) {
    const stored = getFlow(this.gdb, flowId);
    if (!stored) throw new NodeError(`flow ${flowId} does not exist`, { code: "FLOW_NOT_FOUND" });
    if (version === undefined || version === stored.version) return stored;
    const old = getFlowVersion(this.gdb, stored.id, version);
    if (!old) throw new NodeError(`flow ${flowId} has no version ${version}`, { code: "FLOW_NOT_FOUND" });
    return { ...stored, version, doc: old.doc };
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
