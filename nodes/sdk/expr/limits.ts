import type jsonata from "jsonata";

/**
 * Bounds on one evaluation of a JSONata expression by the jsonata library. Expressions come from
 * flow authors but run on data from outside, inside the Gate process itself, so a mistaken (or
 * hostile) expression must end in an error, never a hang or a crash:
 *
 * - JSONata optimises tail calls, so `($f := function($x){$f($x)}; $f(1))` loops forever without
 *   growing the stack: only a clock stops it.
 * - Non-tail recursion grows jsonata's evaluation depth; stopping it at a fixed depth gives a clear
 *   error long before Node's own stack runs out.
 * - The range operator is capped at 1e7 by jsonata itself; the same cap on every sequence keeps
 *   other ways of building one (`$map`, nested paths) from growing without end.
 *
 * jsonata checks these at each evaluation step (its `guardrails`), per call to `evaluate`, so one
 * compiled expression shared by concurrent runs keeps a separate clock and depth for each. A single
 * built-in call (one huge `$pad`, one regular expression) is not interrupted midway; V8's own string
 * length limit ends the huge-string cases with an error.
 */
export const EXPRESSION_LIMITS = {
  /**
   * Milliseconds one evaluation may take. Visual mappings take microseconds and summing a million
   * numbers takes ~0.1 s; the clock is also what bounds memory, as jsonata cannot count bytes.
   */
  timeout: 1000,
  /** Nested evaluation steps (AST depth plus recursion): recursion about 2,500 calls deep. */
  stack: 10_000,
  /** Elements in one sequence. */
  sequence: 10_000_000,
} as const satisfies jsonata.JsonataOptions;
