/**
 * Live runs that do not arrive over HTTP ("run now" from the editor) go through the same durable
 * queue as webhook events: stored before the caller hears back, run by a worker, run again after a
 * crash, dead-lettered when they fail.
 */
import type { Item } from "../../nodes/sdk";
import type { GateDb } from "../db/client";
import { getFlow } from "../db/flows";
import type { NodeRegistry } from "../engine/registry";
import type { EventStore } from "./store";

export interface EnqueueRun {
  flowId: string;
  input: Item[];
  /** The trigger that receives the input (default: the flow's first trigger). */
  trigger?: string;
  /** A repeat with the same key (a double click, a client retry) starts no second run. */
  idempotencyKey?: string;
}

export class EnqueueError extends Error {
  override readonly name = "EnqueueError";
  constructor(
    readonly code: "NOT_FOUND" | "BAD_REQUEST",
    message: string,
  ) {
    super(message);
  }
}

export async function enqueueRun(
  deps: { gdb: GateDb; registry: NodeRegistry; store: EventStore; notify: () => void },
  run: EnqueueRun,
): Promise<{ eventId: string; duplicate: boolean }> {
  const flow = getFlow(deps.gdb, run.flowId);
  if (!flow) throw new EnqueueError("NOT_FOUND", `flow ${run.flowId} does not exist`);
  const triggers = flow.doc.nodes.filter((n) => deps.registry.get(n.type)?.category === "trigger").map((n) => n.id);
  const trigger = run.trigger ?? triggers[0];
  if (!trigger || !triggers.includes(trigger))
    throw new EnqueueError("BAD_REQUEST", run.trigger ? `"${run.trigger}" is not a trigger of flow "${flow.name}"` : `flow "${flow.name}" has no trigger`);
  const accepted = await deps.store.accept({
    flowId: flow.id,
    flowVersion: flow.version,
    triggerNodeId: trigger,
    payload: JSON.stringify(run.input.length === 1 ? run.input[0] : run.input),
    request: "null",
    idempotencyKey: run.idempotencyKey === undefined ? undefined : `run:${run.idempotencyKey}`,
  });
  if (!accepted.duplicate) deps.notify();
  return { eventId: accepted.eventId, duplicate: accepted.duplicate };
}
