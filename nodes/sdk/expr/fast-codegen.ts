/**
 * The fast path's subset (fast-ast.ts) compiled to JavaScript source, one function per expression.
 *
 * Why: the closures of fast.ts are shared code, so V8 keeps one set of type feedback for every
 * expression of the process and their property reads and calls go megamorphic; per item that
 * costs several times the work itself. A function generated per expression gets its own feedback,
 * so `customer.email` becomes two monomorphic property reads that the optimiser can inline.
 *
 * The generated code inlines only the common case of each construct (plain objects, numbers,
 * strings) and hands everything else to the same ports of jsonata's semantics the closures use
 * (fast-ops.ts, fast-functions.ts), so both back ends mean the same; fast.test.ts checks both
 * against the jsonata library. Safety: the source contains only identifiers made here, operators
 * picked from fixed tables, and literals written with JSON.stringify; nothing from the expression
 * text is spliced in raw. Where code generation is disabled (`--disallow-code-generation-from-strings`)
 * generateFast returns undefined and the caller uses the closures.
 */
import type jsonata from "jsonata";
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
import { builtinCall } from "./fast-functions";
import {
  arithmetic,
  arrayOf,
  compare,
  concat,
  deepEqual,
  groupContext,
  includes,
  negate,
  toBool,
  toBoolean,
  walk,
  walkFrom,
} from "./fast-ops";

export type GeneratedEvaluator = (input: unknown, bindings: Record<string, unknown> | undefined) => unknown;

// The run-time helpers the generated code may call, under the names it uses for them.
const HELPERS = {
  arithmetic,
  arrayOf,
  compare,
  concat,
  deepEqual,
  getPrototypeOf: Object.getPrototypeOf,
  groupContext,
  hasOwn: Object.hasOwn,
  includes,
  isArray: Array.isArray,
  isFinite: Number.isFinite,
  negate,
  objectPrototype: Object.prototype,
  toBool,
  toBoolean,
  walk,
  walkFrom,
};
const HELPER_NAMES = Object.keys(HELPERS).join(", ");

const ARITHMETIC = new Set(["+", "-", "*", "/", "%"]);
const ORDER = new Set(["<", "<=", ">", ">="]);
// Built-ins whose common case (one string argument) is a single string method.
const STRING_METHODS: Record<string, string> = { lowercase: "toLowerCase", uppercase: "toUpperCase" };

class Unsupported extends Error {}

/**
 * A generated function equal in result to `await jsonata(src).evaluate(input, bindings)`, or
 * undefined outside the subset or where code generation is disabled. `onError` turns what the
 * evaluation throws into the caller's error (inside the generated function, so the caller need
 * not wrap it in a second, shared, function).
 */
export function generateFast(ast: jsonata.ExprNode, onError?: (error: unknown) => Error): GeneratedEvaluator | undefined {
  const generator = new Generator();
  let body: string;
  try {
    body = generator.expression(ast, "top", "c");
  } catch {
    return undefined; // outside the subset (Unsupported), or an AST shape this compiler does not expect
  }
  const temps = generator.temps > 0 ? `let ${Array.from({ length: generator.temps }, (_, i) => `t${i}`).join(", ")};` : "";
  const ret = onError ? `try { return ${body}; } catch (error) { throw onError(error); }` : `return ${body};`;
  const constants = generator.constants.map((_, i) => `k${i}`);
  const source = `"use strict";
const { ${HELPER_NAMES} } = helpers;
return function evaluate(c, b) {
  const r = c;
  ${temps}
  ${ret}
};`;
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- deliberate, see the file comment: no expression text is spliced in raw
    const factory = new Function("helpers", "onError", ...constants, source) as (...args: unknown[]) => GeneratedEvaluator;
    return factory(HELPERS, onError, ...generator.constants);
  } catch {
    return undefined; // code generation disallowed in this process
  }
}

/** Builds one JavaScript expression per AST node; temporaries `tN` and constants `kN` are declared by generateFast. */
class Generator {
  temps = 0;
  readonly constants: unknown[] = [];

  private temp(): string {
    return `t${this.temps++}`;
  }

  /** A value the generated code needs but that is not worth writing as a literal (arrays, functions). */
  private constant(value: unknown): string {
    this.constants.push(value);
    return `k${this.constants.length - 1}`;
  }

  /** `ctx` is the identifier holding the context value (`$`). */
  expression(node: unknown, mode: Mode, ctx: string): string {
    if (!isNode(node)) throw new Unsupported();
    switch (node.type) {
      case "string":
      case "number":
      case "value":
        return this.literal(node.value);
      case "path":
        return this.path(node, mode, ctx);
      case "variable": {
        const ref = variableRef(node.value);
        if (ref === undefined) throw new Unsupported();
        return this.variable(ref, ctx);
      }
      case "unary":
        return this.unary(node, mode, ctx);
      case "binary":
        return this.binary(node, mode, ctx);
      case "condition":
        return this.condition(node, mode, ctx);
      case "block":
        return this.block(node, mode, ctx);
      case "function":
        return this.call(node, mode, ctx);
      default:
        throw new Unsupported();
    }
  }

  private literal(value: unknown): string {
    if (!isLiteral(value)) throw new Unsupported();
    // JSON.stringify would write -0 as 0 and Infinity as null: such numbers travel as constants.
    if (typeof value === "number" && (!Number.isFinite(value) || Object.is(value, -0))) return this.constant(value);
    return `(${JSON.stringify(value)})`;
  }

  private variable(ref: VariableRef, ctx: string): string {
    if (ref.kind === "context") return ctx;
    if (ref.kind === "root") return "r";
    const name = JSON.stringify(ref.name);
    return `(b !== undefined && hasOwn(b, ${name}) ? b[${name}] : undefined)`;
  }

  /**
   * fast-ops' `field` for an identifier `x` known not to be an array, inlined. jsonata reads own
   * properties only, but Object.hasOwn is a call V8 does not inline, so the read comes first and
   * ownership is settled by the prototype, which the optimiser knows from the object's map: on a
   * plain object a key that Object.prototype lacks can only be own. (A shared helper for this
   * measured 3× slower: its checks would see every expression's objects and keys.)
   */
  private field(x: string, key: string): string {
    const k = JSON.stringify(key);
    const value = this.temp();
    const proto = this.temp();
    const own = `((${proto} = getPrototypeOf(${x})) === objectPrototype ? !(${k} in objectPrototype) || hasOwn(${x}, ${k}) : ${proto} === null || hasOwn(${x}, ${k}))`;
    const notFunction = `${x}._jsonata_function !== true && ${x}._jsonata_lambda !== true`;
    return `(typeof ${x} === "object" && ${x} !== null && (${value} = ${x}[${k}]) !== undefined && ${own} && ${notFunction} ? ${value} : undefined)`;
  }

  /** walkFrom (fast-ops.ts) unrolled for plain objects; arrays on the way go to walk(). */
  private path(node: Node, mode: Mode, ctx: string): string {
    const parts = pathParts(node);
    if (parts === undefined) throw new Unsupported();
    const { names } = parts;
    const all = this.constant(names);
    if (parts.head !== undefined) {
      const head = this.variable(parts.head, ctx);
      if (names.length === 0) return head;
      const t = this.temp();
      // the variable's value is the input sequence of the next step, an array member by member
      return `(isArray(${t} = ${head}) ? walk(${t}, ${all}, 0) : walkFrom(${t}, ${all}, 0))`;
    }
    const overArray = mode === "top" ? `walk([${ctx}], ${all}, 0)` : `walk(${ctx}, ${all}, 0)`;
    // a chain of conditionals, which nests to the right without parentheses
    let code = "";
    let current = ctx;
    for (let i = 0; i < names.length - 1; i++) {
      const t = this.temp();
      code += `(${t} = ${this.field(current, names[i]!)}) === undefined ? undefined : isArray(${t}) ? walk(${t}, ${all}, ${i + 1}) : `;
      current = t;
    }
    // the last step's value is the result as is, an array included
    code += this.field(current, names[names.length - 1]!);
    return `(isArray(${ctx}) ? ${overArray} : ${code})`;
  }

  private unary(node: Node, mode: Mode, ctx: string): string {
    if (node.value === "-") {
      const t = this.temp();
      const operand = this.expression(node.expression, mode, ctx);
      return `(typeof (${t} = ${operand}) === "number" && isFinite(${t}) ? -${t} : negate(${t}))`;
    }
    if (node.value === "[") {
      const items = nodeList(node.expressions);
      if (items === undefined) throw new Unsupported();
      const members = items.map((item) => this.expression(item, mode, ctx));
      const keepWhole = this.constant(items.map((item) => item.value === "["));
      return `arrayOf([${members.join(", ")}], ${keepWhole})`;
    }
    if (node.value === "{") return this.object(node, mode, ctx);
    throw new Unsupported();
  }

  /** See compileObject in fast.ts: values see the grouped context; undefined values are left out. */
  private object(node: Node, mode: Mode, ctx: string): string {
    const pairs = objectPairs(node);
    if (pairs === undefined) throw new Unsupported();
    let code = "(";
    let context = ctx;
    if (mode === "nested") {
      context = this.temp();
      code += `${context} = groupContext(${ctx}), `;
    }
    const out = this.temp();
    code += `${out} = {}, `;
    for (const [key, value] of pairs) {
      const t = this.temp();
      code += `(${t} = ${this.expression(value, "nested", context)}) !== undefined && (${out}[${JSON.stringify(key)}] = ${t}), `;
    }
    return `${code}${out})`;
  }

  private binary(node: Node, mode: Mode, ctx: string): string {
    const op = node.value;
    if (typeof op !== "string") throw new Unsupported();
    const lhs = this.expression(node.lhs, mode, ctx);
    const rhs = this.expression(node.rhs, mode, ctx);
    if (op === "and" || op === "or") return `(${this.bool(lhs)} ${op === "and" ? "&&" : "||"} ${this.bool(rhs)})`;
    if (op === "in") return `includes(${lhs}, ${rhs})`;
    // As in jsonata, both sides are evaluated before either is checked.
    const l = this.temp();
    const r = this.temp();
    const both = `${l} = ${lhs}, ${r} = ${rhs}`;
    const quoted = JSON.stringify(op);
    if (ARITHMETIC.has(op)) {
      const numbers = `typeof ${l} === "number" && typeof ${r} === "number" && isFinite(${l}) && isFinite(${r})`;
      return `(${both}, ${numbers} ? ${l} ${op} ${r} : arithmetic(${quoted}, ${l}, ${r}))`;
    }
    if (ORDER.has(op)) {
      const sameType = `(typeof ${l} === "number" && typeof ${r} === "number") || (typeof ${l} === "string" && typeof ${r} === "string")`;
      return `(${both}, ${sameType} ? ${l} ${op} ${r} : compare(${quoted}, ${l}, ${r}))`;
    }
    if (op === "=" || op === "!=") {
      return `(${both}, ${l} !== undefined && ${r} !== undefined && (${l} === ${r} || deepEqual(${l}, ${r})) === ${op === "="})`;
    }
    if (op === "&") return `(${both}, typeof ${l} === "string" && typeof ${r} === "string" ? ${l} + ${r} : concat(${l}, ${r}))`;
    throw new Unsupported();
  }

  /** The and/or operand cast (toBool), with booleans answered inline. */
  private bool(code: string): string {
    const t = this.temp();
    return `(typeof (${t} = ${code}) === "boolean" ? ${t} : toBool(${t}))`;
  }

  private condition(node: Node, mode: Mode, ctx: string): string {
    const t = this.temp();
    const test = this.expression(node.condition, mode, ctx);
    const then = this.expression(node.then, mode, ctx);
    const otherwise = node.else === undefined ? "undefined" : this.expression(node.else, mode, ctx);
    return `((typeof (${t} = ${test}) === "boolean" ? ${t} : toBoolean(${t})) ? ${then} : ${otherwise})`;
  }

  /** `(a; b)`: without assignments (outside the subset) only the last value matters, but all run. */
  private block(node: Node, mode: Mode, ctx: string): string {
    if (!Array.isArray(node.expressions)) throw new Unsupported();
    const parts = node.expressions.map((part) => this.expression(part, mode, ctx));
    return parts.length === 0 ? "undefined" : `(${parts.join(", ")})`;
  }

  private call(node: Node, mode: Mode, ctx: string): string {
    const parts = callParts(node);
    const call = parts && builtinCall(parts.name, parts.args.length);
    if (parts === undefined || call === undefined) throw new Unsupported();
    const args = parts.args.map((arg) => this.expression(arg, mode, ctx));
    const fn = this.constant(call);
    const method = Object.hasOwn(STRING_METHODS, parts.name) ? STRING_METHODS[parts.name] : undefined;
    if (method !== undefined && args.length === 1) {
      // the plain case inline; the built-in's own code handles the rest (undefined, bad types, a shadowing binding)
      const t = this.temp();
      const name = JSON.stringify(parts.name);
      return `(typeof (${t} = ${args[0]}) === "string" && (b === undefined || !hasOwn(b, ${name})) ? ${t}.${method}() : ${fn}(${ctx}, b, ${t}))`;
    }
    return `${fn}(${[ctx, "b", ...args].join(", ")})`;
  }
}
