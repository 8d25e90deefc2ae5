/**
 * Saved test cases: a flow carries inputs and the outputs expected of chosen nodes, and running
 * them says, field by field, where a change broke the flow. Cases run as test runs (destinations
 * dry-run, pinned data applies) and never as live executions.
 */
import { isDeepStrictEqual } from "node:util";
import type { Item, NodeHost } from "../../nodes/sdk";
import type { CompiledFlow } from "./flow/compile";
import { MAX_CASE_ITEMS, type FlowDoc, type TestCase } from "./flow/schema";
import type { Problem } from "./flow/validate";
import { runFlow, type CredentialResolver } from "./interpreter";
import type { NodeRegistry } from "./registry";
import type { RunRecord } from "./run-record";

/** One place where what a node produced differs from what the case expects. */
export interface Difference {
  /** `map.main[0].email`, `map.main` (the item count), or `run` (the run itself failed). */
  path: string;
  /** What differs, e.g. `expected "a@b.co", got "A@b.co"`. */
  message: string;
}

export interface CaseResult {
  name: string;
  passed: boolean;
  differences: Difference[];
  /** Nodes whose pinned output stood in for running them. */
  pinned: string[];
  status: RunRecord["status"];
  durationMs: number;
}

export interface CaseRunOptions {
  credentials?: CredentialResolver;
  host?: NodeHost;
  signal?: AbortSignal;
}

// ---------------------------------------------------------------------------------------------
// Paths: `node.port[0].field["odd key"]`, with `*` (any key) and `[*]` (any index) in ignore rules.

type Segment = { key: string } | { index: number };
/** A key of "*" matches any key or index. */
type PatternSegment = { key: string } | { index: number | "*" };

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

export function formatPath(segments: readonly Segment[]): string {
  let out = "";
  for (const segment of segments) {
    if ("index" in segment) out += `[${segment.index}]`;
    else if (PLAIN_KEY.test(segment.key)) out += out ? `.${segment.key}` : segment.key;
    else out += `[${JSON.stringify(segment.key)}]`;
  }
  return out;
}

/** Parse an ignore rule; throws an Error naming the character where it stops making sense. */
export function parseIgnorePath(source: string): PatternSegment[] {
  const out: PatternSegment[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`${why} at character ${i + 1} of "${source}"`);
  };
  const name = () => {
    const match = /^(\*|[A-Za-z_$][A-Za-z0-9_$-]*)/.exec(source.slice(i));
    if (!match) fail("expected a field name or *");
    i += match![0].length;
    out.push({ key: match![0] });
  };
  name();
  while (i < source.length) {
    if (source[i] === ".") {
      i++;
      name();
    } else if (source[i] === "[") {
      const match = /^\[(\*|\d+|"(?:[^"\\]|\\.)*")\]/.exec(source.slice(i));
      if (!match) fail('expected [*], [<number>] or ["key"]');
      const inner = match![1]!;
      out.push(inner === "*" ? { index: "*" } : inner.startsWith('"') ? { key: JSON.parse(inner) as string } : { index: Number(inner) });
      i += match![0].length;
    } else fail('expected "." or "["');
  }
  if (out.length < 2) throw new Error(`"${source}" names no port: write node.port, e.g. map.main[*].receivedAt`);
  return out;
}

function matches(pattern: readonly PatternSegment[], path: readonly Segment[]): boolean {
  if (pattern.length > path.length) return false;
  return pattern.every((p, i) => {
    const s = path[i]!;
    if ("index" in p) return "index" in s && (p.index === "*" || p.index === s.index);
    // `*` as a key also stands for an index, so `map.*.*` reads naturally.
    if (p.key === "*") return true;
    return "key" in s && s.key === p.key;
  });
}

// ---------------------------------------------------------------------------------------------
// Comparison

const MAX_VALUE_TEXT = 120;

function show(value: unknown): string {
  const text = value === undefined ? "nothing" : JSON.stringify(value);
  return text.length > MAX_VALUE_TEXT ? `${text.slice(0, MAX_VALUE_TEXT - 1)}…` : text;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

class Comparison {
  readonly differences: Difference[] = [];
  constructor(private readonly ignore: readonly PatternSegment[][]) {}

  ignored(path: readonly Segment[]): boolean {
    return this.ignore.some((pattern) => matches(pattern, path));
  }

  add(path: readonly Segment[], message: string) {
    this.differences.push({ path: formatPath(path), message });
  }

  value(expected: unknown, actual: unknown, path: Segment[]): void {
    if (this.ignored(path)) return;
    if (Array.isArray(expected) && Array.isArray(actual)) {
      if (expected.length !== actual.length) this.add(path, `expected ${expected.length} element(s), got ${actual.length}`);
      this.elements(expected, actual, path, "element");
      return;
    }
    if (isObject(expected) && isObject(actual)) {
      for (const key of Object.keys(expected)) {
        const at = [...path, { key }];
        if (this.ignored(at)) continue;
        if (!Object.hasOwn(actual, key)) this.add(at, `missing (expected ${show(expected[key])})`);
        else this.value(expected[key], actual[key], at);
      }
      for (const key of Object.keys(actual)) {
        const at = [...path, { key }];
        if (!Object.hasOwn(expected, key) && !this.ignored(at)) this.add(at, `unexpected (got ${show(actual[key])})`);
      }
      return;
    }
    if (!isDeepStrictEqual(expected, actual)) this.add(path, `expected ${show(expected)}, got ${show(actual)}`);
  }

  elements(expected: readonly unknown[], actual: readonly unknown[], path: Segment[], what: string) {
    const shared = Math.min(expected.length, actual.length);
    for (let i = 0; i < shared; i++) this.value(expected[i], actual[i], [...path, { index: i }]);
    for (let i = shared; i < expected.length; i++) {
      const at = [...path, { index: i }];
      if (!this.ignored(at)) this.add(at, `missing ${what} (expected ${show(expected[i])})`);
    }
    for (let i = shared; i < actual.length; i++) {
      const at = [...path, { index: i }];
      if (!this.ignored(at)) this.add(at, `unexpected ${what} (got ${show(actual[i])})`);
    }
  }
}

/** Compare what a case expects with what a run recorded, node by node and port by port. */
export function compareRun(expect: TestCase["expect"], record: RunRecord, ignore: readonly string[] = []): Difference[] {
  const comparison = new Comparison(ignore.map(parseIgnorePath));
  for (const [nodeId, ports] of Object.entries(expect)) {
    const node = record.nodes[nodeId];
    for (const [port, expectedItems] of Object.entries(ports)) {
      const path: Segment[] = [{ key: nodeId }, { key: port }];
      if (comparison.ignored(path)) continue;
      // Through JSON, as the expectation was stored: a Date becomes its text, undefined fields vanish.
      const sample = JSON.parse(JSON.stringify(node?.output[port] ?? [])) as Item[];
      const count = node?.outputCounts[port] ?? 0;
      if (count !== expectedItems.length) comparison.add(path, `expected ${expectedItems.length} item(s), got ${count}`);
      comparison.elements(expectedItems, sample, path, "item");
    }
  }
  return comparison.differences;
}

// ---------------------------------------------------------------------------------------------
// Checking and running cases

/**
 * What is wrong with the cases of a (valid) flow: references to nodes or ports that do not exist,
 * ignore rules that do not parse. Paths read like validation problems (`tests.cases[0].expect.map`).
 */
export function caseProblems(flow: FlowDoc, registry: NodeRegistry): Problem[] {
  const problems: Problem[] = [];
  const nodes = new Map(flow.nodes.map((n) => [n.id, n]));
  const check = (at: string, id: string): boolean => {
    if (nodes.has(id)) return true;
    problems.push({ path: at, message: `there is no node "${id}" in this flow` });
    return false;
  };
  for (const id of Object.keys(flow.tests?.pinned ?? {})) check(`tests.pinned.${id}`, id);
  (flow.tests?.cases ?? []).forEach((testCase, i) => {
    const at = `tests.cases[${i}]`;
    if (testCase.trigger && check(`${at}.trigger`, testCase.trigger) && !registry.portsOf(nodes.get(testCase.trigger)!)?.trigger)
      problems.push({ path: `${at}.trigger`, node: testCase.trigger, message: `"${testCase.trigger}" is not a trigger` });
    for (const id of Object.keys(testCase.pinned ?? {})) check(`${at}.pinned.${id}`, id);
    for (const [id, ports] of Object.entries(testCase.expect)) {
      if (!check(`${at}.expect.${id}`, id)) continue;
      const outputs = registry.portsOf(nodes.get(id)!)?.outputs ?? [];
      for (const port of Object.keys(ports))
        if (!outputs.includes(port))
          problems.push({
            path: `${at}.expect.${id}.${port}`,
            node: id,
            message: `"${id}" has no output "${port}" (it has ${outputs.join(", ")})`,
          });
    }
    (testCase.ignore ?? []).forEach((rule, k) => {
      try {
        parseIgnorePath(rule);
      } catch (error) {
        problems.push({ path: `${at}.ignore[${k}]`, message: (error as Error).message });
      }
    });
  });
  return problems;
}

export function caseInput(testCase: TestCase): Item[] {
  return Array.isArray(testCase.input) ? testCase.input : [testCase.input];
}

/** Run one case as a test run (never live: destinations dry-run) and compare its outputs. */
export async function runCase(flow: CompiledFlow, testCase: TestCase, options: CaseRunOptions = {}): Promise<CaseResult> {
  const record = await runFlow(flow, {
    input: caseInput(testCase),
    mode: "test",
    live: false,
    trigger: testCase.trigger,
    pinned: { ...flow.flow.tests?.pinned, ...testCase.pinned },
    credentials: options.credentials,
    host: options.host,
    signal: options.signal,
  });
  const differences: Difference[] = [];
  if (record.status !== "success") {
    const e = record.error;
    const where = e?.node ? ` at node "${e.node}"` : "";
    differences.push({ path: "run", message: `the run ${record.status}${where}: ${e ? `${e.code}: ${e.message}` : "no error recorded"}` });
  }
  differences.push(...compareRun(testCase.expect, record, testCase.ignore));
  return {
    name: testCase.name,
    passed: differences.length === 0,
    differences,
    pinned: Object.entries(record.nodes)
      .filter(([, n]) => n.status === "pinned")
      .map(([id]) => id),
    status: record.status,
    durationMs: record.durationMs,
  };
}

/** Run the flow's cases in order (one at a time: they may share pools and files). */
export async function runCases(flow: CompiledFlow, options: CaseRunOptions & { only?: string } = {}): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const testCase of flow.flow.tests?.cases ?? []) {
    if (options.only !== undefined && testCase.name !== options.only) continue;
    results.push(await runCase(flow, testCase, options));
  }
  return results;
}

/**
 * A case from a test run: the input, and what the chosen nodes produced on every port they
 * used (a node that produced nothing is expected to produce nothing on `main`).
 */
export function caseFromRun(
  record: RunRecord,
  spec: { name: string; input: Item | Item[]; nodes: readonly string[]; trigger?: string; ignore?: string[]; description?: string },
): TestCase {
  if (record.status !== "success")
    throw new CaseCaptureError(`the run ${record.status}${record.error ? `: ${record.error.code}: ${record.error.message}` : ""}; save a case from a run that succeeds`);
  if (spec.nodes.length === 0) throw new CaseCaptureError("choose at least one node whose output the case checks");
  const expect: TestCase["expect"] = {};
  for (const id of spec.nodes) {
    const node = record.nodes[id];
    if (!node) throw new CaseCaptureError(`there is no node "${id}" in this run`);
    const ports: Record<string, Item[]> = {};
    for (const [port, items] of Object.entries(node.output)) {
      const count = node.outputCounts[port] ?? items.length;
      if (count > MAX_CASE_ITEMS)
        throw new CaseCaptureError(
          `"${id}" sent ${count} items to "${port}"; a case checks at most ${MAX_CASE_ITEMS} per port: use a smaller input or choose another node`,
        );
      ports[port] = JSON.parse(JSON.stringify(items)) as Item[];
    }
    expect[id] = Object.keys(ports).length ? ports : { main: [] };
  }
  return {
    name: spec.name,
    ...(spec.description ? { description: spec.description } : {}),
    input: spec.input,
    ...(spec.trigger ? { trigger: spec.trigger } : {}),
    expect,
    ...(spec.ignore?.length ? { ignore: spec.ignore } : {}),
  };
}

/** A test run that cannot become a case (it failed, or a node produced too much to check). */
export class CaseCaptureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CaseCaptureError";
  }
}

/**
 * Save what a flow does now as a case: run `spec.input` as a test run (dry, with the flow's and
 * the case's pinned data) and take the chosen nodes' outputs as the expectation.
 */
export async function captureCase(
  flow: CompiledFlow,
  spec: Omit<TestCase, "expect"> & { nodes: readonly string[] },
  options: CaseRunOptions = {},
): Promise<TestCase> {
  const record = await runFlow(flow, {
    input: caseInput({ ...spec, expect: {} }),
    mode: "test",
    live: false,
    trigger: spec.trigger,
    pinned: { ...flow.flow.tests?.pinned, ...spec.pinned },
    credentials: options.credentials,
    host: options.host,
    signal: options.signal,
  });
  const captured = caseFromRun(record, spec);
  return { ...captured, ...(spec.pinned ? { pinned: spec.pinned } : {}) };
}
