/** Which time-driven triggers the active flows hold, read from each flow's current version. */
import { eq } from "drizzle-orm";
import type { GateDb } from "../db/client";
import { getFlow } from "../db/flows";
import { flows } from "../db/schema";
import type { NodeRegistry } from "../engine/registry";
import { timingOf, type TriggerTiming } from "./timing";

export interface ScheduledTrigger {
  flowId: string;
  flowName: string;
  version: number;
  nodeId: string;
  type: string;
  timing: TriggerTiming;
}

export interface TriggerProblem {
  flowId: string;
  nodeId: string;
  message: string;
}

/**
 * Reads active flows and parses their triggers, re-parsing a flow only when its current version
 * changed: a resync every few seconds then costs one small query.
 */
export class TriggerCatalog {
  private readonly cache = new Map<string, { version: number; triggers: ScheduledTrigger[] }>();

  constructor(
    private readonly gdb: GateDb,
    private readonly registry: NodeRegistry,
    private readonly onProblem: (problem: TriggerProblem) => void = () => {},
  ) {}

  active(): ScheduledTrigger[] {
    const rows = this.gdb.db.select({ id: flows.id, version: flows.currentVersion }).from(flows).where(eq(flows.active, true)).all();
    const live = new Set(rows.map((r) => r.id));
    for (const id of this.cache.keys()) if (!live.has(id)) this.cache.delete(id);
    const out: ScheduledTrigger[] = [];
    for (const row of rows) {
      let entry = this.cache.get(row.id);
      if (entry?.version !== row.version) {
        entry = { version: row.version, triggers: this.read(row.id) };
        this.cache.set(row.id, entry);
      }
      out.push(...entry.triggers);
    }
    return out;
  }

  private read(flowId: string): ScheduledTrigger[] {
    const flow = getFlow(this.gdb, flowId);
    if (!flow) return [];
    const out: ScheduledTrigger[] = [];
    for (const node of flow.doc.nodes) {
      const def = this.registry.get(node.type);
      if (def?.category !== "trigger") continue;
      // Parsed with the node's own schema, so defaults (time zone, interval) apply as at run time.
      const parsed = def.config.safeParse(node.config ?? {});
      if (!parsed.success) {
        // Active flows were validated; this happens only if a node's schema tightened since.
        this.onProblem({ flowId, nodeId: node.id, message: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") });
        continue;
      }
      const timing = timingOf(node.type, parsed.data);
      if (timing) out.push({ flowId, flowName: flow.name, version: flow.version, nodeId: node.id, type: node.type, timing });
    }
    return out;
  }
}
