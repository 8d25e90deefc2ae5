import { NodeError, toNodeError, type Item, type NodeFailure, type PortItems, type WebhookResponse } from "../../nodes/sdk";
import { SAMPLE_SIZE, type NodeRecord, type RunError, type RunRecord } from "./run-record";

/** Collects what happened to each node of one run: counts, timings and the first items. */
export class RunRecorder {
  private readonly nodes = new Map<string, NodeRecord>();
  private readonly startedAt = new Date();
  private readonly started = performance.now();
  private response: WebhookResponse | undefined;

  constructor(order: readonly string[]) {
    for (const id of order) {
      this.nodes.set(id, {
        status: "skipped",
        durationMs: 0,
        itemsIn: 0,
        itemsOut: 0,
        batches: 0,
        input: [],
        output: {},
        outputCounts: {},
      });
    }
  }

  step(id: string, inputs: PortItems, outputs: PortItems, ms: number, retries = 0): void {
    const record = this.take(id, inputs, ms);
    record.status = "success";
    if (retries > 0) record.retries = (record.retries ?? 0) + retries;
    this.addOutputs(record, outputs);
  }

  stepFailed(id: string, inputs: PortItems, ms: number): void {
    this.take(id, inputs, ms).status = "failed";
  }

  streamed(id: string, outputs: PortItems, ms: number): void {
    const record = this.nodes.get(id)!;
    record.durationMs += ms;
    this.addOutputs(record, outputs);
  }

  pinned(id: string, inputs: PortItems, items: Item[]): void {
    const record = this.take(id, inputs, 0);
    record.status = "pinned";
    this.addOutputs(record, { main: items });
  }

  /** The first answer wins; returns whether this one was taken. */
  respond(response: WebhookResponse): boolean {
    if (this.response) return false;
    this.response = response;
    return true;
  }

  finish(): RunRecord {
    return this.build("success", undefined);
  }

  nodeFailed(failure: NodeFailure): RunRecord {
    const error = describe(failure.error, failure.nodeId, failure.attempt);
    const record = this.nodes.get(failure.nodeId);
    if (record) {
      record.status = "failed";
      record.error = error;
    }
    return this.build("failed", error);
  }

  abort(code: "TIMEOUT" | "CANCELLED", reason: unknown): RunRecord {
    const message =
      code === "TIMEOUT" ? "the run took longer than its time limit and was stopped" : reasonMessage(reason) ?? "the run was cancelled";
    const error: RunError = { message, code };
    for (const record of this.nodes.values()) if (record.status === "failed") record.status = "cancelled";
    return this.build(code === "TIMEOUT" ? "failed" : "cancelled", error);
  }

  fail(error: unknown): RunRecord {
    const e = toNodeError(error);
    return this.build("failed", describe(e.code === "NODE_FAILED" ? new NodeError(`internal error: ${e.message}`, { code: "INTERNAL" }) : e));
  }

  private take(id: string, inputs: PortItems, ms: number): NodeRecord {
    const record = this.nodes.get(id)!;
    record.batches++;
    record.durationMs += ms;
    for (const port in inputs) {
      const items = inputs[port]!;
      record.itemsIn += items.length;
      sample(record.input, items);
    }
    return record;
  }

  private addOutputs(record: NodeRecord, outputs: PortItems) {
    for (const port in outputs) {
      const items = outputs[port]!;
      record.itemsOut += items.length;
      record.outputCounts[port] = (record.outputCounts[port] ?? 0) + items.length;
      sample((record.output[port] ??= []), items);
    }
  }

  private build(status: RunRecord["status"], error: RunError | undefined): RunRecord {
    const record: RunRecord = {
      status,
      startedAt: this.startedAt.toISOString(),
      durationMs: round(performance.now() - this.started),
      nodes: Object.fromEntries([...this.nodes].map(([id, r]) => [id, { ...r, durationMs: round(r.durationMs) }])),
    };
    if (error) record.error = error;
    if (this.response) record.response = this.response;
    return record;
  }
}

// Samples hold references, not copies: items are immutable by contract (a node returns new
// objects, see docs/node-sdk.md), and copying 20 items per port per batch costs more than the run.
function sample(target: Item[], items: Item[]) {
  const room = SAMPLE_SIZE - target.length;
  if (room <= 0) return;
  for (let i = 0; i < items.length && i < room; i++) target.push(items[i]!);
}

function describe(error: NodeError, node?: string, attempt?: number): RunError {
  const out: RunError = { message: error.message, code: error.code };
  if (node) out.node = node;
  if (error.hint) out.hint = error.hint;
  if (attempt !== undefined) out.attempt = attempt;
  return out;
}

function reasonMessage(reason: unknown): string | undefined {
  return reason instanceof Error ? reason.message : typeof reason === "string" ? reason : undefined;
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
