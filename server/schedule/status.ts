/**
 * What the UI shows about schedules: every time-driven trigger of the active flows with its next
 * run, last firing, skipped ticks and missed runs. Read from the database, so it answers the same
 * whether or not this process runs the scheduler.
 */
import type { GateDb } from "../db/client";
import type { NodeRegistry } from "../engine/registry";
import { readLastFiredAt, readMissed, readSkipped, writeMissed, type MissedRuns, type SkippedTicks } from "./state";
import { cronFor, describeTiming } from "./timing";
import { TriggerCatalog } from "./triggers";

export interface ScheduleStatus {
  flowId: string;
  flowName: string;
  nodeId: string;
  type: string;
  /** e.g. `0 0 9 * * *` (Europe/Berlin) or `every 60 s`. */
  timing: string;
  nextRun: string | null;
  lastFiredAt: string | null;
  missed: MissedRuns | null;
  skipped: SkippedTicks | null;
}

export function scheduleStatus(gdb: GateDb, registry: NodeRegistry, options: { flowId?: string } = {}): ScheduleStatus[] {
  const triggers = new TriggerCatalog(gdb, registry).active().filter((t) => options.flowId === undefined || t.flowId === options.flowId);
  return triggers.map((t) => {
    const last = readLastFiredAt(gdb, t.flowId, t.nodeId);
    // An interval job counts from its last firing; a cron job from now.
    const next = t.timing.kind === "interval" && last ? new Date(Math.max(Date.now(), last.getTime() + t.timing.seconds * 1000)) : cronFor(t.timing).nextRun();
    return {
      flowId: t.flowId,
      flowName: t.flowName,
      nodeId: t.nodeId,
      type: t.type,
      timing: describeTiming(t.timing),
      nextRun: next?.toISOString() ?? null,
      lastFiredAt: last?.toISOString() ?? null,
      missed: readMissed(gdb, t.flowId, t.nodeId) ?? null,
      skipped: readSkipped(gdb, t.flowId, t.nodeId) ?? null,
    };
  });
}

/** Someone has seen the missed-runs report: clear it. */
export function dismissMissed(gdb: GateDb, flowId: string, nodeId: string): void {
  writeMissed(gdb, flowId, nodeId, null);
}
