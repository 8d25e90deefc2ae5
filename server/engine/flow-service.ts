import { writeTransaction, type GateDb } from "../db/client";
import {
  createFlow,
  deleteFlow,
  getFlow,
  getFlowVersion,
  listFlows,
  listVersions,
  renameFlow,
  saveFlowVersion,
  setFlowActive,
  type StoredFlow,
  type StoredFlowVersion,
} from "../db/flows";
import { StoreError } from "../db/errors";
import { FlowInvalidError } from "./flow/compile";
import type { PortInfo } from "./flow/graph";
import { FlowDoc, type FlowDocInput } from "./flow/schema";
import { validateFlow, type Problem, type ValidationResult } from "./flow/validate";
import type { NodeRegistry } from "./registry";

/** A save that went through, with whatever still needs fixing before the flow can be switched on. */
export interface SaveResult {
  flow: StoredFlow;
  problems: Problem[];
}

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

  /**
   * A new, empty flow as the editor starts it. A work in progress may be incomplete (no trigger
   * yet), so only the document's shape is required; activation demands a valid flow.
   */
  create(name: string): SaveResult {
    const doc: FlowDocInput = { schemaVersion: 1, name, nodes: [], edges: [] };
    return this.withProblems(createFlow(this.gdb, doc, { note: "created" }));
  }

  /**
   * Save `doc` as the flow's next version. An inactive flow may hold a draft with problems (they
   * are returned so the editor can show them); an active flow takes only valid documents, because
   * its webhooks serve the current version.
   */
  save(flowId: string, doc: unknown, note?: string): SaveResult {
    const stored = this.require(flowId);
    const result = this.validate(doc);
    const shapeOk = FlowDoc.safeParse(doc).success;
    if (!shapeOk || (stored.active && !result.ok)) throw new FlowInvalidError(result.problems);
    // FlowDoc accepted it, so `doc` has FlowDoc's input shape; stored as written so export equals import.
    saveFlowVersion(this.gdb, flowId, doc as FlowDocInput, note);
    return { flow: getFlow(this.gdb, flowId)!, problems: result.problems };
  }

  rename(flowId: string, name: string): StoredFlow {
    this.require(flowId);
    renameFlow(this.gdb, flowId, name);
    return getFlow(this.gdb, flowId)!;
  }

  /** A copy of the current version under a free name ("X (copy)", "X (copy 2)", …), inactive. */
  duplicate(flowId: string): StoredFlow {
    const source = this.require(flowId);
    const taken = new Set(listFlows(this.gdb).map((f) => f.name));
    let name = `${source.name} (copy)`;
    for (let n = 2; taken.has(name); n++) name = `${source.name} (copy ${n})`;
    return createFlow(this.gdb, { ...source.doc, name }, { note: `duplicated from "${source.name}" v${source.version}` });
  }

  remove(flowId: string): boolean {
    return deleteFlow(this.gdb, flowId);
  }

  /** Switch a flow on or off; switching on requires a valid current version. */
  setActive(flowId: string, active: boolean): StoredFlow {
    const stored = this.require(flowId);
    if (active) {
      const result = this.validate(stored.doc);
      if (!result.ok) throw new FlowInvalidError(result.problems);
    }
    setFlowActive(this.gdb, flowId, active);
    return getFlow(this.gdb, flowId)!;
  }

  version(flowId: string, version: number): StoredFlowVersion | undefined {
    return getFlowVersion(this.gdb, flowId, version);
  }

  /** Make an older version current again, as a new version: history is never rewritten. */
  restore(flowId: string, version: number): SaveResult {
    const old = getFlowVersion(this.gdb, flowId, version);
    if (!old) throw new StoreError("NOT_FOUND", `flow ${flowId} has no version ${version}`);
    return this.save(flowId, old.doc, `restored from v${version}`);
  }

  /** Ports per node for a graph being edited: some depend on config (a switch has one per case). */
  ports(nodes: readonly { id: string; type: string; config?: Record<string, unknown> }[]): Record<string, PortInfo> {
    const out: Record<string, PortInfo> = {};
    for (const node of nodes) {
      const ports = this.registry.portsOf(node);
      if (ports) out[node.id] = ports;
    }
    return out;
  }

  private require(flowId: string): StoredFlow {
    const stored = getFlow(this.gdb, flowId);
    if (!stored || stored.id !== flowId) throw new StoreError("NOT_FOUND", `there is no flow with id "${flowId}"`);
    return stored;
  }

  private withProblems(flow: StoredFlow): SaveResult {
    return { flow, problems: this.validate(flow.doc).problems };
  }
}
