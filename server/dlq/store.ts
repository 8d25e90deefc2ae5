/**
 * The dead-letter table: queued events whose run failed with no fallback. Rows are keyed by event,
 * so the same event failing again (after a crash, or a failed replay) updates its row instead of
 * adding one. Discarded rows stay (status `discarded`) until retention, so the capture sweep never
 * brings them back.
 */
import { and, desc, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import type { GateDb } from "../db/client";
import { StoreError } from "../db/errors";
import { deadLetters, events, type DeadLetterStatus } from "../db/schema";
import type { RunError, RunRecord } from "../engine/run-record";

/** A failed node's input is kept for a replay from that node only when the record has all of it and it is not huge. */
const FAILED_INPUT_CAP_BYTES = 1024 * 1024;

export interface DeadLetterSummary {
  id: string;
  eventId: string;
  flowId: string;
  flowVersion: number;
  triggerNodeId: string;
  failedNode: string | null;
  error: RunError;
  failures: number;
  status: DeadLetterStatus;
  /** Whether a replay can start at the failed node (its input was recorded in full). */
  replayableFromNode: boolean;
  executionId: string | null;
  createdAt: number;
  updatedAt: number;
  editedAt: number | null;
  replayedAt: number | null;
  replayExecutionId: string | null;
}

export interface DeadLetter extends DeadLetterSummary {
  payload: unknown;
  /** The webhook request (redacted headers), or null for other events. */
  request: unknown;
  failedInput: Record<string, unknown>[] | null;
}

/** What a failed run leaves behind, for `capture`. */
export interface Failure {
  eventId: string;
  flowId: string;
  flowVersion: number;
  executionId: string | undefined;
  record: Pick<RunRecord, "error" | "nodes">;
}

const summaryColumns = {
  id: deadLetters.id,
  eventId: deadLetters.eventId,
  flowId: deadLetters.flowId,
  flowVersion: deadLetters.flowVersion,
  triggerNodeId: deadLetters.triggerNodeId,
  failedNode: deadLetters.failedNode,
  error: deadLetters.error,
  failures: deadLetters.failures,
  status: deadLetters.status,
  replayableFromNode: sql<number>`${deadLetters.failedInput} is not null`,
  executionId: deadLetters.executionId,
  createdAt: deadLetters.createdAt,
  updatedAt: deadLetters.updatedAt,
  editedAt: deadLetters.editedAt,
  replayedAt: deadLetters.replayedAt,
  replayExecutionId: deadLetters.replayExecutionId,
};

type SummaryRow = Omit<DeadLetterSummary, "error" | "replayableFromNode"> & { error: string; replayableFromNode: number };

function toSummary(row: SummaryRow): DeadLetterSummary {
  return { ...row, error: JSON.parse(row.error) as RunError, replayableFromNode: row.replayableFromNode === 1 };
}

/**
 * Record a failed run of a queued event: a new open dead letter, or the event's existing one
 * updated (error, failed node, failures + 1, open again). The payload is copied from the event row
 * only when the letter is new, so an edited payload survives a failed replay. Returns the letter's
 * id, or undefined when the event is gone (its flow was deleted).
 */
export function capture(gdb: GateDb, failure: Failure, now = Date.now()): string | undefined {
  const error: RunError = failure.record.error ?? { code: "FAILED", message: "the run failed" };
  const failedNode = error.node ?? null;
  const failedInput = failedNode ? completeInput(failure.record.nodes[failedNode]) : null;
  const row = gdb.sqlite
    .prepare(
      `INSERT INTO dead_letters (id, event_id, flow_id, flow_version, trigger_node_id, payload, request, failed_node, failed_input, error, failures, execution_id, status, created_at, updated_at)
       SELECT @id, e.id, e.flow_id, @flowVersion, e.trigger_node_id, e.payload, e.request, @failedNode, @failedInput, @error, 1, @executionId, 'open', @now, @now
       FROM events e WHERE e.id = @eventId
       ON CONFLICT (event_id) DO UPDATE SET flow_version = excluded.flow_version, failed_node = excluded.failed_node,
         failed_input = excluded.failed_input, error = excluded.error, failures = dead_letters.failures + 1,
         execution_id = excluded.execution_id, status = 'open', updated_at = excluded.updated_at
       RETURNING id`,
    )
    .get({
      id: crypto.randomUUID(),
      eventId: failure.eventId,
      flowVersion: failure.flowVersion,
      failedNode,
      failedInput,
      error: JSON.stringify(error),
      executionId: failure.executionId ?? null,
      now,
    }) as { id: string } | undefined;
  return row?.id;
}

/** A failed replay: the letter itself is updated (its event row may have been pruned meanwhile). */
export function recordFailedReplay(gdb: GateDb, id: string, failure: Omit<Failure, "eventId" | "flowId">, now = Date.now()): void {
  const error: RunError = failure.record.error ?? { code: "FAILED", message: "the run failed" };
  const failedNode = error.node ?? null;
  gdb.db
    .update(deadLetters)
    .set({
      flowVersion: failure.flowVersion,
      failedNode,
      failedInput: failedNode ? completeInput(failure.record.nodes[failedNode]) : null,
      error: JSON.stringify(error),
      failures: sql`${deadLetters.failures} + 1`,
      executionId: failure.executionId ?? null,
      status: "open",
      updatedAt: now,
    })
    .where(eq(deadLetters.id, id))
    .run();
}

/** All items that reached the node, as JSON — or null when the record kept only a sample. */
function completeInput(node: RunRecord["nodes"][string] | undefined): string | null {
  if (!node || node.input.length === 0 || node.input.length !== node.itemsIn) return null;
  const json = JSON.stringify(node.input);
  return Buffer.byteLength(json, "utf8") <= FAILED_INPUT_CAP_BYTES ? json : null;
}

/**
 * Failed events of the last `windowMs` with no dead letter: those that failed without a run the
 * capture listener saw (given up after repeated crashes, or a run that could not start). A window,
 * not all time, so letters pruned by retention are not brought back from older events.
 */
export function sweepFailedEvents(gdb: GateDb, windowMs: number, now = Date.now()): number {
  return gdb.sqlite
    .prepare(
      `INSERT INTO dead_letters (id, event_id, flow_id, flow_version, trigger_node_id, payload, request, error, failures, execution_id, status, created_at, updated_at)
       SELECT lower(hex(randomblob(16))), e.id, e.flow_id, e.flow_version, e.trigger_node_id, e.payload, e.request,
         coalesce(e.error, '{"code":"FAILED","message":"the event failed"}'), 1, e.execution_id, 'open', @now, @now
       FROM events e
       WHERE e.status = 'failed' AND e.finished_at >= @since
         AND NOT EXISTS (SELECT 1 FROM dead_letters d WHERE d.event_id = e.id)
       ON CONFLICT (event_id) DO NOTHING`,
    )
    .run({ now, since: now - windowMs }).changes;
}

export function listDeadLetters(
  gdb: GateDb,
  options: { flowId?: string; status?: DeadLetterStatus; limit: number; before?: string },
): { items: DeadLetterSummary[]; nextCursor: string | undefined } {
  const where: SQL[] = [];
  if (options.flowId !== undefined) where.push(eq(deadLetters.flowId, options.flowId));
  if (options.status !== undefined) where.push(eq(deadLetters.status, options.status));
  if (options.before !== undefined) {
    const match = /^(\d+):(.+)$/.exec(options.before);
    if (!match) throw new StoreError("BAD_CURSOR", `"${options.before}" is not a cursor returned by the dead-letter list`);
    where.push(sql`(${deadLetters.createdAt}, ${deadLetters.id}) < (${Number(match[1])}, ${match[2]!})`);
  }
  const limit = Math.min(Math.max(Math.trunc(options.limit), 1), 500);
  const rows = gdb.db
    .select(summaryColumns)
    .from(deadLetters)
    .where(and(...where))
    .orderBy(desc(deadLetters.createdAt), desc(deadLetters.id))
    .limit(limit + 1)
    .all();
  const items = rows.slice(0, limit).map(toSummary);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? `${last.createdAt}:${last.id}` : undefined };
}

/** Open letters of a flow, oldest first: the order replay-all works through. */
export function openLetterIds(gdb: GateDb, flowId: string): string[] {
  return gdb.db
    .select({ id: deadLetters.id })
    .from(deadLetters)
    .where(and(eq(deadLetters.flowId, flowId), eq(deadLetters.status, "open")))
    .orderBy(deadLetters.createdAt, deadLetters.id)
    .all()
    .map((r) => r.id);
}

export function getDeadLetter(gdb: GateDb, id: string): DeadLetter | undefined {
  const row = gdb.db
    .select({ ...summaryColumns, payload: deadLetters.payload, request: deadLetters.request, failedInput: deadLetters.failedInput })
    .from(deadLetters)
    .where(eq(deadLetters.id, id))
    .get();
  if (!row) return undefined;
  return {
    ...toSummary(row),
    payload: JSON.parse(row.payload) as unknown,
    request: JSON.parse(row.request) as unknown,
    failedInput: row.failedInput === null ? null : (JSON.parse(row.failedInput) as Record<string, unknown>[]),
  };
}

/** Replace an open letter's payload (what a replay from the trigger sends). False if not open. */
export function updatePayload(gdb: GateDb, id: string, payload: unknown, now = Date.now()): boolean {
  return (
    gdb.db
      .update(deadLetters)
      .set({ payload: JSON.stringify(payload), editedAt: now, updatedAt: now })
      .where(and(eq(deadLetters.id, id), eq(deadLetters.status, "open")))
      .run().changes === 1
  );
}

export function discard(gdb: GateDb, id: string, now = Date.now()): boolean {
  return (
    gdb.db
      .update(deadLetters)
      .set({ status: "discarded", updatedAt: now })
      .where(and(eq(deadLetters.id, id), eq(deadLetters.status, "open")))
      .run().changes === 1
  );
}

/** A successful replay: the letter is done, and so is its event (the events view shows the run that delivered it). */
export function markReplayed(gdb: GateDb, letter: { id: string; eventId: string }, executionId: string, now = Date.now()): void {
  gdb.sqlite.transaction(() => {
    gdb.db
      .update(deadLetters)
      .set({ status: "replayed", replayedAt: now, replayExecutionId: executionId, updatedAt: now })
      .where(eq(deadLetters.id, letter.id))
      .run();
    gdb.db
      .update(events)
      .set({ status: "done", executionId, error: null, finishedAt: now })
      .where(and(eq(events.id, letter.eventId), eq(events.status, "failed")))
      .run();
  })();
}

/** Letters added since `since`, per flow (the alerts' `dlqGrowth` rule). */
export function addedSince(gdb: GateDb, since: number): { flowId: string | null; count: number }[] {
  return gdb.db
    .select({ flowId: deadLetters.flowId, count: sql<number>`count(*)` })
    .from(deadLetters)
    .where(gte(deadLetters.createdAt, since))
    .groupBy(deadLetters.flowId)
    .all();
}

/** Retention: letters created more than `maxAgeMs` ago go, whatever their status. */
export function pruneDeadLetters(gdb: GateDb, maxAgeMs: number, now = Date.now()): number {
  return gdb.db.delete(deadLetters).where(lt(deadLetters.createdAt, now - maxAgeMs)).run().changes;
}
