/**
 * The durable event queue (table `events`). Acceptance is the promise behind a webhook's 202, so
 * it is committed with synchronous=FULL (the WAL is fsync'ed), while the rest of Gate's writes keep
 * NORMAL. Requests that arrive together share one commit (group commit, `writeSoon`, together with
 * the other bookkeeping of that moment): the fsync is the cost, and one fsync can cover every
 * request that arrived while the previous one ran.
 */
import type { Statement } from "better-sqlite3";
import { flushWrites, writeSoon, type GateDb } from "../db/client";
import { timeOrderedId } from "../db/ids";
import type { EventStatus } from "../db/schema";

export interface NewEvent {
  flowId: string;
  flowVersion: number;
  triggerNodeId: string;
  /** JSON text of the parsed body. */
  payload: string;
  /** JSON text of the request meta (redacted headers). */
  request: string;
  idempotencyKey?: string;
  /** Respond mode: the request runs the event itself, so it is stored already leased until then. */
  leasedUntil?: number;
  /**
   * Whether the commit must reach the disk before `accept` resolves (default true: a 202 promises
   * it). Respond mode promises nothing until the flow answers, so it skips the fsync.
   */
  durable?: boolean;
  /**
   * Further writes for a new event (not a redelivery), in the same commit: respond mode records its
   * execution as started here. When it throws, the event is not stored either.
   */
  onStored?: (eventId: string) => void;
}

export type Accepted =
  | { eventId: string; duplicate: false }
  | { eventId: string; duplicate: true; status: EventStatus; response: string | null };

/** A leased event, as a worker runs it. */
export interface LeasedEvent {
  id: string;
  flowId: string;
  flowVersion: number;
  triggerNodeId: string;
  payload: string;
  request: string;
  attempts: number;
}

export interface Finish {
  status: "done" | "failed";
  executionId?: string;
  error?: { code: string; message: string };
  /** JSON of the synchronous answer (respond mode), replayed to redeliveries. */
  response?: string;
}

export type Durability = "full" | "normal";

export class QueueClosedError extends Error {
  constructor() {
    super("the event queue is closed (Gate is shutting down)");
  }
}

export class EventStore {
  private closed = false;
  private readonly sql: ReturnType<typeof prepare>;

  constructor(
    private readonly gdb: GateDb,
    private readonly options: { durability?: Durability } = {},
  ) {
    this.sql = prepare(gdb);
  }

  /** Store an event durably; resolves once it is committed (or recognised as a redelivery). */
  accept(event: NewEvent): Promise<Accepted> {
    if (this.closed) return Promise.reject(new QueueClosedError());
    // Each event gets a savepoint in the shared commit: one bad row (its flow deleted a moment ago)
    // fails alone, and takes the writes of its onStored with it.
    return writeSoon(this.gdb, () => this.insertOne(event), { durable: event.durable !== false && this.options.durability !== "normal" });
  }

  private insertOne(event: NewEvent): Accepted {
    const id = timeOrderedId();
    const inserted = this.sql.insert.run({
      id,
      flowId: event.flowId,
      flowVersion: event.flowVersion,
      triggerNodeId: event.triggerNodeId,
      payload: event.payload,
      request: event.request,
      key: event.idempotencyKey ?? null,
      status: event.leasedUntil === undefined ? "queued" : "leased",
      attempts: event.leasedUntil === undefined ? 0 : 1,
      leaseUntil: event.leasedUntil ?? null,
      now: Date.now(),
    });
    if (inserted.changes === 1) {
      event.onStored?.(id);
      return { eventId: id, duplicate: false };
    }
    const existing = this.sql.byKey.get({ flowId: event.flowId, key: event.idempotencyKey ?? null }) as
      | { id: string; status: EventStatus; response: string | null }
      | undefined;
    if (!existing) throw new Error("the event was neither stored nor found as a redelivery");
    return { eventId: existing.id, duplicate: true, status: existing.status, response: existing.response };
  }

  /** Lease up to `limit` queued events (and events whose lease expired), oldest first. */
  lease(limit: number, leaseMs: number, now = Date.now()): LeasedEvent[] {
    if (limit <= 0 || !this.gdb.sqlite.open) return [];
    return this.sql.lease.all({ limit, now, until: now + leaseMs }) as LeasedEvent[];
  }

  /** Extend the leases of events still being worked on. */
  renew(ids: readonly string[], until: number): void {
    for (const id of ids) this.sql.renew.run({ id, until });
  }

  finish(id: string, finish: Finish): void {
    this.sql.finish.run({
      id,
      status: finish.status,
      now: Date.now(),
      executionId: finish.executionId ?? null,
      error: finish.error ? JSON.stringify(finish.error) : null,
      response: finish.response ?? null,
    });
  }

  /** Hand unfinished leases back (graceful shutdown): they run again after the next start. */
  release(ids: readonly string[]): void {
    for (const id of ids) this.sql.release.run({ id });
  }

  /** Stop accepting; what is already waiting for a commit is still committed. */
  close(): void {
    this.closed = true;
    flushWrites(this.gdb);
  }
}

function prepare(gdb: GateDb) {
  const s = (text: string): Statement => gdb.sqlite.prepare(text);
  return {
    insert: s(`INSERT INTO events (id, flow_id, flow_version, trigger_node_id, payload, request, idempotency_key, status, attempts, lease_until, created_at)
      VALUES (@id, @flowId, @flowVersion, @triggerNodeId, @payload, @request, @key, @status, @attempts, @leaseUntil, @now)
      ON CONFLICT (flow_id, idempotency_key) DO NOTHING`),
    byKey: s("SELECT id, status, response FROM events WHERE flow_id = @flowId AND idempotency_key = @key"),
    // The IN-list term repeats the partial index's WHERE verbatim so SQLite can use that index.
    lease: s(`UPDATE events SET status = 'leased', lease_until = @until, attempts = attempts + 1
      WHERE id IN (SELECT id FROM events WHERE status IN ('queued', 'leased') AND (status = 'queued' OR lease_until < @now)
                   ORDER BY created_at LIMIT @limit)
      RETURNING id, flow_id AS flowId, flow_version AS flowVersion, trigger_node_id AS triggerNodeId, payload, request, attempts`),
    renew: s("UPDATE events SET lease_until = @until WHERE id = @id AND status = 'leased'"),
    finish: s(`UPDATE events SET status = @status, finished_at = @now, lease_until = NULL, execution_id = @executionId, error = @error, response = @response
      WHERE id = @id`),
    release: s("UPDATE events SET status = 'queued', lease_until = NULL, attempts = max(attempts - 1, 0) WHERE id = @id AND status = 'leased'"),
  };
}
