/**
 * Executions: one row per run (live or persisted test), written twice — when it starts (so a crash
 * leaves a trace) and when it finishes (status, error and one row per node with capped samples).
 * While it runs, the worker bumps `heartbeat_at`; maintenance fails runs whose heartbeat went stale.
 */
import { and, desc, eq, inArray, lt, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { NodeRecord, RunError, type RunRecord } from "../engine/run-record";
import { writeTransaction, type GateDb } from "./client";
import { StoreError } from "./errors";
import { timeOrderedId } from "./ids";
import { capItems, capPorts, capValue, fromJson, JSON_CAP_BYTES, toJson } from "./json";
import { executionNodes, executions, flows, type ExecutionMode, type ExecutionStatus } from "./schema";

export interface StartExecution {
  flowId: string;
  flowVersion: number;
  mode: ExecutionMode;
  triggerPayload?: unknown;
  /** Defaults to a new UUID; pass one to share it with the interpreter's `executionId`. */
  id?: string;
}

export interface ExecutionSummary {
  id: string;
  flowId: string;
  flowName: string;
  flowVersion: number;
  mode: ExecutionMode;
  status: ExecutionStatus;
  error: RunError | undefined;
  startedAt: number;
  finishedAt: number | null;
  durationMs: number | null;
}

/** Items dropped by the 64 KiB sample cap: input count, and output count per port. */
export const SampleTruncation = z.object({
  input: z.number().int().optional(),
  output: z.record(z.string(), z.number().int()).optional(),
});
export type SampleTruncation = z.infer<typeof SampleTruncation>;

/** A NodeRecord as stored: samples may have been cut to fit the byte cap. */
export type StoredNodeRecord = NodeRecord & { truncated?: SampleTruncation };

export interface ExecutionDetail extends ExecutionSummary {
  /** The payload as received, or `{truncated: true, bytes}` when it was over 64 KiB. */
  triggerPayload: unknown;
  heartbeatAt: number;
  cancelRequested: boolean;
  /** In the order the nodes appear in the run record (topological). */
  nodes: Record<string, StoredNodeRecord>;
}

export interface ExecutionPage {
  items: ExecutionSummary[];
  /** Pass as `before` to get the next (older) page; undefined on the last page. */
  nextCursor: string | undefined;
}

export const INTERRUPTED_ERROR: RunError = {
  code: "INTERRUPTED",
  message: "Gate stopped while this execution was running (crash or restart)",
};

/** Record that a run has started; returns its id. */
export function startExecution(gdb: GateDb, start: StartExecution): string {
  const id = start.id ?? timeOrderedId();
  const now = Date.now();
  statements(gdb).start.run({
    id,
    flowId: start.flowId,
    flowVersion: start.flowVersion,
    mode: start.mode,
    triggerPayload: capValue(start.triggerPayload),
    now,
  });
  return id;
}

/**
 * Store a run's outcome: the execution row and one row per node, in one transaction. Calling it
 * again replaces the node rows. Returns false when the execution no longer exists (its flow was
 * deleted meanwhile). A run that maintenance had already marked INTERRUPTED gets its real outcome.
 */
export function finishExecution(gdb: GateDb, id: string, record: RunRecord): boolean {
  return writeTransaction(gdb, () => writeFinish(gdb, id, record, Date.now()));
}

/**
 * The body of finishExecution without its own transaction, for callers that commit several
 * finishes (and their own bookkeeping) together. Must run inside a write transaction.
 */
export function writeFinish(gdb: GateDb, id: string, record: RunRecord, now: number, options: { first?: boolean } = {}): boolean {
  const sql = statements(gdb);
  const updated = sql.finish.run({ id, status: record.status, error: toJson(record.error), now, durationMs: Math.round(record.durationMs) });
  if (updated.changes === 0) return false;
  // The runner finishes each execution once; only a repeated finish has node rows to replace.
  if (!options.first) sql.deleteNodes.run(id);
  let seq = 0;
  for (const [nodeId, node] of Object.entries(record.nodes)) {
    const inputJson = wholeSample([node.input], node.input);
    const outputJson = wholeSample(Object.values(node.output), node.output);
    const input = inputJson !== undefined ? { json: inputJson, dropped: 0 } : capItems(node.input);
    const output = outputJson !== undefined ? { json: outputJson, dropped: {} } : capPorts(node.output);
    const truncated: SampleTruncation = {};
    if (input.dropped > 0) truncated.input = input.dropped;
    if (Object.keys(output.dropped).length > 0) truncated.output = output.dropped;
    sql.insertNode.run({
      executionId: id,
      nodeId,
      seq: seq++,
      status: node.status,
      durationMs: node.durationMs,
      itemsIn: node.itemsIn,
      itemsOut: node.itemsOut,
      batches: node.batches,
      inputSample: input.json,
      outputSample: output.json,
      outputCounts: JSON.stringify(node.outputCounts),
      retries: node.retries ?? 0,
      sampleTruncated: Object.keys(truncated).length > 0 ? JSON.stringify(truncated) : null,
      error: toJson(node.error) ?? null,
    });
  }
  return true;
}

/**
 * The common case of the sample caps (everything fits) in one JSON.stringify, the same text that
 * capItems/capPorts assemble item by item; undefined when the slow path must decide (too big, a
 * BigInt, or an undefined item, which ends a sample there).
 */
function wholeSample(lists: readonly unknown[][], sample: unknown): string | undefined {
  for (const list of lists) if (list.includes(undefined)) return undefined;
  let json: string;
  try {
    json = JSON.stringify(sample);
  } catch {
    return undefined;
  }
  // UTF-16 length × 3 bounds the UTF-8 size, which spares measuring small samples.
  if (json.length * 3 > JSON_CAP_BYTES && Buffer.byteLength(json, "utf8") > JSON_CAP_BYTES) return undefined;
  return json;
}

// Every live run writes these; building them through drizzle's query builder and preparing them
// again per call cost more than the run itself (a webhook in respond mode), so they are prepared
// once per connection. Column lists mirror schema.ts (executions, execution_nodes).
const prepared = new WeakMap<GateDb, ReturnType<typeof prepareStatements>>();

function statements(gdb: GateDb) {
  let sql = prepared.get(gdb);
  if (!sql) prepared.set(gdb, (sql = prepareStatements(gdb)));
  return sql;
}

function prepareStatements(gdb: GateDb) {
  const s = (text: string) => gdb.sqlite.prepare(text);
  return {
    start: s(`INSERT INTO executions (id, flow_id, flow_version, mode, status, trigger_payload, started_at, heartbeat_at)
      VALUES (@id, @flowId, @flowVersion, @mode, 'running', @triggerPayload, @now, @now)`),
    finish: s("UPDATE executions SET status = @status, error = @error, finished_at = @now, duration_ms = @durationMs WHERE id = @id"),
    deleteNodes: s("DELETE FROM execution_nodes WHERE execution_id = ?"),
    insertNode: s(`INSERT INTO execution_nodes (execution_id, node_id, seq, status, duration_ms, items_in, items_out, batches,
        input_sample, output_sample, output_counts, retries, sample_truncated, error)
      VALUES (@executionId, @nodeId, @seq, @status, @durationMs, @itemsIn, @itemsOut, @batches,
        @inputSample, @outputSample, @outputCounts, @retries, @sampleTruncated, @error)`),
  };
}

/** Mark these runs as alive (only those still running). */
export function heartbeat(gdb: GateDb, ids: readonly string[]): void {
  const now = Date.now();
  // Chunks stay well under SQLite's bound-parameter limit however many runs a worker has.
  for (let i = 0; i < ids.length; i += 500) {
    gdb.db
      .update(executions)
      .set({ heartbeatAt: now })
      .where(and(inArray(executions.id, ids.slice(i, i + 500)), eq(executions.status, "running")))
      .run();
  }
}

/** Ask a running execution to stop; its worker polls isCancelRequested. False if it is not running. */
export function requestCancel(gdb: GateDb, id: string): boolean {
  return (
    gdb.db
      .update(executions)
      .set({ cancelRequested: true })
      .where(and(eq(executions.id, id), eq(executions.status, "running")))
      .run().changes > 0
  );
}

export function isCancelRequested(gdb: GateDb, id: string): boolean {
  return gdb.db.select({ cancel: executions.cancelRequested }).from(executions).where(eq(executions.id, id)).get()?.cancel === true;
}

/**
 * Fail every run still `running` whose heartbeat is older than `staleAfterMs`: its process died
 * (crash, kill, restart), so nothing will ever finish it. Returns how many were failed.
 */
export function recoverInterrupted(gdb: GateDb, options: { staleAfterMs: number; now?: number }): number {
  const now = options.now ?? Date.now();
  return gdb.db
    .update(executions)
    .set({
      status: "failed",
      error: JSON.stringify(INTERRUPTED_ERROR),
      finishedAt: now,
      durationMs: sql`${now} - ${executions.startedAt}`,
    })
    .where(and(eq(executions.status, "running"), lt(executions.heartbeatAt, now - options.staleAfterMs)))
    .run().changes;
}

const summaryColumns = {
  id: executions.id,
  flowId: executions.flowId,
  flowName: flows.name,
  flowVersion: executions.flowVersion,
  mode: executions.mode,
  status: executions.status,
  error: executions.error,
  startedAt: executions.startedAt,
  finishedAt: executions.finishedAt,
  durationMs: executions.durationMs,
};

/** Newest first, `limit` per page (1–500); keyset pagination on (started_at, id). */
export function listExecutions(gdb: GateDb, options: { flowId?: string; limit: number; before?: string }): ExecutionPage {
  const limit = Math.min(Math.max(Math.trunc(options.limit), 1), 500);
  const where: SQL[] = [];
  if (options.flowId !== undefined) where.push(eq(executions.flowId, options.flowId));
  if (options.before !== undefined) {
    const cursor = decodeCursor(options.before);
    // A row-value comparison, which SQLite answers from the (…, started_at, id) indexes.
    where.push(sql`(${executions.startedAt}, ${executions.id}) < (${cursor.startedAt}, ${cursor.id})`);
  }
  const rows = gdb.db
    .select(summaryColumns)
    .from(executions)
    .innerJoin(flows, eq(flows.id, executions.flowId))
    .where(and(...where))
    .orderBy(desc(executions.startedAt), desc(executions.id))
    .limit(limit + 1)
    .all();
  const items = rows.slice(0, limit).map(toSummary);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? `${last.startedAt}:${last.id}` : undefined };
}

/** One execution with its per-node records, or undefined. */
export function getExecution(gdb: GateDb, id: string): ExecutionDetail | undefined {
  const row = gdb.db
    .select({
      ...summaryColumns,
      triggerPayload: executions.triggerPayload,
      heartbeatAt: executions.heartbeatAt,
      cancelRequested: executions.cancelRequested,
    })
    .from(executions)
    .innerJoin(flows, eq(flows.id, executions.flowId))
    .where(eq(executions.id, id))
    .get();
  if (!row) return undefined;
  const nodeRows = gdb.db.select().from(executionNodes).where(eq(executionNodes.executionId, id)).orderBy(executionNodes.seq).all();
  const nodes: Record<string, StoredNodeRecord> = {};
  for (const n of nodeRows) {
    const record: StoredNodeRecord = NodeRecord.parse({
      status: n.status,
      durationMs: n.durationMs,
      itemsIn: n.itemsIn,
      itemsOut: n.itemsOut,
      batches: n.batches,
      input: fromJson(n.inputSample),
      output: fromJson(n.outputSample),
      outputCounts: fromJson(n.outputCounts),
      ...(n.retries > 0 && { retries: n.retries }),
      ...(n.error !== null && { error: fromJson(n.error) }),
    });
    if (n.sampleTruncated !== null) record.truncated = SampleTruncation.parse(fromJson(n.sampleTruncated));
    nodes[n.nodeId] = record;
  }
  return {
    ...toSummary(row),
    triggerPayload: fromJson(row.triggerPayload),
    heartbeatAt: row.heartbeatAt,
    cancelRequested: row.cancelRequested,
    nodes,
  };
}

function toSummary(row: Omit<ExecutionSummary, "error"> & { error: string | null }): ExecutionSummary {
  return { ...row, error: row.error === null ? undefined : RunError.parse(fromJson(row.error)) };
}

function decodeCursor(cursor: string): { startedAt: number; id: string } {
  const match = /^(\d+):(.+)$/.exec(cursor);
  if (!match) throw new StoreError("BAD_CURSOR", `"${cursor}" is not a cursor returned by listExecutions`);
  return { startedAt: Number(match[1]), id: match[2]! };
}
