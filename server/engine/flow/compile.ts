import { RetryPolicy, prepareNode, type PreparedNode } from "../../../nodes/sdk";
import type { NodeRegistry } from "../registry";
import { topoOrder } from "./graph";
import type { FlowDoc } from "./schema";
import { validateFlow, type Problem } from "./validate";

export interface EdgeTarget {
  to: string;
  toPort: string;
}

/** A flow version made ready to run: validated, expressions compiled, graph indexed. Built once per version. */
export interface CompiledFlow {
  readonly flow: FlowDoc;
  readonly order: readonly string[];
  readonly nodes: ReadonlyMap<string, PreparedNode>;
  /** node → output port → where its items go */
  readonly targets: ReadonlyMap<string, ReadonlyMap<string, readonly EdgeTarget[]>>;
  readonly retry: ReadonlyMap<string, RetryPolicy>;
  /** Nodes with a fallback: the fields a failed item continues with. */
  readonly fallback: ReadonlyMap<string, Record<string, unknown>>;
  readonly triggers: readonly string[];
}

export class FlowInvalidError extends Error {
  readonly problems: Problem[];
  constructor(problems: Problem[]) {
    super(problems.map((p) => `${p.path}: ${p.message}`).join("\n"));
    this.name = "FlowInvalidError";
    this.problems = problems;
  }
}

export function compileFlow(raw: unknown, registry: NodeRegistry): CompiledFlow {
  const result = validateFlow(raw, registry);
  if (!result.ok) throw new FlowInvalidError(result.problems);
  const { flow } = result;
  const nodes = new Map<string, PreparedNode>();
  const retry = new Map<string, RetryPolicy>();
  const fallback = new Map<string, Record<string, unknown>>();
  for (const node of flow.nodes) {
    nodes.set(node.id, prepareNode(node.id, registry.get(node.type)!, node.config));
    retry.set(node.id, RetryPolicy.parse({ ...flow.settings.retry, ...node.retry }));
    if (node.fallback) fallback.set(node.id, node.fallback.output);
  }
  const targets = new Map<string, Map<string, EdgeTarget[]>>();
  for (const e of flow.edges) {
    const byPort = targets.get(e.from) ?? new Map<string, EdgeTarget[]>();
    targets.set(e.from, byPort);
    const list = byPort.get(e.fromPort) ?? [];
    byPort.set(e.fromPort, list);
    list.push({ to: e.to, toPort: e.toPort });
  }
  const sorted = topoOrder(
    flow.nodes.map((n) => n.id),
    flow.edges,
  );
  if (!("order" in sorted)) throw new Error("unreachable: validateFlow refuses cycles");
  const triggers = flow.nodes.filter((n) => registry.get(n.type)!.category === "trigger").map((n) => n.id);
  return { flow, order: sorted.order, nodes, targets, retry, fallback, triggers };
}

// Compiled flows are cached per version key (flow id + version, or a content hash) so a webhook
// never pays for validation or expression compilation.
const CACHE_LIMIT = 500;
const cache = new Map<string, CompiledFlow>();

export function compileFlowCached(key: string, raw: unknown, registry: NodeRegistry): CompiledFlow {
  const hit = cache.get(key);
  if (hit) return hit;
  const compiled = compileFlow(raw, registry);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(key, compiled);
  return compiled;
}
