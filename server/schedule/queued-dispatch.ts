/**
 * Schedule and poll ticks go through the durable queue like webhook events: the tick is stored
 * before anything runs, a worker runs it (again after a crash), and a failure lands in the
 * dead-letter queue. The tick's idempotency key is its trigger and scheduled time, so a tick is
 * queued once even if two processes fire it. The dispatch resolves when the run has finished, so
 * the scheduler's overlap protection still skips a tick while the previous one is running.
 */
import type { Item } from "../../nodes/sdk";
import type { GateDb } from "../db/client";
import type { EnqueueRun } from "../queue/enqueue";
import { getEvent } from "../queue/queries";
import type { Dispatch } from "./scheduler";

const FINISHED = new Set(["done", "failed"]);

export function queuedDispatch(deps: {
  gdb: GateDb;
  enqueue: (run: EnqueueRun) => Promise<{ eventId: string }>;
  /** How often to look whether the queued run finished. */
  pollMs?: number;
}): Dispatch {
  const pollMs = deps.pollMs ?? 100;
  return async (flowId: string, triggerNodeId: string, items: Item[]) => {
    const scheduledFor = typeof items[0]?.scheduledFor === "string" ? items[0].scheduledFor : undefined;
    const { eventId } = await deps.enqueue({
      flowId,
      input: items,
      trigger: triggerNodeId,
      idempotencyKey: scheduledFor ? `tick:${flowId}:${triggerNodeId}:${scheduledFor}` : undefined,
    });
    for (;;) {
      const event = getEvent(deps.gdb, eventId);
      if (!event || FINISHED.has(event.status)) return event?.status;
      await new Promise((resolve) => setTimeout(resolve, pollMs).unref());
    }
  };
}
