/**
 * The built-in functions the fast path (fast.ts) supports, with jsonata's argument checking.
 * JSONata checks every call against a signature such as `<s-nn?:s>`: arguments of the wrong type
 * raise T0410/T0412, and a missing first argument marked `-` is taken from the context value,
 * which can even happen when the first argument has the wrong type (`$substring(5, 2)`).
 * parseSignature/validate below are ports of jsonata's signature.js so those cases come out the
 * same; a call whose arguments plainly fit skips them (see `fitsPlainly`).
 * The implementations are ports of jsonata's functions.js, named alike.
 */
import {
  type Bindings,
  type Evaluator,
  FastEvalError,
  hasBinding,
  isFunction,
  toBoolean,
  toText,
} from "./fast-ops";

type Impl = (a?: unknown, b?: unknown, c?: unknown) => unknown;

// ---------------------------------------------------------------- signatures (signature.js)

interface Param {
  type: string;
  regex: string;
  /** `-`: when not supplied, the context value is used if it matches `contextRegex`. */
  contextRegex: RegExp | undefined;
  subtype: string | undefined;
}

interface Signature {
  params: Param[];
  regex: RegExp;
}

function closingBracket(text: string, start: number, open: string, close: string): number {
  let depth = 1;
  let position = start;
  while (position < text.length) {
    position++;
    const symbol = text.charAt(position);
    if (symbol === close) {
      depth--;
      if (depth === 0) break;
    } else if (symbol === open) {
      depth++;
    }
  }
  return position;
}

function parseSignature(signature: string): Signature {
  const params: Param[] = [];
  const fresh = (): Param => ({ type: "", regex: "", contextRegex: undefined, subtype: undefined });
  let param = fresh();
  let prev = param;
  const next = () => {
    params.push(param);
    prev = param;
    param = fresh();
  };
  for (let position = 1; position < signature.length; position++) {
    const symbol = signature.charAt(position);
    if (symbol === ":") break;
    if ("snblo".includes(symbol)) {
      param.regex = `[${symbol}m]`;
      param.type = symbol;
      next();
    } else if (symbol === "a" || symbol === "x") {
      param.regex = "[asnblfom]";
      param.type = symbol;
      next();
    } else if (symbol === "f") {
      param.regex = "f";
      param.type = symbol;
      next();
    } else if (symbol === "j") {
      param.regex = "[asnblom]";
      param.type = symbol;
      next();
    } else if (symbol === "-") {
      prev.contextRegex = new RegExp(prev.regex);
      prev.regex += "?";
    } else if (symbol === "?" || symbol === "+") {
      prev.regex += symbol;
    } else if (symbol === "(") {
      const end = closingBracket(signature, position, "(", ")");
      const choice = signature.substring(position + 1, end);
      param.regex = `[${choice}m]`;
      param.type = `(${choice})`;
      position = end;
      next();
    } else if (symbol === "<") {
      const end = closingBracket(signature, position, "<", ">");
      prev.subtype = signature.substring(position + 1, end);
      position = end;
    }
  }
  return { params, regex: new RegExp(`^${params.map((p) => `(${p.regex})`).join("")}$`) };
}

/** The one-letter type jsonata matches signatures against; `m` is "missing" (undefined). */
function symbolOf(value: unknown): string {
  if (isFunction(value)) return "f";
  switch (typeof value) {
    case "string":
      return "s";
    case "number":
      return "n";
    case "boolean":
      return "b";
    case "object":
      return value === null ? "l" : Array.isArray(value) ? "a" : "o";
    default:
      return "m";
  }
}

const ARRAY_OF: Record<string, string> = { a: "arrays", b: "booleans", f: "functions", n: "numbers", o: "objects", s: "strings" };

function mismatch(name: string, args: readonly unknown[], supplied: string, signature: Signature): never {
  // like jsonata: report the first argument that the signature, read left to right, cannot take
  let pattern = "^";
  let goodTo = 0;
  for (const param of signature.params) {
    pattern += param.regex;
    const match = supplied.match(pattern);
    if (match === null) break;
    goodTo = match[0].length;
  }
  throw new FastEvalError("T0410", `Argument ${goodTo + 1} of function "${name}" does not match function signature`, args[goodTo]);
}

/** validate() of signature.js: returns the arguments the implementation receives. */
function validate(name: string, signature: Signature, args: readonly unknown[], context: unknown): unknown[] {
  let supplied = "";
  for (const arg of args) supplied += symbolOf(arg);
  const matched = signature.regex.exec(supplied);
  if (matched === null) mismatch(name, args, supplied, signature);
  const validated: unknown[] = [];
  let argIndex = 0;
  signature.params.forEach((param, index) => {
    const match = matched[index + 1] ?? "";
    if (match === "") {
      if (param.contextRegex) {
        if (!param.contextRegex.test(symbolOf(context))) {
          throw new FastEvalError("T0411", `Context value is not a compatible type with argument ${argIndex + 1} of function "${name}"`, context);
        }
        validated.push(context);
      } else {
        validated.push(args[argIndex++]);
      }
      return;
    }
    for (const single of match) {
      const arg = args[argIndex];
      validated.push(param.type === "a" ? arrayArgument(name, param, single, match, arg, argIndex) : arg);
      argIndex++;
    }
  });
  return validated;
}

/** An `a<…>` argument: a single value of the item type is wrapped in an array. */
function arrayArgument(name: string, param: Param, single: string, match: string, arg: unknown, argIndex: number): unknown {
  if (single === "m") return undefined;
  let ok = true;
  if (param.subtype !== undefined) {
    if (single !== "a" && match !== param.subtype) {
      ok = false;
    } else if (single === "a") {
      const items = arg as unknown[];
      if (items.length > 0) {
        const itemType = symbolOf(items[0]);
        ok = itemType === param.subtype.charAt(0) && items.every((item) => symbolOf(item) === itemType);
      }
    }
  }
  if (!ok) {
    const type = ARRAY_OF[param.subtype ?? ""] ?? param.subtype;
    throw new FastEvalError("T0412", `Argument ${argIndex + 1} of function "${name}" must be an array of ${type}`, arg);
  }
  return single === "a" ? arg : [arg];
}

// ---------------------------------------------------------------- implementations (functions.js)

function sum(args: unknown): number | undefined {
  if (args === undefined) return undefined;
  let total = 0;
  for (const n of args as number[]) total += n;
  return total;
}

function average(args: unknown): number | undefined {
  const items = args as number[] | undefined;
  if (items === undefined || items.length === 0) return undefined;
  return sum(items)! / items.length;
}

function extreme(pick: (...values: number[]) => number): Impl {
  return (args) => {
    const items = args as number[] | undefined;
    if (items === undefined || items.length === 0) return undefined;
    return pick.apply(Math, items);
  };
}

function substring(str: unknown, startArg: unknown, length: unknown): string | undefined {
  if (str === undefined) return undefined;
  // counted in code points, as jsonata does
  const chars = Array.from(str as string);
  let start = startArg as number;
  if (chars.length + start < 0) start = 0;
  if (length !== undefined) {
    const len = length as number;
    if (len <= 0) return "";
    const end = start >= 0 ? start + len : chars.length + start + len;
    return chars.slice(start, end).join("");
  }
  return chars.slice(start).join("");
}

// `chars` may be undefined here (the signature lets `m` through); jsonata then searches for
// "undefined" and may fail on `chars.length`, and so do these ports.
function substringBefore(str: unknown, chars: unknown): string | undefined {
  if (str === undefined) return undefined;
  const text = str as string;
  const pos = text.indexOf(chars as string);
  return pos > -1 ? text.substring(0, pos) : text;
}

function substringAfter(str: unknown, chars: unknown): string | undefined {
  if (str === undefined) return undefined;
  const text = str as string;
  const pos = text.indexOf(chars as string);
  return pos > -1 ? text.substring(pos + (chars as string).length) : text;
}

function trim(str: unknown): string | undefined {
  if (str === undefined) return undefined;
  let result = (str as string).replace(/[ \t\n\r]+/gm, " ");
  if (result.charAt(0) === " ") result = result.substring(1);
  if (result.charAt(result.length - 1) === " ") result = result.substring(0, result.length - 1);
  return result;
}

function contains(str: unknown, token: unknown): boolean | undefined {
  if (str === undefined || token === undefined) return undefined;
  if (typeof token === "string") return (str as string).includes(token);
  // a matcher function (only reachable through a function-valued binding) may be async in jsonata
  throw new FastEvalError("GATE_FAST_UNSUPPORTED", "$contains with a function argument is not supported on the fast path");
}

function join(strs: unknown, separator: unknown): string | undefined {
  if (strs === undefined) return undefined;
  return (strs as string[]).join(separator === undefined ? "" : (separator as string));
}

function number(arg: unknown): number | undefined {
  if (arg === undefined) return undefined;
  if (typeof arg === "number") return arg;
  if (typeof arg === "string") {
    if (/^-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?$/.test(arg) && !Number.isNaN(parseFloat(arg)) && Number.isFinite(Number(arg))) {
      return parseFloat(arg);
    }
    if (/^(0[xX][0-9A-Fa-f]+)|(0[oO][0-7]+)|(0[bB][0-1]+)$/.test(arg)) return Number(arg);
  }
  if (arg === true) return 1;
  if (arg === false) return 0;
  throw new FastEvalError("D3030", `Unable to cast value to a number: ${JSON.stringify(arg)}`, arg);
}

function mathOf(op: (x: number) => number): Impl {
  return (arg) => (arg === undefined ? undefined : op(arg as number));
}

/** fn.round: round half to even, shifting the decimal point in text to avoid float error. */
function round(argIn: unknown, precision: unknown): number | undefined {
  if (argIn === undefined) return undefined;
  let arg = argIn as number;
  const places = precision as number | undefined;
  if (places) {
    const value = arg.toString().split("e");
    arg = +(value[0] + "e" + (value[1] ? +value[1] + places : places));
  }
  let result = Math.round(arg);
  const diff = result - arg;
  if (Math.abs(diff) === 0.5 && Math.abs(result % 2) === 1) result = result - 1;
  if (places) {
    const value = result.toString().split("e");
    result = +(value[0] + "e" + (value[1] ? +value[1] - places : -places));
  }
  return Object.is(result, -0) ? 0 : result;
}

// ---------------------------------------------------------------- the table

type Fits = (value: unknown) => boolean;
const anyValue: Fits = () => true;
const str: Fits = (v) => v === undefined || typeof v === "string";
const num: Fits = (v) => v === undefined || typeof v === "number";
const bool: Fits = (v) => v === undefined || typeof v === "boolean";
const scalar: Fits = (v) => v === undefined || typeof v === "string" || typeof v === "number" || typeof v === "boolean";

interface Builtin {
  name: string;
  signature: Signature;
  impl: Impl;
  /** Per parameter, a test that an argument in that position fits it plainly; none for arrays. */
  fits: readonly Fits[] | undefined;
}

function builtin(name: string, signature: string, impl: Impl, fits?: readonly Fits[]): [string, Builtin] {
  return [name, { name, signature: parseSignature(signature), impl, fits }];
}

const BUILTINS = new Map<string, Builtin>([
  builtin("sum", "<a<n>:n>", sum),
  builtin("count", "<a:n>", (args) => (args === undefined ? 0 : (args as unknown[]).length)),
  builtin("max", "<a<n>:n>", extreme(Math.max)),
  builtin("min", "<a<n>:n>", extreme(Math.min)),
  builtin("average", "<a<n>:n>", average),
  builtin("string", "<x-b?:s>", (arg, prettify) => toText(arg, prettify === true), [anyValue, bool]),
  builtin("substring", "<s-nn?:s>", substring, [str, num, num]),
  builtin("substringBefore", "<s-s:s>", substringBefore, [str, str]),
  builtin("substringAfter", "<s-s:s>", substringAfter, [str, str]),
  builtin("lowercase", "<s-:s>", (s) => (s === undefined ? undefined : (s as string).toLowerCase()), [str]),
  builtin("uppercase", "<s-:s>", (s) => (s === undefined ? undefined : (s as string).toUpperCase()), [str]),
  builtin("length", "<s-:n>", (s) => (s === undefined ? undefined : Array.from(s as string).length), [str]),
  builtin("trim", "<s-:s>", trim, [str]),
  builtin("contains", "<s-(sf):b>", contains, [str, str]),
  builtin("join", "<a<s>s?:s>", join),
  builtin("number", "<(nsb)-:n>", number, [scalar]),
  builtin("floor", "<n-:n>", mathOf(Math.floor), [num]),
  builtin("ceil", "<n-:n>", mathOf(Math.ceil), [num]),
  builtin("abs", "<n-:n>", mathOf(Math.abs), [num]),
  builtin("round", "<n-n?:n>", round, [num, num]),
  builtin("boolean", "<x-:b>", toBoolean, [anyValue]),
  builtin("not", "<x-:b>", (arg) => (arg === undefined ? undefined : !toBoolean(arg)), [anyValue]),
  builtin("exists", "<x:b>", (arg) => arg !== undefined, [anyValue]),
]);

// ---------------------------------------------------------------- calls

/**
 * jsonata looks function names up among the bindings first, so a binding may replace a built-in.
 * A non-function there fails as in jsonata (T1006); a function cannot be called synchronously.
 */
function checkNotShadowed(name: string, bindings: Bindings | undefined): void {
  if (!hasBinding(bindings, name)) return;
  if (isFunction(bindings![name])) {
    throw new FastEvalError("GATE_FAST_UNSUPPORTED", `the binding $${name} replaces a built-in function; not supported on the fast path`);
  }
  throw new FastEvalError("T1006", "Attempted to invoke a non-function", bindings![name]);
}

/**
 * The tests under which `count` arguments are matched by the signature one to one, so that
 * validate() would hand them over unchanged; undefined when that can never be. Each parameter
 * after the supplied ones must be optional and must not take the context value, otherwise
 * jsonata fills it from the context or shifts the arguments.
 */
function fitsPlainlyFor(fn: Builtin, count: number): readonly Fits[] | undefined {
  const { fits, signature } = fn;
  if (fits === undefined || count > signature.params.length) return undefined;
  for (const param of signature.params.slice(count)) {
    if (!param.regex.endsWith("?") || param.contextRegex !== undefined) return undefined;
  }
  return fits.slice(0, count);
}

/** The full jsonata route: check the arguments against the signature, then call. */
function invoke(fn: Builtin, args: readonly unknown[], context: unknown): unknown {
  const v = validate(fn.name, fn.signature, args, context);
  return fn.impl(v[0], v[1], v[2]);
}

export function isSupportedFunction(name: string): boolean {
  return BUILTINS.has(name);
}

/** A built-in applied to already evaluated arguments; `context` feeds a missing first argument. */
export type BuiltinCall = (context: unknown, bindings: Bindings | undefined, ...args: unknown[]) => unknown;

/** The call of `$name` with `argc` arguments; undefined when `name` is not a supported built-in. */
export function builtinCall(name: string, argc: number): BuiltinCall | undefined {
  const fn = BUILTINS.get(name);
  if (fn === undefined) return undefined;
  const fits = fitsPlainlyFor(fn, argc);
  const impl = fn.impl;
  // Specialised for the common one- and two-argument calls whose arguments fit, to skip validate().
  if (fits !== undefined && argc === 1) {
    const [f0] = fits as [Fits];
    return (c, b, v0) => {
      if (b !== undefined) checkNotShadowed(name, b);
      return f0(v0) ? impl(v0) : invoke(fn, [v0], c);
    };
  }
  if (fits !== undefined && argc === 2) {
    const [f0, f1] = fits as [Fits, Fits];
    return (c, b, v0, v1) => {
      if (b !== undefined) checkNotShadowed(name, b);
      return f0(v0) && f1(v1) ? impl(v0, v1) : invoke(fn, [v0, v1], c);
    };
  }
  return (c, b, ...values) => {
    checkNotShadowed(name, b);
    if (fits !== undefined && fits.every((f, i) => f(values[i]))) return impl(values[0], values[1], values[2]);
    return invoke(fn, values, c);
  };
}

/** Compile `$name(args…)` to a closure; undefined when `name` is not a supported built-in. */
export function compileCall(name: string, args: readonly Evaluator[]): Evaluator | undefined {
  const call = builtinCall(name, args.length);
  if (call === undefined) return undefined;
  if (args.length === 1) {
    const [a0] = args as [Evaluator];
    return (c, b, r) => call(c, b, a0(c, b, r));
  }
  if (args.length === 2) {
    const [a0, a1] = args as [Evaluator, Evaluator];
    return (c, b, r) => {
      const v0 = a0(c, b, r);
      return call(c, b, v0, a1(c, b, r));
    };
  }
  return (c, b, r) => call(c, b, ...args.map((arg) => arg(c, b, r)));
}
