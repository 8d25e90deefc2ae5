/**
 * The editor's one store: the graph being edited, its undo/redo history, selection, clipboard,
 * and the last test run. Every edit goes through an action that records history first, so
 * Ctrl+Z undoes exactly one thing a person did.
 */
import { applyEdgeChanges, applyNodeChanges, type EdgeChange, type NodeChange, type XYPosition } from "@xyflow/react";
import { create } from "zustand";
import { checkConnection, type ConnectionCheck, type GraphNode } from "../../../server/engine/flow/graph";
import type { Item, NodeSummary, PortInfo, Problem, RunRecord } from "../../lib/types";
import { docToGraph, freshNodeId, graphToDoc, toCanvasEdge, type DocRest, type EditorGraph, type GateEdge, type GateNode } from "./lib/graph-doc";

interface Snapshot {
  nodes: GateNode[];
  edges: GateEdge[];
  pinned: Record<string, Item[]>;
}

/** Typing in one field within this window is one undo step, not one per key. */
const COALESCE_MS = 800;
const HISTORY_LIMIT = 200;

export interface Notice {
  kind: "error" | "info";
  text: string;
}

export interface EditorState extends EditorGraph {
  types: Map<string, NodeSummary>;
  /** Ports reported by the server for nodes whose ports depend on config. */
  ports: Record<string, PortInfo>;
  past: Snapshot[];
  future: Snapshot[];
  lastEditKey?: string;
  lastEditAt: number;
  clipboard?: { nodes: GateNode[]; edges: GateEdge[] };
  /** Bumped on every edit: drafts and validation follow it. */
  revision: number;
  /** The revision last saved (or loaded from the server). */
  savedRevision: number;
  inspected?: string;
  notice?: Notice;
  problems: Problem[];
  run?: RunRecord;
  running: boolean;
  readOnly: boolean;
  /** The trigger's sample payload as typed (JSON text); test runs start from it. */
  sample: string;

  load: (graph: EditorGraph, options?: { readOnly?: boolean; dirty?: boolean }) => void;
  setTypes: (types: NodeSummary[]) => void;
  setPorts: (ports: Record<string, PortInfo>) => void;
  onNodesChange: (changes: NodeChange<GateNode>[]) => void;
  onEdgesChange: (changes: EdgeChange<GateEdge>[]) => void;
  /** Before a drag moves nodes: one history step per drag. */
  beginDrag: () => void;
  connect: (edge: { from: string; fromPort: string; to: string; toPort: string }) => ConnectionCheck;
  addNode: (type: string, position: XYPosition) => string | undefined;
  updateNode: (id: string, patch: { config?: Record<string, unknown>; name?: string }, editKey: string) => void;
  deleteSelected: () => void;
  copySelected: () => void;
  paste: (offset?: XYPosition) => void;
  undo: () => void;
  redo: () => void;
  applyLayout: (positions: Record<string, XYPosition>) => void;
  pin: (id: string, items: Item[] | undefined) => void;
  inspect: (id: string | undefined) => void;
  notify: (notice: Notice | undefined) => void;
  setProblems: (problems: Problem[]) => void;
  setRun: (run: RunRecord | undefined, running: boolean) => void;
  markSaved: (revision: number) => void;
  setRest: (rest: DocRest) => void;
}

export const portsOf =
  (state: Pick<EditorState, "types" | "ports">) =>
  (node: GraphNode): PortInfo | undefined => {
    const known = state.ports[node.id];
    if (known) return known;
    const summary = state.types.get(node.type);
    return summary && { inputs: summary.inputs, outputs: summary.outputs, trigger: summary.category === "trigger" };
  };

export const useEditor = create<EditorState>()((set, get) => {
  /** Record the current graph before an edit; `key` merges rapid edits of one field. */
  const checkpoint = (key?: string) => {
    const s = get();
    const now = Date.now();
    if (key && key === s.lastEditKey && now - s.lastEditAt < COALESCE_MS) {
      set({ lastEditAt: now });
      return;
    }
    const snap: Snapshot = { nodes: s.nodes, edges: s.edges, pinned: s.pinned };
    set({ past: [...s.past.slice(-HISTORY_LIMIT + 1), snap], future: [], lastEditKey: key, lastEditAt: now });
  };
  const edited = (patch: Partial<EditorState>) => set((s) => ({ ...patch, revision: s.revision + 1 }));

  return {
    nodes: [],
    edges: [],
    pinned: {},
    rest: { schemaVersion: 1, name: "" },
    types: new Map(),
    ports: {},
    past: [],
    future: [],
    lastEditAt: 0,
    revision: 0,
    savedRevision: 0,
    problems: [],
    running: false,
    readOnly: false,
    sample: "{}",

    load(graph, options = {}) {
      set({
        ...graph,
        past: [],
        future: [],
        lastEditKey: undefined,
        inspected: undefined,
        run: undefined,
        notice: undefined,
        readOnly: options.readOnly ?? false,
        revision: options.dirty ? 1 : 0,
        savedRevision: 0,
      });
    },
    setTypes: (list) => set({ types: new Map(list.map((t) => [t.type, t])) }),
    setPorts: (ports) => set({ ports }),

    onNodesChange(changes) {
      if (get().readOnly) changes = changes.filter((c) => c.type === "select" || c.type === "dimensions");
      // Removals go through deleteSelected (one history step with the edges); drags through beginDrag.
      const kept = changes.filter((c) => c.type !== "remove");
      const moved = kept.some((c) => c.type === "position" && c.position);
      const next = applyNodeChanges(kept, get().nodes);
      if (moved) edited({ nodes: next });
      else set({ nodes: next });
    },
    onEdgesChange(changes) {
      const kept = changes.filter((c) => c.type === "select");
      set({ edges: applyEdgeChanges(kept, get().edges) });
    },
    beginDrag: () => checkpoint(),

    connect(edge) {
      const s = get();
      const check = checkConnection(edge, { nodes: s.nodes.map(toGraphNode), edges: s.edges.map(toGraphEdge) }, portsOf(s));
      if (!check.ok) {
        set({ notice: { kind: "error", text: `Connection refused: ${check.reason}` } });
        return check;
      }
      checkpoint();
      edited({ edges: [...s.edges, toCanvasEdge(edge)], notice: undefined });
      return check;
    },

    addNode(type, position) {
      const s = get();
      const summary = s.types.get(type);
      if (!summary) return undefined;
      if (summary.category === "trigger" && type !== "trigger.manual") {
        const existing = s.nodes.find((n) => n.data.type !== "trigger.manual" && s.types.get(n.data.type)?.category === "trigger");
        if (existing) {
          set({ notice: { kind: "error", text: `A flow has one trigger: "${existing.id}" already starts this flow.` } });
          return undefined;
        }
      }
      checkpoint();
      const id = freshNodeId(type, new Set(s.nodes.map((n) => n.id)));
      const node: GateNode = { id, type: "gate", position, data: { type, config: {} }, selected: true };
      edited({ nodes: [...s.nodes.map((n) => ({ ...n, selected: false })), node], inspected: id, notice: undefined });
      return id;
    },

    updateNode(id, patch, editKey) {
      checkpoint(`${id}:${editKey}`);
      edited({
        nodes: get().nodes.map((n) => {
          if (n.id !== id) return n;
          const data = { ...n.data, ...patch };
          if (patch.name === "") delete data.name;
          return { ...n, data };
        }),
      });
    },

    deleteSelected() {
      const s = get();
      const gone = new Set(s.nodes.filter((n) => n.selected).map((n) => n.id));
      const edges = s.edges.filter((e) => !e.selected && !gone.has(e.source) && !gone.has(e.target));
      if (!gone.size && edges.length === s.edges.length) return;
      checkpoint();
      const pinned = Object.fromEntries(Object.entries(s.pinned).filter(([id]) => !gone.has(id)));
      edited({
        nodes: s.nodes.filter((n) => !gone.has(n.id)),
        edges,
        pinned,
        inspected: s.inspected && gone.has(s.inspected) ? undefined : s.inspected,
      });
    },

    copySelected() {
      const s = get();
      const nodes = s.nodes.filter((n) => n.selected);
      const ids = new Set(nodes.map((n) => n.id));
      const edges = s.edges.filter((e) => ids.has(e.source) && ids.has(e.target));
      if (nodes.length) set({ clipboard: { nodes, edges }, notice: { kind: "info", text: `Copied ${nodes.length} node${nodes.length > 1 ? "s" : ""}` } });
    },

    paste(offset = { x: 40, y: 40 }) {
      const s = get();
      const clip = s.clipboard;
      if (!clip) return;
      const taken = new Set(s.nodes.map((n) => n.id));
      const rename = new Map<string, string>();
      const pasted: GateNode[] = [];
      for (const n of clip.nodes) {
        const summary = s.types.get(n.data.type);
        // A pasted copy must not become a second trigger.
        if (summary?.category === "trigger" && n.data.type !== "trigger.manual" && s.nodes.some((m) => m.data.type === n.data.type)) continue;
        const id = freshNodeId(n.id, taken);
        taken.add(id);
        rename.set(n.id, id);
        pasted.push({ ...n, id, selected: true, position: { x: n.position.x + offset.x, y: n.position.y + offset.y }, data: structuredClone(n.data) });
      }
      if (!pasted.length) {
        set({ notice: { kind: "error", text: "Nothing pasted: a flow has one trigger." } });
        return;
      }
      const edges = clip.edges
        .filter((e) => rename.has(e.source) && rename.has(e.target))
        .map((e) => toCanvasEdge({ from: rename.get(e.source)!, fromPort: e.sourceHandle ?? "main", to: rename.get(e.target)!, toPort: e.targetHandle ?? "main" }));
      checkpoint();
      edited({ nodes: [...s.nodes.map((n) => ({ ...n, selected: false })), ...pasted], edges: [...s.edges, ...edges] });
    },

    undo() {
      const s = get();
      const prev = s.past.at(-1);
      if (!prev || s.readOnly) return;
      edited({
        ...prev,
        past: s.past.slice(0, -1),
        future: [{ nodes: s.nodes, edges: s.edges, pinned: s.pinned }, ...s.future],
        lastEditKey: undefined,
      });
    },
    redo() {
      const s = get();
      const next = s.future[0];
      if (!next || s.readOnly) return;
      edited({
        ...next,
        past: [...s.past, { nodes: s.nodes, edges: s.edges, pinned: s.pinned }],
        future: s.future.slice(1),
        lastEditKey: undefined,
      });
    },

    applyLayout(positions) {
      checkpoint();
      edited({ nodes: get().nodes.map((n) => (positions[n.id] ? { ...n, position: positions[n.id]! } : n)) });
    },

    pin(id, items) {
      checkpoint();
      const pinned = { ...get().pinned };
      if (items) pinned[id] = items;
      else delete pinned[id];
      edited({ pinned });
    },

    inspect: (id) => set({ inspected: id }),
    notify: (notice) => set({ notice }),
    setProblems: (problems) => set({ problems }),
    setRun: (run, running) => set({ run, running }),
    markSaved: (revision) => set({ savedRevision: revision }),
    setRest: (rest) => edited({ rest }),
  };
});

export function toGraphNode(n: GateNode): GraphNode {
  return { id: n.id, type: n.data.type, config: n.data.config };
}

export function toGraphEdge(e: GateEdge) {
  return { from: e.source, fromPort: e.sourceHandle ?? "main", to: e.target, toPort: e.targetHandle ?? "main" };
}

/** The document being edited, as it would be saved. */
export function currentDoc(s: Pick<EditorState, "nodes" | "edges" | "pinned" | "rest"> = useEditor.getState()) {
  return graphToDoc(s);
}

export { docToGraph };
