/**
 * The scheduler: one croner job per time-driven trigger (trigger.schedule, trigger.poll) of every
 * active flow's current version. Each tick hands a run to `dispatch`; the scheduler itself never
 * runs a flow, so the same ticks can feed the in-process runner today and a durable queue later.
 *
 * Keeping in step with flows: saves and (de)activations in this process notify it through
 * `onFlowChanged` and it resyncs at once; a cheap resync every few seconds also catches changes
 * made by another process on the same database (the `gate` CLI), which no in-process hook sees.
 */
import type { Cron } from "croner";
import type { Item } from "../../nodes/sdk";
import type { GateDb } from "../db/client";
import { onFlowChanged } from "../db/flows";
import type { NodeRegistry } from "../engine/registry";
import { logger } from "../log";
import { recordSkipped, writeLastFiredAt, writeMissed, readLastFiredAt } from "./state";
import { cronFor, describeTiming, occurrencesBetween, scheduledFor } from "./timing";
import { TriggerCatalog, type ScheduledTrigger } from "./triggers";

/** Start a live run of `flowId` at `triggerNodeId`; resolves when the run is over. */
export type Dispatch = (flowId: string, triggerNodeId: string, items: Item[]) => Promise<unknown>;

export interface SchedulerLog {
  info(data: Record<string, unknown>, msg: string): void;
  warn(data: Record<string, unknown>, msg: string): void;
  error(data: Record<string, unknown>, msg: string): void;
}

export interface SchedulerOptions {
  gdb: GateDb;
  registry: NodeRegistry;
  dispatch: Dispatch;
  log?: SchedulerLog;
  /** Resync with the database this often (default 5 s; 0 = only on in-process changes and `sync()`). */
  resyncMs?: number;
}

/** What a job's callbacks read; `sync` updates it in place when a save keeps the timing. */
interface Slot {
  trigger: ScheduledTrigger;
}

interface Job {
  slot: Slot;
  signature: string;
  cron: Cron;
}

export const DEFAULT_RESYNC_MS = 5_000;

export class Scheduler {
  private readonly jobs = new Map<string, Job>();
  private readonly catalog: TriggerCatalog;
  private readonly log: SchedulerLog;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private syncQueued = false;
  private state: "new" | "running" | "stopped" = "new";

  constructor(private readonly options: SchedulerOptions) {
    this.log = options.log ?? logger;
    this.catalog = new TriggerCatalog(options.gdb, options.registry, (p) =>
      this.log.error({ flowId: p.flowId, node: p.nodeId }, `schedule: trigger not armed, its config no longer validates: ${p.message}`),
    );
  }

  /** Report runs missed while Gate was down, then arm every active trigger. */
  start(): void {
    if (this.state !== "new") throw new Error("a scheduler starts once");
    this.state = "running";
    this.guard("reporting missed runs", () => this.reportMissed(new Date()));
    this.sync();
    this.unsubscribe = onFlowChanged(this.options.gdb, () => this.queueSync());
    const every = this.options.resyncMs ?? DEFAULT_RESYNC_MS;
    if (every > 0) {
      this.timer = setInterval(() => this.sync(), every);
      this.timer.unref();
    }
  }

  /** Arm the triggers of active flows that have none yet, disarm those gone or changed. */
  sync(): void {
    if (this.state !== "running") return;
    this.guard("syncing with flows", () => {
      const wanted = new Map(this.catalog.active().map((t) => [jobKey(t), t]));
      for (const [key, job] of this.jobs) {
        const want = wanted.get(key);
        if (want && signatureOf(want) === job.signature) {
          job.slot.trigger = want;
          continue;
        }
        job.cron.stop();
        this.jobs.delete(key);
        this.log.info({ flow: job.slot.trigger.flowName, node: job.slot.trigger.nodeId }, "schedule: trigger disarmed");
      }
      for (const [key, trigger] of wanted) if (!this.jobs.has(key)) this.arm(key, trigger);
    });
  }

  /** The armed triggers with their next run. */
  armed(): (ScheduledTrigger & { nextRun: Date | null })[] {
    return [...this.jobs.values()].map((job) => ({ ...job.slot.trigger, nextRun: job.cron.nextRun() }));
  }

  /** Disarm everything. Runs already dispatched finish on their own (the runner's shutdown waits for them). */
  stop(): void {
    this.state = "stopped";
    clearInterval(this.timer);
    this.unsubscribe?.();
    for (const job of this.jobs.values()) job.cron.stop();
    this.jobs.clear();
  }

  private arm(key: string, trigger: ScheduledTrigger): void {
    const slot: Slot = { trigger };
    let cron: Cron;
    try {
      cron = cronFor(trigger.timing, () => this.fire(slot), {
        // Overlap: a tick while this trigger's previous run still goes is skipped, and said so.
        protect: () => this.skip(slot),
        // The scheduler is never what keeps the process alive.
        unref: true,
      });
    } catch (error) {
      this.log.error({ flow: trigger.flowName, node: trigger.nodeId, err: error }, "schedule: trigger could not be armed");
      return;
    }
    this.jobs.set(key, { slot, signature: signatureOf(trigger), cron });
    this.log.info(
      { flow: trigger.flowName, node: trigger.nodeId, timing: describeTiming(trigger.timing), nextRun: cron.nextRun()?.toISOString() },
      "schedule: trigger armed",
    );
  }

  private async fire(slot: Slot): Promise<void> {
    const { flowId, nodeId, timing, flowName } = slot.trigger;
    const firedAt = new Date();
    // Written before the run: an occurrence that started is never reported as missed, even if Gate dies mid-run.
    if (!this.guard("recording a tick", () => writeLastFiredAt(this.options.gdb, flowId, nodeId, firedAt))) return;
    const tick = { firedAt: firedAt.toISOString(), scheduledFor: scheduledFor(timing, firedAt).toISOString() };
    try {
      await this.options.dispatch(flowId, nodeId, [tick]);
    } catch (error) {
      this.log.error({ flow: flowName, node: nodeId, err: error }, "schedule: the run could not be started");
    }
  }

  private skip(slot: Slot): void {
    const { flowId, nodeId, flowName } = slot.trigger;
    const at = new Date();
    this.guard("recording a skipped tick", () => {
      // A skipped occurrence was handled, not missed: it must not show up as missed after a restart.
      writeLastFiredAt(this.options.gdb, flowId, nodeId, at);
      const skipped = recordSkipped(this.options.gdb, flowId, nodeId, at);
      this.log.warn({ flow: flowName, node: nodeId, skippedSoFar: skipped.count }, "schedule: tick skipped, the previous run of this trigger is still going");
    });
  }

  /** Occurrences between a trigger's last firing and now happened while Gate was down: report, never replay. */
  private reportMissed(now: Date): void {
    const { gdb } = this.options;
    for (const trigger of this.catalog.active()) {
      const last = readLastFiredAt(gdb, trigger.flowId, trigger.nodeId);
      if (!last) continue;
      const missed = occurrencesBetween(trigger.timing, last, now);
      if (missed.count === 0 || !missed.first || !missed.last) continue;
      const report = { count: missed.count, first: missed.first.toISOString(), last: missed.last.toISOString(), capped: missed.capped, detectedAt: now.toISOString() };
      writeMissed(gdb, trigger.flowId, trigger.nodeId, report);
      this.log.warn(
        { flow: trigger.flowName, node: trigger.nodeId, ...report },
        `schedule: ${missed.capped ? "at least " : ""}${missed.count} run(s) missed while Gate was down; they are not replayed`,
      );
    }
  }

  /** Coalesce bursts of change notifications into one resync, after the writing transaction is over. */
  private queueSync(): void {
    if (this.syncQueued) return;
    this.syncQueued = true;
    setImmediate(() => {
      this.syncQueued = false;
      this.sync();
    });
  }

  /** Run `work`; a failure (the database closing under us, say) is logged instead of crashing the process. */
  private guard(what: string, work: () => void): boolean {
    try {
      work();
      return true;
    } catch (error) {
      this.log.error({ err: error }, `schedule: failed while ${what}`);
      return false;
    }
  }
}

function jobKey(trigger: ScheduledTrigger): string {
  return `${trigger.flowId}\u0000${trigger.nodeId}`;
}

/** A trigger is re-armed only when its timing changes: saving a flow for other reasons keeps its rhythm. */
function signatureOf(trigger: ScheduledTrigger): string {
  return JSON.stringify(trigger.timing);
}
