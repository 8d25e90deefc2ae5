/**
 * Gate's synchronous fast path for the JSONata that visual mappings produce.
 *
 * Why hand-written: jsonata 2.x has no synchronous evaluation API. Every evaluate() returns a
 * promise and walks the AST again, awaiting at each node, which costs microseconds per item;
 * the interpreter evaluates expressions per item and needs a small fraction of that. So the
 * subset of JSONata that mappings use (paths, variables, literals, operators, conditionals,
 * some built-in functions, object and array constructors) is compiled once into nested
 * closures that evaluate synchronously, mostly without allocating.
 *
 * compileFast() returns undefined for any AST outside that subset, and the caller falls back
 * to the jsonata library, so an expression is never evaluated with different meaning. Inside
 * the subset, results and errors follow jsonata 2.x: the semantics live in fast-ops.ts,
 * fast-operators.ts and fast-functions.ts as ports of jsonata's own code.
 *
 * Deliberate differences, none visible in JSON: results are plain objects and arrays (jsonata
 * returns null-prototype objects and arrays flagged as "sequences"), and the input is never
 * mutated (jsonata may push `undefined` into an empty array context of a nested object
 * constructor). When several members of a constructor fail, jsonata evaluates them concurrently
 * and reports whichever fails first; this evaluates in order, so both throw but the code may
 * differ. Bindings are assumed to hold data (as ExpressionBindings does): a function-valued
 * binding that replaces a built-in, or a function passed to $contains, throws
 * GATE_FAST_UNSUPPORTED instead of being called.
 */
import type jsonata from "jsonata";
import { compileCall } from "./fast-functions";
import { binaryOperator } from "./fast-operators";
import { type Evaluator, append, field, hasBinding, negate, toBoolean, walk, walkFrom } from "./fast-ops";

export type FastEvaluator = (input: unknown, bindings: Record<string, unknown> | undefined) => unknown;

/**
 * Returns a JS closure equal in result to `await jsonata(src).evaluate(input, bindings)`, or
 * undefined when the AST uses anything outside the supported subset (the caller then falls back
 * to the jsonata library).
 */
export function compileFast(ast: jsonata.ExprNode): FastEvaluator | undefined {
  let compiled: Evaluator | undefined;
  try {
    compiled = compile(ast, "top");
  } catch {
    return undefined; // an AST shape this compiler does not expect: let jsonata handle it
  }
  if (compiled === undefined) return undefined;
  const evaluate = compiled;
  return (input, bindings) => evaluate(input, bindings, input);
}

/** An AST node; which fields it has depends on `type` (see ALLOWED_KEYS). */
interface Node {
  readonly type: string;
  readonly value?: unknown;
  readonly [key: string]: unknown;
}

/**
 * Where an expression is evaluated. At the top, jsonata wraps an array input so that the first
 * path step looks into the array as a whole; inside an object constructor's values the context
 * is a plain value, and a path steps through an array context member by member.
 */
type Mode = "top" | "nested";

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

function isNode(value: unknown): value is Node {
  if (value === null || typeof value !== "object" || typeof (value as Node).type !== "string") return false;
  const allowed = ALLOWED_KEYS[(value as Node).type];
  if (allowed === undefined) return false;
  for (const [key, v] of Object.entries(value)) if (v !== undefined && !allowed.includes(key)) return false;
  return true;
}

function nodeList(value: unknown): Node[] | undefined {
  return Array.isArray(value) && value.every(isNode) ? value : undefined;
}

function compile(node: unknown, mode: Mode): Evaluator | undefined {
  if (!isNode(node)) return undefined;
  switch (node.type) {
    case "string":
    case "number":
    case "value":
      return compileLiteral(node.value);
    case "path":
      return compilePath(node, mode);
    case "variable":
      return compileVariable(node.value);
    case "unary":
      return compileUnary(node, mode);
    case "binary":
      return compileBinary(node, mode);
    case "condition":
      return compileCondition(node, mode);
    case "block":
      return compileBlock(node, mode);
    case "function":
      return compileFunction(node, mode);
    default:
      return undefined;
  }
}

/** Compile every node, or give up if any is unsupported. */
function compileAll(nodes: readonly unknown[], mode: Mode): Evaluator[] | undefined {
  const out: Evaluator[] = [];
  for (const node of nodes) {
    const compiled = compile(node, mode);
    if (compiled === undefined) return undefined;
    out.push(compiled);
  }
  return out;
}

function compileLiteral(value: unknown): Evaluator | undefined {
  const ok = value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean";
  return ok ? () => value : undefined;
}

/** `$` is the context, `$$` the input, `$name` a binding. */
function compileVariable(name: unknown): Evaluator | undefined {
  if (name === "") return (context) => context;
  if (name === "$") return (_c, _b, root) => root;
  if (typeof name !== "string" || JSONATA_FUNCTIONS.has(name)) return undefined;
  return (_c, bindings) => (hasBinding(bindings, name) ? bindings![name] : undefined);
}

/** A path of name steps, optionally starting at a variable (`$.a`, `$$.a`, `$flow.name`). */
function compilePath(node: Node, mode: Mode): Evaluator | undefined {
  const steps = nodeList(node.steps);
  if (steps === undefined || steps.length === 0) return undefined;
  const first = steps[0]!;
  const rest = first.type === "variable" ? steps.slice(1) : steps;
  if (!rest.every((step) => step.type === "name" && typeof step.value === "string")) return undefined;
  const names = rest.map((step) => step.value as string);
  if (first.type === "variable") {
    const head = compileVariable(first.value);
    if (head === undefined) return undefined;
    if (names.length === 0) return head;
    // the variable's value is the input sequence of the next step, an array member by member
    return (c, b, r) => {
      const start = head(c, b, r);
      return Array.isArray(start) ? walk(start, names, 0) : walkFrom(start, names, 0);
    };
  }
  if (names.length === 1) {
    // a single step over a non-array is one field lookup (an array value is returned whole)
    const name = names[0]!;
    if (mode === "top") return (context) => (Array.isArray(context) ? walk([context], names, 0) : field(context, name));
    return (context) => (Array.isArray(context) ? walk(context, names, 0) : field(context, name));
  }
  if (mode === "top") return (context) => walkFrom(context, names, 0);
  return (context) => (Array.isArray(context) ? walk(context, names, 0) : walkFrom(context, names, 0));
}

function compileUnary(node: Node, mode: Mode): Evaluator | undefined {
  if (node.value === "-") {
    const operand = compile(node.expression, mode);
    if (operand === undefined) return undefined;
    return (c, b, r) => {
      const v = operand(c, b, r);
      return typeof v === "number" && Number.isFinite(v) ? -v : negate(v);
    };
  }
  if (node.value === "[") return compileArray(node, mode);
  if (node.value === "{") return compileObject(node, mode);
  return undefined;
}

/**
 * `[a, b]`: undefined members are dropped and array values are spliced in one level (jsonata's
 * append), except values of nested array constructors, which stay arrays.
 */
function compileArray(node: Node, mode: Mode): Evaluator | undefined {
  const items = nodeList(node.expressions);
  const members = items && compileAll(items, mode);
  if (items === undefined || members === undefined) return undefined;
  const keepWhole = items.map((item) => item.value === "[");
  return (c, b, r) => {
    const result: unknown[] = [];
    for (let i = 0; i < members.length; i++) {
      const v = members[i]!(c, b, r);
      if (v === undefined) continue;
      if (Array.isArray(v) && !keepWhole[i]) for (const x of v) result.push(x);
      else result.push(v);
    }
    return result;
  };
}

// Keys jsonata treats specially or that a plain object cannot hold as data.
const RESERVED_KEYS = new Set(["__proto__", "_jsonata_lambda", "_jsonata_function"]);

/**
 * `{"k": v, …}` with distinct literal keys; undefined values are left out. jsonata evaluates the
 * values against the context "grouped" by key: at the top that is the input itself; inside an
 * enclosing constructor an array context is merged member by member (see groupContext).
 */
function compileObject(node: Node, mode: Mode): Evaluator | undefined {
  const pairs = node.lhs;
  if (!Array.isArray(pairs)) return undefined;
  const keys: string[] = [];
  const values: Evaluator[] = [];
  for (const pair of pairs) {
    if (!Array.isArray(pair) || pair.length !== 2) return undefined;
    const [key, value] = pair as [unknown, unknown];
    if (!isNode(key) || key.type !== "string" || typeof key.value !== "string") return undefined;
    if (RESERVED_KEYS.has(key.value) || keys.includes(key.value)) return undefined;
    const compiled = compile(value, "nested");
    if (compiled === undefined) return undefined;
    keys.push(key.value);
    values.push(compiled);
  }
  return (c, b, r) => {
    const context = mode === "top" ? c : groupContext(c);
    const result: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) {
      const v = values[i]!(context, b, r);
      if (v !== undefined) result[keys[i]!] = v;
    }
    return result;
  };
}

/** evaluateGroupExpression with constant keys: every member of an array context joins the one group. */
function groupContext(context: unknown): unknown {
  if (!Array.isArray(context)) return context;
  if (context.length === 0) return undefined; // jsonata groups one undefined member then
  let data: unknown = context[0];
  for (let i = 1; i < context.length; i++) data = append(data, context[i]);
  return data;
}

function compileBinary(node: Node, mode: Mode): Evaluator | undefined {
  const lhs = compile(node.lhs, mode);
  const rhs = compile(node.rhs, mode);
  if (lhs === undefined || rhs === undefined || typeof node.value !== "string") return undefined;
  return binaryOperator(node.value, lhs, rhs);
}

function compileCondition(node: Node, mode: Mode): Evaluator | undefined {
  const test = compile(node.condition, mode);
  const then = compile(node.then, mode);
  const otherwise = node.else === undefined ? undefined : compile(node.else, mode);
  if (test === undefined || then === undefined || (node.else !== undefined && otherwise === undefined)) return undefined;
  return (c, b, r) => (toBoolean(test(c, b, r)) ? then(c, b, r) : otherwise?.(c, b, r));
}

/** `(a; b)`: without assignments (outside the subset) only the last value matters, but all run. */
function compileBlock(node: Node, mode: Mode): Evaluator | undefined {
  const parts = Array.isArray(node.expressions) ? compileAll(node.expressions, mode) : undefined;
  if (parts === undefined) return undefined;
  if (parts.length === 0) return () => undefined;
  if (parts.length === 1) return parts[0];
  return (c, b, r) => {
    let result: unknown;
    for (const part of parts) result = part(c, b, r);
    return result;
  };
}

function compileFunction(node: Node, mode: Mode): Evaluator | undefined {
  const procedure = node.procedure;
  if (node.value !== "(" || !isNode(procedure) || procedure.type !== "variable") return undefined;
  if (typeof procedure.value !== "string" || !Array.isArray(node.arguments)) return undefined;
  const args = compileAll(node.arguments, mode);
  return args && compileCall(procedure.value, args);
}
