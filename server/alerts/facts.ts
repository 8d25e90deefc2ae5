/**
 * What the rules look at, read from the database: recent live runs of a flow, run counts in a
 * window, rejected webhooks. Each query is indexed and bounded, so a sweep stays cheap on a busy
 * server. Test runs never count: alerts are about production.
 */
import { and, desc, eq, gte, inArray, isNotNull, sql } from "drizzle-orm";
import type { GateDb } from "../db/client";
import { deadLetters, executionNodes, executions, flows, webhookLog } from "../db/schema";
import type { FlowCount, FlowRef, RunCounts, RunFact } from "./rules";

/**
 * Where failures that exhausted their retries are counted for `dlqGrowth` rules. The default reads
 * the dead-letter table; a queue kept elsewhere (PostgreSQL, BullMQ) passes its own.
 */
export interface DeadLetterSource {
  /** Dead letters added since `since` (ms), per flow. */
  addedSince(since: number): { flowId: string | null; count: number }[];
}

export function deadLetterTable(gdb: GateDb): DeadLetterSource {
  return {
    addedSince: (since) =>
      gdb.db
        .select({ flowId: deadLetters.flowId, count: sql<number>`count(*)` })
        .from(deadLetters)
        .where(gte(deadLetters.createdAt, since))
        .groupBy(deadLetters.flowId)
        .all(),
  };
}

/** How many recent runs the auth rule looks at: enough to count, bounded for busy flows. */
export const AUTH_RUNS_CAP = 200;

const finished = and(eq(executions.mode, "live"), inArray(executions.status, ["success", "failed"]));

interface StoredError {
  code?: unknown;
  message?: unknown;
  node?: unknown;
}

function parseError(text: string | null): StoredError | undefined {
  if (text === null) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" ? value : undefined;
  } catch {
    return undefined;
  }
}

/** A flow's newest finished live runs (newest first), optionally only those started since `since`. */
export function recentRuns(gdb: GateDb, flowId: string, options: { limit: number; since?: number }): RunFact[] {
  const rows = gdb.db
    .select({ id: executions.id, status: executions.status, error: executions.error, startedAt: executions.startedAt })
    .from(executions)
    .where(and(eq(executions.flowId, flowId), finished, options.since === undefined ? undefined : gte(executions.startedAt, options.since)))
    .orderBy(desc(executions.startedAt), desc(executions.id))
    .limit(options.limit)
    .all();
  const failedIds = rows.filter((r) => r.status === "failed").map((r) => r.id);
  const nodeCodes = new Map<string, string[]>();
  if (failedIds.length) {
    const nodeRows = gdb.db
      .select({ executionId: executionNodes.executionId, error: executionNodes.error })
      .from(executionNodes)
      .where(and(inArray(executionNodes.executionId, failedIds), isNotNull(executionNodes.error)))
      .all();
    for (const n of nodeRows) {
      const code = parseError(n.error)?.code;
      if (typeof code === "string") (nodeCodes.get(n.executionId) ?? nodeCodes.set(n.executionId, []).get(n.executionId)!).push(code);
    }
  }
  return rows.map((r) => toFact(r, nodeCodes.get(r.id) ?? []));
}

function toFact(row: { id: string; status: string; error: string | null; startedAt: number }, nodeCodes: string[]): RunFact {
  const stored = parseError(row.error);
  const fact: RunFact = {
    executionId: row.id,
    status: row.status === "success" ? "success" : "failed",
    startedAt: row.startedAt,
    errorCodes: typeof stored?.code === "string" ? [stored.code, ...nodeCodes] : nodeCodes,
  };
  if (stored && typeof stored.code === "string" && typeof stored.message === "string")
    fact.error = { code: stored.code, message: stored.message, node: typeof stored.node === "string" ? stored.node : undefined };
  return fact;
}

/** Total and failed live runs per flow started since `since` (only flows that ran). */
export function runCountsSince(gdb: GateDb, since: number, flowId?: string): Map<string, RunCounts> {
  const rows = gdb.db
    .select({
      flowId: executions.flowId,
      total: sql<number>`count(*)`,
      failed: sql<number>`sum(case when ${executions.status} = 'failed' then 1 else 0 end)`,
    })
    .from(executions)
    .where(and(finished, gte(executions.startedAt, since), flowId === undefined ? undefined : eq(executions.flowId, flowId)))
    .groupBy(executions.flowId)
    .all();
  const counts = new Map<string, RunCounts>();
  for (const row of rows) {
    const lastFailure = row.failed > 0 ? recentRuns(gdb, row.flowId, { limit: 20, since }).find((r) => r.status === "failed") : undefined;
    counts.set(row.flowId, { total: row.total, failed: row.failed, lastFailure });
  }
  return counts;
}

/** Rejected webhook requests per flow since `since`; flowId null for paths no active flow answers. */
export function rejectedWebhooksSince(gdb: GateDb, since: number): { flowId: string | null; count: number }[] {
  return gdb.db
    .select({ flowId: webhookLog.flowId, count: sql<number>`count(*)` })
    .from(webhookLog)
    .where(and(eq(webhookLog.outcome, "rejected"), gte(webhookLog.at, since)))
    .groupBy(webhookLog.flowId)
    .all();
}

/** Names for flow ids (ids of deleted flows are left out). */
export function flowRefs(gdb: GateDb, ids: readonly string[]): Map<string, FlowRef> {
  const refs = new Map<string, FlowRef>();
  if (!ids.length) return refs;
  for (const row of gdb.db.select({ id: flows.id, name: flows.name }).from(flows).where(inArray(flows.id, [...new Set(ids)])).all()) refs.set(row.id, row);
  return refs;
}

/** Attach flow names to per-flow counts, dropping flows deleted meanwhile. */
export function withFlows(gdb: GateDb, counts: readonly { flowId: string | null; count: number }[]): FlowCount[] {
  const refs = flowRefs(
    gdb,
    counts.flatMap((c) => (c.flowId ? [c.flowId] : [])),
  );
  return counts.flatMap((c): FlowCount[] => {
    if (c.flowId === null) return [{ flow: null, count: c.count }];
    const flow = refs.get(c.flowId);
    return flow ? [{ flow, count: c.count }] : [];
  });
}
