/**
 * flow_state: the durable cursors of a flow. A run reads through `runState` and stages its writes;
 * the runner commits them in one transaction only when the run succeeded, so a failed or cancelled
 * run never moves a cursor past work that was not done. `setNow` is the exception a node asks for
 * by name: written at once, in its own transaction, and kept whatever the run's outcome.
 */
import { and, eq } from "drizzle-orm";
import type { StagedState } from "../../nodes/sdk";
import type { GateDb } from "./client";
import { flowState } from "./schema";

export function readState(gdb: GateDb, flowId: string, key: string): unknown {
  const row = gdb.db
    .select({ value: flowState.value })
    .from(flowState)
    .where(and(eq(flowState.flowId, flowId), eq(flowState.key, key)))
    .get();
  return row ? (JSON.parse(row.value) as unknown) : undefined;
}

export function writeState(gdb: GateDb, flowId: string, entries: Iterable<[string, unknown]>, now = Date.now()): void {
  gdb.sqlite.transaction(() => {
    for (const [key, value] of entries) {
      const json = JSON.stringify(value ?? null);
      gdb.db
        .insert(flowState)
        .values({ flowId, key, value: json, updatedAt: now })
        .onConflictDoUpdate({ target: [flowState.flowId, flowState.key], set: { value: json, updatedAt: now } })
        .run();
    }
  })();
}

export function listState(gdb: GateDb, flowId: string): Record<string, unknown> {
  const rows = gdb.db.select().from(flowState).where(eq(flowState.flowId, flowId)).all();
  return Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
}

/** The state a run sees: reads go to the database, writes wait for `commit`. */
export function runState(gdb: GateDb, flowId: string): StagedState {
  const staged = new Map<string, unknown>();
  return {
    get: (key) => Promise.resolve(staged.has(key) ? staged.get(key) : readState(gdb, flowId, key)),
    set: (key, value) => void staged.set(key, structuredClone(value)),
    setNow: (key, value) =>
      new Promise<void>((resolve) => {
        writeState(gdb, flowId, [[key, value]]);
        // Written: a value staged earlier in this run must not overwrite it at commit.
        staged.delete(key);
        resolve();
      }),
    commit() {
      if (staged.size === 0) return;
      writeState(gdb, flowId, staged);
      staged.clear();
    },
    discard: () => staged.clear(),
  };
}
