/**
 * Pure graph rules shared by the canvas (which refuses a connection as it is drawn) and by flow
 * validation (which refuses a saved document): the policy lives in one place.
 */
export interface GraphEdge {
  from: string;
  fromPort?: string;
  to: string;
  toPort?: string;
}

export interface GraphNode {
  id: string;
  type: string;
  /** Some nodes derive their ports from config (a switch has one output per case). */
  config?: Record<string, unknown>;
}

export interface PortInfo {
  inputs: readonly string[];
  outputs: readonly string[];
  trigger: boolean;
}

export type ConnectionCheck = { ok: true } | { ok: false; reason: string };

/** Kahn's algorithm; on a cycle, returns one cycle as a list of node ids (first = last). */
export function topoOrder(nodeIds: readonly string[], edges: readonly GraphEdge[]): { order: string[] } | { cycle: string[] } {
  const indegree = new Map(nodeIds.map((id) => [id, 0]));
  const next = adjacency(edges);
  for (const e of edges) if (indegree.has(e.to) && indegree.has(e.from)) indegree.set(e.to, indegree.get(e.to)! + 1);
  const queue = nodeIds.filter((id) => indegree.get(id) === 0);
  const order: string[] = [];
  while (queue.length) {
    const id = queue.shift()!;
    order.push(id);
    for (const to of next.get(id) ?? []) {
      const d = indegree.get(to);
      if (d === undefined) continue;
      indegree.set(to, d - 1);
      if (d === 1) queue.push(to);
    }
  }
  if (order.length === nodeIds.length) return { order };
  const left = nodeIds.filter((id) => !order.includes(id));
  return { cycle: findCycle(left, next) };
}

function adjacency(edges: readonly GraphEdge[]): Map<string, string[]> {
  const next = new Map<string, string[]>();
  for (const e of edges) {
    const list = next.get(e.from);
    if (list) list.push(e.to);
    else next.set(e.from, [e.to]);
  }
  return next;
}

function findCycle(candidates: string[], next: Map<string, string[]>): string[] {
  const inSet = new Set(candidates);
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    state.set(id, "open");
    stack.push(id);
    for (const to of next.get(id) ?? []) {
      if (!inSet.has(to)) continue;
      if (state.get(to) === "open") return [...stack.slice(stack.indexOf(to)), to];
      if (!state.has(to)) {
        const found = visit(to);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(id, "done");
    return undefined;
  };
  for (const id of candidates) {
    if (!state.has(id)) {
      const found = visit(id);
      if (found) return found;
    }
  }
  return candidates;
}

/** Is `target` reachable from `start` by following edges? */
export function reaches(edges: readonly GraphEdge[], start: string, target: string): boolean {
  const next = adjacency(edges);
  const seen = new Set<string>();
  const todo = [start];
  while (todo.length) {
    const id = todo.pop()!;
    if (id === target) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    todo.push(...(next.get(id) ?? []));
  }
  return false;
}

/** Every node reachable from `start`, including it. */
export function downstreamOf(edges: readonly GraphEdge[], start: string): Set<string> {
  const next = adjacency(edges);
  const seen = new Set<string>();
  const todo = [start];
  while (todo.length) {
    const id = todo.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    todo.push(...(next.get(id) ?? []));
  }
  return seen;
}

/**
 * Is this edge well-formed in the graph: both ends exist, the ports exist, not a duplicate?
 * Cycles are a property of the whole graph; see `checkConnection` and `topoOrder`.
 */
export function checkEdge(
  edge: GraphEdge,
  graph: { nodes: readonly GraphNode[]; edges: readonly GraphEdge[] },
  portsOf: (node: GraphNode) => PortInfo | undefined,
): ConnectionCheck {
  const fromPort = edge.fromPort ?? "main";
  const toPort = edge.toPort ?? "main";
  const from = graph.nodes.find((n) => n.id === edge.from);
  const to = graph.nodes.find((n) => n.id === edge.to);
  if (!from) return { ok: false, reason: `there is no node "${edge.from}"` };
  if (!to) return { ok: false, reason: `there is no node "${edge.to}"` };
  if (edge.from === edge.to) return { ok: false, reason: "a node cannot connect to itself" };
  const fromPorts = portsOf(from);
  const toPorts = portsOf(to);
  if (fromPorts && !fromPorts.outputs.includes(fromPort))
    return { ok: false, reason: `"${from.id}" has no output "${fromPort}" (it has ${fromPorts.outputs.join(", ")})` };
  if (toPorts?.trigger) return { ok: false, reason: `"${to.id}" is a trigger: it starts the flow and takes no input` };
  if (toPorts && !toPorts.inputs.includes(toPort))
    return { ok: false, reason: `"${to.id}" has no input "${toPort}" (it has ${toPorts.inputs.join(", ") || "none"})` };
  const same = (e: GraphEdge) =>
    e.from === edge.from && e.to === edge.to && (e.fromPort ?? "main") === fromPort && (e.toPort ?? "main") === toPort;
  if (graph.edges.some(same)) return { ok: false, reason: "these ports are already connected" };
  return { ok: true };
}

/** May this edge be added to the graph (as the canvas asks while it is drawn)? The reason is written for the person drawing it. */
export function checkConnection(
  edge: GraphEdge,
  graph: { nodes: readonly GraphNode[]; edges: readonly GraphEdge[] },
  portsOf: (node: GraphNode) => PortInfo | undefined,
): ConnectionCheck {
  const check = checkEdge(edge, graph, portsOf);
  if (!check.ok) return check;
  if (reaches(graph.edges, edge.to, edge.from))
    return { ok: false, reason: `this would make a cycle: "${edge.to}" already leads to "${edge.from}"` };
  return { ok: true };
}
