/**
 * Binary operators for the fast path (see fast.ts). Each closure handles the common operand
 * types inline and defers to the ports in fast-ops.ts for everything else (including errors).
 */
import {
  type ArithmeticOp,
  type ComparisonOp,
  type Evaluator,
  arithmetic,
  compare,
  concat,
  deepEqual,
  includes,
  toBool,
} from "./fast-ops";

const ARITHMETIC: Record<ArithmeticOp, (l: number, r: number) => number> = {
  "+": (l, r) => l + r,
  "-": (l, r) => l - r,
  "*": (l, r) => l * r,
  "/": (l, r) => l / r,
  "%": (l, r) => l % r,
};

const ORDER: Record<ComparisonOp, (l: number | string, r: number | string) => boolean> = {
  "<": (l, r) => l < r,
  "<=": (l, r) => l <= r,
  ">": (l, r) => l > r,
  ">=": (l, r) => l >= r,
};

/** The closure for `lhs op rhs`; undefined for operators outside the subset (e.g. `..`). */
export function binaryOperator(op: string, lhs: Evaluator, rhs: Evaluator): Evaluator | undefined {
  // As in jsonata, both sides are evaluated before either is checked (except for and/or).
  if (Object.hasOwn(ARITHMETIC, op)) {
    const fast = ARITHMETIC[op as ArithmeticOp];
    return (c, b, r) => {
      const l = lhs(c, b, r);
      const rv = rhs(c, b, r);
      return typeof l === "number" && typeof rv === "number" && Number.isFinite(l) && Number.isFinite(rv)
        ? fast(l, rv)
        : arithmetic(op as ArithmeticOp, l, rv);
    };
  }
  if (Object.hasOwn(ORDER, op)) {
    const fast = ORDER[op as ComparisonOp];
    return (c, b, r) => {
      const l = lhs(c, b, r);
      const rv = rhs(c, b, r);
      const sameType = (typeof l === "number" && typeof rv === "number") || (typeof l === "string" && typeof rv === "string");
      return sameType ? fast(l, rv) : compare(op as ComparisonOp, l, rv);
    };
  }
  switch (op) {
    case "=":
    case "!=": {
      const equal = op === "=";
      return (c, b, r) => {
        const l = lhs(c, b, r);
        const rv = rhs(c, b, r);
        if (l === undefined || rv === undefined) return false;
        return (l === rv || deepEqual(l, rv)) === equal;
      };
    }
    case "&":
      return (c, b, r) => {
        const l = lhs(c, b, r);
        const rv = rhs(c, b, r);
        return typeof l === "string" && typeof rv === "string" ? l + rv : concat(l, rv);
      };
    case "and":
      return (c, b, r) => toBool(lhs(c, b, r)) && toBool(rhs(c, b, r));
    case "or":
      return (c, b, r) => toBool(lhs(c, b, r)) || toBool(rhs(c, b, r));
    case "in":
      return (c, b, r) => includes(lhs(c, b, r), rhs(c, b, r));
    default:
      return undefined;
  }
}
