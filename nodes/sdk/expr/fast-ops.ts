/**
 * Run-time semantics of JSONata 2.x values and operators for the fast path (see fast.ts).
 * Each function is a port of the matching piece of jsonata's jsonata.js / utils.js, named in its
 * comment, so that the fast path agrees with the library value for value and error for error;
 * where the port adds a shortcut for common types, the shortcut gives the same answer.
 */

export type Bindings = Record<string, unknown>;

/**
 * A compiled sub-expression. `context` is the value `$` refers to, `root` the evaluation input
 * (`$$`); both are passed rather than captured so one closure tree serves every evaluation.
 */
export type Evaluator = (context: unknown, bindings: Bindings | undefined, root: unknown) => unknown;

/** Thrown where jsonata throws; `code` is jsonata's error code (e.g. "T2001"). */
export class FastEvalError extends Error {
  readonly code: string;
  readonly value: unknown;
  constructor(code: string, message: string, value?: unknown) {
    super(message);
    this.name = "FastEvalError";
    this.code = code;
    this.value = value;
  }
}

const show = (value: unknown): string => {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
};

/** Whether jsonata sees `name` among the bindings: it binds their own enumerable keys. */
export function hasBinding(bindings: Bindings | undefined, name: string): boolean {
  // jsonata binds the enumerable properties of the bindings object; Gate's bindings are plain
  // objects whose own properties are all enumerable, and Object.hasOwn has a fast path in V8.
  return bindings !== undefined && Object.hasOwn(bindings, name);
}

// ---------------------------------------------------------------- type tests (utils.js)

/** utils.isNumeric: NaN is not numeric; ±Infinity is an error (D1001), not a number. */
export function isNumeric(n: unknown): n is number {
  if (typeof n !== "number" || Number.isNaN(n)) return false;
  if (!Number.isFinite(n)) throw new FastEvalError("D1001", `Number out of range: ${show(n)}`, n);
  return true;
}

/** utils.isFunction: JS functions and jsonata's own function/lambda objects. */
export function isFunction(value: unknown): boolean {
  if (typeof value === "function") return true;
  if (value === null || typeof value !== "object") return false;
  const marked = value as { _jsonata_function?: unknown; _jsonata_lambda?: unknown };
  return marked._jsonata_function === true || marked._jsonata_lambda === true;
}

// ---------------------------------------------------------------- casts (functions.js)

/** fn.boolean: JSONata's effective boolean value; undefined stays undefined. */
export function toBoolean(arg: unknown): boolean | undefined {
  if (arg === undefined) return undefined;
  if (typeof arg === "boolean") return arg;
  if (typeof arg === "string") return arg.length > 0;
  if (Array.isArray(arg)) {
    if (arg.length === 1) return toBoolean(arg[0]);
    // jsonata casts every member (no short cut), so a bad number anywhere still throws D1001
    let any = false;
    for (const item of arg) if (toBoolean(item)) any = true;
    return any;
  }
  if (isNumeric(arg)) return arg !== 0;
  if (arg !== null && typeof arg === "object" && !isFunction(arg)) return Object.keys(arg).length > 0;
  return false;
}

/** The `and`/`or` operand cast (jsonata's boolize): undefined counts as false. */
export function toBool(arg: unknown): boolean {
  return toBoolean(arg) ?? false;
}

// Numbers inside $string are rounded to 15 significant digits so 0.1+0.2 prints as 0.3.
function stringifyReplacer(_key: string, val: unknown): unknown {
  if (val !== undefined && val !== null && isNumeric(val)) {
    return Number.isInteger(val) ? val : Number(val.toPrecision(15));
  }
  return val && isFunction(val) ? "" : val;
}

/** fn.string: the text JSONata's `&` and `$string` produce. */
export function toText(arg: unknown, prettify = false): string | undefined {
  if (arg === undefined) return undefined;
  if (typeof arg === "string") return arg;
  if (typeof arg === "number") {
    if (!Number.isFinite(arg)) throw new FastEvalError("D3001", "Attempting to invoke string function on Infinity or NaN", arg);
    // JSON.stringify of a finite number is String(); only non-integers need rounding
    return Number.isInteger(arg) ? String(arg) : String(Number(arg.toPrecision(15)));
  }
  if (isFunction(arg)) return "";
  return JSON.stringify(arg, stringifyReplacer, prettify ? 2 : 0);
}

// ---------------------------------------------------------------- operators (jsonata.js)

/** utils.isDeepEqual, used by `=` and `!=`. */
export function deepEqual(lhs: unknown, rhs: unknown): boolean {
  if (lhs === rhs) return true;
  if (typeof lhs !== "object" || typeof rhs !== "object" || lhs === null || rhs === null) return false;
  if (Array.isArray(lhs) && Array.isArray(rhs)) {
    if (lhs.length !== rhs.length) return false;
    for (let i = 0; i < lhs.length; i++) if (!deepEqual(lhs[i], rhs[i])) return false;
    return true;
  }
  // like jsonata, anything else compares own property names (so an array can equal an object with `length`)
  const lkeys = Object.getOwnPropertyNames(lhs).sort();
  const rkeys = Object.getOwnPropertyNames(rhs).sort();
  if (lkeys.length !== rkeys.length) return false;
  for (let i = 0; i < lkeys.length; i++) if (lkeys[i] !== rkeys[i]) return false;
  const l = lhs as Record<string, unknown>;
  const r = rhs as Record<string, unknown>;
  for (const key of lkeys) if (!deepEqual(l[key], r[key])) return false;
  return true;
}

/** evaluateEqualityExpression: an undefined side makes both `=` and `!=` false. */
export function equals(op: "=" | "!=", lhs: unknown, rhs: unknown): boolean {
  if (lhs === undefined || rhs === undefined) return false;
  return op === "=" ? deepEqual(lhs, rhs) : !deepEqual(lhs, rhs);
}

export type ArithmeticOp = "+" | "-" | "*" | "/" | "%";

/** evaluateNumericExpression: T2001/T2002 for non-numbers, undefined if a side is undefined. */
export function arithmetic(op: ArithmeticOp, lhs: unknown, rhs: unknown): number | undefined {
  if (lhs !== undefined && !isNumeric(lhs)) {
    throw new FastEvalError("T2001", `The left side of the "${op}" operator must evaluate to a number`, lhs);
  }
  if (rhs !== undefined && !isNumeric(rhs)) {
    throw new FastEvalError("T2002", `The right side of the "${op}" operator must evaluate to a number`, rhs);
  }
  if (lhs === undefined || rhs === undefined) return undefined;
  switch (op) {
    case "+":
      return lhs + rhs;
    case "-":
      return lhs - rhs;
    case "*":
      return lhs * rhs;
    case "/":
      return lhs / rhs;
    case "%":
      return lhs % rhs;
  }
}

export type ComparisonOp = "<" | "<=" | ">" | ">=";

/** evaluateComparisonExpression: strings with strings, numbers with numbers, else T2009/T2010. */
export function compare(op: ComparisonOp, lhs: unknown, rhs: unknown): boolean | undefined {
  const ltype = typeof lhs;
  const rtype = typeof rhs;
  const lok = ltype === "undefined" || ltype === "string" || ltype === "number";
  const rok = rtype === "undefined" || rtype === "string" || rtype === "number";
  if (!lok || !rok) {
    const value = ltype === "string" || ltype === "number" ? rhs : lhs;
    throw new FastEvalError("T2010", `The expressions either side of operator "${op}" must evaluate to numeric or string values`, value);
  }
  if (lhs === undefined || rhs === undefined) return undefined;
  if (ltype !== rtype) {
    throw new FastEvalError("T2009", `The values ${show(lhs)} and ${show(rhs)} either side of operator "${op}" must be of the same data type`, lhs);
  }
  const l = lhs as string | number;
  const r = rhs as string | number;
  switch (op) {
    case "<":
      return l < r;
    case "<=":
      return l <= r;
    case ">":
      return l > r;
    case ">=":
      return l >= r;
  }
}

/** evaluateStringConcat: `&` casts both sides with $string, undefined becoming "". */
export function concat(lhs: unknown, rhs: unknown): string {
  return (lhs === undefined ? "" : toText(lhs)!) + (rhs === undefined ? "" : toText(rhs)!);
}

/** evaluateIncludesExpression: `in` tests strict membership. */
export function includes(lhs: unknown, rhs: unknown): boolean {
  if (lhs === undefined || rhs === undefined) return false;
  if (!Array.isArray(rhs)) return rhs === lhs;
  for (const item of rhs) if (item === lhs) return true;
  return false;
}

/** evaluateUnary '-': D1002 for anything but a number. */
export function negate(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (isNumeric(value)) return -value;
  throw new FastEvalError("D1002", `Cannot negate a non-numeric value: ${show(value)}`, value);
}

/** fn.append, which array constructors and object-constructor grouping use to merge values. */
export function append(arg1: unknown, arg2: unknown): unknown {
  if (arg1 === undefined) return arg2;
  if (arg2 === undefined) return arg1;
  const head = Array.isArray(arg1) ? arg1 : [arg1];
  return head.concat(Array.isArray(arg2) ? arg2 : [arg2]);
}

/** evaluateGroupExpression with constant keys: every member of an array context joins the one group. */
export function groupContext(context: unknown): unknown {
  if (!Array.isArray(context)) return context;
  if (context.length === 0) return undefined; // jsonata groups one undefined member then
  let data: unknown = context[0];
  for (let i = 1; i < context.length; i++) data = append(data, context[i]);
  return data;
}

/**
 * An array constructor's members, evaluated: undefined members are dropped and array values are
 * spliced in one level (jsonata's append), except values of nested array constructors (`keepWhole`).
 */
export function arrayOf(members: readonly unknown[], keepWhole: readonly boolean[]): unknown[] {
  const result: unknown[] = [];
  for (let i = 0; i < members.length; i++) {
    const v = members[i];
    if (v === undefined) continue;
    if (Array.isArray(v) && !keepWhole[i]) for (const x of v) result.push(x);
    else result.push(v);
  }
  return result;
}

// ---------------------------------------------------------------- path navigation

/** fn.lookup on a non-array: an own field of an object (never of a function), else undefined. */
export function field(input: unknown, key: string): unknown {
  if (input === null || typeof input !== "object" || !Object.hasOwn(input, key)) return undefined;
  const object = input as Record<string, unknown>;
  return object._jsonata_function === true || object._jsonata_lambda === true ? undefined : object[key];
}

/** fn.lookup on an array, appended to `out`: searches nested arrays and flattens array fields one level. */
function lookupInto(input: readonly unknown[], key: string, out: unknown[]): void {
  for (const item of input) {
    if (Array.isArray(item)) {
      lookupInto(item, key, out);
      continue;
    }
    const value = field(item, key);
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) out.push(v);
    else out.push(value);
  }
}

/** What evaluate() makes of a sequence: empty → undefined, one member → that member. */
export function unwrap(sequence: readonly unknown[]): unknown {
  return sequence.length === 0 ? undefined : sequence.length === 1 ? sequence[0] : sequence;
}

/**
 * evaluatePath/evaluateStep for name steps `names[from..]` over the input sequence `items`.
 * Returns the path's value after evaluate()'s unwrapping. The one place where a sequence and a
 * plain array behave differently is the last step: a single plain array found there is returned
 * as is (even with 0 or 1 members), whereas a sequence is unwrapped.
 */
export function walk(items: readonly unknown[], names: readonly string[], from: number): unknown {
  let sequence = items;
  for (let i = from; i < names.length; i++) {
    const key = names[i]!;
    const results: unknown[] = [];
    let firstIsSequence = false;
    for (const item of sequence) {
      if (Array.isArray(item)) {
        const found: unknown[] = [];
        lookupInto(item, key, found);
        if (found.length === 0) continue;
        if (results.length === 0) firstIsSequence = found.length > 1;
        results.push(unwrap(found));
      } else {
        const value = field(item, key);
        if (value !== undefined) results.push(value);
      }
    }
    if (i === names.length - 1 && results.length === 1 && Array.isArray(results[0]) && !firstIsSequence) {
      return results[0];
    }
    const flat: unknown[] = [];
    for (const r of results) {
      if (Array.isArray(r)) for (const v of r) flat.push(v);
      else flat.push(r);
    }
    if (flat.length === 0) return undefined;
    sequence = flat;
  }
  return unwrap(sequence);
}

/**
 * A path whose input sequence is the single value `start`: the common case of `a.b.c` over
 * plain objects runs without allocating; an array on the way hands over to walk().
 */
export function walkFrom(start: unknown, names: readonly string[], from: number): unknown {
  if (Array.isArray(start)) return walk([start], names, from);
  let current = start;
  const last = names.length - 1;
  for (let i = from; i <= last; i++) {
    const value = field(current, names[i]!);
    if (value === undefined) return undefined;
    if (Array.isArray(value)) return i === last ? value : walk(value, names, i + 1);
    current = value;
  }
  return current;
}
