/**
 * The webhook log: one row per request to /hooks/*, accepted or refused. Rows are buffered and
 * written together every few milliseconds: a log row is not a promise to the sender (the event
 * row is), and a flood of refused requests must not cost one commit each.
 */
import type { Statement } from "better-sqlite3";
import { and, desc, eq, lt, type SQL } from "drizzle-orm";
import type { GateDb } from "../../db/client";
import { webhookLog, type WebhookOutcome } from "../../db/schema";

export interface LogEntry {
  at: number;
  method: string;
  path: string;
  flowId?: string;
  sourceIp: string;
  bytes: number;
  latencyMs: number;
  status: number;
  outcome: WebhookOutcome;
  reason?: string;
  /** Already redacted. */
  headers: Record<string, string>;
  eventId?: string;
}

export interface LogRow extends Omit<LogEntry, "flowId" | "reason" | "eventId"> {
  id: number;
  flowId: string | null;
  reason: string | null;
  eventId: string | null;
}

export interface LogQuery {
  flowId?: string;
  outcome?: WebhookOutcome;
  limit: number;
  /** A cursor from a previous page: rows older than it. */
  before?: number;
}

const FLUSH_MS = 25;

export class WebhookLog {
  private buffer: LogEntry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private insert: Statement | undefined;

  constructor(private readonly gdb: GateDb) {}

  record(entry: LogEntry): void {
    this.buffer.push(entry);
    if (this.buffer.length >= 1000) this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), FLUSH_MS);
      this.timer.unref();
    }
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const rows = this.buffer;
    if (rows.length === 0 || !this.gdb.sqlite.open) return;
    this.buffer = [];
    // Prepared once (on first flush, after migrations): a drizzle insert is built and prepared
    // again per row, which under load cost more than the request it logs.
    const insert = (this.insert ??= this.gdb.sqlite.prepare(`INSERT INTO webhook_log
      (at, method, path, flow_id, source_ip, bytes, latency_ms, status, outcome, reason, headers, event_id)
      VALUES (@at, @method, @path, @flowId, @sourceIp, @bytes, @latencyMs, @status, @outcome, @reason, @headers, @eventId)`));
    this.gdb.sqlite.transaction(() => {
      for (const r of rows)
        insert.run({
          at: r.at,
          method: r.method,
          path: r.path,
          flowId: r.flowId ?? null,
          sourceIp: r.sourceIp,
          bytes: r.bytes,
          latencyMs: Math.round(r.latencyMs * 100) / 100,
          status: r.status,
          outcome: r.outcome,
          reason: r.reason ?? null,
          headers: JSON.stringify(r.headers),
          eventId: r.eventId ?? null,
        });
    })();
  }

  /** Newest first; `nextCursor` continues with older rows. */
  query(query: LogQuery): { items: LogRow[]; nextCursor: number | undefined } {
    this.flush();
    const where: SQL[] = [];
    if (query.flowId !== undefined) where.push(eq(webhookLog.flowId, query.flowId));
    if (query.outcome !== undefined) where.push(eq(webhookLog.outcome, query.outcome));
    if (query.before !== undefined) where.push(lt(webhookLog.id, query.before));
    const limit = Math.min(Math.max(Math.trunc(query.limit), 1), 500);
    const rows = this.gdb.db
      .select()
      .from(webhookLog)
      .where(and(...where))
      .orderBy(desc(webhookLog.id))
      .limit(limit + 1)
      .all();
    const items = rows.slice(0, limit).map((row) => ({ ...row, headers: JSON.parse(row.headers) as Record<string, string> }));
    return { items, nextCursor: rows.length > limit ? items.at(-1)?.id : undefined };
  }

  close(): void {
    this.flush();
  }
}
