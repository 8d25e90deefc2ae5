/**
 * Gate's synchronous fast path for the JSONata that visual mappings produce.
 *
 * Why hand-written: jsonata 2.x has no synchronous evaluation API. Every evaluate() returns a
 * promise and walks the AST again, awaiting at each node, which costs microseconds per item;
 * the interpreter evaluates expressions per item and needs a small fraction of that. So the
 * subset of JSONata that mappings use (paths, variables, literals, operators, conditionals,
 * some built-in functions, object and array constructors; see fast-ast.ts) is compiled once
 * and evaluated synchronously, mostly without allocating. Two back ends share these semantics:
 * fast-codegen.ts generates one JavaScript function per expression (used normally), and this
 * file builds nested closures (used where code generation is disabled).
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
import {
  type Mode,
  type Node,
  type VariableRef,
  callParts,
  isLiteral,
  isNode,
  nodeList,
  objectPairs,
  pathParts,
  variableRef,
} from "./fast-ast";
import { type Evaluator, arrayOf, field, groupContext, hasBinding, negate, toBoolean, walk, walkFrom } from "./fast-ops";

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
  return isLiteral(value) ? () => value : undefined;
}

function compileVariable(name: unknown): Evaluator | undefined {
  const ref = variableRef(name);
  if (ref === undefined) return undefined;
  return variableEvaluator(ref);
}

function variableEvaluator(ref: VariableRef): Evaluator {
  if (ref.kind === "context") return (context) => context;
  if (ref.kind === "root") return (_c, _b, root) => root;
  const { name } = ref;
  return (_c, bindings) => (hasBinding(bindings, name) ? bindings![name] : undefined);
}

function compilePath(node: Node, mode: Mode): Evaluator | undefined {
  const parts = pathParts(node);
  if (parts === undefined) return undefined;
  const { names } = parts;
  if (parts.head !== undefined) {
    const head = variableEvaluator(parts.head);
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

/** `[a, b]`: see arrayOf for how members combine. */
function compileArray(node: Node, mode: Mode): Evaluator | undefined {
  const items = nodeList(node.expressions);
  const members = items && compileAll(items, mode);
  if (items === undefined || members === undefined) return undefined;
  const keepWhole = items.map((item) => item.value === "[");
  return (c, b, r) => arrayOf(members.map((member) => member(c, b, r)), keepWhole);
}

/**
 * `{"k": v, …}` with distinct literal keys; undefined values are left out. jsonata evaluates the
 * values against the context "grouped" by key: at the top that is the input itself; inside an
 * enclosing constructor an array context is merged member by member (see groupContext).
 */
function compileObject(node: Node, mode: Mode): Evaluator | undefined {
  const pairs = objectPairs(node);
  if (pairs === undefined) return undefined;
  const keys = pairs.map(([key]) => key);
  const values = compileAll(pairs.map(([, value]) => value), "nested");
  if (values === undefined) return undefined;
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
  const call = callParts(node);
  if (call === undefined) return undefined;
  const args = compileAll(call.args, mode);
  return args && compileCall(call.name, args);
}
