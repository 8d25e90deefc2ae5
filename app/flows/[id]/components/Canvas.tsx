"use client";

import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  useStore,
  type Connection,
  type NodeMouseHandler,
  type NodeTypes,
} from "@xyflow/react";
import { useCallback, useEffect, useRef, useState, type DragEvent } from "react";
import { useShallow } from "zustand/react/shallow";
import type { GateNode } from "../lib/graph-doc";
import { useEditor } from "../store";
import { NodeCard } from "./NodeCard";
import { DRAG_MIME } from "./Palette";

const nodeTypes: NodeTypes = { gate: NodeCard };

/**
 * Above this many nodes only what is in view is in the page. Every node and edge in the page costs
 * the browser hit testing and layer work on each frame of a drag, seen or not (a 300-node flow:
 * 2–3× the 16 ms frame budget); small flows keep every node in the page.
 */
const RENDER_ONLY_VISIBLE_ABOVE = 100;

/**
 * Below this zoom a node's small print (icon, id, port names) cannot be read; the canvas draws
 * compact nodes (title, problem mark, run badge), which also keeps a drag of a large flow within
 * the frame budget. Ports cannot be hit at that size either, so they are hidden too.
 */
const COMPACT_BELOW_ZOOM = 0.4;

/** The graph: drop nodes from the palette, connect ports, select and move. Edits go to the store. */
export function Canvas({ emptyHint, fitOnInit }: { emptyHint?: string; fitOnInit?: boolean }) {
  const { nodes, edges, readOnly } = useEditor(useShallow((s) => ({ nodes: s.nodes, edges: s.edges, readOnly: s.readOnly })));
  const { onNodesChange, onEdgesChange, connect, beginDrag, inspect, addNode } = useEditor.getState();
  const flow = useReactFlow();
  const compact = useStore((s) => s.transform[2] < COMPACT_BELOW_ZOOM);
  // While a node is dragged the viewport is a compositing layer of its own (.canvas.is-dragging).
  const [dragging, setDragging] = useState(false);
  const onNodeDragStart = useCallback(() => {
    beginDrag();
    setDragging(true);
  }, [beginDrag]);
  const onNodeDragStop = useCallback(() => setDragging(false), []);
  const inspected = useEditor((s) => s.inspected);
  const box = useRef<HTMLDivElement>(null);

  // Opening the inspector narrows the canvas: bring the node it shows back into view if it went out.
  useEffect(() => {
    if (!inspected) return;
    const frame = requestAnimationFrame(() => {
      const node = flow.getInternalNode(inspected);
      const area = box.current?.getBoundingClientRect();
      if (!node || !area) return;
      const { x, y } = node.internals.positionAbsolute;
      const width = node.measured.width ?? 0;
      const height = node.measured.height ?? 0;
      const topLeft = flow.flowToScreenPosition({ x, y });
      const bottomRight = flow.flowToScreenPosition({ x: x + width, y: y + height });
      const inside = topLeft.x >= area.left && topLeft.y >= area.top && bottomRight.x <= area.right && bottomRight.y <= area.bottom;
      if (!inside) void flow.setCenter(x + width / 2, y + height / 2, { zoom: flow.getZoom(), duration: 200 });
    });
    return () => cancelAnimationFrame(frame);
  }, [inspected, flow]);

  const onConnect = useCallback(
    (c: Connection) => connect({ from: c.source, fromPort: c.sourceHandle ?? "main", to: c.target, toPort: c.targetHandle ?? "main" }),
    [connect],
  );
  const onNodeClick: NodeMouseHandler<GateNode> = useCallback((_e, node) => inspect(node.id), [inspect]);
  const onDragOver = (event: DragEvent) => {
    if (!event.dataTransfer.types.includes(DRAG_MIME)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
  };
  const onDrop = (event: DragEvent) => {
    const type = event.dataTransfer.getData(DRAG_MIME);
    if (!type || readOnly) return;
    event.preventDefault();
    const at = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
    addNode(type, { x: at.x - 100, y: at.y - 30 });
  };

  return (
    <div ref={box} className={["canvas", compact && "is-compact", dragging && "is-dragging"].filter(Boolean).join(" ")} onDragOver={onDragOver} onDrop={onDrop}>
      <ReactFlow<GateNode>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onNodeDragStart={onNodeDragStart}
        onNodeDragStop={onNodeDragStop}
        onlyRenderVisibleElements={nodes.length > RENDER_ONLY_VISIBLE_ABOVE}
        onNodeClick={onNodeClick}
        onPaneClick={() => inspect(undefined)}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        deleteKeyCode={null}
        fitView={fitOnInit}
        fitViewOptions={{ maxZoom: 1.2, padding: 0.2 }}
        minZoom={0.1}
        proOptions={{ hideAttribution: true }}
        defaultEdgeOptions={{ type: "smoothstep" }}
      >
        <Background gap={20} size={1} color="#dfe3ea" />
        <MiniMap pannable zoomable ariaLabel="Minimap" nodeStrokeWidth={2} />
        <Controls showInteractive={false} />
      </ReactFlow>
      {nodes.length === 0 && emptyHint && (
        <div className="canvas-empty">
          <h2>An empty canvas</h2>
          <p>{emptyHint}</p>
        </div>
      )}
    </div>
  );
}
