/**
 * The JSONata subset of the fast path, read off jsonata's AST. Both back ends (closures in
 * fast.ts, generated JavaScript in fast-codegen.ts) decide what they support here, so they can
 * never disagree on which expressions leave the jsonata library.
 */

/** An AST node; which fields it has depends on `type` (see ALLOWED_KEYS). */
export interface Node {
  readonly type: string;
  readonly value?: unknown;
  readonly [key: string]: unknown;
}

/**
 * Where an expression is evaluated. At the top, jsonata wraps an array input so that the first
 * path step looks into the array as a whole; inside an object constructor's values the context
 * is a plain value, and a path steps through an array context member by member.
 */
export type Mode = "top" | "nested";

// The fields each supported node type may carry. Anything else (predicates, stages, grouping,
// focus/index binding, keepArray `[]`, parent references…) changes evaluation, so a node with an
// unknown field is outside the subset.
const ALLOWED_KEYS: Record<string, readonly string[]> = {
  path: ["type", "steps"],
  name: ["type", "value", "position"],
  variable: ["type", "value", "position"],
  string: ["type", "value", "position"],
  number: ["type", "value", "position"],
  value: ["type", "value", "position"],
  unary: ["type", "value", "position", "expression", "expressions", "lhs"],
  binary: ["type", "value", "position", "lhs", "rhs"],
  condition: ["type", "position", "condition", "then", "else"],
  block: ["type", "position", "expressions"],
  function: ["type", "value", "position", "arguments", "procedure", "name"],
};

// Variables that name a built-in resolve to a function value, which the subset does not handle.
const JSONATA_FUNCTIONS = new Set(
  ("sum count max min average string substring substringBefore substringAfter lowercase uppercase length " +
    "trim pad match contains replace split join formatNumber formatBase formatInteger parseInteger number " +
    "floor ceil round abs sqrt power random boolean not map zip filter single reduce sift keys lookup append " +
    "exists spread merge reverse each error assert type sort shuffle distinct base64encode base64decode " +
    "encodeUrlComponent encodeUrl decodeUrlComponent decodeUrl eval toMillis fromMillis clone now millis").split(" "),
);

// Keys jsonata treats specially or that a plain object cannot hold as data.
const RESERVED_KEYS = new Set(["__proto__", "_jsonata_lambda", "_jsonata_function"]);

export function isNode(value: unknown): value is Node {
  if (value === null || typeof value !== "object" || typeof (value as Node).type !== "string") return false;
  const allowed = ALLOWED_KEYS[(value as Node).type];
  if (allowed === undefined) return false;
  for (const [key, v] of Object.entries(value)) if (v !== undefined && !allowed.includes(key)) return false;
  return true;
}

export function nodeList(value: unknown): Node[] | undefined {
  return Array.isArray(value) && value.every(isNode) ? value : undefined;
}

export type Literal = null | string | number | boolean;

export function isLiteral(value: unknown): value is Literal {
  return value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}

/** `$` is the context, `$$` the input, `$name` a binding; a built-in's name is outside the subset. */
export type VariableRef = { kind: "context" } | { kind: "root" } | { kind: "binding"; name: string };

export function variableRef(name: unknown): VariableRef | undefined {
  if (name === "") return { kind: "context" };
  if (name === "$") return { kind: "root" };
  if (typeof name !== "string" || JSONATA_FUNCTIONS.has(name)) return undefined;
  return { kind: "binding", name };
}

/** A path of name steps, optionally starting at a variable (`$.a`, `$$.a`, `$flow.name`). */
export interface PathParts {
  head: VariableRef | undefined;
  names: string[];
}

export function pathParts(node: Node): PathParts | undefined {
  const steps = nodeList(node.steps);
  if (steps === undefined || steps.length === 0) return undefined;
  const first = steps[0]!;
  const rest = first.type === "variable" ? steps.slice(1) : steps;
  if (!rest.every((step) => step.type === "name" && typeof step.value === "string")) return undefined;
  const names = rest.map((step) => step.value as string);
  if (first.type !== "variable") return { head: undefined, names };
  const head = variableRef(first.value);
  return head && { head, names };
}

/** `{"k": v, …}` with distinct literal keys that are not reserved. */
export function objectPairs(node: Node): [string, unknown][] | undefined {
  const pairs = node.lhs;
  if (!Array.isArray(pairs)) return undefined;
  const out: [string, unknown][] = [];
  for (const pair of pairs) {
    if (!Array.isArray(pair) || pair.length !== 2) return undefined;
    const [key, value] = pair as [unknown, unknown];
    if (!isNode(key) || key.type !== "string" || typeof key.value !== "string") return undefined;
    if (RESERVED_KEYS.has(key.value) || out.some(([k]) => k === key.value)) return undefined;
    out.push([key.value, value]);
  }
  return out;
}

/** `$name(args…)` with a plain built-in name (not a lambda or a path). */
export function callParts(node: Node): { name: string; args: unknown[] } | undefined {
  const procedure = node.procedure;
  if (node.value !== "(" || !isNode(procedure) || procedure.type !== "variable") return undefined;
  if (typeof procedure.value !== "string" || !Array.isArray(node.arguments)) return undefined;
  return { name: procedure.value, args: node.arguments };
}
