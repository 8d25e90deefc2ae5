import {
  ConfigError,
  ConfigExpressions,
  compileExpression,
  formatPath,
  parseConfig,
  type AnyNodeDefinition,
} from "../../../nodes/sdk";
import type { NodeRegistry } from "../registry";
import { checkEdge, topoOrder } from "./graph";
import { FlowDoc, type FlowDocInput } from "./schema";
import { findMarked, findInlineSecrets } from "./config-scan";

export interface Problem {
  /** Where, e.g. `nodes[map].config.fields[0].expr` or `edges[2].to`. */
  path: string;
  message: string;
  /** The node the problem belongs to, when there is one (the editor marks it). */
  node?: string;
}

export type ValidationResult =
  /** `flow` has defaults filled in; `source` is the document as written (what is stored and exported). */
  | { ok: true; flow: FlowDoc; source: FlowDocInput; problems: [] }
  | { ok: false; flow?: FlowDoc; problems: Problem[] };

/** Check a flow document and report every problem, not just the first. */
export function validateFlow(raw: unknown, registry: NodeRegistry): ValidationResult {
  const parsed = FlowDoc.safeParse(raw);
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.map((i) => shapeProblem(raw, i.path, i.message)) };
  const flow = parsed.data;
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const node of flow.nodes) {
    const at = `nodes[${node.id}]`;
    if (seen.has(node.id)) problems.push({ path: `${at}.id`, node: node.id, message: `node id "${node.id}" is used twice` });
    seen.add(node.id);
    const def = registry.get(node.type);
    if (!def) {
      problems.push({ path: `${at}.type`, node: node.id, message: unknownTypeMessage(node.type, registry.types()) });
      continue;
    }
    for (const p of checkNodeConfig(def, node.config, registry.configSchema(node.type)!))
      problems.push({ path: p.path ? `${at}.config.${p.path}` : `${at}.config`, node: node.id, message: p.message });
  }
  problems.push(...checkEdges(flow, registry), ...checkTriggers(flow, registry));
  const sorted = topoOrder(
    flow.nodes.map((n) => n.id),
    flow.edges,
  );
  if ("cycle" in sorted)
    problems.push({
      path: "edges",
      node: sorted.cycle[0],
      message: `the flow has a cycle: ${sorted.cycle.join(" → ")} (a flow must not loop back; repetition is a node's job)`,
    });
  if (problems.length) return { ok: false, flow, problems };
  // FlowDoc accepted `raw`, so it has FlowDoc's input shape.
  return { ok: true, flow, source: raw as FlowDocInput, problems: [] };
}

/** Config problems of one node, paths relative to its config. */
export function checkNodeConfig(
  def: AnyNodeDefinition,
  rawConfig: unknown,
  jsonSchema: Record<string, unknown>,
): { path: string; message: string }[] {
  const problems = findInlineSecrets(rawConfig, jsonSchema).map((path) => ({
    path,
    message: "this looks like a secret written into the flow; store it as a credential and reference it by name",
  }));
  let config: Record<string, unknown>;
  try {
    config = parseConfig(def.config, rawConfig);
  } catch (error) {
    if (error instanceof ConfigError) return [...problems, ...error.issues];
    throw error;
  }
  for (const field of findMarked(jsonSchema, config, "jsonata")) {
    try {
      compileExpression(field.value as string);
    } catch (error) {
      problems.push({ path: formatPath(field.path), message: `expression does not compile: ${(error as Error).message}` });
    }
  }
  try {
    ConfigExpressions.find(config);
  } catch (error) {
    if (error instanceof ConfigError) problems.push(...error.issues);
    else throw error;
  }
  if (problems.length === 0 && def.prepare) {
    try {
      def.prepare({ config, compile: compileExpression });
    } catch (error) {
      problems.push({ path: "", message: (error as Error).message });
    }
  }
  return problems;
}

function checkEdges(flow: FlowDoc, registry: NodeRegistry): Problem[] {
  const problems: Problem[] = [];
  flow.edges.forEach((edge, index) => {
    // Checked against the edges before it, so a duplicate is reported once; cycles are reported
    // once for the whole graph by topoOrder.
    const check = checkEdge(edge, { nodes: flow.nodes, edges: flow.edges.slice(0, index) }, registry.portsOf);
    if (!check.ok)
      problems.push({ path: `edges[${index}]`, node: edge.from, message: check.reason });
  });
  return problems;
}

function checkTriggers(flow: FlowDoc, registry: NodeRegistry): Problem[] {
  const triggers = flow.nodes.filter((n) => registry.get(n.type)?.category === "trigger");
  if (triggers.length === 0)
    return [{ path: "nodes", message: "the flow has no trigger: add one (e.g. trigger.manual or trigger.webhook) to start it" }];
  const unique = triggers.filter((n) => registry.get(n.type)?.multiple !== true);
  return unique.slice(1).map((n) => ({
    path: `nodes[${n.id}]`,
    node: n.id,
    message: `a flow has one trigger; "${unique[0]!.id}" already starts this flow`,
  }));
}

function unknownTypeMessage(type: string, known: string[]): string {
  const lower = type.toLowerCase();
  const close =
    known.find((k) => k.toLowerCase() === lower || k.endsWith(`.${type}`)) ??
    known.find((k) => editDistance(k.toLowerCase(), lower) <= 2);
  return `unknown node type "${type}"${close ? `; did you mean "${close}"?` : ""}`;
}

/** Levenshtein distance, for typo hints on a few dozen short names (no library needed for that). */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}

/** Map a zod path like `["nodes", 2, "config"]` to `nodes[map].config` using the node's id. */
function shapeProblem(raw: unknown, path: PropertyKey[], message: string): Problem {
  const nodes = (raw as { nodes?: unknown } | null)?.nodes;
  if (path[0] === "nodes" && typeof path[1] === "number" && Array.isArray(nodes)) {
    const id = (nodes[path[1]] as { id?: unknown } | undefined)?.id;
    if (typeof id === "string" && id) {
      const rest = formatPath(path.slice(2));
      return { path: `nodes[${id}]${rest ? (rest.startsWith("[") ? rest : `.${rest}`) : ""}`, node: id, message };
    }
  }
  return { path: formatPath(path) || "flow", message };
}
