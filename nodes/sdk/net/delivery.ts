import { createHash } from "node:crypto";
import type { Item, NodeContext } from "../types";
import { stableJson } from "../values";

interface Deliveries {
  byItem: WeakMap<Item, { id: string; attempts: number }>;
  seen: Map<string, number>;
}

const perContext = new WeakMap<NodeContext, Deliveries>();

/**
 * A delivery id that stays the same when the executor retries an item (it passes the very same
 * item object again) and differs between items: derived from the run's identity, the node id, the
 * item's content and its ordinal among identical items. The identity is the queued event's id when
 * the run works on one (a run after a crash, or a replay from the dead-letter queue, is a new
 * execution of the same event and must send the same ids), else the execution's. Also counts the
 * attempts of this item in this run.
 */
export function deliveryFor(ctx: NodeContext, item: Item, prefix = "msg_"): { id: string; attempt: number } {
  let state = perContext.get(ctx);
  if (!state) perContext.set(ctx, (state = { byItem: new WeakMap(), seen: new Map() }));
  const known = state.byItem.get(item);
  if (known) {
    known.attempts++;
    return { id: known.id, attempt: known.attempts };
  }
  const content = createHash("sha256").update(stableJson(item)).digest("base64url");
  const ordinal = state.seen.get(content) ?? 0;
  state.seen.set(content, ordinal + 1);
  const id =
    prefix +
    createHash("sha256")
      .update(JSON.stringify([ctx.bindings.event ? `event:${ctx.bindings.event.id}` : ctx.bindings.execution.id, ctx.nodeId, content, ordinal]))
      .digest("base64url")
      .slice(0, 26);
  state.byItem.set(item, { id, attempts: 1 });
  return { id, attempt: 1 };
}
