/** Reading and pruning the event queue (for the API and maintenance). */
import { and, desc, eq, inArray, lt, sql, type SQL } from "drizzle-orm";
import type { GateDb } from "../db/client";
import { events, webhookLog, type EventStatus } from "../db/schema";

export interface EventSummary {
  id: string;
  flowId: string;
  flowVersion: number;
  triggerNodeId: string;
  status: EventStatus;
  attempts: number;
  idempotencyKey: string | null;
  createdAt: number;
  finishedAt: number | null;
  executionId: string | null;
  error: { code: string; message: string } | null;
}

export interface EventDetail extends EventSummary {
  payload: unknown;
  request: unknown;
}

const summary = {
  id: events.id,
  flowId: events.flowId,
  flowVersion: events.flowVersion,
  triggerNodeId: events.triggerNodeId,
  status: events.status,
  attempts: events.attempts,
  idempotencyKey: events.idempotencyKey,
  createdAt: events.createdAt,
  finishedAt: events.finishedAt,
  executionId: events.executionId,
  error: events.error,
};

/** Newest first, keyset pagination on (created_at, id); the cursor is `<createdAt>:<id>`. */
export function listEvents(gdb: GateDb, options: { flowId?: string; status?: EventStatus; limit: number; before?: string }) {
  const where: SQL[] = [];
  if (options.flowId !== undefined) where.push(eq(events.flowId, options.flowId));
  if (options.status !== undefined) where.push(eq(events.status, options.status));
  if (options.before !== undefined) {
    const match = /^(\d+):(.+)$/.exec(options.before);
    if (match) where.push(sql`(${events.createdAt}, ${events.id}) < (${Number(match[1])}, ${match[2]!})`);
  }
  const limit = Math.min(Math.max(Math.trunc(options.limit), 1), 500);
  const rows = gdb.db
    .select(summary)
    .from(events)
    .where(and(...where))
    .orderBy(desc(events.createdAt), desc(events.id))
    .limit(limit + 1)
    .all();
  const items: EventSummary[] = rows.slice(0, limit).map((row) => ({ ...row, error: row.error === null ? null : (JSON.parse(row.error) as EventSummary["error"]) }));
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? `${last.createdAt}:${last.id}` : undefined };
}

export function getEvent(gdb: GateDb, id: string): EventDetail | undefined {
  const row = gdb.db
    .select({ ...summary, payload: events.payload, request: events.request })
    .from(events)
    .where(eq(events.id, id))
    .get();
  if (!row) return undefined;
  return {
    ...row,
    error: row.error === null ? null : (JSON.parse(row.error) as EventSummary["error"]),
    payload: JSON.parse(row.payload) as unknown,
    request: JSON.parse(row.request) as unknown,
  };
}

/**
 * Finished events older than `eventsMaxAgeMs` go (their idempotency keys with them: a redelivery
 * later than that starts a new run), and log rows older than `logMaxAgeMs`.
 */
export function pruneQueue(gdb: GateDb, options: { eventsMaxAgeMs: number; logMaxAgeMs: number; now?: number }): { events: number; log: number } {
  const now = options.now ?? Date.now();
  const removedEvents = gdb.db
    .delete(events)
    .where(and(inArray(events.status, ["done", "failed"]), lt(events.createdAt, now - options.eventsMaxAgeMs)))
    .run().changes;
  const removedLog = gdb.db.delete(webhookLog).where(lt(webhookLog.at, now - options.logMaxAgeMs)).run().changes;
  return { events: removedEvents, log: removedLog };
}
