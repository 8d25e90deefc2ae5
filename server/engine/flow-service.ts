import { writeTransaction, type GateDb } from "../db/client";
import {
  createFlow,
  getFlow,
  listFlows,
  listVersions,
  saveFlowVersion,
  setFlowActive,
  type StoredFlow,
} from "../db/flows";
import { FlowInvalidError } from "./flow/compile";
import { validateFlow, type ValidationResult } from "./flow/validate";
import type { NodeRegistry } from "./registry";

export type ImportResult = { ok: true; flow: StoredFlow } | { ok: false; problems: ValidationResult["problems"]; error: FlowInvalidError };

/** Flows as people manage them: every document is validated before it is stored. */
export class FlowService {
  constructor(
    private readonly gdb: GateDb,
    private readonly registry: NodeRegistry,
  ) {}

  validate(doc: unknown): ValidationResult {
    return validateFlow(doc, this.registry);
  }

  /** Import a document: a new flow, or a new version of the flow with the same name. */
  importFlow(doc: unknown, options: { activate: boolean }): ImportResult {
    const result = this.validate(doc);
    if (!result.ok) return { ok: false, problems: result.problems, error: new FlowInvalidError(result.problems) };
    const existing = getFlow(this.gdb, result.flow.name);
    if (!existing) return { ok: true, flow: createFlow(this.gdb, result.source, { active: options.activate, note: "imported" }) };
    // One transaction: an activation refused (ROUTE_TAKEN) must not leave the new version saved.
    return writeTransaction(this.gdb, () => {
      saveFlowVersion(this.gdb, existing.id, result.source, "imported");
      if (options.activate && !existing.active) setFlowActive(this.gdb, existing.id, true);
      return { ok: true, flow: getFlow(this.gdb, existing.id)! };
    });
  }

  get(idOrName: string): StoredFlow | undefined {
    return getFlow(this.gdb, idOrName);
  }

  list() {
    return listFlows(this.gdb);
  }

  versions(flowId: string) {
    return listVersions(this.gdb, flowId);
  }
}
