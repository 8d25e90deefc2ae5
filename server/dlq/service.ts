/**
 * The dead-letter queue as the server runs it: failed runs of queued events are captured as they
 * finish (a runner listener), a periodic sweep catches events that failed without a run, and
 * replays run one at a time per request or, for replay-all, in a paced background job per flow.
 */
import type { GateDb } from "../db/client";
import type { ExecutionRunner, FinishedExecution } from "../engine/runner";
import { DlqError, replayLetter, type ReplayFrom, type ReplayResult, type ReplayVersion } from "./replay";
import { capture, discard, getDeadLetter, addedSince, listDeadLetters, openLetterIds, sweepFailedEvents, updatePayload } from "./store";

export interface DeadLetterLog {
  info(data: Record<string, unknown>, msg: string): void;
  error(data: Record<string, unknown>, msg: string): void;
}

export interface ReplayAllProgress {
  flowId: string;
  total: number;
  succeeded: number;
  failed: number;
  /** Letters left out: replayed or discarded meanwhile, or not replayable as asked (the reason is in `problems`). */
  skipped: number;
  problems: { deadLetterId: string; message: string }[];
  /** Why the job ended before the last letter (the destination's circuit is open). */
  stoppedEarly?: string;
  startedAt: number;
  finishedAt: number | null;
  perSecond: number;
}

export interface DeadLetterOptions {
  log: DeadLetterLog;
  /** How often to look for failed events no run captured (default 30 s; 0: only on `sweep()`). */
  sweepMs?: number;
  /** Replay-all's default and ceiling, replays started per second. */
  defaultPerSecond?: number;
  maxPerSecond?: number;
}

const DAY_MS = 86_400_000;

export class DeadLetters {
  /** Events being replayed right now: the capture listener leaves their failures to the replay. */
  private readonly replaying = new Set<string>();
  private readonly jobs = new Map<string, { progress: ReplayAllProgress; done: Promise<void> }>();
  private readonly stopper = new AbortController();
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly maxPerSecond: number;
  private readonly defaultPerSecond: number;

  constructor(
    private readonly gdb: GateDb,
    private readonly runner: ExecutionRunner,
    private readonly options: DeadLetterOptions,
  ) {
    this.maxPerSecond = options.maxPerSecond ?? 50;
    this.defaultPerSecond = options.defaultPerSecond ?? 5;
    const sweepMs = options.sweepMs ?? 30_000;
    if (sweepMs > 0) {
      this.timer = setInterval(() => this.sweep(), sweepMs);
      this.timer.unref();
    }
  }

  /** The runner listener: a failed run of a queued event becomes (or updates) its dead letter. */
  readonly onExecutionFinished = (finished: FinishedExecution): void => {
    const { event, record } = finished;
    if (!event || record.status !== "failed" || this.replaying.has(event.id)) return;
    const id = capture(this.gdb, { eventId: event.id, flowId: finished.flowId, flowVersion: finished.flowVersion, executionId: finished.executionId, record });
    if (id) this.options.log.info({ deadLetter: id, event: event.id, node: record.error?.node, code: record.error?.code }, "event dead-lettered");
  };

  /** Capture failed events of the last day that no run captured; returns how many. */
  sweep(): number {
    try {
      const added = sweepFailedEvents(this.gdb, DAY_MS);
      if (added) this.options.log.info({ added }, "failed events dead-lettered by the sweep");
      return added;
    } catch (error) {
      this.options.log.error({ err: error }, "dead-letter sweep failed");
      return 0;
    }
  }

  list(options: Parameters<typeof listDeadLetters>[1]) {
    return listDeadLetters(this.gdb, options);
  }

  get(id: string) {
    const letter = getDeadLetter(this.gdb, id);
    if (!letter) throw new DlqError("NOT_FOUND", `dead letter ${id} not found`);
    return letter;
  }

  updatePayload(id: string, payload: unknown): void {
    const letter = this.get(id);
    if (this.replaying.has(letter.eventId)) throw new DlqError("CONFLICT", `dead letter ${id} is being replayed`);
    if (!updatePayload(this.gdb, id, payload)) throw new DlqError("CONFLICT", `dead letter ${id} is ${letter.status}; only open letters can be edited`);
  }

  discard(id: string): void {
    const letter = this.get(id);
    if (this.replaying.has(letter.eventId)) throw new DlqError("CONFLICT", `dead letter ${id} is being replayed`);
    if (!discard(this.gdb, id)) throw new DlqError("CONFLICT", `dead letter ${id} is ${letter.status}; only open letters can be discarded`);
  }

  /** Replay one letter now; resolves with the run's outcome. */
  async replay(id: string, options: { from: ReplayFrom; version: ReplayVersion }): Promise<ReplayResult> {
    const letter = this.get(id);
    if (this.replaying.has(letter.eventId)) throw new DlqError("CONFLICT", `dead letter ${id} is already being replayed`);
    this.replaying.add(letter.eventId);
    try {
      return await replayLetter(this.gdb, this.runner, id, { ...options, signal: this.stopper.signal });
    } finally {
      this.replaying.delete(letter.eventId);
    }
  }

  /**
   * Replay every open letter of a flow, oldest first, one at a time and at most `perSecond` starts
   * per second, so a destination that just came back is not flooded. Returns at once; follow it
   * with `progress(flowId)`. One job per flow at a time.
   */
  replayAll(flowId: string, options: { from: ReplayFrom; version: ReplayVersion; perSecond?: number }): ReplayAllProgress {
    const current = this.jobs.get(flowId);
    if (current && current.progress.finishedAt === null) throw new DlqError("CONFLICT", "a replay of this flow's dead letters is already running");
    if (this.stopper.signal.aborted) throw new DlqError("CONFLICT", "Gate is shutting down");
    const perSecond = Math.min(Math.max(options.perSecond ?? this.defaultPerSecond, 0.1), this.maxPerSecond);
    const ids = openLetterIds(this.gdb, flowId);
    const progress: ReplayAllProgress = { flowId, total: ids.length, succeeded: 0, failed: 0, skipped: 0, problems: [], startedAt: Date.now(), finishedAt: null, perSecond };
    const done = this.work(ids, progress, options).finally(() => {
      progress.finishedAt = Date.now();
      this.options.log.info({ ...progress, problems: progress.problems.length }, "replay of dead letters finished");
    });
    this.jobs.set(flowId, { progress, done });
    return { ...progress };
  }

  private async work(ids: string[], progress: ReplayAllProgress, options: { from: ReplayFrom; version: ReplayVersion }): Promise<void> {
    const gapMs = 1000 / progress.perSecond;
    for (const id of ids) {
      if (this.stopper.signal.aborted) return;
      const started = Date.now();
      try {
        const result = await this.replay(id, options);
        if (result.status === "success") progress.succeeded++;
        else if (result.status === "failed") progress.failed++;
        else return;
        if (result.error?.code === "CIRCUIT_OPEN") {
          // The destination is still failing and calls to it fail fast: going on would only count
          // one more failure on every letter. Stop; replay again once it is back.
          progress.stoppedEarly = `stopped: ${result.error.message}`;
          return;
        }
      } catch (error) {
        progress.skipped++;
        progress.problems.push({ deadLetterId: id, message: error instanceof Error ? error.message : String(error) });
      }
      const wait = gapMs - (Date.now() - started);
      if (wait > 0) await pause(wait, this.stopper.signal);
    }
  }

  progress(flowId: string): ReplayAllProgress | undefined {
    const job = this.jobs.get(flowId);
    return job && { ...job.progress, problems: [...job.progress.problems] };
  }

  /** For the alerts' dlqGrowth rule. */
  addedSince(since: number) {
    return addedSince(this.gdb, since);
  }

  /** Stop replay jobs (a running replay is cancelled and its letter stays open). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.stopper.abort();
    await Promise.all([...this.jobs.values()].map((j) => j.done));
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
