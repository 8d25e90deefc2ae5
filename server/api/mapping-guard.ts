/**
 * Analysts may change mappings, not the shape of a flow. A save by an analyst is allowed when,
 * apart from the config of mapping nodes, layout and test data, the flow stays exactly as it was.
 */
import { isDeepStrictEqual } from "node:util";
import type { NodeRegistry } from "../engine/registry";

interface DocLike {
  name?: unknown;
  nodes?: { id?: unknown; type?: unknown; config?: unknown; credential?: unknown }[];
  edges?: unknown;
  settings?: unknown;
}

function structure(doc: DocLike, registry: NodeRegistry) {
  return {
    name: doc.name,
    nodes: (doc.nodes ?? []).map((n) => {
      const category = typeof n.type === "string" ? registry.get(n.type)?.category : undefined;
      return { id: n.id, type: n.type, config: category === "mapping" ? "(mapping)" : n.config };
    }),
    edges: doc.edges,
    settings: doc.settings,
  };
}

export function onlyMappingsChanged(before: unknown, after: unknown, registry: NodeRegistry): boolean {
  if (!before || !after || typeof before !== "object" || typeof after !== "object") return false;
  return isDeepStrictEqual(structure(before, registry), structure(after, registry));
}
