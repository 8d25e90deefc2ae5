/**
 * What the scheduler remembers per trigger, in flow_state under `<nodeId>:<name>` keys beside the
 * node's own state. Written directly (not staged): these facts hold whatever the run's outcome.
 */
import type { GateDb } from "../db/client";
import { readState, writeState } from "../db/flow-state";

/** Runs that should have happened while Gate was down; reported, never replayed. */
export interface MissedRuns {
  count: number;
  /** ISO times of the first and last missed occurrence. */
  first: string;
  last: string;
  /** Counting stopped at a limit: at least `count` were missed. */
  capped: boolean;
  /** When Gate noticed (at start). */
  detectedAt: string;
}

/** Ticks skipped because the trigger's previous run was still going. */
export interface SkippedTicks {
  count: number;
  lastAt: string;
}

export const stateKey = {
  lastFiredAt: (nodeId: string) => `${nodeId}:lastFiredAt`,
  missed: (nodeId: string) => `${nodeId}:missed`,
  skipped: (nodeId: string) => `${nodeId}:skipped`,
};

export function readLastFiredAt(gdb: GateDb, flowId: string, nodeId: string): Date | undefined {
  const value = readState(gdb, flowId, stateKey.lastFiredAt(nodeId));
  const time = typeof value === "string" ? Date.parse(value) : NaN;
  return Number.isNaN(time) ? undefined : new Date(time);
}

export function writeLastFiredAt(gdb: GateDb, flowId: string, nodeId: string, at: Date): void {
  writeState(gdb, flowId, [[stateKey.lastFiredAt(nodeId), at.toISOString()]]);
}

export function readMissed(gdb: GateDb, flowId: string, nodeId: string): MissedRuns | undefined {
  return (readState(gdb, flowId, stateKey.missed(nodeId)) as MissedRuns | null | undefined) ?? undefined;
}

export function writeMissed(gdb: GateDb, flowId: string, nodeId: string, missed: MissedRuns | null): void {
  writeState(gdb, flowId, [[stateKey.missed(nodeId), missed]]);
}

export function readSkipped(gdb: GateDb, flowId: string, nodeId: string): SkippedTicks | undefined {
  return (readState(gdb, flowId, stateKey.skipped(nodeId)) as SkippedTicks | null | undefined) ?? undefined;
}

export function recordSkipped(gdb: GateDb, flowId: string, nodeId: string, at: Date): SkippedTicks {
  const skipped = { count: (readSkipped(gdb, flowId, nodeId)?.count ?? 0) + 1, lastAt: at.toISOString() };
  writeState(gdb, flowId, [[stateKey.skipped(nodeId), skipped]]);
  return skipped;
}
