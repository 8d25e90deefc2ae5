/**
 * The flow document ↔ canvas graph. The canvas holds nodes and edges in React Flow's shape; the
 * document fields the canvas does not edit (settings, tests, description…) ride along untouched so
 * a save or an export writes back exactly what was loaded.
 */
import type { Edge, Node } from "@xyflow/react";
import type { FlowDocument, Item } from "../../../lib/types";

export interface GateNodeData extends Record<string, unknown> {
  type: string;
  config: Record<string, unknown>;
  /** A label for people; falls back to the node type's title. */
  name?: string;
  notes?: string;
  retry?: Record<string, unknown>;
}

export type GateNode = Node<GateNodeData, "gate">;
export type GateEdge = Edge;

/** Everything in the document besides nodes, edges, positions and pinned data. */
export type DocRest = Omit<FlowDocument, "nodes" | "edges">;

export interface EditorGraph {
  nodes: GateNode[];
  edges: GateEdge[];
  pinned: Record<string, Item[]>;
  rest: DocRest;
}

export const edgeId = (e: { from: string; fromPort?: string; to: string; toPort?: string }) =>
  `${e.from}:${e.fromPort ?? "main"}->${e.to}:${e.toPort ?? "main"}`;

export function docToGraph(doc: FlowDocument): EditorGraph & { positioned: boolean } {
  const positions = (doc.ui?.positions ?? {}) as Record<string, [number, number] | undefined>;
  let positioned = true;
  const nodes: GateNode[] = doc.nodes.map((n, i) => {
    const at = positions[n.id];
    if (!at) positioned = false;
    return {
      id: n.id,
      type: "gate",
      position: { x: at?.[0] ?? i * 260, y: at?.[1] ?? 0 },
      data: stripUndefined({ type: n.type, config: n.config ?? {}, name: n.name, notes: n.notes, retry: n.retry }),
    };
  });
  const edges: GateEdge[] = (doc.edges ?? []).map((e) => toCanvasEdge(e));
  const { nodes: _n, edges: _e, ...rest } = doc;
  return { nodes, edges, pinned: { ...(doc.tests?.pinned ?? {}) }, rest, positioned };
}

export function toCanvasEdge(e: { from: string; fromPort?: string; to: string; toPort?: string }): GateEdge {
  const fromPort = e.fromPort ?? "main";
  const toPort = e.toPort ?? "main";
  return {
    id: edgeId(e),
    source: e.from,
    sourceHandle: fromPort,
    target: e.to,
    targetHandle: toPort,
    className: fromPort === "error" ? "edge-error" : undefined,
  };
}

/** The document as the editor would save it. Ports at their default are left out, as people write them. */
export function graphToDoc(graph: EditorGraph): FlowDocument {
  const { rest, pinned } = graph;
  const positions: Record<string, [number, number]> = {};
  for (const n of graph.nodes) positions[n.id] = [Math.round(n.position.x), Math.round(n.position.y)];
  const tests = rest.tests || Object.keys(pinned).length ? { ...rest.tests, pinned } : undefined;
  const doc: FlowDocument = {
    ...rest,
    nodes: graph.nodes.map((n) =>
      stripUndefined({ id: n.id, type: n.data.type, name: n.data.name, config: n.data.config, retry: n.data.retry, notes: n.data.notes }),
    ),
    edges: graph.edges.map((e) => {
      const edge: NonNullable<FlowDocument["edges"]>[number] = { from: e.source, to: e.target };
      if (e.sourceHandle && e.sourceHandle !== "main") edge.fromPort = e.sourceHandle;
      if (e.targetHandle && e.targetHandle !== "main") edge.toPort = e.targetHandle;
      return edge;
    }),
    ui: { ...rest.ui, positions },
  };
  if (tests) doc.tests = tests;
  else delete doc.tests;
  return doc;
}

/** A readable, unique node id from its type: `filter`, `filter2`, … (ids appear in paths and expressions). */
export function freshNodeId(type: string, taken: ReadonlySet<string>): string {
  const last = type.split(".").pop() ?? "node";
  const base = /^[A-Za-z_]/.test(last) ? last.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 50) : `n_${last}`;
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}${i}`)) return `${base}${i}`;
}

function stripUndefined<T extends Record<string, unknown>>(value: T): T {
  for (const key of Object.keys(value)) if (value[key] === undefined) delete value[key];
  return value;
}
